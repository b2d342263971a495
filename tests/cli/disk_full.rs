//! A full disk: an import into a vault on a small tmpfs stops with a clear error (exit 1,
//! `DiskFull` with its hints), no panic; the vault still opens, `trove check` passes and it
//! holds exactly what it held before; once there is space, the same command completes.
//!
//! Mounting a tmpfs needs a mount namespace: the test runs its steps in a shell under
//! `unshare --user --map-root-user --mount` (an unprivileged user namespace; root can do the
//! same), so it is `#[ignore]`d in a plain `cargo test` and run by .ci/run.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use serde_json::Value;

use crate::chaos::*;
use crate::common::*;

const SCRIPT: &str = r#"
set -u
step() { # name, then the trove arguments; records exit code, stdout and stderr
  name=$1; shift
  "$TROVE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  echo $? >"$OUT/$name.code"
}
mount -t tmpfs -o size=1m tmpfs "$SMALL" || exit 97
cp -a "$VAULT_SRC" "$SMALL/vault" || exit 98
export TROVE_VAULT="$SMALL/vault"
step import import "$EXPORT"
df -k "$SMALL" >"$OUT/df"
step check --json check
step status --json status
mount -o remount,size=64m "$SMALL" || exit 99
step import2 --json import "$EXPORT"
step status2 --json status
step check2 --json check
"#;

fn read(out: &std::path::Path, name: &str) -> String {
    fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn tables(status_json: &str) -> BTreeMap<String, i64> {
    let doc: Value = serde_json::from_str(status_json).unwrap();
    doc["tables"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect()
}

#[test]
#[ignore = "needs `unshare --user --map-root-user --mount` (user namespaces) or root to mount a small tmpfs; .ci/run runs it"]
fn an_import_that_fills_the_disk_fails_cleanly_and_the_vault_keeps_its_state() {
    let t = TestEnv::with_vault();
    let earlier = t.path().join("earlier.zip");
    apple_health_zip(&earlier, &apple_health_xml(600, 1_672_531_200, None));
    t.ok(&["import", &path_str(&earlier)]);
    let before = tables(&t.ok(&["--json", "status"]));
    let export = t.path().join("export.zip");
    apple_health_zip(&export, &apple_health_xml(15_000, 1_704_067_200, None));
    let small = t.path().join("small");
    let out = t.path().join("out");
    fs::create_dir(&small).unwrap();
    fs::create_dir(&out).unwrap();

    let mut cmd = Command::new("unshare");
    cmd.args(["--user", "--map-root-user", "--mount", "sh", "-c", SCRIPT]);
    cmd.env_clear();
    for (k, v) in [
        ("PATH", std::env::var("PATH").unwrap_or_default()),
        ("HOME", path_str(&t.path().join("home"))),
        ("TMPDIR", path_str(&t.tmp())),
        ("TZ", "Europe/Berlin".into()),
        ("LANG", "C.UTF-8".into()),
        ("TROVE_IDENTITY", path_str(&t.identity_file())),
        ("TROVE", path_str(&bin())),
        ("SMALL", path_str(&small)),
        ("VAULT_SRC", path_str(&t.vault())),
        ("EXPORT", path_str(&export)),
        ("OUT", path_str(&out)),
    ] {
        cmd.env(k, v);
    }
    let run = cmd.output().expect("running unshare (util-linux)");
    assert!(
        run.status.success(),
        "the namespace could not be set up ({}): {}; this test needs user namespaces or root",
        run.status,
        stderr(&run)
    );

    // The import stops with the typed error and its hints, and nothing else.
    let err = read(&out, "import.err");
    assert_eq!(read(&out, "import.code").trim(), "1", "{err}");
    assert!(
        err.ends_with(
            "trove: error: no space left on the device while writing the vault database\n\
             hint: free space on that file system and run the command again\n\
             hint: the step that did not finish was rolled back; steps finished before it are kept and are not repeated\n"
        ),
        "{err}\n{}",
        read(&out, "df")
    );
    assert!(!err.contains("panicked") && !err.contains("internal error"));
    eprintln!("{err}");

    // The vault opens, is intact, and holds what it held before (plus the failed run).
    assert_eq!(
        read(&out, "check.code").trim(),
        "0",
        "{}",
        read(&out, "check.err")
    );
    let check: Value = serde_json::from_str(&read(&out, "check.out")).unwrap();
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(
        read(&out, "status.code").trim(),
        "0",
        "{}",
        read(&out, "status.err")
    );
    let status: Value = serde_json::from_str(&read(&out, "status.out")).unwrap();
    let mut expected = before.clone();
    *expected.get_mut("import_runs").unwrap() += 1;
    assert_eq!(tables(&read(&out, "status.out")), expected);
    assert_eq!(status["recent_imports"][0]["status"], "failed", "{status}");

    // With space again, the same import completes.
    assert_eq!(
        read(&out, "import2.code").trim(),
        "0",
        "{}",
        read(&out, "import2.err")
    );
    let report: Value = serde_json::from_str(&read(&out, "import2.out")).unwrap();
    assert_eq!(
        report["totals"]["added"], 15_030,
        "15 000 samples and 30 workouts"
    );
    let after = tables(&read(&out, "status2.out"));
    assert_eq!(after["samples"], before["samples"] + 15_000);
    assert_eq!(
        read(&out, "check2.code").trim(),
        "0",
        "{}",
        read(&out, "check2.err")
    );
}
