//! Crash safety: `kill -9` at random moments never leaves a vault in between.
//!
//! * An import commits each file in one transaction: after a kill, every table holds exactly
//!   the rows it held before the run or the rows a complete run leaves, `trove check` passes,
//!   and the next run completes the import.
//! * A contribution is recorded in the ledger only once its package is complete and durable,
//!   and the package gets its final name only after it is recorded
//!   (src/contribute/package.rs): after a kill, every recorded contribution has its complete
//!   package, every package under a final name is recorded, and anything else is a temporary
//!   file that the next contribution removes.
//!
//! Kill moments are drawn from the measured duration of a complete run, so most land while
//! the process is writing. The seed is printed; `TROVE_TEST_SEED` replays the same moments
//! (the machine's timing still varies).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use rand::RngExt;
use serde_json::Value;

use crate::chaos::*;
use crate::common::*;
use crate::pkg::add_dao;

/// 2023-01-01 and 2024-01-01 (Unix seconds): the earlier and the big export don't overlap.
const Y2023: i64 = 1_672_531_200;
const Y2024: i64 = 1_704_067_200;

fn without(mut counts: BTreeMap<String, i64>, table: &str) -> BTreeMap<String, i64> {
    counts.remove(table);
    counts
}

/// Runs `trove args…`, SIGKILLs it after `delay`; returns whether it was still running and
/// whether it had started writing (its WAL held frames) at that moment.
fn kill_after(t: &TestEnv, args: &[&str], delay: Duration) -> (bool, bool) {
    let mut child = t
        .std_cmd()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let running = child.try_wait().unwrap().is_none();
    let wal = fs::metadata(t.vault().join("vault.db-wal")).map_or(0, |m| m.len());
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap();
    (running, running && wal > 0)
}

fn check_passes(t: &TestEnv, context: &str) {
    let out = t.run(&["--json", "check"]);
    assert_eq!(code(&out), 0, "{context}: trove check: {}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true, "{context}: {report}");
}

#[test]
fn an_import_killed_at_random_moments_is_all_or_nothing_and_the_next_run_completes_it() {
    let kills = kills(50);
    let (seed, mut rng) = seeded("import kill -9");
    let t = TestEnv::with_vault();
    let earlier = t.path().join("earlier.zip");
    apple_health_zip(&earlier, &apple_health_xml(600, Y2023, None));
    t.ok(&["import", &path_str(&earlier)]);
    let baseline = t.path().join("baseline");
    copy_dir(&t.vault(), &baseline);
    let before = table_counts(&t);

    let big = t.path().join("export.zip");
    apple_health_zip(&big, &apple_health_xml(6_000, Y2024, None));
    let big = path_str(&big);
    let import = ["import", big.as_str()];
    // A complete run, timed from spawn to exit, gives the window kills are drawn from.
    let start = Instant::now();
    t.ok(&import);
    let full = start.elapsed();
    let after = table_counts(&t);
    assert!(
        after["samples"] == before["samples"] + 6_000 && after["events"] > before["events"],
        "{after:?}"
    );
    // Every table but import_runs must be exactly before or after; import_runs gets one row
    // per run, killed or not, and a killed run's row says so on the next run.
    let (before_data, after_data) = (
        without(before.clone(), "import_runs"),
        without(after.clone(), "import_runs"),
    );
    restore_vault(&t, &baseline);

    let (mut mid_write, mut saw_after, mut saw_before) = (0, 0, 0);
    let loop_start = Instant::now();
    for i in 0..kills {
        let delay = full.mul_f64(rng.random_range(0.0..1.1));
        let (_running, writing) = kill_after(&t, &import, delay);
        mid_write += usize::from(writing);
        let ctx = format!("seed {seed}, kill {i} after {delay:?} of {full:?}");
        let counts = table_counts(&t);
        let data = without(counts.clone(), "import_runs");
        if data == before_data {
            saw_before += 1;
        } else if data == after_data {
            saw_after += 1;
        } else {
            panic!(
                "{ctx}: the vault is in between\nbefore {before_data:?}\nafter  {after_data:?}\nfound  {data:?}"
            );
        }
        check_passes(&t, &ctx);
        let bad_runs = t.count(
            "SELECT count(*) FROM import_runs WHERE status NOT IN ('running', 'interrupted', 'complete')",
        );
        assert_eq!(bad_runs, 0, "{ctx}");
        assert!(
            t.count("SELECT count(*) FROM import_runs WHERE status = 'running'") <= 1,
            "{ctx}: an earlier killed run was not marked interrupted"
        );
        if data == after_data {
            restore_vault(&t, &baseline);
        }
    }
    eprintln!(
        "{kills} kills in {:?} (a full run: {full:?}): {mid_write} while writing, {saw_before} left before, {saw_after} left after",
        loop_start.elapsed()
    );
    assert!(
        mid_write >= kills / 3,
        "seed {seed}: only {mid_write} of {kills} kills landed while the import was writing (a full run takes {full:?})"
    );
    assert!(saw_before > 0, "seed {seed}");

    // The next run completes the import and marks the killed one.
    let killed_running = t.count("SELECT count(*) FROM import_runs WHERE status = 'running'");
    let interrupted = t.count("SELECT count(*) FROM import_runs WHERE status = 'interrupted'");
    t.ok(&import);
    assert_eq!(
        without(table_counts(&t), "import_runs"),
        after_data,
        "seed {seed}"
    );
    assert_eq!(
        t.count("SELECT count(*) FROM import_runs WHERE status = 'running'"),
        0
    );
    assert_eq!(
        t.count("SELECT count(*) FROM import_runs WHERE status = 'interrupted'"),
        interrupted + killed_running
    );
    check_passes(&t, "after the completing run");
    // And a re-run adds nothing.
    let again = t.json(&import);
    assert_eq!(again["files"][0]["status"], "skipped", "{again}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Temporary package files: `.<name>.trove-tmp-<vault>-<random>`.
fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.contains(".trove-tmp-")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

struct Recorded {
    path: PathBuf,
    sha256: String,
    size: u64,
}

fn recorded(t: &TestEnv) -> Vec<Recorded> {
    t.sql("SELECT package_path, lower(hex(package_sha256)), package_size FROM contributions ORDER BY created_ms, rowid")
        .into_iter()
        .map(|r| Recorded {
            path: PathBuf::from(r[0].as_str().unwrap()),
            sha256: r[1].as_str().unwrap().to_string(),
            size: r[2].as_u64().unwrap(),
        })
        .collect()
}

/// The contribution invariants. Returns whether a recorded package was found still under
/// its temporary name (killed between recording and naming).
fn contribution_invariants(t: &TestEnv, out_dir: &Path, ctx: &str) -> bool {
    let audit = t.run(&["audit", "--verify"]);
    assert_eq!(code(&audit), 0, "{ctx}: {}", stderr(&audit));
    let recorded = recorded(t);
    let files: Vec<(String, Vec<u8>)> = names_in(out_dir)
        .into_iter()
        .map(|n| {
            let bytes = fs::read(out_dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect();
    // Every package under a final name is a recorded contribution, byte for byte.
    for (name, bytes) in files
        .iter()
        .filter(|(n, _)| !is_temp(n) && n.ends_with(".trove"))
    {
        let path = out_dir.join(name);
        let rec = recorded
            .iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("{ctx}: {name} is not in the ledger"));
        assert_eq!(
            (bytes.len() as u64, sha256_hex(bytes)),
            (rec.size, rec.sha256.clone()),
            "{ctx}: {name} is not the package the ledger recorded"
        );
    }
    // Every recorded contribution has its complete package: under its name, or (only the
    // newest, killed between recording and naming) under a temporary name of its directory.
    let mut pending = false;
    for (i, rec) in recorded.iter().enumerate() {
        if rec.path.exists() {
            continue;
        }
        let newest = i + 1 == recorded.len();
        let held = files
            .iter()
            .any(|(n, b)| is_temp(n) && b.len() as u64 == rec.size && sha256_hex(b) == rec.sha256);
        assert!(
            newest && held,
            "{ctx}: the ledger records {} but no complete package exists",
            rec.path.display()
        );
        pending = true;
    }
    pending
}

#[test]
fn a_contribution_killed_at_random_moments_is_never_recorded_without_its_complete_package() {
    let kills = kills(50);
    let (seed, mut rng) = seeded("contribute kill -9");
    let t = TestEnv::with_vault();
    let export = t.path().join("export.zip");
    apple_health_zip(&export, &apple_health_xml(6_000, Y2024, None));
    t.ok(&["import", &path_str(&export)]);
    let dao = add_dao(&t, "lab");
    let out_dir = t.path().join("out");
    fs::create_dir(&out_dir).unwrap();
    let contribute = |name: &str| -> Vec<String> {
        [
            "contribute",
            "--dao",
            "lab",
            "--metric",
            "heart_rate,step_count",
            "--kind",
            "workout",
            "-o",
            &path_str(&out_dir.join(name)),
        ]
        .map(String::from)
        .to_vec()
    };
    let args = contribute("probe.trove");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let start = Instant::now();
    t.ok(&args);
    let full = start.elapsed();

    let (mut writing, mut pending_seen, mut temps_left) = (0, 0, 0);
    let loop_start = Instant::now();
    for i in 0..kills {
        let delay = full.mul_f64(rng.random_range(0.0..1.1));
        let before: Vec<String> = names_in(&out_dir);
        let args = contribute(&format!("c{i}.trove"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = t
            .std_cmd()
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let running = child.try_wait().unwrap().is_none();
        let now = names_in(&out_dir);
        if running && now.iter().any(|n| is_temp(n) && !before.contains(n)) {
            writing += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        let ctx = format!("seed {seed}, kill {i} after {delay:?} of {full:?}");
        pending_seen += usize::from(contribution_invariants(&t, &out_dir, &ctx));
        temps_left += names_in(&out_dir).iter().filter(|n| is_temp(n)).count();
    }
    eprintln!(
        "{kills} kills in {:?} (a full run: {full:?}): {writing} while writing the package, {pending_seen} between recording and naming, {temps_left} temporary files seen",
        loop_start.elapsed()
    );
    assert!(
        writing >= kills / 3,
        "seed {seed}: only {writing} of {kills} kills landed while the package was written"
    );

    // A complete run finishes whatever was interrupted and cleans up the temporary files.
    let args = contribute("final.trove");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    t.ok(&args);
    let left: Vec<String> = names_in(&out_dir)
        .into_iter()
        .filter(|n| is_temp(n))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "seed {seed}");
    assert!(!contribution_invariants(
        &t,
        &out_dir,
        "after the final run"
    ));
    let recorded = recorded(&t);
    assert!(recorded.len() >= 2);
    // Every recorded package is what the DAO can verify.
    for rec in &recorded {
        let out = t.run(&[
            "verify",
            "--identity",
            &path_str(&dao.file),
            &path_str(&rec.path),
        ]);
        assert_eq!(
            code(&out),
            0,
            "seed {seed}: {}: {}",
            rec.path.display(),
            stderr(&out)
        );
    }
}

/// The states a kill can leave a contribution in, made by hand, and what the next
/// `trove contribute` does with each: a recorded package still under its temporary name gets
/// its name (a kill between recording and naming); a second name left by a kill between link
/// and unlink is removed; an unrecorded temporary file is removed; another vault's temporary
/// file and unrelated files are left alone.
#[test]
fn the_next_contribution_finishes_or_removes_what_a_kill_left() {
    let t = TestEnv::with_vault();
    let export = t.path().join("export.zip");
    apple_health_zip(&export, &apple_health_xml(300, Y2024, None));
    t.ok(&["import", &path_str(&export)]);
    let dao = add_dao(&t, "lab");
    let out = t.path().join("out");
    fs::create_dir(&out).unwrap();
    let contribute = |name: &str| {
        t.run(&[
            "contribute",
            "--dao",
            "lab",
            "--metric",
            "heart_rate",
            "-o",
            &path_str(&out.join(name)),
        ])
    };
    assert_eq!(code(&contribute("a.trove")), 0);
    assert_eq!(code(&contribute("b.trove")), 0);
    let tag = &t.sql("SELECT value FROM meta WHERE key = 'vault_id'")[0][0]
        .as_str()
        .unwrap()[..8]
        .to_string();
    // a.trove: killed after link, before unlink: the same file under both names.
    let a_second = out.join(format!(".a.trove.trove-tmp-{tag}-0123456789ab"));
    fs::hard_link(out.join("a.trove"), &a_second).unwrap();
    // b.trove (the newest): killed after recording, before naming.
    let b_temp = out.join(format!(".b.trove.trove-tmp-{tag}-a1b2c3d4e5f6"));
    fs::rename(out.join("b.trove"), &b_temp).unwrap();
    // Killed while writing: an unrecorded, incomplete temporary file.
    let partial = out.join(format!(".x.trove.trove-tmp-{tag}-ffffffffffff"));
    fs::write(&partial, b"age-encryption.org/v1\n-> X25519 incomplete").unwrap();
    // Not ours: another vault's temporary file, and names that only look similar.
    let other_vault = out.join(".y.trove.trove-tmp-00000000-ffffffffffff");
    let lookalike = out.join(format!(".z.trove.trove-tmp-{tag}-notrandom"));
    let unrelated = out.join("notes.txt");
    for f in [&other_vault, &lookalike, &unrelated] {
        fs::write(f, b"keep me").unwrap();
    }
    assert!(contribution_invariants(&t, &out, "before the next run"));

    let run = contribute("c.trove");
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(
        stderr(&run).starts_with(&format!(
            "trove: warning: an interrupted contribution was finished: its package is now {}\n",
            out.join("b.trove").display()
        )),
        "{}",
        stderr(&run)
    );
    let mut expected = vec![
        "a.trove".to_string(),
        "b.trove".into(),
        "c.trove".into(),
        "notes.txt".into(),
        ".y.trove.trove-tmp-00000000-ffffffffffff".into(),
        format!(".z.trove.trove-tmp-{tag}-notrandom"),
    ];
    expected.sort();
    assert_eq!(names_in(&out), expected);
    assert!(!contribution_invariants(&t, &out, "after the next run"));
    for name in ["a.trove", "b.trove", "c.trove"] {
        let v = t.run(&[
            "verify",
            "--identity",
            &path_str(&dao.file),
            &path_str(&out.join(name)),
        ]);
        assert_eq!(code(&v), 0, "{name}: {}", stderr(&v));
    }
    assert_eq!(fs::read(&other_vault).unwrap(), b"keep me");
}
