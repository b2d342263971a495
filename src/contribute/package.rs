//! Writing a package: rows → zip → age → file, in one stream, and recording it.
//!
//! Plaintext never touches the disk: the zip is written straight into the age encryptor
//! (`ZipWriter::new_stream`, data descriptors, no seeking), which writes to a temporary file
//! next to the target (created owner-only). The order of what happens next is the crash-safety
//! rule of contributions:
//!
//! 1. the age stream is finished, the temporary file and its directory are fsynced: the bytes
//!    are complete and durable under the temporary name;
//! 2. one transaction records the contribution and its ledger entry (`synchronous=FULL`) —
//!    the point of no return;
//! 3. the temporary file is linked to its final name (`link(2)`, which never overwrites), the
//!    temporary name removed and the directory fsynced.
//!
//! So a package under its final name always has a ledger entry, and a ledger entry always has
//! a complete package. A crash before 2 leaves only a temporary file, which nothing reads and
//! the next contribution into that directory removes ([`remove_stale_temps`]). A crash between
//! 2 and 3 leaves a recorded contribution whose complete package still has its temporary name;
//! the next `contribute`, `submit` or `revoke` finishes step 3 ([`finish_interrupted`]).
//!
//! Temporary names are `.<name>.trove-tmp-<vault id prefix>-<random>`: tied to the vault, so
//! cleaning up (under the vault's writer lock) never touches another vault's files.
//!
//! Zip entries are written in this order: the data files, `manifest.json` (it needs their
//! hashes), `manifest.json.minisig`. Readers use the central directory.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use zip::write::{SimpleFileOptions, StreamWriter, ZipWriter};

use crate::contribute::dao::Dao;
use crate::contribute::ledger::{self, ContributionBody, Kind};
use crate::contribute::manifest::{
    self, ConsentRecord, Contributor, FileEntry, Manifest, ManifestDao, Tool,
};
use crate::contribute::plan::Plan;
use crate::contribute::select::{self, Collected, Sink};
use crate::contribute::{FORMAT, hex32, sha256, sign};
use crate::error::{Error, Result};
use crate::output::rfc3339_ms;
use crate::vault::{Vault, now_ms};

/// Where the package goes.
#[derive(Clone, Debug)]
pub enum Target {
    File(PathBuf),
    /// `-o -`: stdout, even a terminal (the user asked explicitly).
    Stdout,
}

/// The result of a contribution.
pub struct Written {
    pub id: String,
    pub created_ms: i64,
    pub manifest: Manifest,
    pub manifest_sha256: [u8; 32],
    pub package_sha256: [u8; 32],
    pub package_size: u64,
    pub path: Option<PathBuf>,
    pub collected: Collected,
    pub ledger_seq: i64,
}

/// Hashes and counts what passes through.
pub struct HashingWriter<W: Write> {
    inner: W,
    sha: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(inner: W) -> Self {
        HashingWriter {
            inner,
            sha: Sha256::new(),
            bytes: 0,
        }
    }
    pub fn finish(self) -> (W, [u8; 32], u64) {
        (self.inner, self.sha.finalize().into(), self.bytes)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

type Encrypted = age::stream::StreamWriter<HashingWriter<BufWriter<Box<dyn Write>>>>;

struct ZipSink {
    zip: ZipWriter<StreamWriter<Encrypted>>,
}

fn zip_err(e: zip::result::ZipError) -> Error {
    Error::io("writing the package", io::Error::other(e))
}

/// Data files are deflated at a fast level: the data is text, encryption follows, and the
/// 1M-sample target leaves no room for slow compression.
fn data_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .unix_permissions(0o600)
        .large_file(true)
}

fn small_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600)
}

impl Sink for ZipSink {
    fn begin(&mut self, path: &str) -> Result<()> {
        self.zip.start_file(path, data_options()).map_err(zip_err)
    }
    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.zip
            .write_all(bytes)
            .map_err(|e| Error::io("writing the package", e))
    }
    fn end(&mut self) -> Result<()> {
        Ok(())
    }
}

/// The temporary file a package is written to before it gets its name.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The marker in temporary package names, followed by the vault id's first 8 characters.
const TEMP_MARKER: &str = ".trove-tmp-";

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn vault_tag(vault_id: &str) -> &str {
    vault_id.get(..8).unwrap_or(vault_id)
}

/// The prefix of every temporary name of `target` written by this vault.
fn temp_prefix(target: &Path, vault_id: &str) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "package".into());
    format!(".{name}{TEMP_MARKER}{}-", vault_tag(vault_id))
}

fn temp_path(target: &Path, vault_id: &str) -> Result<PathBuf> {
    let mut rnd = [0u8; 6];
    getrandom::fill(&mut rnd)
        .map_err(|e| Error::io("reading the system random source", io::Error::other(e)))?;
    Ok(parent_dir(target).join(format!(
        "{}{}",
        temp_prefix(target, vault_id),
        hex::encode(rnd)
    )))
}

/// Gives a complete, synced temporary package its final name, never overwriting anything.
/// `link(2)` where the file system has hard links; elsewhere (FAT, some network file systems)
/// a rename after checking the name is free.
fn publish(tmp: &Path, path: &Path) -> io::Result<()> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
        Err(e)
            if matches!(
                e.raw_os_error(),
                Some(libc::EPERM | libc::ENOTSUP | libc::EMLINK | libc::ENOSYS)
            ) =>
        {
            if path.symlink_metadata().is_ok() {
                return Err(io::Error::from(io::ErrorKind::AlreadyExists));
            }
            std::fs::rename(tmp, path)?;
            return sync_dir_io(parent_dir(path));
        }
        Err(e) => return Err(e),
    }
    sync_dir_io(parent_dir(path))?;
    std::fs::remove_file(tmp)?;
    sync_dir_io(parent_dir(path))
}

fn sync_dir_io(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Finishes a contribution that a crash interrupted after it was recorded (step 3 above):
/// if the newest recorded package is missing under its name and a temporary file of this
/// vault beside it holds exactly its bytes, that file gets the name. Call it with the writer
/// lock held (no other process of this vault is between steps 2 and 3). Returns the path it
/// completed, if any.
pub fn finish_interrupted(vault: &Vault) -> Result<Option<PathBuf>> {
    let latest: Option<(String, String, Vec<u8>, i64)> = vault
        .conn
        .query_row(
            "SELECT id, package_path, package_sha256, package_size FROM contributions
             WHERE package_path IS NOT NULL ORDER BY created_ms DESC, rowid DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, path, sha, size)) = latest else {
        return Ok(None);
    };
    let path = PathBuf::from(path);
    if path.symlink_metadata().is_ok() {
        return Ok(None);
    }
    let prefix = temp_prefix(&path, &vault.id);
    let Ok(entries) = std::fs::read_dir(parent_dir(&path)) else {
        return Ok(None);
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(&prefix) {
            continue;
        }
        let tmp = entry.path();
        let same_size = entry
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() == size as u64);
        if !same_size || crate::contribute::sha256_file(&tmp)?[..] != sha[..] {
            continue;
        }
        publish(&tmp, &path).map_err(|e| Error::PackageNotMoved {
            id: id.clone(),
            path: path.clone(),
            temp: tmp.clone(),
            detail: e.to_string(),
        })?;
        return Ok(Some(path));
    }
    Ok(None)
}

/// Removes this vault's temporary package files in `dir`: left by a contribution that was
/// killed before it was recorded (never read by anything; encrypted, so they never held
/// plaintext), or a second name of a package killed just after it got its name. A temporary
/// file holding the only copy of a recorded package (one whose name could not be given,
/// [`Error::PackageNotMoved`]) is kept. Call with the writer lock held.
/// Returns how many were removed.
pub fn remove_stale_temps(vault: &Vault, dir: &Path) -> Result<usize> {
    let marker = format!("{TEMP_MARKER}{}-", vault_tag(&vault.id));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(at) = name.find(&marker) else {
            continue;
        };
        let rnd = &name[at + marker.len()..];
        let ours = name.starts_with('.')
            && rnd.len() == 12
            && rnd.bytes().all(|b| b.is_ascii_hexdigit())
            && entry.file_type().is_ok_and(|t| t.is_file());
        if !ours {
            continue;
        }
        // A recorded package is kept unless it also exists under its name (a kill between
        // the link and the unlink of step 3 leaves the same file under both names).
        let sha = crate::contribute::sha256_file(&entry.path())?;
        let recorded: Option<Option<String>> = vault
            .conn
            .query_row(
                "SELECT package_path FROM contributions WHERE package_sha256 = ?1",
                [&sha[..]],
                |r| r.get(0),
            )
            .optional()?;
        let keep = match recorded {
            None => false,
            Some(path) => path.is_none_or(|p| Path::new(&p).symlink_metadata().is_err()),
        };
        if !keep && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    if removed > 0 {
        let _ = sync_dir_io(dir);
    }
    Ok(removed)
}

/// The default file name: `<dao>-<date>-<id prefix>.trove` in the current directory.
pub fn default_name(dao: &str, id: &str, created_ms: i64) -> PathBuf {
    let date = rfc3339_ms(created_ms)
        .get(..10)
        .unwrap_or("")
        .replace('-', "");
    PathBuf::from(format!("{dao}-{date}-{}.trove", &id[..8]))
}

/// Selects, redacts, writes, signs and encrypts a contribution, then records it in the
/// ledger. `target` None means the default name in the current directory.
pub fn contribute(
    vault: &mut Vault,
    dao: &Dao,
    plan: &Plan,
    target: Option<Target>,
) -> Result<Written> {
    let keys = vault.keys()?;
    let id = uuid::Uuid::new_v4().to_string();
    let created_ms = now_ms();
    let created = rfc3339_ms(created_ms);
    let target = target.unwrap_or_else(|| Target::File(default_name(&dao.name, &id, created_ms)));

    // Recipients: the DAO's and the vault's own, so the author can always reopen it.
    let mut recipients: Vec<age::x25519::Recipient> = Vec::new();
    for r in &dao.recipients {
        recipients.push(r.parse().map_err(|e: &str| Error::InvalidRecipient {
            recipient: r.clone(),
            detail: e.to_string(),
        })?);
    }
    if recipients.is_empty() {
        return Err(Error::NoRecipients {
            dao: dao.name.clone(),
        });
    }
    recipients.push(keys.age_identity.to_public());

    let (out, temp): (Box<dyn Write>, Option<TempFile>) = match &target {
        Target::Stdout => (Box::new(io::stdout().lock()), None),
        Target::File(path) => {
            if path.symlink_metadata().is_ok() {
                return Err(Error::OutputExists { path: path.clone() });
            }
            // A crash may have left this vault's files here: finish a recorded package first,
            // then remove what was never recorded.
            finish_interrupted(vault)?;
            remove_stale_temps(vault, parent_dir(path))?;
            let tmp = temp_path(path, &vault.id)?;
            let file = crate::fsutil::create_private_file(&tmp)?;
            (
                Box::new(file),
                Some(TempFile {
                    path: tmp,
                    armed: true,
                }),
            )
        }
    };
    let hashing = HashingWriter::new(BufWriter::with_capacity(1 << 20, out));
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| Error::io("encrypting the package", io::Error::other(e.to_string())))?;
    let encrypted = encryptor
        .wrap_output(hashing)
        .map_err(|e| Error::io("writing the package", e))?;
    let mut sink = ZipSink {
        zip: ZipWriter::new_stream(encrypted),
    };

    let collected = select::run(&vault.conn, dao, plan, &mut sink, 0)?;
    if collected.records() == 0 {
        return Err(Error::EmptySelection);
    }

    let importers = select::importer_versions(&vault.conn, &collected.import_runs)?;
    let (start, end) = collected.time_range();
    let consent = dao.request.as_ref().map(|r| ConsentRecord {
        purpose: r.purpose.clone(),
        consent_sha256: r.consent_sha256().map(|h| hex32(&h)),
        consent_version: r.consent.as_ref().and_then(|c| c.version.clone()),
        terms: r.terms.clone(),
    });
    let manifest = Manifest {
        format: FORMAT.into(),
        id: id.clone(),
        created: created.clone(),
        dao: ManifestDao {
            name: dao.name.clone(),
            recipients: dao.recipients.clone(),
            request_sha256: dao.request_sha256.map(|h| hex32(&h)),
        },
        contributor: Contributor {
            public_key: keys.minisign_public_key(),
        },
        selection: plan.selection.clone(),
        redactions: plan.redactions,
        consent,
        files: collected
            .files
            .iter()
            .map(|f| FileEntry {
                path: f.path.clone(),
                table: f.table.name().into(),
                media_type: plan.format.media_type().into(),
                fields: f.fields.iter().map(|s| (*s).to_string()).collect(),
                records: f.records,
                bytes: f.bytes,
                sha256: hex32(&f.sha256),
                start: f.min_ms.map(rfc3339_ms),
                end: f.max_ms.map(rfc3339_ms),
            })
            .collect(),
        records: collected.records(),
        start: start.map(rfc3339_ms),
        end: end.map(rfc3339_ms),
        importers,
        tool: Tool {
            name: "trove".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        extensions: serde_json::Map::new(),
    };
    let manifest_bytes = manifest.to_bytes();
    let manifest_sha256 = sha256(&manifest_bytes);
    let comment = manifest::trusted_comment(&id, &dao.name, &created, &hex32(&manifest_sha256));
    let signature = sign::sign(
        &keys,
        &manifest_bytes,
        &comment,
        &format!("trove contribution {id}"),
    );
    let mut zip = sink.zip;
    zip.start_file("manifest.json", small_options())
        .map_err(zip_err)?;
    zip.write_all(&manifest_bytes)
        .map_err(|e| Error::io("writing the package", e))?;
    zip.start_file("manifest.json.minisig", small_options())
        .map_err(zip_err)?;
    zip.write_all(signature.as_bytes())
        .map_err(|e| Error::io("writing the package", e))?;
    let encrypted = zip.finish().map_err(zip_err)?.into_inner();
    let hashing = encrypted
        .finish()
        .map_err(|e| Error::io("finishing the encrypted package", e))?;
    let (buffered, package_sha256, package_size) = hashing.finish();
    let mut out = buffered
        .into_inner()
        .map_err(|e| Error::io("writing the package", e.into_error()))?;
    out.flush()
        .map_err(|e| Error::io("writing the package", e))?;
    drop(out);

    // Step 1: complete and durable under the temporary name.
    let pending = match (&target, temp) {
        (Target::File(path), Some(tmp)) => {
            File::open(&tmp.path)
                .and_then(|f| f.sync_all())
                .and_then(|()| sync_dir_io(parent_dir(path)))
                .map_err(|e| Error::io(format!("syncing {}", tmp.path.display()), e))?;
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            Some((tmp, path.clone(), absolute))
        }
        _ => None,
    };

    // Step 2: recorded. If this fails, the temporary file is removed when `pending` drops.
    let ledger_seq = record_contribution(
        vault,
        dao,
        &id,
        created_ms,
        &manifest_bytes,
        &manifest_sha256,
        &package_sha256,
        package_size,
        pending.as_ref().map(|(_, _, absolute)| absolute.as_path()),
        &collected,
    )?;

    // Step 3: the package gets its name. From here on the temporary file is the recorded
    // package: it is never removed on failure.
    let final_path = match pending {
        Some((mut tmp, path, absolute)) => {
            tmp.armed = false;
            publish(&tmp.path, &path).map_err(|e| Error::PackageNotMoved {
                id: id.clone(),
                path: absolute.clone(),
                temp: tmp.path.clone(),
                detail: e.to_string(),
            })?;
            Some(absolute)
        }
        None => None,
    };
    Ok(Written {
        id,
        created_ms,
        manifest,
        manifest_sha256,
        package_sha256,
        package_size,
        path: final_path,
        collected,
        ledger_seq,
    })
}

#[allow(clippy::too_many_arguments)]
fn record_contribution(
    vault: &mut Vault,
    dao: &Dao,
    id: &str,
    created_ms: i64,
    manifest_bytes: &[u8],
    manifest_sha256: &[u8; 32],
    package_sha256: &[u8; 32],
    package_size: u64,
    path: Option<&Path>,
    collected: &Collected,
) -> Result<i64> {
    let mut runs: Vec<(&'static str, i64, i64)> = Vec::new();
    for (table, ids) in &collected.rows {
        for (a, b) in ledger::ranges(ids) {
            runs.push((table.name(), a, b));
        }
    }
    let rows_sha256 = ledger::rows_digest(runs.iter().copied());
    let manifest_text = String::from_utf8_lossy(manifest_bytes).into_owned();
    let tx = vault.conn.transaction()?;
    tx.execute(
        "INSERT INTO contributions (id, dao_id, created_ms, manifest, manifest_sha256, package_sha256,
                                    package_size, package_path, record_count, rows_sha256, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'written')",
        rusqlite::params![
            id,
            dao.id,
            created_ms,
            manifest_text,
            &manifest_sha256[..],
            &package_sha256[..],
            package_size as i64,
            path.map(|p| p.display().to_string()),
            collected.records() as i64,
            &rows_sha256[..],
        ],
    )?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO contribution_rows (contribution_id, row_table, first_id, last_id) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (table, a, b) in &runs {
            stmt.execute((id, table, a, b))?;
        }
    }
    let body = ContributionBody {
        contribution_id: id.into(),
        dao: dao.name.clone(),
        created: rfc3339_ms(created_ms),
        manifest_sha256: hex32(manifest_sha256),
        package_sha256: hex32(package_sha256),
        package_size,
        record_count: collected.records(),
        rows_sha256: hex32(&rows_sha256),
    };
    let body = serde_json::to_string(&body).expect("a ledger body always serializes");
    let (seq, _) = ledger::append(&tx, Kind::Contribution, id, &body, created_ms)?;
    tx.commit()?;
    Ok(seq)
}
