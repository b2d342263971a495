//! Command-line conventions: exit codes, streams, commands that never ask for a passphrase.

use crate::common::*;

#[test]
fn help_version_and_completions_need_no_vault_or_passphrase() {
    let t = TestEnv::new();
    for args in [
        &["--help"][..],
        &["--version"],
        &["completions", "bash"],
        &["key", "--help"],
    ] {
        let out = t.run(args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).is_empty());
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
    let out = t.run(&["--version"]);
    assert_eq!(
        stdout(&out),
        format!("trove {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2() {
    let t = TestEnv::new();
    let out = t.run(&["no-such-command"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("error: unrecognized subcommand 'no-such-command'"));
    let out = t.run(&["key", "add", "--name", "x"]);
    assert_eq!(code(&out), 2);
    let out = t.run(&["--color", "sometimes", "status"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn there_is_no_passphrase_flag() {
    let t = TestEnv::new();
    let out = t.run(&["--passphrase", "secret", "status"]);
    assert_eq!(code(&out), 2);
    assert!(!stderr(&out).contains("secret") || stderr(&out).contains("'--passphrase'"));
}

#[test]
fn errors_are_coloured_only_when_asked() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let plain = stderr(&t.run(&["status"]));
    assert!(plain.starts_with("trove: error: no vault at "));
    let coloured = stderr(&t.run(&["--color", "always", "status"]));
    assert!(coloured.starts_with("\x1b[1;31mtrove: error:\x1b[0m no vault at "));
    t.set("NO_COLOR", "1");
    // NO_COLOR turns `auto` off, but an explicit --color always still wins.
    assert!(stderr(&t.run(&["status"])).starts_with("trove: error:"));
    assert!(stderr(&t.run(&["--color", "always", "status"])).starts_with("\x1b[1;31m"));
}

#[test]
fn quiet_hides_status_lines_but_not_data() {
    let t = TestEnv::new();
    t.set("TROVE_PASSPHRASE", PASSPHRASE);
    let out = t.run(&["--quiet", "init"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 4);
}

/// `--json` output into a pipe whose reader is already gone (`trove --json sources | true`):
/// exit 0, nothing on stderr. The pipe's read end is closed before trove starts, so the
/// first write fails whatever the timing.
#[test]
fn json_into_a_closed_pipe_is_not_an_error() {
    let t = TestEnv::new();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = std::process::Command::new(bin())
        .args(["--json", "sources"])
        .env_clear()
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .current_dir(t.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let t = TestEnv::new();
    // `trove completions zsh | head -c 10`: the reader goes away; trove exits 0 silently.
    let mut child = std::process::Command::new(bin())
        .args(["completions", "zsh"])
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .current_dir(t.path())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
