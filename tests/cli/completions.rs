//! The committed completions in completions/ must match the current command line.
//! Regenerate with `TROVE_UPDATE_COMPLETIONS=1 cargo test --test cli completions`.

use std::path::PathBuf;

use trove::cmd::completions::{Shell, generate};

use crate::common::*;

#[test]
fn committed_completions_are_current() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("TROVE_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for shell in Shell::ALL {
        let expected = generate(shell);
        let path = dir.join(shell.file_name());
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &expected).unwrap();
        } else if read_or_empty(&path) != expected {
            stale.push(shell.file_name());
        }
    }
    assert!(
        stale.is_empty(),
        "completions/{stale:?} differ from the CLI; run TROVE_UPDATE_COMPLETIONS=1 cargo test --test cli completions"
    );
}

#[test]
fn the_binary_prints_the_same_completions() {
    let t = TestEnv::new();
    for (name, shell) in [
        ("bash", Shell::Bash),
        ("zsh", Shell::Zsh),
        ("fish", Shell::Fish),
        ("powershell", Shell::Powershell),
    ] {
        let out = t.run(&["completions", name]);
        assert_eq!(code(&out), 0);
        assert_eq!(out.stdout, generate(shell), "{name}");
    }
}
