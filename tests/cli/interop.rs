//! Key slots are standard age files: independent age implementations open them.
//!
//! These tests need tools that a fresh machine lacks (the `age` CLI from Debian's package,
//! `pyrage` from PyPI). They are ignored by a plain `cargo test` (and reported as ignored);
//! `.ci/run` installs the tools and runs them with `cargo test -- --include-ignored`, where a
//! missing tool is a failure, never a skip.

use std::process::Command;

use crate::common::*;

fn slot_plaintext_is_valid(text: &str, vault_id: &str) {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text:?}");
    assert_eq!(lines[0], "trove-keyslot/1");
    assert_eq!(lines[1], format!("vault {vault_id}"));
    let key = lines[2].strip_prefix("key ").unwrap();
    assert_eq!(key.len(), 64);
    assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
#[ignore = "needs the age CLI; .ci/run installs it and runs ignored tests"]
fn the_age_cli_opens_an_x25519_key_slot() {
    let t = TestEnv::with_vault();
    let id = t.json(&["status"])["vault"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = Command::new("age")
        .args(["-d", "-i"])
        .arg(t.identity_file())
        .arg(t.vault().join("keyslots/test.age"))
        .output()
        .expect("the `age` CLI must be installed (apt-get install age)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    slot_plaintext_is_valid(&String::from_utf8(out.stdout).unwrap(), &id);
}

#[test]
#[ignore = "needs pyrage; .ci/run installs it and runs ignored tests"]
fn pyrage_opens_the_passphrase_slot() {
    let t = TestEnv::with_vault();
    let id = t.json(&["status"])["vault"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let script = "import sys, pyrage\n\
                  data = open(sys.argv[1], 'rb').read()\n\
                  sys.stdout.write(pyrage.passphrase.decrypt(data, sys.stdin.readline().rstrip('\\n')).decode())\n";
    let python = std::env::var("TROVE_PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .args(["-c", script])
        .arg(t.vault().join("keyslots/passphrase.age"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 with pyrage must be installed (pip install pyrage)");
    use std::io::Write;
    writeln!(child.stdin.take().unwrap(), "{PASSPHRASE}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    slot_plaintext_is_valid(&String::from_utf8(out.stdout).unwrap(), &id);
}
