//! Creating and unlocking vaults.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn init_creates_an_encrypted_vault_and_prints_its_keys() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE_FILE", &path_str(&t.passphrase_file()));
    let doc = t.json(&["init"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["path"], path_str(&t.vault()));
    assert_eq!(doc["key_slots"], serde_json::json!(["passphrase"]));
    let id = doc["vault_id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    // minisign public key: base64 of "Ed" + 8-byte key id + 32-byte key = 56 characters.
    let signing = doc["signing_key"].as_str().unwrap();
    assert!(
        signing.starts_with("RW") && signing.len() == 56,
        "{signing}"
    );
    let recipient = doc["recipient"].as_str().unwrap();
    assert!(
        recipient.starts_with("age1") && recipient.len() == 62,
        "{recipient}"
    );

    let v = t.vault();
    assert_eq!(
        fs::metadata(&v).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for f in ["vault.db", "keyslots/passphrase.age", "vault.lock"] {
        let mode = fs::metadata(v.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{f} has mode {mode:o}");
    }
    let head = &fs::read(v.join("vault.db")).unwrap()[..16];
    assert_ne!(head, b"SQLite format 3\0");

    // The same keys are reported by status afterwards.
    let st = t.json(&["status"]);
    assert_eq!(st["vault"]["id"], id);
    assert_eq!(st["schema_version"], trove::vault::migrations::latest());
}

#[test]
fn init_human_output_goes_to_stdout_and_status_to_stderr() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let out = t.run(&["init"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("vault_id     "));
    assert_eq!(lines[1], format!("path         {}", path_str(&t.vault())));
    assert!(lines[2].starts_with("signing_key  RW"));
    assert!(lines[3].starts_with("recipient    age1"));
    assert_eq!(
        stderr(&out),
        format!(
            "Created a new vault at {}\nKeep the passphrase safe: without it (or another key slot) the vault cannot be opened.\n",
            path_str(&t.vault())
        )
    );
}

#[test]
fn init_refuses_an_existing_vault_and_changes_nothing() {
    let t = TestEnv::with_vault();
    t.set("TROVE_PASSPHRASE_FILE", &path_str(&t.passphrase_file()));
    let before = fs::read(t.vault().join("vault.db")).unwrap();
    let out = t.run(&["init"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!(
            "trove: error: a vault already exists at {}\nhint: trove never overwrites a vault; choose another directory with --vault\n",
            path_str(&t.vault())
        )
    );
    assert_eq!(fs::read(t.vault().join("vault.db")).unwrap(), before);
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let t = TestEnv::new();
    fs::create_dir_all(t.vault()).unwrap();
    fs::write(t.vault().join("notes.txt"), "mine").unwrap();
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let out = t.run(&["init"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!(
            "trove: error: {} is not empty and is not a trove vault; refusing to create a vault there\n",
            path_str(&t.vault())
        )
    );
    assert_eq!(
        fs::read_to_string(t.vault().join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(fs::read_dir(t.vault()).unwrap().count(), 1);
}

#[test]
fn init_without_a_passphrase_source_fails_at_once_and_creates_nothing() {
    let t = TestEnv::new();
    let start = Instant::now();
    let out = t.run(&["init"]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: no passphrase available: stdin is not a terminal and no passphrase source is set\n\
         hint: set TROVE_PASSPHRASE_FILE, TROVE_PASSPHRASE_COMMAND or TROVE_PASSPHRASE, pass --passphrase-file FILE (or - for stdin), or unlock with --identity FILE\n"
    );
    assert!(!t.vault().exists());
}

#[test]
fn init_rejects_an_empty_passphrase() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE", "");
    let out = t.run(&["init"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("trove: error: the passphrase is empty\n"));
    assert!(!t.vault().exists());
}

#[test]
fn default_vault_location_is_the_platform_data_dir() {
    let t = TestEnv::new();
    t.unset("TROVE_VAULT");
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let doc = t.json(&["init"]);
    assert_eq!(doc["path"], path_str(&t.path().join("data/trove")));
    assert!(t.path().join("data/trove/vault.db").exists());
}

#[test]
fn every_passphrase_source_unlocks_in_order() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    // --passphrase-file FILE
    t.ok(&[
        "--passphrase-file",
        &path_str(&t.passphrase_file()),
        "key",
        "list",
    ]);
    // --passphrase-file - (stdin)
    let out = t
        .cmd()
        .args(["--passphrase-file", "-", "key", "list"])
        .write_stdin(format!("{PASSPHRASE}\r\n"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // TROVE_PASSPHRASE_COMMAND
    t.set(
        "TROVE_PASSPHRASE_COMMAND",
        &format!("printf '%s\\n' '{PASSPHRASE}'"),
    );
    t.ok(&["key", "list"]);
    // TROVE_PASSPHRASE_FILE wins over the command.
    let wrong = t.path().join("wrong.txt");
    fs::write(&wrong, "nope\n").unwrap();
    set_mode(&wrong, 0o600);
    t.set("TROVE_PASSPHRASE_FILE", &path_str(&wrong));
    assert_eq!(code(&t.run(&["key", "list"])), 12);
    t.unset("TROVE_PASSPHRASE_FILE");
    // The command wins over TROVE_PASSPHRASE.
    t.set("TROVE_PASSPHRASE", "nope");
    t.ok(&["key", "list"]);
    t.unset("TROVE_PASSPHRASE_COMMAND");
    assert_eq!(code(&t.run(&["key", "list"])), 12);
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    t.ok(&["key", "list"]);
}

#[test]
fn a_failing_passphrase_command_is_reported() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE_COMMAND", "exit 3");
    let out = t.run(&["status"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: TROVE_PASSPHRASE_COMMAND failed: TROVE_PASSPHRASE_COMMAND exited with exit status: 3\n"
    );
}

#[test]
fn wrong_passphrase_exits_12_and_changes_nothing() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    t.set("TROVE_PASSPHRASE", "not the passphrase");
    let snapshot = snapshot_dir(&t.vault());
    let out = t.run(&[
        "key",
        "add",
        "--name",
        "x",
        "--recipient",
        &generate_identity().1,
    ]);
    assert_eq!(code(&out), 12);
    assert_eq!(
        stderr(&out),
        "trove: error: wrong passphrase\n\
         hint: check the passphrase source (--passphrase-file, TROVE_PASSPHRASE_FILE, TROVE_PASSPHRASE_COMMAND, TROVE_PASSPHRASE)\n"
    );
    assert_eq!(snapshot_dir(&t.vault()), snapshot);
}

#[test]
fn no_source_and_no_terminal_fails_fast_with_a_hint() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    let start = Instant::now();
    let out = t.run(&["status"]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("hint: set TROVE_PASSPHRASE_FILE"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_vault_exits_10() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let out = t.run(&["status"]);
    assert_eq!(code(&out), 10);
    assert_eq!(
        stderr(&out),
        format!(
            "trove: error: no vault at {}\nhint: create one with `trove init`, or point --vault / TROVE_VAULT at an existing vault\n",
            path_str(&t.vault())
        )
    );
}

#[test]
fn a_plaintext_database_in_place_of_the_vault_is_refused() {
    let t = TestEnv::with_vault();
    let db = t.vault().join("vault.db");
    fs::remove_file(&db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE meta (key TEXT, value TEXT); INSERT INTO meta VALUES ('vault_id', 'x');",
    )
    .unwrap();
    drop(conn);
    for args in [&["status"][..], &["key", "list"][..]] {
        let out = t.run(args);
        assert_eq!(code(&out), 1);
        assert_eq!(
            stderr(&out),
            format!(
                "trove: error: refusing to open {}: it is a plaintext SQLite database, not an encrypted trove vault\n\
                 hint: a trove vault is always encrypted; this file was not written by trove or was replaced\n\
                 hint: move it away and restore the vault from a backup\n",
                path_str(&db)
            )
        );
    }
    // check reports it as a failed check (exit 13) rather than opening it.
    let out = t.run(&["--json", "check"]);
    assert_eq!(code(&out), 13);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["checks"][0]["name"], "encrypted");
    assert_eq!(doc["checks"][0]["ok"], false);
}

#[test]
fn a_second_writer_exits_11_without_waiting() {
    let t = TestEnv::with_vault();
    let paths = trove::vault::VaultPaths::new(t.vault());
    let _held = trove::vault::lock::acquire(&paths).unwrap();
    let start = Instant::now();
    let out = t.run(&[
        "key",
        "add",
        "--name",
        "second",
        "--recipient",
        &generate_identity().1,
    ]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code(&out), 11);
    assert_eq!(
        stderr(&out),
        format!(
            "trove: error: the vault at {} is in use by another trove process (pid {})\n\
             hint: wait for the other process to finish; only one process may write at a time\n",
            path_str(&t.vault()),
            std::process::id()
        )
    );
    // Readers are not blocked by a writer.
    t.ok(&["status"]);
}

/// File name → contents, for "nothing changed" assertions.
pub fn snapshot_dir(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.file_name() != "vault.lock" {
                out.push((path_str(&e.path()), fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A vault made by trove before schema version 5 (tests/fixtures/vault_v4: HMAC-SHA512 pages,
/// samples in a table with a unique identity index) opens, migrates, and reads exactly what
/// the old trove read; its natural keys still recognize what it already holds.
#[test]
fn a_vault_made_before_schema_5_opens_migrates_and_reads_the_same() {
    let t = TestEnv::new();
    copy_dir(&fixture("vault_v4/vault"), &t.vault());
    for f in ["vault.db", "keyslots/passphrase.age", "keyslots/test.age"] {
        set_mode(&t.vault().join(f), 0o600);
    }
    fs::copy(fixture("vault_v4/identity.txt"), t.identity_file()).unwrap();
    set_mode(&t.identity_file(), 0o600);
    t.set("TROVE_IDENTITY", &path_str(&t.identity_file()));

    let status = t.json(&["status"]);
    assert_eq!(status["schema_version"], 5);
    assert_eq!(status["tables"]["samples"], 26);
    let check = t.json(&["check"]);
    assert_eq!(check["ok"], true, "{check:#}");
    let cipher = check["checks"][2]["detail"].as_str().unwrap();
    assert!(cipher.ends_with(", HMAC-SHA512 pages"), "{cipher}");

    assert_eq!(
        t.ok(&[
            "query",
            "--format",
            "csv",
            "SELECT * FROM samples ORDER BY id"
        ]),
        fs::read_to_string(fixture("vault_v4/samples.csv")).unwrap()
    );
    let old: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(fixture("vault_v4/stats_heart_rate.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(t.json(&["stats", "heart_rate"]), old);

    // The same export, unzipped as before: every file is known.
    let again = t.json(&[
        "import",
        fixture("apple_health/apple_health_export")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(again["totals"]["skipped"], 3, "{again:#}");
    // Zipped, so its files must be read: every sample is found by its natural key.
    let zip = t.path().join("export.zip");
    crate::apple_health::zip_dir(
        &fixture("apple_health/apple_health_export"),
        &zip,
        zip::CompressionMethod::Deflated,
    );
    let zipped = t.json(&["import", zip.to_str().unwrap()]);
    assert_eq!(zipped["totals"]["added"], 0, "{zipped:#}");
    assert_eq!(t.count("SELECT count(*) FROM samples"), 26);
    t.ok(&["check"]);
}
