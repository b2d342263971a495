//! Entry points for the fuzz targets in `fuzz/` (cargo fuzz); not part of trove's API.
//!
//! Each function drives the same code `trove import` and `trove verify` run on a hostile
//! export or package, only from bytes in memory instead of a path, so that a fuzz target is a
//! few lines and never a second implementation: a zip walk opens the real [`Container`] on a
//! scratch file, a decoder is created from the builtin catalog exactly as the import creates
//! it. Nothing here is used by the binary.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::error::Result;
use crate::import::account::{self, AccountInfo};
use crate::import::container::{Container, MAX_TOTAL_INFLATED, Refused};
use crate::import::pipeline::DecodeError;
use crate::import::spec::{Catalog, Spec};
use crate::import::{DecodeContext, create_decoder, decode_buffered};
use crate::model::Record;

/// The builtin importer specs, loaded once per process.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::load(None).expect("the builtin importer specs load"))
}

/// What a decoder made of a file: its records and how it ended.
pub type Decoded = (Vec<Record>, std::result::Result<(), DecodeError>);

/// Reads `bytes` as the file `member` with rule `rule` of `spec`, the way `trove import`
/// does (the decoder the rule names, or its generic format and mapping), through a read
/// buffer of `capacity` bytes. `Err` when the spec or its options do not let the decoder be
/// created (nothing was read).
pub fn decode(
    spec: &Spec,
    rule: usize,
    member: &str,
    options: &BTreeMap<String, String>,
    bytes: &[u8],
    capacity: usize,
) -> Result<Decoded> {
    let account = AccountInfo::default();
    let ctx = DecodeContext {
        spec,
        rule: &spec.files[rule],
        member,
        size: bytes.len() as u64,
        options,
        account: &account,
    };
    let mut decoder = create_decoder(&ctx)?;
    Ok(decode_buffered(decoder.as_mut(), bytes, capacity))
}

/// One member of a walked zip.
#[derive(Debug)]
pub struct WalkedEntry {
    pub member: String,
    /// The size the archive declares.
    pub declared: u64,
    /// The bytes the member reader handed out before it ended or failed.
    pub read: u64,
    /// Why reading stopped early, if it did.
    pub error: Option<String>,
    /// SHA-256 of the raw member (the import's "already imported?" key).
    pub fingerprint: [u8; 32],
}

#[derive(Debug)]
pub struct ZipWalk {
    pub entries: Vec<WalkedEntry>,
    pub refused: Vec<Refused>,
    /// The account each builtin importer with `[[account]]` rules reads from the archive.
    pub accounts: Vec<(String, AccountInfo)>,
    pub warnings: Vec<String>,
}

/// Walks `bytes` as `trove import` walks a zip the user names: open it as a [`Container`],
/// list and refuse entries, fingerprint every member and read it through the bounded member
/// reader, and resolve the account of every builtin importer. `Err` when the archive is
/// refused as a whole (the import's "not a readable zip" or zip-bomb errors).
pub fn walk_zip(bytes: &[u8]) -> Result<ZipWalk> {
    // The container reads a path (it reopens the file to seek within it); a scratch file per
    // process, rewritten for every input, keeps the walk the real one.
    static SCRATCH: OnceLock<PathBuf> = OnceLock::new();
    let path = SCRATCH.get_or_init(|| {
        std::env::temp_dir().join(format!("trove-fuzz-{}.zip", std::process::id()))
    });
    std::fs::write(path, bytes).map_err(|e| crate::Error::io("writing the scratch zip", e))?;
    let mut container = Container::open(path)?;
    let (entries, refused) = container.entries()?;
    let mut budget = MAX_TOTAL_INFLATED;
    let mut walked = Vec::new();
    for entry in &entries {
        let fingerprint = container.fingerprint(entry)?;
        let (read, error) = match container.open_entry(entry, &mut budget) {
            Ok(mut r) => drain(&mut r),
            Err(e) => (0, Some(e.to_string())),
        };
        walked.push(WalkedEntry {
            member: entry.member.clone(),
            declared: entry.size,
            read,
            error,
            fingerprint,
        });
    }
    let mut accounts = Vec::new();
    let mut warnings = Vec::new();
    for importer in &catalog().importers {
        if !importer.spec.account.is_empty() {
            let info = account::resolve(importer, &mut container, &entries, &mut warnings);
            accounts.push((importer.spec.id.clone(), info));
        }
    }
    Ok(ZipWalk {
        entries: walked,
        refused,
        accounts,
        warnings,
    })
}

/// Reads to the end; returns the bytes read and the error that stopped it, if any.
fn drain(r: &mut dyn Read) -> (u64, Option<String>) {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        match r.read(&mut buf) {
            Ok(0) => return (total, None),
            Ok(n) => total += n as u64,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (total, Some(e.to_string())),
        }
    }
}
