//! `trove completions SHELL`: print shell completions.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::cmd::Ctx;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl Shell {
    pub const ALL: [Shell; 4] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell];

    /// The file name under completions/ (and the conventional install name).
    pub fn file_name(self) -> &'static str {
        match self {
            Shell::Bash => "trove.bash",
            Shell::Zsh => "_trove",
            Shell::Fish => "trove.fish",
            Shell::Powershell => "_trove.ps1",
        }
    }
}

/// Prints completions for SHELL on stdout. The same files are committed in completions/.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate completions for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The completion script for `shell`, generated from the current command-line definition.
pub fn generate(shell: Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    let gen_shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    clap_complete::generate(gen_shell, &mut cmd, "trove", &mut buf);
    buf
}

pub fn run(_ctx: &Ctx, args: Args) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(&generate(args.shell))
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("writing completions", e))
}
