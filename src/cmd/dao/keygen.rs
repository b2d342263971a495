//! `trove dao keygen`.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::contribute::dao;
use crate::error::{Error, Result};

/// Generates a key pair for a DAO operator: a standard age identity (the same file format as
/// `age-keygen`), used with `trove verify --identity` or `age -d -i`. With -o, the identity is
/// written to FILE (owner-only, never overwritten) and the recipient printed on stdout;
/// without, the identity file is printed on stdout and the recipient on stderr. Needs no vault.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the identity to FILE
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let (identity, recipient) = dao::keygen();
    match &args.output {
        Some(path) => {
            let mut file = crate::fsutil::create_private_file(path).map_err(|e| match e {
                Error::Io { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
                    Error::OutputExists { path: path.clone() }
                }
                other => other,
            })?;
            file.write_all(identity.as_bytes())
                .and_then(|_| file.sync_all())
                .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
            if ctx.out.json {
                return ctx.out.json_doc(&serde_json::json!({
                    "version": crate::output::JSON_VERSION,
                    "identity_file": path.display().to_string(),
                    "recipient": recipient,
                }));
            }
            ctx.out.data(format!("{recipient}\n"))
        }
        None => {
            ctx.out.status(format!("Public key: {recipient}"));
            ctx.out.data(identity.as_str())
        }
    }
}
