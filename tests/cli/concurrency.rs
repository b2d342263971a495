//! One writer at a time, and readers that are never blocked and never see half a commit.
//!
//! A writer takes an exclusive `flock` on `vault.lock` before it asks for a passphrase; a
//! second writer does not wait: it exits 11 at once, naming the holder's pid. Readers take no
//! lock: SQLite's WAL gives each a snapshot, and commands that read several tables read them
//! in one transaction (`Vault::read_snapshot`), so what they report is always one committed
//! state of the vault.

use std::collections::BTreeMap;
use std::fs;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::chaos::*;
use crate::common::*;

const Y2022: i64 = 1_640_995_200;
const Y2023: i64 = 1_672_531_200;
const Y2024: i64 = 1_704_067_200;

fn spawn(t: &TestEnv, args: &[&str]) -> Child {
    t.std_cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Starts `trove args…` and returns once it holds the writer lock (its pid is in vault.lock).
fn spawn_holding_lock(t: &TestEnv, args: &[&str]) -> Child {
    let mut child = spawn(t, args);
    let pid = child.id().to_string();
    let start = Instant::now();
    loop {
        if fs::read_to_string(t.vault().join("vault.lock")).is_ok_and(|s| s.trim() == pid) {
            return child;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("trove {args:?} exited ({status}) before it was seen holding the lock");
        }
        assert!(start.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn locked_message(t: &TestEnv, pid: Option<u32>) -> String {
    format!(
        "trove: error: the vault at {} is in use by another trove process{}\nhint: wait for the other process to finish; only one process may write at a time\n",
        t.vault().display(),
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )
}

#[test]
fn a_second_writer_exits_11_at_once_without_asking_for_a_passphrase() {
    let t = TestEnv::with_vault();
    let big = t.path().join("big.zip");
    apple_health_zip(&big, &apple_health_xml(10_000, Y2024, None));
    let small = t.path().join("small.zip");
    apple_health_zip(&small, &apple_health_xml(100, Y2023, None));
    let mut holder = spawn_holding_lock(&t, &["import", &path_str(&big)]);

    // The second writer would have to run this command to get a passphrase: it never does.
    let second = TestEnv::new();
    second.set("TROVE_VAULT", &path_str(&t.vault()));
    let asked = t.path().join("asked");
    second.set(
        "TROVE_PASSPHRASE_COMMAND",
        &format!("touch '{}'; echo x", asked.display()),
    );
    for args in [
        vec!["import", small.to_str().unwrap()],
        vec!["dao", "add", "lab", "--recipient", &generate_identity().1],
        vec!["key", "remove", "test"],
    ] {
        let start = Instant::now();
        let out = second.run(&args);
        assert!(start.elapsed() < Duration::from_secs(5), "{args:?} waited");
        assert_eq!(code(&out), 11, "{args:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            locked_message(&t, Some(holder.id())),
            "{args:?}"
        );
        assert_eq!(stdout(&out), "");
    }
    assert!(!asked.exists(), "a passphrase was asked for in vain");
    assert!(
        holder.try_wait().unwrap().is_none(),
        "the import finished before the second writers ran: the test proved nothing"
    );
    let out = holder.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(t.count("SELECT count(*) FROM samples"), 10_000);
    assert_eq!(t.count("SELECT count(*) FROM daos"), 0);
    assert_eq!(t.count("SELECT count(*) FROM key_slots"), 2);
}

#[test]
fn two_importers_started_together_exactly_one_writes() {
    let t = TestEnv::with_vault();
    let pristine = t.path().join("pristine");
    copy_dir(&t.vault(), &pristine);
    let a = t.path().join("a.zip");
    apple_health_zip(&a, &apple_health_xml(8_000, Y2023, None));
    let b = t.path().join("b.zip");
    apple_health_zip(&b, &apple_health_xml(6_000, Y2024, None));
    for round in 0..3 {
        restore_vault(&t, &pristine);
        let ca = spawn(&t, &["import", &path_str(&a)]);
        let cb = spawn(&t, &["import", &path_str(&b)]);
        let (pa, pb) = (ca.id(), cb.id());
        let oa = ca.wait_with_output().unwrap();
        let ob = cb.wait_with_output().unwrap();
        let codes = (oa.status.code().unwrap(), ob.status.code().unwrap());
        let (loser, winner_pid, added) = match codes {
            (0, 11) => (&ob, pa, 8_000),
            (11, 0) => (&oa, pb, 6_000),
            other => panic!(
                "round {round}: exit codes {other:?}\n{}\n{}",
                stderr(&oa),
                stderr(&ob)
            ),
        };
        // The pid is named once the winner has written it (it locks first, then writes).
        let err = stderr(loser);
        assert!(
            err == locked_message(&t, Some(winner_pid)) || err == locked_message(&t, None),
            "round {round}: {err}"
        );
        assert_eq!(t.count("SELECT count(*) FROM samples"), added);
        assert_eq!(t.count("SELECT count(*) FROM import_runs"), 1);
    }
}

/// Counts of every table but import_runs (one row per run, however the files were split).
fn data_counts(t: &TestEnv) -> BTreeMap<String, i64> {
    let mut c = table_counts(t);
    c.remove("import_runs");
    c
}

#[test]
fn readers_during_an_import_succeed_and_see_one_committed_state() {
    // Three exports, imported in one run: three commits, so four states a reader may see.
    let t = TestEnv::with_vault();
    let files: Vec<String> = [(Y2022, "a"), (Y2023, "b"), (Y2024, "c")]
        .iter()
        .map(|(start, name)| {
            let p = t.path().join(format!("{name}.zip"));
            apple_health_zip(&p, &apple_health_xml(6_000, *start, None));
            path_str(&p)
        })
        .collect();
    let probe = TestEnv::with_vault();
    let mut states = vec![data_counts(&probe)];
    for f in &files {
        probe.ok(&["import", f]);
        states.push(data_counts(&probe));
    }
    let heart_rate: Vec<i64> = {
        let p = TestEnv::with_vault();
        let mut v = vec![0];
        for f in &files {
            p.ok(&["import", f]);
            v.push(p.count("SELECT count(*) FROM samples WHERE metric = 'heart_rate'"));
        }
        v
    };

    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let mut import = spawn_holding_lock(&t, &args);
    let mut seen = std::collections::BTreeSet::new();
    let mut reads_during_import = 0;
    let query = "SELECT (SELECT count(*) FROM samples), (SELECT count(*) FROM events), (SELECT count(*) FROM devices), (SELECT count(*) FROM source_files)";
    let mut i = 0;
    while import.try_wait().unwrap().is_none() {
        let (what, out) = match i % 3 {
            0 => ("status", t.run(&["--json", "status"])),
            1 => ("query", t.run(&["--json", "query", query])),
            _ => ("stats", t.run(&["--json", "stats", "heart_rate"])),
        };
        i += 1;
        assert_eq!(code(&out), 0, "{what}: {}", stderr(&out));
        let state = match what {
            "status" => {
                let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
                let tables = doc["tables"].as_object().unwrap();
                states.iter().position(|s| {
                    tables
                        .iter()
                        .filter(|(k, _)| *k != "import_runs")
                        .all(|(k, v)| s.get(k) == v.as_i64().as_ref())
                })
            }
            "query" => {
                let line = stdout(&out);
                let row: Value = serde_json::from_str(line.lines().next().unwrap()).unwrap();
                let got: Vec<i64> = row
                    .as_object()
                    .map(|o| o.values().map(|v| v.as_i64().unwrap()).collect())
                    .or_else(|| {
                        row.as_array()
                            .map(|a| a.iter().map(|v| v.as_i64().unwrap()).collect())
                    })
                    .unwrap_or_else(|| panic!("query output: {line}"));
                states.iter().position(|s| {
                    got == [s["samples"], s["events"], s["devices"], s["source_files"]]
                })
            }
            _ => {
                let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
                let n = doc["total"]["samples"].as_i64().unwrap();
                heart_rate.iter().position(|&h| h == n)
            }
        };
        let state = state.unwrap_or_else(|| {
            panic!(
                "{what} saw a state that was never committed:\n{}\nstates: {states:?}",
                stdout(&out)
            )
        });
        seen.insert(state);
        if import.try_wait().unwrap().is_none() {
            reads_during_import += 1;
        }
    }
    let out = import.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(data_counts(&t), states[3]);
    eprintln!("{reads_during_import} reads during the import saw states {seen:?}");
    assert!(
        reads_during_import >= 6,
        "only {reads_during_import} reads finished while the import ran"
    );
}
