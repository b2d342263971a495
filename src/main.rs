//! The `trove` binary: parse, run, map the outcome to an exit code. Nothing else.

use std::process::ExitCode;

use clap::Parser;
use trove::cli::Cli;
use trove::error::Error;
use trove::output::Output;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        // A panic is a bug in trove; say so plainly, without a Debug dump of internals.
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("trove: error: internal error (a bug in trove): {msg}{place}");
        eprintln!("hint: please report it; no data was changed beyond the last completed step");
    }));

    let cli = Cli::parse();
    let out = Output::new(cli.global.color, cli.global.json, cli.global.quiet);
    match trove::cmd::run(cli, out.clone()) {
        Ok(()) | Err(Error::BrokenPipe) => ExitCode::SUCCESS,
        Err(err) => {
            out.error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
