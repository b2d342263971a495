//! `trove verify`: the DAO's side. Every way a package can be wrong is rejected with exit 13
//! and its reason; the forgeries here are made the way an attacker could (re-zipped and
//! re-encrypted to the DAO's public recipient).

use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine;

use crate::common::*;
use crate::pkg::{self, DaoKey, add_dao, contribute, entries, open_package};
use crate::seed;

fn setup() -> (TestEnv, DaoKey, PathBuf) {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = add_dao(&t, "labdao");
    let path = contribute(
        &t,
        "labdao",
        "good.trove",
        &[
            "--metric",
            "heart_rate",
            "--kind",
            "post",
            "--since",
            "2024-03-01",
        ],
    );
    // The DAO's side has no vault.
    t.unset("TROVE_IDENTITY");
    (t, key, path)
}

fn verify(t: &TestEnv, key: &DaoKey, path: &Path) -> std::process::Output {
    t.run(&[
        "verify",
        &path_str(path),
        "--identity",
        &path_str(&key.file),
    ])
}

/// Re-packs the package with `change` applied to its entries, encrypted to the DAO.
fn forge(
    t: &TestEnv,
    key: &DaoKey,
    good: &Path,
    name: &str,
    change: impl FnOnce(&mut Vec<(String, Vec<u8>)>),
) -> PathBuf {
    let mut e = open_package(good, key);
    change(&mut e);
    let path = t.path().join(name);
    fs::write(&path, pkg::encrypt(&pkg::rezip(&e), &key.recipient)).unwrap();
    path
}

fn assert_rejected(out: &std::process::Output, reason: &str) {
    assert_eq!(code(out), 13, "{}", stderr(out));
    assert_eq!(
        stderr(out),
        format!(
            "trove: error: package rejected: {reason}\n\
             hint: the package was damaged or changed after it was signed, or was not made by trove; do not use its data\n"
        )
    );
    assert_eq!(stdout(out), "");
}

#[test]
fn a_good_package_verifies_without_a_vault() {
    let (t, key, path) = setup();
    fs::remove_dir_all(t.vault()).unwrap();
    let out = verify(&t, &key, &path);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("OK {}\ncontribution ", path_str(&path))),
        "{text}"
    );
    assert!(
        text.contains("\nrecords      50 (2024-03-01T00:07:13.25Z .. 2024-03-02T23:07:13.25Z)\n"),
        "{text}"
    );
    let doc = t.json(&[
        "verify",
        &path_str(&path),
        "--identity",
        &path_str(&key.file),
    ]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["dao"], "labdao");
    assert_eq!(doc["records"], 50);
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        fs::read(&path).unwrap(),
    ));
    assert_eq!(doc["package_sha256"], sha);
    // --signer: the right key passes, another key fails.
    let signer = doc["contributor"].as_str().unwrap().to_string();
    t.ok(&[
        "verify",
        &path_str(&path),
        "--identity",
        &path_str(&key.file),
        "--signer",
        &signer,
    ]);
    let other = {
        let k = trove::keys::VaultKeys::generate().unwrap();
        k.minisign_public_key()
    };
    let out = t.run(&[
        "verify",
        &path_str(&path),
        "--identity",
        &path_str(&key.file),
        "--signer",
        &other,
    ]);
    assert_rejected(&out, "it was signed by another key than --signer");
}

#[test]
fn a_modified_data_file_is_rejected() {
    let (t, key, good) = setup();
    let bad = forge(&t, &key, &good, "data.trove", |e| {
        let samples = &mut e
            .iter_mut()
            .find(|(n, _)| n == "data/samples.jsonl")
            .unwrap()
            .1;
        let text = String::from_utf8(samples.clone()).unwrap().replacen(
            "\"value\":58.0",
            "\"value\":99.0",
            1,
        );
        *samples = text.into_bytes();
    });
    assert_rejected(
        &verify(&t, &key, &bad),
        "data/samples.jsonl: its SHA-256 does not match manifest.json",
    );
}

#[test]
fn a_modified_manifest_is_rejected() {
    let (t, key, good) = setup();
    let bad = forge(&t, &key, &good, "manifest.trove", |e| {
        let m = &mut e.iter_mut().find(|(n, _)| n == "manifest.json").unwrap().1;
        let text = String::from_utf8(m.clone()).unwrap().replace(
            "\"dao\": {\n    \"name\": \"labdao\"",
            "\"dao\": {\n    \"name\": \"otherdao\"",
        );
        assert_ne!(&text.as_bytes(), m);
        *m = text.into_bytes();
    });
    assert_rejected(
        &verify(&t, &key, &bad),
        "manifest.json.minisig: the signature does not match the signed file",
    );
}

#[test]
fn a_bad_signature_is_rejected() {
    let (t, key, good) = setup();
    let bad = forge(&t, &key, &good, "sig.trove", |e| {
        let sig = &mut e
            .iter_mut()
            .find(|(n, _)| n == "manifest.json.minisig")
            .unwrap()
            .1;
        let text = String::from_utf8(sig.clone()).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut raw = b64.decode(&lines[1]).unwrap();
        raw[40] ^= 0x01;
        lines[1] = b64.encode(raw);
        *sig = format!("{}\n", lines.join("\n")).into_bytes();
    });
    assert_rejected(
        &verify(&t, &key, &bad),
        "manifest.json.minisig: the signature does not match the signed file",
    );
    // A signature whose trusted comment was edited.
    let bad = forge(&t, &key, &good, "comment.trove", |e| {
        let sig = &mut e
            .iter_mut()
            .find(|(n, _)| n == "manifest.json.minisig")
            .unwrap()
            .1;
        let text = String::from_utf8(sig.clone())
            .unwrap()
            .replace("\"dao\":\"labdao\"", "\"dao\":\"evildao\"");
        *sig = text.into_bytes();
    });
    assert_rejected(
        &verify(&t, &key, &bad),
        "manifest.json.minisig: the trusted comment was changed after signing",
    );
}

#[test]
fn an_extra_entry_is_rejected() {
    let (t, key, good) = setup();
    let bad = forge(&t, &key, &good, "extra.trove", |e| {
        e.push(("data/extra.jsonl".into(), b"{}\n".to_vec()));
    });
    assert_rejected(
        &verify(&t, &key, &bad),
        "unexpected entry \"data/extra.jsonl\"",
    );
}

#[test]
fn a_dot_dot_entry_is_rejected() {
    let (t, key, good) = setup();
    let bad = forge(&t, &key, &good, "dotdot.trove", |e| {
        e.push((
            "../../etc/cron.d/evil".into(),
            b"* * * * * root true\n".to_vec(),
        ));
    });
    assert_rejected(
        &verify(&t, &key, &bad),
        "entry \"../../etc/cron.d/evil\" escapes or has an empty path component",
    );
    assert!(!t.path().join("../../etc/cron.d/evil").exists());
}

#[test]
fn a_duplicate_entry_is_rejected() {
    let (t, key, good) = setup();
    // The zip crate refuses to write duplicates; patch a second name in the raw bytes instead.
    let mut e = open_package(&good, &key);
    e.push(("data/samples.jsonx".into(), b"{}\n".to_vec()));
    let mut zip = pkg::rezip(&e);
    let from = b"data/samples.jsonx";
    let to = b"data/samples.jsonl";
    let mut i = 0;
    while i + from.len() <= zip.len() {
        if &zip[i..i + from.len()] == from {
            zip[i..i + from.len()].copy_from_slice(to);
        }
        i += 1;
    }
    let path = t.path().join("dup.trove");
    fs::write(&path, pkg::encrypt(&zip, &key.recipient)).unwrap();
    assert_rejected(
        &verify(&t, &key, &path),
        "it has two entries with the same name",
    );
}

#[test]
fn a_truncated_file_is_rejected() {
    let (t, key, good) = setup();
    let bytes = fs::read(&good).unwrap();
    for (name, len) in [
        ("half.trove", bytes.len() / 2),
        ("short.trove", bytes.len() - 1),
        ("header.trove", 100),
    ] {
        let path = t.path().join(name);
        fs::write(&path, &bytes[..len]).unwrap();
        let out = verify(&t, &key, &path);
        assert_eq!(code(&out), 13, "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with("trove: error: package rejected: ")
                && (err.contains("truncated") || err.contains("not an age-encrypted file")),
            "{name}: {err}"
        );
    }
    // A flipped bit in the ciphertext.
    let mut flipped = bytes.clone();
    let at = flipped.len() - 200;
    flipped[at] ^= 0x10;
    let path = t.path().join("flipped.trove");
    fs::write(&path, flipped).unwrap();
    let out = verify(&t, &key, &path);
    assert_eq!(code(&out), 13);
    assert!(
        stderr(&out).contains("truncated or was modified"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_wrong_identity_is_rejected() {
    let (t, _key, good) = setup();
    let other = pkg::dao_key(&t, "other");
    let out = verify(&t, &other, &good);
    assert_rejected(
        &out,
        &format!(
            "it is not encrypted to the identity in {}",
            path_str(&other.file)
        ),
    );
    let out = t.run(&["verify", &path_str(&good)]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: verify needs the DAO's identity to decrypt the package\n\
         hint: pass --identity FILE (an age identity, e.g. from `trove dao keygen`)\n"
    );
    let out = t.run(&[
        "--json",
        "verify",
        &path_str(&good),
        "--identity",
        &path_str(&other.file),
    ]);
    assert_eq!(code(&out), 13);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["valid"], false);
    assert_eq!(
        doc["reason"],
        format!(
            "package rejected: it is not encrypted to the identity in {}",
            path_str(&other.file)
        )
    );
}

/// A hostile contributor controls its own key: it can sign anything. Re-sign a package whose
/// samples were changed by `change`, with correct hashes, so only the content checks remain.
fn resign(
    t: &TestEnv,
    key: &DaoKey,
    good: &Path,
    name: &str,
    change: impl Fn(&str) -> String,
) -> PathBuf {
    use sha2::Digest;
    let mut e = open_package(good, key);
    let samples = e
        .iter_mut()
        .find(|(n, _)| n == "data/samples.jsonl")
        .unwrap();
    let text: String = String::from_utf8(samples.1.clone())
        .unwrap()
        .lines()
        .map(|l| format!("{}\n", change(l)))
        .collect();
    samples.1 = text.into_bytes();
    let new_data = samples.1.clone();
    let m = e.iter_mut().find(|(n, _)| n == "manifest.json").unwrap();
    let mut manifest: serde_json::Value = serde_json::from_slice(&m.1).unwrap();
    manifest["files"][0]["sha256"] = hex::encode(sha2::Sha256::digest(&new_data)).into();
    manifest["files"][0]["bytes"] = new_data.len().into();
    let keys = trove::keys::VaultKeys::generate().unwrap();
    manifest["contributor"]["public_key"] = keys.minisign_public_key().into();
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    bytes.push(b'\n');
    m.1 = bytes.clone();
    let comment = trove::contribute::manifest::trusted_comment(
        manifest["id"].as_str().unwrap(),
        "labdao",
        manifest["created"].as_str().unwrap(),
        &hex::encode(sha2::Sha256::digest(&bytes)),
    );
    let sig = trove::contribute::sign::sign(&keys, &bytes, &comment, "forged");
    e.iter_mut()
        .find(|(n, _)| n == "manifest.json.minisig")
        .unwrap()
        .1 = sig.into_bytes();
    let path = t.path().join(name);
    fs::write(&path, pkg::encrypt(&pkg::rezip(&e), &key.recipient)).unwrap();
    path
}

#[test]
fn a_resigned_package_that_breaks_its_declared_redactions_is_rejected() {
    let (t, key, good) = setup();
    // Unchanged content, re-signed by another key: valid (the DAO pins keys with --signer).
    let same = resign(&t, &key, &good, "same.trove", |l| l.to_string());
    let out = verify(&t, &key, &same);
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    let extra_field = resign(&t, &key, &good, "field.trove", |l| {
        l.replacen(",\"attrs\":", ",\"device\":\"Jane's Watch\",\"attrs\":", 1)
    });
    assert_rejected(
        &verify(&t, &key, &extra_field),
        "data/samples.jsonl: line 1 does not have exactly the declared fields",
    );
    let location = resign(&t, &key, &good, "loc.trove", |l| {
        l.replacen("\"attrs\":null", "\"attrs\":{\"gps\":{\"lat\":47.37}}", 1)
    });
    assert_rejected(
        &verify(&t, &key, &location),
        "data/samples.jsonl: line 2: attrs hold a location key although location was declared omitted",
    );
    let bad_type = resign(&t, &key, &good, "type.trove", |l| {
        l.replacen("\"tz_offset_min\":60", "\"tz_offset_min\":\"sixty\"", 1)
    });
    assert_rejected(
        &verify(&t, &key, &bad_type),
        "data/samples.jsonl: line 1: tz_offset_min is not an integer or null",
    );
}

#[test]
fn the_signature_interoperates_with_the_minisign_verify_crate() {
    let (t, key, good) = setup();
    let e = open_package(&good, &key);
    let manifest = pkg::entry(&e, "manifest.json");
    let sig = std::str::from_utf8(pkg::entry(&e, "manifest.json.minisig")).unwrap();
    // The public key as the vault reports it, not as the manifest claims it.
    t.set("TROVE_IDENTITY", &path_str(&t.identity_file()));
    let vault = seed::open(&t);
    let pk_text = vault.keys().unwrap().minisign_public_key();
    let pk = minisign_verify::PublicKey::from_base64(&pk_text).unwrap();
    let s = minisign_verify::Signature::decode(sig).unwrap();
    pk.verify(manifest, &s, false).unwrap();
    let comment: serde_json::Value = serde_json::from_str(s.trusted_comment()).unwrap();
    let m: serde_json::Value = serde_json::from_slice(manifest).unwrap();
    assert_eq!(comment["contribution_id"], m["id"]);
    assert_eq!(comment["dao"], "labdao");
    assert_eq!(
        comment["manifest_sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(manifest))
    );
    assert_eq!(m["contributor"]["public_key"], pk_text);
    let mut changed = manifest.to_vec();
    changed[10] ^= 1;
    assert!(pk.verify(&changed, &s, false).is_err());
}

#[test]
#[ignore = "needs the age CLI; .ci/run installs it and runs ignored tests"]
fn the_age_cli_decrypts_a_package_with_the_dao_identity() {
    let (t, key, good) = setup();
    let out = std::process::Command::new("age")
        .args(["-d", "-i", &path_str(&key.file), &path_str(&good)])
        .output()
        .expect("the age CLI is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e = entries(&out.stdout);
    let names: Vec<&str> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "data/samples.jsonl",
            "data/events.jsonl",
            "manifest.json",
            "manifest.json.minisig"
        ]
    );
    drop(t);
}

#[test]
#[ignore = "needs the minisign CLI; .ci/run installs it and runs ignored tests"]
fn the_minisign_cli_accepts_the_signature() {
    let (t, key, good) = setup();
    let e = open_package(&good, &key);
    let dir = t.path().join("extracted");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("manifest.json"), pkg::entry(&e, "manifest.json")).unwrap();
    fs::write(
        dir.join("manifest.json.minisig"),
        pkg::entry(&e, "manifest.json.minisig"),
    )
    .unwrap();
    let m: serde_json::Value = serde_json::from_slice(pkg::entry(&e, "manifest.json")).unwrap();
    let pk = m["contributor"]["public_key"].as_str().unwrap();
    let out = std::process::Command::new("minisign")
        .args(["-V", "-P", pk, "-m", &path_str(&dir.join("manifest.json"))])
        .output()
        .expect("the minisign CLI is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Signature and comment signature verified"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "\"contribution_id\":\"{}\"",
            m["id"].as_str().unwrap()
        )),
        "{text}"
    );
}
