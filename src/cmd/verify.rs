//! `trove verify`: the DAO's side. Needs no vault.

use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::contribute::verify::{self, Options};
use crate::error::{Error, Result};

/// Verifies a contribution package: decrypts it with --identity (an age identity file, e.g.
/// from `trove dao keygen`), refuses unsafe or unexpected entries, checks the signature, every
/// hash, count and time range, and the schema of every record. Exits 13 with the reason on any
/// failure. Nothing is extracted to disk.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The package file
    pub file: PathBuf,

    /// Require this signer (a minisign public key, RW…)
    #[arg(long, value_name = "PUBKEY")]
    pub signer: Option<String>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let identity = ctx.global.identity.clone().ok_or_else(|| Error::Usage {
        message: "verify needs the DAO's identity to decrypt the package".into(),
        hint: Some("pass --identity FILE (an age identity, e.g. from `trove dao keygen`)".into()),
    })?;
    let opts = Options {
        identities: verify::load_identities(&identity)?,
        identity_path: Some(identity),
        signer: args.signer,
        max_total: verify::MAX_TOTAL,
    };
    match verify::verify_file(&args.file, &opts) {
        Ok(v) => {
            if ctx.out.json {
                return ctx.out.json_doc(&v);
            }
            let mut s = format!(
                "OK {}\ncontribution {}\ndao          {}\ncreated      {}\ncontributor  {}\nrecords      {} ({} .. {})\n",
                args.file.display(),
                v.id,
                v.dao,
                v.created,
                v.contributor,
                v.records,
                v.start.as_deref().unwrap_or("-"),
                v.end.as_deref().unwrap_or("-"),
            );
            for f in &v.files {
                s.push_str(&format!(
                    "file         {} {} records sha256 {}\n",
                    f.path, f.records, f.sha256
                ));
            }
            ctx.out.data(s)
        }
        Err(e) => {
            if ctx.out.json && e.exit_code() == crate::error::exit::VERIFICATION {
                ctx.out.json_doc(&serde_json::json!({
                    "version": crate::output::JSON_VERSION,
                    "valid": false,
                    "reason": e.to_string(),
                }))?;
            }
            Err(e)
        }
    }
}
