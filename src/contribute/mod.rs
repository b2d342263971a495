//! Contributions to a DataDAO: the owner chooses exactly what to share, sees it before it
//! leaves, signs it, encrypts it to the DAO, and can always prove and audit what was shared.
//!
//! The flow, one module per step (docs/CONTRIBUTION-FORMAT.md is the format's reference):
//!
//! * [`dao`], [`request`]: the registry of DAOs and the request files they publish;
//! * [`plan`]: flags + the DAO's request → one [`plan::Plan`] (selection and redactions); a
//!   request's required redactions can only be strengthened, never weakened;
//! * [`select`]: streams the selected rows out of the vault, applies [`redact`], and hands
//!   serialized records ([`records`]) to a sink: the package writer or the preview;
//! * [`preview`]: the `--dry-run` report (counts, fields, examples, what sensitive classes
//!   remain); [`package`]: zip → age → temp file → rename, with [`manifest`] and [`sign`];
//! * [`ledger`]: the hash-chained record of what was shared; [`audit`] reads it;
//! * [`verify`]: the DAO's side, treating a package as hostile input;
//! * [`submit`], [`revoke`]: uploading to the DAO's endpoint and signed revocation notices.

pub mod audit;
pub mod dao;
pub mod ledger;
pub mod manifest;
pub mod package;
pub mod plan;
pub mod preview;
pub mod records;
pub mod redact;
pub mod request;
pub mod revoke;
pub mod select;
pub mod sign;
pub mod submit;
pub mod verify;

/// The package format this build writes and verifies.
pub const FORMAT: &str = "trove-contribution/1";
/// The request format this build understands.
pub const REQUEST_FORMAT: &str = "trove-request/1";
/// The revocation notice format.
pub const REVOCATION_FORMAT: &str = "trove-revocation/1";

/// Lower-case hex of a digest.
pub fn hex32(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// SHA-256 of a file's bytes, read in chunks.
pub fn sha256_file(path: &std::path::Path) -> crate::error::Result<[u8; 32]> {
    use sha2::Digest;
    use std::io::Read;
    let read_err = |e| crate::error::Error::io(format!("reading {}", path.display()), e);
    let mut f = std::fs::File::open(path).map_err(read_err)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(read_err)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().into())
}
