//! Helpers for tests that open, inspect and forge packages the way a DAO (or an attacker
//! who knows the DAO's public recipient) could.

use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::ExposeSecret;

use crate::common::*;

pub struct DaoKey {
    pub identity: age::x25519::Identity,
    pub file: PathBuf,
    pub recipient: String,
}

/// A DAO key pair, its identity written to `<root>/<name>.key`.
pub fn dao_key(t: &TestEnv, name: &str) -> DaoKey {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let file = t.path().join(format!("{name}.key"));
    fs::write(&file, format!("{}\n", identity.to_string().expose_secret())).unwrap();
    set_mode(&file, 0o600);
    DaoKey {
        identity,
        file,
        recipient,
    }
}

/// Registers `name` with a fresh key and no request; returns the key.
pub fn add_dao(t: &TestEnv, name: &str) -> DaoKey {
    let key = dao_key(t, name);
    t.ok(&["dao", "add", name, "--recipient", &key.recipient]);
    key
}

pub fn decrypt(bytes: &[u8], identity: &age::x25519::Identity) -> Vec<u8> {
    let d = age::Decryptor::new_buffered(bytes).unwrap();
    let mut r = d
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .unwrap();
    let mut out = Vec::new();
    r.read_to_end(&mut out).unwrap();
    out
}

/// Entries in archive order: (name, inflated bytes).
pub fn entries(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut data = Vec::new();
            e.read_to_end(&mut data).unwrap();
            (String::from_utf8_lossy(e.name_raw()).into_owned(), data)
        })
        .collect()
}

pub fn open_package(path: &Path, key: &DaoKey) -> Vec<(String, Vec<u8>)> {
    entries(&decrypt(&fs::read(path).unwrap(), &key.identity))
}

pub fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

pub fn jsonl(bytes: &[u8]) -> Vec<serde_json::Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn manifest(entries: &[(String, Vec<u8>)]) -> serde_json::Value {
    serde_json::from_slice(entry(entries, "manifest.json")).unwrap()
}

pub fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn encrypt(plain: &[u8], recipient: &str) -> Vec<u8> {
    let r: age::x25519::Recipient = recipient.parse().unwrap();
    let e = age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = e.wrap_output(&mut out).unwrap();
    w.write_all(plain).unwrap();
    w.finish().unwrap();
    out
}

/// Contributes with `args` (after `contribute --dao NAME`) to `<root>/<file>`; returns the path.
pub fn contribute(t: &TestEnv, dao: &str, file: &str, args: &[&str]) -> PathBuf {
    let path = t.path().join(file);
    let mut full = vec!["contribute", "--dao", dao, "-o", file];
    full.extend_from_slice(args);
    let out = t.ok(&full);
    assert_eq!(out, format!("{}\n", path_str(&path)));
    path
}

/// All bytes of a decrypted package: the zip as stored, and every entry inflated.
pub fn all_bytes(path: &Path, key: &DaoKey) -> Vec<u8> {
    let zip_bytes = decrypt(&fs::read(path).unwrap(), &key.identity);
    let mut all = zip_bytes.clone();
    for (name, data) in entries(&zip_bytes) {
        all.extend_from_slice(name.as_bytes());
        all.extend_from_slice(&data);
    }
    all
}
