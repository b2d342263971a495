//! Everything trove prints goes through here.
//!
//! stdout carries data only: the human table or the `--json` document a command produces.
//! Status lines, warnings, errors and progress bars go to stderr. `--quiet` hides status lines
//! (never warnings or errors); progress bars appear only when stderr is a terminal and neither
//! `--json` nor `--quiet` is set. The colour decision is made once, here (`--color`, `NO_COLOR`).

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};

use serde::Serialize;

use crate::error::{Error, Result};

/// Version of every `--json` document. Bumped only for incompatible changes; adding a field is
/// compatible. Scripts should check it.
pub const JSON_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    /// Colour on stderr (error:, warning:, hint:).
    pub color: bool,
    /// Progress bars allowed.
    pub progress: bool,
}

impl Output {
    pub fn new(choice: ColorChoice, json: bool, quiet: bool) -> Self {
        let stderr_tty = io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_tty && !no_color,
        };
        Output {
            json,
            quiet,
            color,
            progress: stderr_tty && !json && !quiet,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A status line on stderr; hidden by `--quiet`.
    pub fn status(&self, msg: impl Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// A warning on stderr; always shown.
    pub fn warn(&self, msg: impl Display) {
        eprintln!("{} {msg}", self.paint("1;33", "trove: warning:"));
    }

    /// Prints an error with its cause chain and hints.
    pub fn error(&self, err: &Error) {
        let mut text = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            if !text.contains(&cause_text) {
                text.push_str(": ");
                text.push_str(&cause_text);
            }
            source = cause.source();
        }
        eprintln!(
            "{} {}",
            self.paint("1;31", "trove: error:"),
            sanitize(&text)
        );
        for hint in err.hints() {
            eprintln!("{} {}", self.paint("1;36", "hint:"), sanitize(&hint));
        }
    }

    /// Writes a `--json` document (pretty, one trailing newline) to stdout.
    pub fn json_doc<T: Serialize>(&self, value: &T) -> Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value)
            .map_err(|e| Error::io("writing JSON to stdout", io::Error::from(e)))?;
        writeln!(out).map_err(|e| Error::io("writing to stdout", e))?;
        out.flush().map_err(|e| Error::io("writing to stdout", e))
    }

    /// Writes human-readable data to stdout.
    pub fn data(&self, text: impl Display) -> Result<()> {
        let mut out = io::stdout().lock();
        write!(out, "{text}").map_err(|e| Error::io("writing to stdout", e))?;
        out.flush().map_err(|e| Error::io("writing to stdout", e))
    }
}

/// Replaces control characters (other than newline and tab) so that a hostile file name or
/// record cannot drive the user's terminal through an error message.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

/// Formats a byte count for humans (1.2 MiB).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// Formats UTC epoch milliseconds as RFC 3339 (`2024-03-31T01:30:00Z`).
pub fn rfc3339_ms(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_string(),
        Err(_) => format!("{ms}ms"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_replaces_escape_sequences() {
        assert_eq!(sanitize("a\x1b[2Jb\nc"), "a\u{fffd}[2Jb\nc");
    }

    #[test]
    fn human_bytes_units() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_ms(1_711_848_600_123), "2024-03-31T01:30:00.123Z");
    }
}
