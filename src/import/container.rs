//! Walking what the user gave `trove import`: a zip, a directory, or a single file.
//!
//! Zip members are read as streams straight out of the archive; nothing is ever extracted to
//! disk (a plaintext copy of a health export in /tmp is exactly what an encrypted vault is
//! for avoiding). Archives are hostile input:
//!
//! * entries whose names escape the archive (`..`, absolute paths, NUL) are refused by name
//!   (`enclosed_name`) and reported, never opened;
//! * entries whose compressed data overlap another entry's are refused as a zip bomb (the
//!   overlapping-entries trick inflates the same bytes many times);
//! * every member reader counts the bytes it actually inflates and fails once they exceed the
//!   size the entry declared or what deflate can produce from its compressed size, and the
//!   whole container has a budget ([`MAX_TOTAL_INFLATED`]), so memory and time stay bounded
//!   whatever the headers claim.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Deflate cannot expand data by more than about 1032:1.
const MAX_RATIO: u64 = 1100;
/// Total bytes a container may inflate in one import.
pub const MAX_TOTAL_INFLATED: u64 = 64 << 30;
const MAX_ENTRIES: usize = 1_000_000;
const MAX_DIR_DEPTH: usize = 32;

pub enum Container {
    Zip {
        path: PathBuf,
        archive: zip::ZipArchive<BufReader<File>>,
    },
    Dir {
        root: PathBuf,
    },
    File {
        path: PathBuf,
    },
}

#[derive(Clone, Debug)]
pub struct Entry {
    /// Path inside the container with `/` separators (the file name for a single file).
    pub member: String,
    /// Declared (zip) or actual (file) size in bytes.
    pub size: u64,
    /// Compressed size for zip members.
    pub compressed: Option<u64>,
    loc: Loc,
}

#[derive(Clone, Debug)]
enum Loc {
    Zip(usize),
    Path(PathBuf),
}

/// An entry the walk refused, with the reason (reported to the user, never opened).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Refused {
    pub member: String,
    pub reason: String,
}

impl Container {
    pub fn open(path: &Path) -> Result<Container> {
        let meta = std::fs::metadata(path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        if meta.is_dir() {
            return Ok(Container::Dir {
                root: path.to_path_buf(),
            });
        }
        let mut magic = [0u8; 4];
        let n = File::open(path)
            .and_then(|mut f| read_fill(&mut f, &mut magic))
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        if n == 4 && (&magic == b"PK\x03\x04" || &magic == b"PK\x05\x06") {
            let file = File::open(path)
                .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
            let archive =
                zip::ZipArchive::new(BufReader::new(file)).map_err(|e| Error::BadContainer {
                    path: path.to_path_buf(),
                    detail: format!("not a readable zip archive ({e})"),
                })?;
            if archive.len() > MAX_ENTRIES {
                return Err(Error::BadContainer {
                    path: path.to_path_buf(),
                    detail: format!(
                        "{} entries is more than trove accepts ({MAX_ENTRIES})",
                        archive.len()
                    ),
                });
            }
            return Ok(Container::Zip {
                path: path.to_path_buf(),
                archive,
            });
        }
        Ok(Container::File {
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        match self {
            Container::Zip { path, .. } | Container::File { path } => path,
            Container::Dir { root } => root,
        }
    }

    pub fn is_zip(&self) -> bool {
        matches!(self, Container::Zip { .. })
    }

    /// Lists the regular files, and the entries refused as unsafe.
    pub fn entries(&mut self) -> Result<(Vec<Entry>, Vec<Refused>)> {
        match self {
            Container::File { path } => {
                let size = std::fs::metadata(&*path).map(|m| m.len()).unwrap_or(0);
                let member = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Ok((
                    vec![Entry {
                        member,
                        size,
                        compressed: None,
                        loc: Loc::Path(path.clone()),
                    }],
                    Vec::new(),
                ))
            }
            Container::Dir { root } => {
                let mut out = Vec::new();
                let mut refused = Vec::new();
                walk_dir(root, root, 0, &mut out, &mut refused)?;
                out.sort_by(|a, b| a.member.cmp(&b.member));
                Ok((out, refused))
            }
            Container::Zip { path, archive } => zip_entries(path, archive),
        }
    }

    /// Opens an entry for reading, counting inflated bytes against the limits.
    pub fn open_entry<'a>(
        &'a mut self,
        entry: &Entry,
        budget: &'a mut u64,
    ) -> Result<Box<dyn Read + Send + 'a>> {
        match (&mut *self, &entry.loc) {
            (Container::Zip { path, archive }, Loc::Zip(i)) => {
                let path = path.clone();
                let file = archive.by_index(*i).map_err(|e| Error::BadContainer {
                    path: path.clone(),
                    detail: format!("cannot read {}: {e}", entry.member),
                })?;
                let compressed = file.compressed_size();
                let declared = file.size();
                let ratio_limit = compressed
                    .saturating_mul(MAX_RATIO)
                    .saturating_add(64 * 1024);
                Ok(Box::new(LimitedReader {
                    inner: file,
                    read: 0,
                    limit: declared.min(ratio_limit),
                    budget,
                    member: entry.member.clone(),
                }))
            }
            (_, Loc::Path(p)) => {
                let f = File::open(p)
                    .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?;
                Ok(Box::new(f))
            }
            _ => unreachable!("entry does not belong to this container"),
        }
    }

    /// A cheap fingerprint checked before importing: for a zip member, the SHA-256 of its
    /// compressed bytes (no inflating); for a plain file, the SHA-256 of its content (which is
    /// then also the content hash).
    pub fn fingerprint(&mut self, entry: &Entry) -> Result<[u8; 32]> {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        match (&mut *self, &entry.loc) {
            (Container::Zip { path, archive }, Loc::Zip(i)) => {
                let mut raw = archive.by_index_raw(*i).map_err(|e| Error::BadContainer {
                    path: path.clone(),
                    detail: format!("cannot read {}: {e}", entry.member),
                })?;
                hash_reader(&mut raw, &mut hasher, &mut buf)
                    .map_err(|e| Error::io(format!("reading {}", entry.member), e))?;
            }
            (_, Loc::Path(p)) => {
                let mut f = File::open(p)
                    .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?;
                hash_reader(&mut f, &mut hasher, &mut buf)
                    .map_err(|e| Error::io(format!("reading {}", p.display()), e))?;
            }
            _ => unreachable!("entry does not belong to this container"),
        }
        Ok(hasher.finalize().into())
    }
}

fn hash_reader(r: &mut dyn Read, hasher: &mut Sha256, buf: &mut [u8]) -> io::Result<()> {
    loop {
        match r.read(buf) {
            Ok(0) => return Ok(()),
            Ok(n) => hasher.update(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

fn read_fill(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn zip_entries(
    path: &Path,
    archive: &mut zip::ZipArchive<BufReader<File>>,
) -> Result<(Vec<Entry>, Vec<Refused>)> {
    let mut out = Vec::new();
    let mut refused = Vec::new();
    let mut spans: Vec<(u64, u64, usize)> = Vec::new();
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(|e| Error::BadContainer {
            path: path.to_path_buf(),
            detail: format!("entry {i} is unreadable ({e})"),
        })?;
        let raw_name = String::from_utf8_lossy(file.name_raw()).into_owned();
        if file.is_dir() {
            continue;
        }
        if file.is_symlink() {
            refused.push(Refused {
                member: raw_name,
                reason: "a symbolic link".into(),
            });
            continue;
        }
        let absolute = raw_name.starts_with('/')
            || raw_name.starts_with('\\')
            || raw_name.as_bytes().get(1) == Some(&b':');
        let Some(name) = file.enclosed_name().filter(|_| !absolute) else {
            refused.push(Refused {
                member: raw_name,
                reason: "its path escapes the archive (absolute or ..)".into(),
            });
            continue;
        };
        if raw_name.contains('\0') {
            refused.push(Refused {
                member: raw_name.replace('\0', "\\0"),
                reason: "its name contains NUL".into(),
            });
            continue;
        }
        let member = name
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if member.is_empty() {
            // An empty name, or one like `.` (found by the zip_container fuzz target).
            refused.push(Refused {
                member: raw_name,
                reason: "its path names no file".into(),
            });
            continue;
        }
        let start = file.data_start().unwrap_or(0);
        spans.push((start, file.compressed_size(), out.len()));
        out.push(Entry {
            member,
            size: file.size(),
            compressed: Some(file.compressed_size()),
            loc: Loc::Zip(i),
        });
    }
    // Overlapping entries (the same compressed bytes referenced many times) are a zip bomb.
    spans.sort();
    for w in spans.windows(2) {
        let (a_start, a_len, a) = w[0];
        let (b_start, _, b) = w[1];
        if a_len > 0 && a_start + a_len > b_start {
            return Err(Error::BadContainer {
                path: path.to_path_buf(),
                detail: format!(
                    "entries {} and {} overlap (a zip bomb); refusing the archive",
                    out[a].member, out[b].member
                ),
            });
        }
    }
    Ok((out, refused))
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<Entry>,
    refused: &mut Vec<Refused>,
) -> Result<()> {
    if depth > MAX_DIR_DEPTH {
        refused.push(Refused {
            member: dir.strip_prefix(root).unwrap_or(dir).display().to_string(),
            reason: format!("nested deeper than {MAX_DIR_DEPTH} directories"),
        });
        return Ok(());
    }
    let rd = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::io(format!("cannot read {}", dir.display()), e))?;
        // symlink_metadata: never follow links out of the tree the user named.
        let ft = entry
            .file_type()
            .map_err(|e| Error::io(format!("cannot read {}", entry.path().display()), e))?;
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if ft.is_symlink() {
            refused.push(Refused {
                member: rel,
                reason: "a symbolic link (not followed)".into(),
            });
        } else if ft.is_dir() {
            walk_dir(root, &path, depth + 1, out, refused)?;
        } else if ft.is_file() {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            out.push(Entry {
                member: rel,
                size,
                compressed: None,
                loc: Loc::Path(path),
            });
        }
    }
    Ok(())
}

/// Counts inflated bytes and stops at the entry's limit and the container's budget.
struct LimitedReader<'a, R> {
    inner: R,
    read: u64,
    limit: u64,
    budget: &'a mut u64,
    member: String,
}

impl<R: Read> Read for LimitedReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        *self.budget = self.budget.saturating_sub(n as u64);
        if self.read > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} inflates to more than it declares or than deflate can produce (a zip bomb?); stopped after {} bytes",
                    self.member, self.read
                ),
            ));
        }
        if *self.budget == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the archive inflates to more than {} GiB in all; stopped",
                    MAX_TOTAL_INFLATED >> 30
                ),
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// Found by the zip_container fuzz target: an entry with an empty name (or `.`) was
    /// listed as a member named "".
    #[test]
    fn entries_that_name_no_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.zip");
        let mut w = zip::ZipWriter::new(File::create(&path).unwrap());
        for name in ["export.xml", "", ".", "a/./b.json"] {
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"<x/>").unwrap();
        }
        w.finish().unwrap();
        let (entries, refused) = Container::open(&path).unwrap().entries().unwrap();
        let members: Vec<&str> = entries.iter().map(|e| e.member.as_str()).collect();
        assert_eq!(members, ["export.xml", "a/b.json"]);
        let refused: Vec<(&str, &str)> = refused
            .iter()
            .map(|r| (r.member.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            refused,
            [
                ("", "its path names no file"),
                (".", "its path names no file")
            ]
        );
    }
}
