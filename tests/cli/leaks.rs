//! No plaintext at rest: what goes into the vault is not readable in any file of it.

use std::fs;

use trove::unlock::{self, UnlockArgs};
use trove::vault::{Access, Vault, VaultPaths};

use crate::common::*;

const CANARY: &str = "CANARY-7f3a9c-do-not-leak-this-string";

fn open_for_test(t: &TestEnv) -> Vault {
    let args = UnlockArgs {
        identity: Some(t.identity_file()),
        passphrase_file: None,
    };
    let cred = unlock::credential(&args, &t.vault()).unwrap();
    Vault::open(VaultPaths::new(t.vault()), &cred, Access::Write).unwrap()
}

fn assert_no_canary_in_vault_files(t: &TestEnv, when: &str) {
    let mut files = vec![
        t.vault().join("vault.db"),
        t.vault().join("vault.db-wal"),
        t.vault().join("vault.db-shm"),
        t.vault().join("vault.lock"),
    ];
    for e in fs::read_dir(t.vault().join("keyslots")).unwrap() {
        files.push(e.unwrap().path());
    }
    for e in fs::read_dir(t.tmp()).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files {
        let bytes = read_or_empty(&f);
        assert!(
            !contains(&bytes, CANARY.as_bytes()),
            "{when}: canary found in {}",
            f.display()
        );
    }
    let db = fs::read(t.vault().join("vault.db")).unwrap();
    assert_ne!(
        &db[..16],
        b"SQLite format 3\0",
        "{when}: vault.db has a plaintext header"
    );
}

#[test]
fn a_canary_written_into_the_vault_never_appears_in_its_files() {
    let t = TestEnv::with_vault();
    let vault = open_for_test(&t);
    // Many copies, so that a page holding it must exist in the WAL before checkpointing.
    for i in 0..200 {
        vault
            .conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                (format!("canary-{i}"), format!("{CANARY} {i}")),
            )
            .unwrap();
    }
    let wal = read_or_empty(&t.vault().join("vault.db-wal"));
    assert!(
        !wal.is_empty(),
        "the write should be in the WAL while the connection is open"
    );
    assert_no_canary_in_vault_files(&t, "with the WAL in use");
    drop(vault);
    assert_no_canary_in_vault_files(&t, "after closing");

    // And it really is in there: reading it back through trove works.
    let vault = open_for_test(&t);
    let value: String = vault
        .conn
        .query_row("SELECT value FROM meta WHERE key = 'canary-7'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(value, format!("{CANARY} 7"));
}

#[test]
fn the_passphrase_is_not_written_anywhere() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE_FILE", &path_str(&t.passphrase_file()));
    t.ok(&["init"]);
    t.ok(&["status"]);
    let mut stack = vec![
        t.vault(),
        t.tmp(),
        t.path().join("home"),
        t.path().join("data"),
    ];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let bytes = fs::read(e.path()).unwrap();
                assert!(
                    !contains(&bytes, PASSPHRASE.as_bytes()),
                    "passphrase found in {}",
                    e.path().display()
                );
            }
        }
    }
}

#[test]
fn unlocking_disables_core_dumps() {
    let t = TestEnv::with_vault();
    let _vault = open_for_test(&t);
    assert!(trove::harden::core_dumps_disabled());
}
