//! No plaintext at rest, no secret where another process can read it.
//!
//! * A canary imported with `trove import` never appears in any file the run touches (the
//!   vault, its WAL and shm, TMPDIR, HOME, the caches), during the import or after, nor in
//!   what trove prints (trove has no log file and no verbose level: stderr and stdout, human
//!   and `--json`, are everything it writes).
//! * The passphrase never appears in a process's arguments, in a child's environment or in a
//!   file.
//! * A running trove has no core dumps and cannot be inspected by other processes of the user
//!   (non-dumpable: its /proc files become root's). Key material is zeroized on drop: proven by
//!   unit tests in src/vault/keyslot.rs (a dropped key is read back as zeros; every key type is
//!   `ZeroizeOnDrop`), since a test cannot read a non-dumpable process's memory.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use trove::unlock::{self, UnlockArgs};
use trove::vault::{Access, Vault, VaultPaths};

use crate::chaos::*;
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

/// Finds `needle` in every file under `dir`; returns the paths that hold it.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<String> {
    all_files(dir)
        .into_iter()
        .filter(|(_, bytes)| contains(bytes, needle))
        .map(|(p, _)| p.display().to_string())
        .collect()
}

/// The distinctive part of the import canary: 8 random-looking characters, so a match in
/// ciphertext is practically impossible and a leak of any fragment of the value is caught.
const IMPORT_CANARY: &str = "CANARY-b7e1f3a9-imported";
const CANARY_CORE: &[u8] = b"b7e1f3a9";

#[test]
fn a_canary_imported_from_an_export_never_appears_outside_the_encrypted_vault() {
    let t = TestEnv::with_vault();
    // The export itself holds the canary in plaintext, so it lives outside the test's root.
    let input = tempfile::tempdir().unwrap();
    let export = input.path().join("export.zip");
    let mut xml = apple_health_xml(12_000, 1_704_067_200, Some(IMPORT_CANARY));
    // And a record that is rejected: its value is the canary (kept, encrypted, in
    // import_errors; never printed).
    xml = xml.replacen(
        "</HealthData>",
        &format!(" <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\" startDate=\"2024-01-01 00:00:00 +0100\" endDate=\"2024-01-01 00:00:00 +0100\" value=\"{IMPORT_CANARY}\"/>\n</HealthData>"),
        1,
    );
    apple_health_zip(&export, &xml);

    let child = t
        .std_cmd()
        .args(["import", export.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Look at every file while the import writes: the WAL holds the new pages then.
    let (mut scans, mut wal_seen) = (0, 0);
    let start = Instant::now();
    let pid = child.id();
    while Path::new(&format!("/proc/{pid}/stat")).exists()
        && !fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
    {
        let found = files_holding(t.path(), CANARY_CORE);
        assert_eq!(found, Vec::<String>::new(), "during the import");
        scans += 1;
        if fs::metadata(t.vault().join("vault.db-wal")).is_ok_and(|m| m.len() > 0) {
            wal_seen += 1;
        }
        assert!(start.elapsed() < Duration::from_secs(120));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        wal_seen >= 2,
        "the scans never saw the import's WAL ({scans} scans): the test proved nothing"
    );
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(
            !contains(bytes, CANARY_CORE),
            "the canary is in the import's {what}"
        );
    }
    // The other ways of running it print nothing of it either.
    for args in [
        vec!["--json", "import", export.to_str().unwrap()],
        vec!["import", "--dry-run", export.to_str().unwrap()],
        vec!["check"],
        vec!["--json", "check"],
    ] {
        let out = t.run(&args);
        assert!(
            !contains(&out.stdout, CANARY_CORE) && !contains(&out.stderr, CANARY_CORE),
            "{args:?} printed the canary"
        );
    }
    let strict = TestEnv::with_vault();
    let out = strict.run(&["import", "--strict", export.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(!contains(&out.stderr, CANARY_CORE), "{}", stderr(&out));
    assert_eq!(
        files_holding(strict.path(), CANARY_CORE),
        Vec::<String>::new()
    );

    assert_eq!(
        files_holding(t.path(), CANARY_CORE),
        Vec::<String>::new(),
        "after the import"
    );
    // It really is in the vault, in each place the export put it.
    let n = |sql: &str| t.count(sql);
    assert!(n("SELECT count(*) FROM devices WHERE name = 'CANARY-b7e1f3a9-imported'") == 1);
    assert!(n("SELECT count(*) FROM samples WHERE attrs LIKE '%b7e1f3a9%'") > 100);
    assert!(n("SELECT count(*) FROM events WHERE attrs LIKE '%b7e1f3a9%'") > 10);
    assert!(n("SELECT count(*) FROM import_errors WHERE excerpt LIKE '%b7e1f3a9%'") == 1);
}

/// The passphrase trove was given, and the new one a `key passwd` reads from a command: never
/// in any process's argv, never in the command's environment, never in a file.
#[test]
fn passphrases_never_appear_in_process_arguments_child_environments_or_files() {
    let t = TestEnv::with_vault();
    t.unset("TROVE_IDENTITY");
    // The least safe source (an environment variable) is the one a child could inherit.
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let new_pass = "new-passphrase-9c41d7e2";
    let new_file = t.path().join("new.txt");
    fs::write(&new_file, format!("{new_pass}\n")).unwrap();
    set_mode(&new_file, 0o600);
    t.set(
        "TROVE_NEW_PASSPHRASE_COMMAND",
        &format!("sleep 1; cat '{}'", new_file.display()),
    );
    let mut child = t
        .std_cmd()
        .args(["key", "passwd"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let secrets = [PASSPHRASE.as_bytes(), new_pass.as_bytes()];
    let mut seen_command = false;
    while child.try_wait().unwrap().is_none() {
        let mut pids = vec![pid];
        let mut i = 0;
        while i < pids.len() {
            for task in fs::read_dir(format!("/proc/{}/task", pids[i]))
                .into_iter()
                .flatten()
                .flatten()
            {
                let kids = fs::read_to_string(task.path().join("children")).unwrap_or_default();
                pids.extend(
                    kids.split_whitespace()
                        .filter_map(|k| k.parse::<u32>().ok()),
                );
            }
            i += 1;
        }
        for p in &pids {
            let cmdline = fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default();
            for s in secrets {
                assert!(
                    !contains(&cmdline, s),
                    "a passphrase is in the argv of pid {p}"
                );
            }
            // The passphrase command (sh and what it runs): its environment is readable by
            // every process of the user. (Between fork and exec a child is still a copy of
            // trove, non-dumpable like it and with its memory: that is not a leak.)
            let exe = fs::read_link(format!("/proc/{p}/exe")).ok();
            if *p != pid && exe.is_some() && exe != Some(bin()) {
                let Ok(environ) = fs::read(format!("/proc/{p}/environ")) else {
                    continue;
                };
                if contains(&cmdline, b"sleep") || contains(&cmdline, b"sh\0-c") {
                    seen_command = true;
                }
                for s in secrets {
                    assert!(
                        !contains(&environ, s),
                        "a passphrase is in the environment of pid {p}"
                    );
                }
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(seen_command, "the passphrase command was never observed");
    for s in secrets {
        assert_eq!(files_holding(&t.vault(), s), Vec::<String>::new());
        assert_eq!(files_holding(&t.tmp(), s), Vec::<String>::new());
        assert_eq!(
            files_holding(&t.path().join("home"), s),
            Vec::<String>::new()
        );
    }
    // The new passphrase opens the vault.
    t.set("TROVE_PASSPHRASE", new_pass);
    t.ok(&["status"]);
}

/// Looks at a running `trove import` from outside: core dumps are off (RLIMIT_CORE 0) and the
/// process is not dumpable, which the kernel shows by making its /proc files root's (so other
/// processes of the user can read neither its memory nor its environment). When the test
/// runs as root, trove runs as `nobody`, so that root ownership means something.
#[test]
fn a_running_trove_has_no_core_dumps_and_cannot_be_inspected() {
    let t = TestEnv::with_vault();
    let export = t.path().join("export.zip");
    apple_health_zip(&export, &apple_health_xml(10_000, 1_704_067_200, None));
    let as_root = unsafe { libc::geteuid() } == 0;
    let mut cmd = t.std_cmd();
    cmd.args(["import", export.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if as_root {
        use std::os::unix::process::CommandExt;
        chown_tree(t.path(), 65534, 65534);
        cmd.uid(65534).gid(65534);
    }
    let mut child = cmd.spawn().unwrap();
    let pid = child.id();
    // Wait until it has opened the vault (it holds the lock and wrote its pid).
    let start = Instant::now();
    while !fs::read_to_string(t.vault().join("vault.lock"))
        .is_ok_and(|s| s.trim() == pid.to_string())
    {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended too soon"
        );
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
    let limits = fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    assert_eq!(
        core.split_whitespace().collect::<Vec<_>>(),
        ["Max", "core", "file", "size", "0", "0", "bytes"]
    );
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let uid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    assert_ne!(uid, 0, "trove must run as an ordinary user for this check");
    for file in ["environ", "mem"] {
        let meta = fs::metadata(format!("/proc/{pid}/{file}")).unwrap();
        assert_eq!(
            meta.uid(),
            0,
            "/proc/{pid}/{file} belongs to uid {}: the process is dumpable",
            meta.uid()
        );
    }
    if !as_root {
        let err = fs::read(format!("/proc/{pid}/environ")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "checked after the import ended"
    );
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn chown_tree(dir: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(dir, Some(uid), Some(gid)).unwrap();
    for e in fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            chown_tree(&e.path(), uid, gid);
        } else {
            std::os::unix::fs::lchown(e.path(), Some(uid), Some(gid)).unwrap();
        }
    }
}
