//! `trove verify`: the DAO's side. A package is hostile input until every check has passed.
//!
//! 1. The file is an age file that one of the given identities opens (decrypted as a
//!    stream; seeking within it is what lets the zip be read without a plaintext copy).
//! 2. The zip's central directory has at most [`MAX_ENTRIES`] entries, no duplicate names,
//!    and every name is a plain relative path (no `..`, no absolute path, no backslash, no
//!    directory, no symlink, no encryption, stored or deflated only).
//! 3. `manifest.json` (at most [`MAX_MANIFEST`] bytes) parses strictly; its format is
//!    `trove-contribution/1`.
//! 4. `manifest.json.minisig` verifies with the manifest's contributor key (and with
//!    `--signer` if given); its trusted comment names this contribution, DAO and manifest hash.
//! 5. The entries are exactly the manifest, its signature and the files it lists.
//! 6. Every data file is read once, streaming and bounded by its declared size (and a total
//!    cap): its SHA-256, byte count, record count and time range must equal the manifest's,
//!    every record must have exactly the declared fields with the right types, and the
//!    declared redactions must hold (no track points or location keys when location was
//!    omitted; no title/body when text was dropped; no identifiers when they were omitted).
//!
//! Nothing is extracted to disk. Inflated bytes are bounded per entry and in total.

use std::collections::{BTreeSet, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::contribute::manifest::Manifest;
use crate::contribute::plan::{Format, LocationMode};
use crate::contribute::records::{FieldType, Table, field_type};
use crate::contribute::redact::is_location_key;
use crate::contribute::{FORMAT, hex32, sha256, sign};
use crate::error::{Error, Result};
use crate::output::JSON_VERSION;

pub const MAX_ENTRIES: usize = 16;
pub const MAX_MANIFEST: u64 = 1024 * 1024;
pub const MAX_SIGNATURE: u64 = 4096;
/// Total inflated bytes of all data files.
pub const MAX_TOTAL: u64 = 64 * 1024 * 1024 * 1024;
/// One record (one line).
pub const MAX_LINE: usize = 4 * 1024 * 1024;

pub struct Options {
    pub identities: Vec<Box<dyn age::Identity>>,
    /// The identity file, for messages.
    pub identity_path: Option<std::path::PathBuf>,
    /// A minisign public key the signer must have.
    pub signer: Option<String>,
    pub max_total: u64,
}

#[derive(Debug, Serialize)]
pub struct Verified {
    pub version: u32,
    pub valid: bool,
    pub id: String,
    pub created: String,
    pub dao: String,
    pub contributor: String,
    pub records: u64,
    pub start: Option<String>,
    pub end: Option<String>,
    pub manifest_sha256: String,
    pub package_sha256: String,
    pub files: Vec<VerifiedFile>,
    #[serde(skip)]
    pub manifest: Option<Manifest>,
}

#[derive(Debug, Serialize)]
pub struct VerifiedFile {
    pub path: String,
    pub records: u64,
    pub bytes: u64,
    pub sha256: String,
}

fn reject(reason: impl Into<String>) -> Error {
    Error::PackageRejected {
        reason: reason.into(),
    }
}

/// Reads an age identity file for `--identity`.
pub fn load_identities(path: &Path) -> Result<Vec<Box<dyn age::Identity>>> {
    let file = age::IdentityFile::from_file(path.display().to_string()).map_err(|e| {
        Error::IdentityFile {
            path: path.to_path_buf(),
            detail: e.to_string(),
        }
    })?;
    let ids = file.into_identities().map_err(|e| Error::IdentityFile {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let ids: Vec<Box<dyn age::Identity>> = ids
        .into_iter()
        .map(|i| i as Box<dyn age::Identity>)
        .collect();
    if ids.is_empty() {
        return Err(Error::IdentityFile {
            path: path.to_path_buf(),
            detail: "it holds no identity".into(),
        });
    }
    Ok(ids)
}

/// Verifies the package at `path`.
pub fn verify_file(path: &Path, opts: &Options) -> Result<Verified> {
    let file = File::open(path).map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    // The ciphertext's hash, for the report (and `submit`'s lookups); a separate pass, cheap.
    let package_sha256 = hex32(&crate::contribute::sha256_file(path)?);
    let mut v = verify_reader(BufReader::new(file), opts)?;
    v.package_sha256 = package_sha256;
    Ok(v)
}

/// Verifies a package read from `input` (the age file's bytes); `package_sha256` is left
/// empty for the caller to fill.
pub fn verify_reader<R: BufRead + Seek>(input: R, opts: &Options) -> Result<Verified> {
    let decryptor = age::Decryptor::new_buffered(input).map_err(|e| age_error(e, opts))?;
    if decryptor.is_scrypt() {
        return Err(reject(
            "the package is passphrase-encrypted, not encrypted to recipients",
        ));
    }
    let reader = decryptor
        .decrypt(
            opts.identities
                .iter()
                .map(|i| i.as_ref() as &dyn age::Identity),
        )
        .map_err(|e| age_error(e, opts))?;
    let reader = PastEnd::new(reader).map_err(|e| reject(decrypt_io_reason(&e)))?;
    verify_zip(reader, opts)
}

/// Makes a seek past the end of the plaintext read as end of file.
///
/// age's seekable reader (0.12) panics on a read that follows a seek beyond the plaintext's
/// end within its last chunk (`read_from_chunk` subtracts past the chunk's length; found by
/// the verify_package fuzz target). The zip reader seeks to offsets the package's central
/// directory states, so a hostile package could aim one there; this wrapper never lets such a
/// seek reach age, and answers the reads after it with end of file, which the zip reader then
/// reports as a broken archive.
struct PastEnd<R> {
    inner: R,
    len: u64,
    pos: u64,
}

impl<R: Read + Seek> PastEnd<R> {
    fn new(mut inner: R) -> io::Result<Self> {
        let len = inner.seek(io::SeekFrom::End(0))?;
        inner.seek(io::SeekFrom::Start(0))?;
        Ok(PastEnd { inner, len, pos: 0 })
    }
}

impl<R: Read> Read for PastEnd<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for PastEnd<R> {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        let target = match to {
            io::SeekFrom::Start(n) => Some(n),
            io::SeekFrom::End(d) => self.len.checked_add_signed(d),
            io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        }
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek out of range"))?;
        if target < self.len {
            self.inner.seek(io::SeekFrom::Start(target))?;
        }
        self.pos = target;
        Ok(target)
    }
}

fn age_error(e: age::DecryptError, opts: &Options) -> Error {
    match e {
        age::DecryptError::NoMatchingKeys => reject(match &opts.identity_path {
            Some(p) => format!("it is not encrypted to the identity in {}", p.display()),
            None => "it is not encrypted to the given identity".into(),
        }),
        age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => {
            reject("it is not an age-encrypted file")
        }
        age::DecryptError::InvalidMac => reject("its age header was modified"),
        age::DecryptError::Io(io) => reject(decrypt_io_reason(&io)),
        other => reject(format!("it could not be decrypted: {other}")),
    }
}

fn zip_error(e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => reject(decrypt_io_reason(&io)),
        other => reject(format!("it is not a valid zip archive: {other}")),
    }
}

/// age reports truncation and modified ciphertext as I/O errors while reading.
fn decrypt_io_reason(io: &io::Error) -> String {
    let text = io.to_string();
    if io.kind() == io::ErrorKind::InvalidData || io.kind() == io::ErrorKind::UnexpectedEof {
        format!("the encrypted data is truncated or was modified ({text})")
    } else {
        format!("reading it failed: {text}")
    }
}

/// A path as trove writes them: `manifest.json`, `manifest.json.minisig`, `data/<name>`.
fn safe_name(name: &[u8]) -> std::result::Result<&str, String> {
    let shown = String::from_utf8_lossy(name).escape_debug().to_string();
    let name = std::str::from_utf8(name).map_err(|_| format!("entry {shown:?} is not UTF-8"))?;
    if name.is_empty() || name.len() > 128 {
        return Err(format!("entry {shown:?} has an unacceptable name length"));
    }
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err(format!(
            "entry {shown:?} is an absolute or non-portable path"
        ));
    }
    if name
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(format!(
            "entry {shown:?} escapes or has an empty path component"
        ));
    }
    if !name.bytes().all(|b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-' | b'/')
    }) {
        return Err(format!("entry {shown:?} has characters trove never writes"));
    }
    Ok(name)
}

/// Reads an entry completely, refusing more than `limit` inflated bytes.
fn read_bounded<R: Read>(mut r: R, limit: u64, what: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    (&mut r)
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| reject(format!("{what}: {}", decrypt_io_reason(&e))))?;
    if buf.len() as u64 > limit {
        return Err(reject(format!("{what} is larger than {limit} bytes")));
    }
    Ok(buf)
}

pub fn verify_zip<R: Read + Seek>(reader: R, opts: &Options) -> Result<Verified> {
    let mut zip = zip::ZipArchive::new(reader).map_err(zip_error)?;
    if zip.len() > MAX_ENTRIES {
        return Err(reject(format!(
            "it has {} entries; a package has at most {MAX_ENTRIES}",
            zip.len()
        )));
    }
    if zip.has_duplicate_names() {
        return Err(reject("it has two entries with the same name"));
    }
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(zip_error)?;
        let name = safe_name(entry.name_raw()).map_err(reject)?.to_string();
        if entry.is_dir() || entry.is_symlink() {
            return Err(reject(format!("entry {name:?} is not a regular file")));
        }
        if entry.encrypted() {
            return Err(reject(format!(
                "entry {name:?} is encrypted inside the zip"
            )));
        }
        if !matches!(
            entry.compression(),
            zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
        ) {
            return Err(reject(format!(
                "entry {name:?} uses an unsupported compression method"
            )));
        }
        names.push(name);
    }
    for required in ["manifest.json", "manifest.json.minisig"] {
        if !names.iter().any(|n| n == required) {
            return Err(reject(format!("it has no {required}")));
        }
    }

    // ---- manifest and signature ----------------------------------------------------------
    let manifest_bytes = {
        let entry = zip.by_name("manifest.json").map_err(zip_error)?;
        if entry.size() > MAX_MANIFEST {
            return Err(reject("manifest.json is larger than 1 MiB"));
        }
        read_bounded(entry, MAX_MANIFEST, "manifest.json")?
    };
    let sig_text = {
        let entry = zip.by_name("manifest.json.minisig").map_err(zip_error)?;
        let bytes = read_bounded(entry, MAX_SIGNATURE, "manifest.json.minisig")?;
        String::from_utf8(bytes).map_err(|_| reject("manifest.json.minisig is not text"))?
    };
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| reject(format!("manifest.json does not match the format: {e}")))?;
    if manifest.format != FORMAT {
        return Err(reject(format!(
            "manifest.json has format {:?}; this trove verifies {FORMAT:?}",
            manifest.format
        )));
    }
    let public_key = sign::parse_public_key(&manifest.contributor.public_key)
        .map_err(|e| reject(format!("manifest.json: contributor.public_key: {e}")))?;
    if let Some(expected) = &opts.signer {
        let expected_key =
            sign::parse_public_key(expected).map_err(|e| Error::usage(format!("--signer: {e}")))?;
        if expected_key.key != public_key.key || expected_key.key_id != public_key.key_id {
            return Err(reject("it was signed by another key than --signer"));
        }
    }
    let trusted = sign::verify(&public_key, &manifest_bytes, &sig_text)
        .map_err(|e| reject(format!("manifest.json.minisig: {e}")))?;
    let manifest_sha256 = hex32(&sha256(&manifest_bytes));
    let comment: Value = serde_json::from_str(&trusted)
        .map_err(|_| reject("the signature's trusted comment is not trove's"))?;
    let expect = crate::contribute::manifest::trusted_comment(
        &manifest.id,
        &manifest.dao.name,
        &manifest.created,
        &manifest_sha256,
    );
    if comment != serde_json::from_str::<Value>(&expect).unwrap_or(Value::Null) {
        return Err(reject(
            "the signature's trusted comment does not bind this manifest (id, DAO, time or hash differ)",
        ));
    }

    // ---- entries ----------------------------------------------------------------------------
    let mut listed: BTreeSet<String> = BTreeSet::new();
    let format =
        if manifest.files.iter().all(|f| f.path.ends_with(".csv")) && !manifest.files.is_empty() {
            Format::Csv
        } else {
            Format::Jsonl
        };
    let mut declared_total: u64 = 0;
    for f in &manifest.files {
        let table = Table::from_name(&f.table).ok_or_else(|| {
            reject(format!(
                "manifest.json lists an unknown table {:?}",
                f.table
            ))
        })?;
        if f.path != table.path(format) {
            return Err(reject(format!(
                "manifest.json lists {:?} for table {}; expected {:?}",
                f.path,
                f.table,
                table.path(format)
            )));
        }
        if f.media_type != format.media_type() {
            return Err(reject(format!(
                "{}: unexpected media type {:?}",
                f.path, f.media_type
            )));
        }
        if !listed.insert(f.path.clone()) {
            return Err(reject(format!("manifest.json lists {} twice", f.path)));
        }
        let expected_fields = table.fields(&manifest.redactions);
        if f.fields != expected_fields {
            return Err(reject(format!(
                "{}: its fields {:?} do not match the declared redactions (expected {:?})",
                f.path, f.fields, expected_fields
            )));
        }
        if table == Table::TrackPoints && manifest.redactions.location == LocationMode::Omit {
            return Err(reject(
                "it holds track points although location was declared omitted",
            ));
        }
        declared_total = declared_total.saturating_add(f.bytes);
    }
    if declared_total > opts.max_total {
        return Err(reject(format!(
            "its data files declare {declared_total} bytes, above the limit of {}",
            opts.max_total
        )));
    }
    for name in &names {
        if name != "manifest.json" && name != "manifest.json.minisig" && !listed.contains(name) {
            return Err(reject(format!("unexpected entry {name:?}")));
        }
    }
    for path in &listed {
        if !names.contains(path) {
            return Err(reject(format!(
                "{path} is listed in manifest.json but missing"
            )));
        }
    }

    // ---- data ------------------------------------------------------------------------------
    let mut files = Vec::new();
    let mut total_records = 0u64;
    let mut event_refs: HashSet<i64> = HashSet::new();
    // Events before track points: track points refer to events.
    let mut order: Vec<&crate::contribute::manifest::FileEntry> = manifest.files.iter().collect();
    order.sort_by_key(|f| Table::from_name(&f.table));
    for f in order {
        let table = Table::from_name(&f.table).expect("checked above");
        let entry = zip.by_name(&f.path).map_err(zip_error)?;
        if entry.size() != f.bytes {
            return Err(reject(format!(
                "{}: the zip says {} bytes, manifest.json says {}",
                f.path,
                entry.size(),
                f.bytes
            )));
        }
        let check = check_data(entry, f, table, format, &manifest, &mut event_refs)?;
        total_records += check.records;
        files.push(VerifiedFile {
            path: f.path.clone(),
            records: check.records,
            bytes: f.bytes,
            sha256: f.sha256.clone(),
        });
    }
    if total_records != manifest.records {
        return Err(reject(format!(
            "manifest.json says {} records in all, the files hold {total_records}",
            manifest.records
        )));
    }
    let min = manifest.files.iter().filter_map(|f| f.start.clone()).min();
    let max = manifest.files.iter().filter_map(|f| f.end.clone()).max();
    if min != manifest.start || max != manifest.end {
        return Err(reject(
            "manifest.json's overall time range does not match its files",
        ));
    }

    Ok(Verified {
        version: JSON_VERSION,
        valid: true,
        id: manifest.id.clone(),
        created: manifest.created.clone(),
        dao: manifest.dao.name.clone(),
        contributor: manifest.contributor.public_key.clone(),
        records: total_records,
        start: manifest.start.clone(),
        end: manifest.end.clone(),
        manifest_sha256,
        package_sha256: String::new(),
        files,
        manifest: Some(manifest),
    })
}

struct DataCheck {
    records: u64,
}

/// Hashes while reading.
struct Hashing<R> {
    inner: R,
    sha: Sha256,
    bytes: u64,
    limit: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = (self.limit + 1).saturating_sub(self.bytes);
        if room == 0 {
            return Ok(0);
        }
        let max = buf.len().min(room.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..max])?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn check_data<R: Read>(
    entry: R,
    f: &crate::contribute::manifest::FileEntry,
    table: Table,
    format: Format,
    manifest: &Manifest,
    event_refs: &mut HashSet<i64>,
) -> Result<DataCheck> {
    let path = &f.path;
    let mut reader = BufReader::with_capacity(
        256 * 1024,
        Hashing {
            inner: entry,
            sha: Sha256::new(),
            bytes: 0,
            limit: f.bytes,
        },
    );
    let fields: Vec<&str> = f.fields.iter().map(String::as_str).collect();
    let types: Vec<FieldType> = fields
        .iter()
        .map(|name| {
            field_type(table, name).ok_or_else(|| reject(format!("{path}: unknown field {name:?}")))
        })
        .collect::<Result<_>>()?;
    let red = &manifest.redactions;
    let mut records = 0u64;
    let mut min: Option<String> = None;
    let mut max: Option<String> = None;
    let mut line = Vec::new();
    let mut line_no = 0u64;
    let mut last_ref = 0i64;
    let mut csv_header_seen = format == Format::Jsonl;
    loop {
        line.clear();
        let n = read_line(&mut reader, &mut line)
            .map_err(|e| reject(format!("{path}: {}", decrypt_io_reason(&e))))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if format == Format::Csv {
            // A quoted cell may hold newlines: a record ends where its quotes are balanced.
            while line.iter().filter(|&&b| b == b'"').count() % 2 == 1 && line.len() <= MAX_LINE {
                let more = read_line(&mut reader, &mut line)
                    .map_err(|e| reject(format!("{path}: {}", decrypt_io_reason(&e))))?;
                if more == 0 {
                    break;
                }
            }
        }
        if line.len() > MAX_LINE {
            return Err(reject(format!(
                "{path}: line {line_no} is longer than {MAX_LINE} bytes"
            )));
        }
        if line.last() != Some(&b'\n') {
            return Err(reject(format!(
                "{path}: line {line_no} does not end with a newline"
            )));
        }
        let text = std::str::from_utf8(&line[..line.len() - 1])
            .map_err(|_| reject(format!("{path}: line {line_no} is not UTF-8")))?;
        let values: Vec<Value> = match format {
            Format::Jsonl => {
                let obj: serde_json::Map<String, Value> =
                    serde_json::from_str(text).map_err(|e| {
                        reject(format!("{path}: line {line_no} is not a JSON object: {e}"))
                    })?;
                if obj.len() != fields.len() || !obj.keys().zip(&fields).all(|(k, f)| k == f) {
                    return Err(reject(format!(
                        "{path}: line {line_no} does not have exactly the declared fields"
                    )));
                }
                obj.into_iter().map(|(_, v)| v).collect()
            }
            Format::Csv => {
                let cells = parse_csv_line(text)
                    .ok_or_else(|| reject(format!("{path}: line {line_no} is not a CSV record")))?;
                if !csv_header_seen {
                    if cells
                        .iter()
                        .map(|c| c.as_deref().unwrap_or(""))
                        .ne(fields.iter().copied())
                    {
                        return Err(reject(format!(
                            "{path}: the header does not match the declared fields"
                        )));
                    }
                    csv_header_seen = true;
                    continue;
                }
                if cells.len() != fields.len() {
                    return Err(reject(format!(
                        "{path}: line {line_no} does not have exactly the declared fields"
                    )));
                }
                cells
                    .into_iter()
                    .zip(&types)
                    .map(|(c, t)| csv_value(c, *t))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|e| reject(format!("{path}: line {line_no}: {e}")))?
            }
        };
        for ((name, ty), value) in fields.iter().zip(&types).zip(&values) {
            check_type(*ty, value)
                .map_err(|e| reject(format!("{path}: line {line_no}: {name} {e}")))?;
            if *name == "attrs" && red.location == LocationMode::Omit && has_location_key(value) {
                return Err(reject(format!(
                    "{path}: line {line_no}: attrs hold a location key although location was declared omitted"
                )));
            }
        }
        let get = |name: &str| fields.iter().position(|f| *f == name).map(|i| &values[i]);
        match table {
            Table::Events => {
                let r = get("ref").and_then(Value::as_i64).unwrap_or(0);
                if r <= last_ref {
                    return Err(reject(format!(
                        "{path}: line {line_no}: ref {r} is not increasing"
                    )));
                }
                last_ref = r;
                event_refs.insert(r);
            }
            Table::TrackPoints => {
                let r = get("event_ref").and_then(Value::as_i64).unwrap_or(0);
                if !event_refs.contains(&r) {
                    return Err(reject(format!(
                        "{path}: line {line_no}: event_ref {r} names no event in the package"
                    )));
                }
            }
            Table::Samples => {}
        }
        if let Some(Value::String(t)) = get(table.time_field()) {
            // RFC 3339 UTC strings of one shape compare like the times they denote only when
            // normalized; compare parsed instants and keep the text of the extremes.
            let ts: jiff::Timestamp = t
                .parse()
                .map_err(|_| reject(format!("{path}: line {line_no}: bad time")))?;
            if min
                .as_ref()
                .is_none_or(|m| m.parse::<jiff::Timestamp>().is_ok_and(|m| ts < m))
            {
                min = Some(t.clone());
            }
            if max
                .as_ref()
                .is_none_or(|m| m.parse::<jiff::Timestamp>().is_ok_and(|m| ts > m))
            {
                max = Some(t.clone());
            }
        }
        records += 1;
    }
    let hashing = reader.into_inner();
    if hashing.bytes != f.bytes {
        return Err(reject(format!(
            "{path}: it holds {} bytes, manifest.json says {}",
            hashing.bytes, f.bytes
        )));
    }
    if hex32(&hashing.sha.finalize()) != f.sha256 {
        return Err(reject(format!(
            "{path}: its SHA-256 does not match manifest.json"
        )));
    }
    if records != f.records {
        return Err(reject(format!(
            "{path}: it holds {records} records, manifest.json says {}",
            f.records
        )));
    }
    if min != f.start || max != f.end {
        return Err(reject(format!(
            "{path}: its time range does not match manifest.json"
        )));
    }
    Ok(DataCheck { records })
}

/// Reads one line (up to and including `\n`), at most [`MAX_LINE`] + 1 bytes.
fn read_line<R: BufRead>(r: &mut R, out: &mut Vec<u8>) -> io::Result<usize> {
    let mut total = 0;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(total);
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = (MAX_LINE + 1).saturating_sub(out.len());
        let take_now = take.min(room);
        out.extend_from_slice(&buf[..take_now]);
        r.consume(take_now);
        total += take_now;
        if done && take_now == take || out.len() > MAX_LINE {
            return Ok(total);
        }
    }
}

fn check_type(ty: FieldType, v: &Value) -> std::result::Result<(), &'static str> {
    use FieldType::*;
    let is_time = |v: &Value| {
        v.as_str()
            .is_some_and(|s| s.ends_with('Z') && s.parse::<jiff::Timestamp>().is_ok())
    };
    let ok = match ty {
        Text => v.as_str().is_some_and(|s| !s.is_empty()),
        OptText => v.is_null() || v.is_string(),
        Time => is_time(v),
        OptTime => v.is_null() || is_time(v),
        OptInt => v.is_null() || v.is_i64(),
        Ref => v.as_i64().is_some_and(|i| i > 0),
        Num => v.is_number(),
        OptNum => v.is_null() || v.is_number(),
        OptObject => v.is_null() || v.is_object(),
    };
    if ok {
        Ok(())
    } else {
        Err(match ty {
            Text => "is not a non-empty string",
            OptText => "is not a string or null",
            Time | OptTime => "is not an RFC 3339 UTC time",
            OptInt => "is not an integer or null",
            Ref => "is not a positive integer",
            Num => "is not a number",
            OptNum => "is not a number or null",
            OptObject => "is not an object or null",
        })
    }
}

fn has_location_key(v: &Value) -> bool {
    match v {
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| is_location_key(k) || has_location_key(v)),
        Value::Array(a) => a.iter().any(has_location_key),
        _ => false,
    }
}

/// Parses one CSV record as trove writes it (RFC 4180; an unquoted empty cell is null, a
/// quoted empty cell the empty string; quoted cells may hold newlines).
fn parse_csv_line(line: &str) -> Option<Vec<Option<String>>> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut cell = String::new();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => break,
                    c => cell.push(c),
                }
            }
            out.push(Some(cell));
            match chars.next() {
                None => return Some(out),
                Some(',') => continue,
                Some(_) => return None,
            }
        } else {
            let mut cell = String::new();
            loop {
                match chars.next() {
                    None => {
                        out.push((!cell.is_empty()).then_some(cell));
                        return Some(out);
                    }
                    Some(',') => break,
                    Some('"') => return None,
                    Some(c) => cell.push(c),
                }
            }
            out.push((!cell.is_empty()).then_some(cell));
        }
    }
}

fn csv_value(cell: Option<String>, ty: FieldType) -> std::result::Result<Value, String> {
    use FieldType::*;
    let Some(s) = cell else {
        return Ok(Value::Null);
    };
    Ok(match ty {
        Text | OptText | Time | OptTime => Value::String(s),
        OptInt | Ref => Value::from(
            s.parse::<i64>()
                .map_err(|_| format!("{s:?} is not an integer"))?,
        ),
        Num | OptNum => serde_json::from_str::<Value>(&s)
            .ok()
            .filter(Value::is_number)
            .ok_or_else(|| format!("{s:?} is not a number"))?,
        OptObject => serde_json::from_str::<Value>(&s).map_err(|_| format!("{s:?} is not JSON"))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the verify_package fuzz target (fuzz/regressions/verify_package/): a central
    /// directory pointing past the end of the plaintext made age's seekable reader panic.
    #[test]
    fn an_offset_past_the_plaintext_is_a_rejection_not_a_panic() {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        w.start_file("manifest.json", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"{}").unwrap();
        let mut zip = w.finish().unwrap().into_inner();
        let cd = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        let past = (zip.len() as u32 + 100).to_le_bytes();
        zip[cd + 42..cd + 46].copy_from_slice(&past);

        let id = age::x25519::Identity::generate();
        let recipient = id.to_public();
        let mut encrypted = Vec::new();
        let e = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
        let mut out = e.wrap_output(&mut encrypted).unwrap();
        out.write_all(&zip).unwrap();
        out.finish().unwrap();
        let opts = Options {
            identities: vec![Box::new(id)],
            identity_path: None,
            signer: None,
            max_total: MAX_TOTAL,
        };
        let err = verify_reader(io::Cursor::new(encrypted), &opts).unwrap_err();
        assert!(matches!(err, Error::PackageRejected { .. }), "{err}");
    }

    #[test]
    fn unsafe_names_are_refused() {
        assert_eq!(
            safe_name(b"data/samples.jsonl").unwrap(),
            "data/samples.jsonl"
        );
        for bad in [
            &b"../x"[..],
            b"data/../../etc/passwd",
            b"/etc/passwd",
            b"data\\x",
            b"C:x",
            b"data//x",
            b"./x",
            b"data/",
            b"Data/X",
            b"\xff",
            b"",
        ] {
            assert!(
                safe_name(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn csv_lines_parse_like_they_are_written() {
        assert_eq!(
            parse_csv_line(r#"a,,"","x""y",3"#).unwrap(),
            [
                Some("a".into()),
                None,
                Some("".into()),
                Some("x\"y".into()),
                Some("3".into())
            ]
        );
        assert!(parse_csv_line(r#"a"b"#).is_none());
        assert!(parse_csv_line(r#""unterminated"#).is_none());
    }

    #[test]
    fn lines_are_bounded() {
        let data = vec![b'x'; MAX_LINE + 10];
        let mut r = BufReader::new(&data[..]);
        let mut line = Vec::new();
        read_line(&mut r, &mut line).unwrap();
        assert_eq!(line.len(), MAX_LINE + 1);
    }
}
