//! Tampering never yields wrong data: random bit flips (seeded; the seed is printed) in the
//! database, in a key slot and in a contribution package each end in a precise error, never
//! in a panic, never in data that differs from what was stored.
//!
//! * The database: SQLCipher authenticates every page (HMAC-SHA512 over the page, its IV and
//!   its number) with a key derived from the raw key and the file's salt. `trove check` reads
//!   every page, so it must fail for *every* flip — the salt, page 1, b-tree pages, free pages
//!   and the IV/HMAC reserve alike. A query either fails with the damaged-database error or
//!   returns exactly the rows it returned before (it did not read the flipped page).
//! * A key slot is an age file: the header is authenticated by its MAC, the payload by
//!   ChaCha20-Poly1305; a flip is a damaged slot (exit 1) or, in the recipient stanza, an
//!   identity that no longer matches (exit 12).
//! * A package is an age file too; `trove verify` rejects every flip (exit 13).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use rand::RngExt;
use rand::rngs::StdRng;
use serde_json::Value;

use crate::chaos::*;
use crate::common::*;
use crate::pkg::add_dao;

const Y2024: i64 = 1_704_067_200;
const PAGE: usize = 4096;
/// SQLCipher 4's per-page reserve: a 16-byte IV and a 64-byte HMAC-SHA512.
const RESERVE: usize = 80;

// How a damaged key slot's age error reads (src/vault/keyslot.rs, `age_damage`).
const HEADER_MALFORMED: &str = "its age header is malformed";
const HEADER_MODIFIED: &str = "its age header was modified (the header MAC does not verify)";
const UNKNOWN_FORMAT: &str = "it is not an age file of a version trove reads";
const SLOT_HINT: &str = "hint: restore keyslots/test.age from a backup; if another key slot unlocks the vault, `trove key remove test` removes the damaged one\n";
const PAYLOAD_FAILED: &str = "its payload does not decrypt (decryption error)";

fn flip(bytes: &[u8], pos: usize, bit: u8) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[pos] ^= 1 << bit;
    b
}

fn no_panic(out: &std::process::Output, ctx: &str) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{ctx}: {err}"
    );
}

/// Tallies outcomes for the test's captured output, so a run shows what it exercised.
fn tally(outcomes: &BTreeMap<String, usize>, what: &str) {
    for (k, n) in outcomes {
        eprintln!("{what}: {n:4} × {k}");
    }
}

/// Flip positions for the database: the salt, page 1, every free page, the reserve of
/// random pages, and uniformly random bytes.
fn db_positions(
    rng: &mut StdRng,
    len: usize,
    free_pages: &[usize],
    n: usize,
) -> Vec<(usize, &'static str)> {
    let pages = len / PAGE;
    let mut v = Vec::new();
    for _ in 0..8 {
        v.push((rng.random_range(0..16), "salt"));
        v.push((rng.random_range(16..PAGE - RESERVE), "page 1"));
    }
    for &p in free_pages {
        v.push((
            (p - 1) * PAGE + rng.random_range(0..PAGE - RESERVE),
            "free page",
        ));
    }
    while v.len() < n / 2 {
        let p = rng.random_range(0..pages);
        v.push((
            p * PAGE + PAGE - RESERVE + rng.random_range(0..RESERVE),
            "reserve",
        ));
    }
    while v.len() < n {
        v.push((rng.random_range(0..len), "anywhere"));
    }
    v
}

#[test]
fn bit_flips_in_the_database_are_always_caught_and_never_yield_wrong_rows() {
    let (seed, mut rng) = seeded("tamper: database");
    let t = TestEnv::with_vault();
    let export = t.path().join("export.zip");
    apple_health_zip(&export, &apple_health_xml(1_500, Y2024, None));
    t.ok(&["import", &path_str(&export)]);
    // Free pages: rows deleted without VACUUM. SQLCipher encrypts and authenticates them too.
    {
        let v = crate::seed::open(&t);
        v.conn
            .execute(
                "DELETE FROM sample_rows
                 WHERE metric_id = (SELECT id FROM metric_names WHERE name = 'heart_rate')",
                [],
            )
            .unwrap();
    }
    let page_count = t.count("PRAGMA page_count") as usize;
    let used: BTreeSet<usize> = t
        .sql("SELECT DISTINCT pageno FROM dbstat")
        .into_iter()
        .map(|r| r[0].as_i64().unwrap() as usize)
        .collect();
    let free_pages: Vec<usize> = (2..=page_count).filter(|p| !used.contains(p)).collect();
    assert!(
        free_pages.len() >= 5,
        "the vault should have free pages: {free_pages:?}"
    );
    let db_path = t.vault().join("vault.db");
    assert!(
        !t.vault().join("vault.db-wal").exists(),
        "the vault should be at rest (checkpointed)"
    );
    let pristine = fs::read(&db_path).unwrap();
    assert_eq!(pristine.len(), page_count * PAGE);
    let query =
        "SELECT id, metric, start_ms, end_ms, value, category, device_id FROM samples ORDER BY id";
    let good = t.ok(&["query", "--format", "csv", query]);
    let damaged_hints = "hint: `trove check` lists the pages that fail their authentication check\nhint: the file was changed outside trove (disk error or tampering); restore vault.db from a backup\n";
    let unreadable = format!(
        "trove: error: the database {} could not be decrypted with the key from its key slot: it is damaged or was replaced\nhint: run `trove check` for details; restore vault.db from a backup if it was damaged\n",
        db_path.display()
    );

    let mut outcomes = BTreeMap::new();
    for (pos, region) in db_positions(&mut rng, pristine.len(), &free_pages, 200) {
        let bit = rng.random_range(0..8u8);
        let ctx = format!(
            "seed {seed}: bit {bit} of byte {pos} (page {}, {region})",
            pos / PAGE + 1
        );
        fs::write(&db_path, flip(&pristine, pos, bit)).unwrap();

        // trove check reads every page: it fails, every time.
        let out = t.run(&["--json", "check"]);
        no_panic(&out, &ctx);
        assert_eq!(code(&out), 13, "{ctx}: {}", stderr(&out));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let checks = report["checks"].as_array().unwrap();
        let failed: Vec<&str> = checks
            .iter()
            .filter(|c| c["ok"] == false)
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            stderr(&out),
            format!(
                "trove: error: vault check failed: {} of {} checks\n",
                failed.len(),
                checks.len()
            ),
            "{ctx}"
        );
        let caught_by = if failed == ["cipher"] {
            "does not decrypt at open"
        } else {
            assert!(failed.contains(&"cipher_integrity"), "{ctx}: {report}");
            "page HMAC fails"
        };

        // A query never returns rows that differ from what was stored.
        let out = t.run(&["query", "--format", "csv", query]);
        no_panic(&out, &ctx);
        let q = match code(&out) {
            0 => {
                assert_eq!(stdout(&out), good, "{ctx}: WRONG DATA");
                "query unaffected (did not read that page)"
            }
            1 => {
                assert!(good.starts_with(&stdout(&out)), "{ctx}: WRONG DATA");
                let err = stderr(&out);
                if err == unreadable {
                    "query refused: does not decrypt"
                } else {
                    assert_eq!(
                        err,
                        format!(
                            "trove: error: the vault database is damaged: database disk image is malformed\n{damaged_hints}"
                        ),
                        "{ctx}"
                    );
                    "query refused: damaged page"
                }
            }
            other => panic!("{ctx}: query exit {other}: {}", stderr(&out)),
        };
        *outcomes
            .entry(format!("{region}: check {caught_by}; {q}"))
            .or_insert(0) += 1;
    }
    tally(&outcomes, "database");
    fs::write(&db_path, &pristine).unwrap();
    assert_eq!(t.ok(&["query", "--format", "csv", query]), good);
}

/// The regions of an age file: `age-encryption.org/v1`, the recipient stanzas, the MAC line,
/// and the payload (nonce and STREAM chunks).
fn age_region(file: &[u8], pos: usize) -> &'static str {
    let first_nl = file.iter().position(|&b| b == b'\n').unwrap();
    let mac = file.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    let payload = mac + file[mac..].iter().position(|&b| b == b'\n').unwrap() + 1;
    if pos <= first_nl {
        "version line"
    } else if pos < mac {
        "recipient stanzas"
    } else if pos < payload {
        "MAC line"
    } else {
        "payload"
    }
}

#[test]
fn bit_flips_in_a_key_slot_never_unlock_the_vault() {
    let (seed, mut rng) = seeded("tamper: key slot");
    let t = TestEnv::with_vault();
    let slot = t.vault().join("keyslots/test.age");
    let pristine = fs::read(&slot).unwrap();
    let damaged =
        |detail: &str| format!("trove: error: key slot test is damaged: {detail}\n{SLOT_HINT}");
    let wrong_identity = format!(
        "trove: error: no key slot of this vault opens with the identity in {}\nhint: `trove key list` shows the recipients that have key slots; add one with `trove key add`\n",
        t.identity_file().display()
    );
    let payload_failure = damaged(PAYLOAD_FAILED);
    let mut outcomes = BTreeMap::new();
    for i in 0..240 {
        // Half the flips in the header, which is small, half anywhere.
        let header_len = pristine.windows(4).position(|w| w == b"\n---").unwrap() + 60;
        let pos = if i % 2 == 0 {
            rng.random_range(0..header_len.min(pristine.len()))
        } else {
            rng.random_range(0..pristine.len())
        };
        let bit = rng.random_range(0..8u8);
        let region = age_region(&pristine, pos);
        let ctx = format!("seed {seed}: bit {bit} of byte {pos} ({region})");
        fs::write(&slot, flip(&pristine, pos, bit)).unwrap();
        let out = t.run(&["status"]);
        no_panic(&out, &ctx);
        assert_eq!(stdout(&out), "", "{ctx}: data was shown");
        let err = stderr(&out);
        let allowed: Vec<(i32, String)> = match region {
            "version line" => vec![(1, damaged("it is not an age file"))],
            "recipient stanzas" => vec![
                (12, wrong_identity.clone()),
                (1, damaged("unknown recipient type")),
                (1, damaged(HEADER_MALFORMED)),
                (1, damaged(UNKNOWN_FORMAT)),
                (1, damaged(HEADER_MODIFIED)),
            ],
            "MAC line" => vec![
                (1, damaged(HEADER_MODIFIED)),
                (1, damaged(HEADER_MALFORMED)),
                (1, damaged(UNKNOWN_FORMAT)),
            ],
            _ => vec![(1, payload_failure.clone())],
        };
        assert!(
            allowed.contains(&(code(&out), err.clone())),
            "{ctx}: exit {}: {err}",
            code(&out)
        );
        let first = err.lines().next().unwrap_or("").to_string();
        *outcomes
            .entry(format!("{region}: exit {}: {first}", code(&out)))
            .or_insert(0) += 1;
    }
    tally(&outcomes, "key slot");
    fs::write(&slot, &pristine).unwrap();
    t.ok(&["status"]);
}

/// The passphrase slot costs an scrypt run per attempt, so it gets one flip per region,
/// chosen to hit what matters: the work factor, the salt, the wrapped key, the MAC, the
/// payload.
#[test]
fn bit_flips_in_the_passphrase_slot_never_unlock_the_vault() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE_FILE", &path_str(&t.passphrase_file()));
    let slot = t.vault().join("keyslots/passphrase.age");
    let pristine = fs::read(&slot).unwrap();
    let text = String::from_utf8_lossy(&pristine).into_owned();
    // "-> scrypt <salt> <log N>\n<wrapped key>\n--- <mac>\n<payload>". Flipping bit 5 of a
    // letter swaps its case: still canonical base64, so the flip reaches the cryptography.
    let letter_in = |from: usize| {
        from + text[from..]
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap()
    };
    let stanza = text.find("-> scrypt ").unwrap();
    let stanza_end = text[stanza..].find('\n').unwrap() + stanza;
    let log_n = stanza_end - 2; // the "1" of "18"
    let salt = letter_in(stanza + "-> scrypt ".len());
    let body = letter_in(stanza_end + 1);
    let mac = letter_in(text.find("\n--- ").unwrap() + 5);
    let payload = text[mac..].find('\n').unwrap() + mac + 10;
    let wrong = "trove: error: wrong passphrase\nhint: check the passphrase source (--passphrase-file, TROVE_PASSPHRASE_FILE, TROVE_PASSPHRASE_COMMAND, TROVE_PASSPHRASE)\n";
    let damaged = |detail: &str| {
        format!(
            "trove: error: key slot passphrase is damaged: {detail}\n{}",
            SLOT_HINT.replace("test", "passphrase")
        )
    };
    let cases: [(usize, u8, i32, String); 6] = [
        // "18" → "38": 2^38 is refused before any work is done.
        (log_n, 1, 1, "trove: error: the scrypt work factor of key slot passphrase (2^38) is above the accepted maximum (2^20)\nhint: the slot was not written by this version of trove; rewrite it with `trove key passwd` on the machine that made it\n".into()),
        // "18" → "08": not a canonical number.
        (log_n, 0, 1, damaged(HEADER_MALFORMED)),
        (salt, 5, 12, wrong.into()),
        (body, 5, 12, wrong.into()),
        (mac, 5, 1, damaged(HEADER_MODIFIED)),
        (payload, 4, 1, damaged(PAYLOAD_FAILED)),
    ];
    for (pos, bit, exit, message) in cases {
        let ctx = format!("bit {bit} of byte {pos} ({})", age_region(&pristine, pos));
        fs::write(&slot, flip(&pristine, pos, bit)).unwrap();
        let out = t.run(&["status"]);
        no_panic(&out, &ctx);
        assert_eq!((code(&out), stderr(&out)), (exit, message), "{ctx}");
        assert_eq!(stdout(&out), "");
    }
    fs::write(&slot, &pristine).unwrap();
    t.ok(&["status"]);
}

#[test]
fn bit_flips_in_a_contribution_package_are_always_rejected() {
    let (seed, mut rng) = seeded("tamper: package");
    let t = TestEnv::with_vault();
    let export = t.path().join("export.zip");
    apple_health_zip(&export, &apple_health_xml(400, Y2024, None));
    t.ok(&["import", &path_str(&export)]);
    let dao = add_dao(&t, "lab");
    let package = crate::pkg::contribute(&t, "lab", "lab.trove", &["--metric", "heart_rate"]);
    let pristine = fs::read(&package).unwrap();
    let verify = |path: &Path| {
        t.run(&[
            "verify",
            "--identity",
            &path_str(&dao.file),
            &path_str(path),
        ])
    };
    assert_eq!(code(&verify(&package)), 0);
    let flipped = t.path().join("flipped.trove");
    let rejected = |reason: &str| {
        format!(
            "trove: error: package rejected: {reason}\nhint: the package was damaged or changed after it was signed, or was not made by trove; do not use its data\n"
        )
    };
    let modified = rejected("the encrypted data is truncated or was modified (decryption error)");
    // A flip in the last chunk is reported as that chunk failing to authenticate.
    let last_chunk = rejected(
        "the encrypted data is truncated or was modified (Last chunk is invalid, stream might be truncated)",
    );
    let mut outcomes = BTreeMap::new();
    for i in 0..240 {
        let header_len = pristine.windows(4).position(|w| w == b"\n---").unwrap() + 60;
        let pos = if i % 3 == 0 {
            rng.random_range(0..header_len)
        } else {
            rng.random_range(0..pristine.len())
        };
        let bit = rng.random_range(0..8u8);
        let region = age_region(&pristine, pos);
        let ctx = format!("seed {seed}: bit {bit} of byte {pos} ({region})");
        fs::write(&flipped, flip(&pristine, pos, bit)).unwrap();
        let out = verify(&flipped);
        no_panic(&out, &ctx);
        assert_eq!(code(&out), 13, "{ctx}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{ctx}: a verdict was printed");
        let err = stderr(&out);
        let allowed: Vec<String> = match region {
            "version line" => vec![rejected("it is not an age-encrypted file")],
            "recipient stanzas" | "MAC line" => vec![
                rejected(&format!(
                    "it is not encrypted to the identity in {}",
                    dao.file.display()
                )),
                rejected("it is not an age-encrypted file"),
                rejected("its age header was modified"),
            ],
            _ => vec![modified.clone(), last_chunk.clone()],
        };
        assert!(allowed.contains(&err), "{ctx}: {err}");
        *outcomes
            .entry(format!("{region}: {}", err.lines().next().unwrap()))
            .or_insert(0) += 1;
    }
    tally(&outcomes, "package");
}

/// One damaged slot does not lock the owner out: the other slots still unlock, `trove check`
/// names the damage, and the damaged slot can be removed.
#[test]
fn a_damaged_slot_does_not_lock_out_the_others() {
    let t = TestEnv::with_vault();
    let slot = t.vault().join("keyslots/test.age");
    let mut bytes = fs::read(&slot).unwrap();
    bytes[0] ^= 0x20; // "age-encryption.org" → "Age-encryption.org"
    fs::write(&slot, &bytes).unwrap();
    // The identity has no other slot: the damage is the error.
    let out = t.run(&["status"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!("trove: error: key slot test is damaged: it is not an age file\n{SLOT_HINT}")
    );
    // The passphrase still opens the vault.
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE_FILE", &path_str(&t.passphrase_file()));
    assert_eq!(
        t.ok(&[
            "query",
            "--format",
            "csv",
            "SELECT count(*) AS n FROM key_slots"
        ]),
        "n\n2\n"
    );
    let out = t.run(&["--json", "check"]);
    assert_eq!(code(&out), 13);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let failed: Vec<(&str, &str)> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| (c["name"].as_str().unwrap(), c["detail"].as_str().unwrap()))
        .collect();
    assert_eq!(
        failed,
        [(
            "key_slots",
            "key slot test is damaged: it is not an age file"
        )]
    );
    t.ok(&["key", "remove", "test"]);
    assert!(!slot.exists());
    t.ok(&["check"]);
    // And the last readable slot is never removed, damaged slots or not.
    let out = t.run(&["key", "remove", "passphrase"]);
    assert_eq!(code(&out), 1);
}
