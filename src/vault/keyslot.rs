//! Key slots: the database key, wrapped with age.
//!
//! The SQLCipher key is 32 random bytes that exist on disk only inside key slots, one age file
//! each in `keyslots/<name>.age`:
//!
//! * `passphrase.age`: an age scrypt file (work factor pinned at 2^[`SCRYPT_LOG_N`] when
//!   written; up to 2^[`SCRYPT_MAX_LOG_N`] accepted when read, so a vault made on a fast
//!   machine still opens on a slow one, while a hostile slot cannot demand unbounded work);
//! * `<name>.age`: an age X25519 file for unattended scripts (`trove key add`).
//!
//! The kind of a slot is read from its age header (`-> scrypt` or `-> X25519`), so listing
//! slots needs no secret. The plaintext is a short text document:
//!
//! ```text
//! trove-keyslot/1
//! vault <vault id>
//! key <64 hex digits>
//! ```
//!
//! Because each slot is a standard age file, the stock `age` CLI can open it (tested in CI),
//! and changing the passphrase rewrites one small file, never the database.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::unlock::Credential;
use crate::vault::paths::VaultPaths;

/// scrypt work factor (log2 N) used when writing the passphrase slot: about 1 s on a 2-core
/// machine, 256 MiB of memory.
pub const SCRYPT_LOG_N: u8 = 18;
/// The largest work factor accepted when reading (1 GiB, several seconds).
pub const SCRYPT_MAX_LOG_N: u8 = 20;

pub const PASSPHRASE_SLOT: &str = "passphrase";
const MAGIC: &str = "trove-keyslot/1";

/// The database key. Zeroized on drop.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl MasterKey {
    pub fn generate() -> Result<Self> {
        let mut key = Zeroizing::new([0u8; 32]);
        getrandom::fill(&mut key[..])
            .map_err(|e| Error::io("reading the system random source", std::io::Error::other(e)))?;
        Ok(MasterKey(key))
    }

    /// The `PRAGMA key` statement for SQLCipher's raw-key form (no PBKDF2: the key is already
    /// uniformly random).
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        let mut hexkey = Zeroizing::new(hex::encode(&self.0[..]));
        let stmt = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hexkey.as_str()));
        hexkey.zeroize();
        stmt
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    Passphrase,
    X25519,
}

impl SlotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "passphrase",
            SlotKind::X25519 => "x25519",
        }
    }
}

#[derive(Clone, Debug)]
pub struct SlotFile {
    pub name: String,
    pub kind: SlotKind,
    pub path: PathBuf,
}

/// Slot names are file names: keep them boring.
pub fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidSlotName {
            name: name.to_string(),
        })
    }
}

/// Lists the slot files, sorted by name (the passphrase slot first). A slot whose header
/// cannot be read is an error (`trove key list`, `status` and `check` report it).
pub fn list(paths: &VaultPaths) -> Result<Vec<SlotFile>> {
    let (slots, mut damaged) = scan(paths)?;
    match damaged.is_empty() {
        true => Ok(slots),
        false => Err(damaged.remove(0).1),
    }
}

/// A slot file whose header cannot be read: its name and what is wrong.
pub type DamagedSlot = (String, Error);

/// The readable slots, and the damaged ones with what is wrong. Unlocking uses this, so that
/// one damaged slot does not lock the owner out through the others.
pub fn scan(paths: &VaultPaths) -> Result<(Vec<SlotFile>, Vec<DamagedSlot>)> {
    let dir = paths.keyslots();
    let entries =
        fs::read_dir(&dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
    let mut slots = Vec::new();
    let mut damaged = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
        let file_name = entry.file_name();
        let Some(name) = file_name.to_str().and_then(|n| n.strip_suffix(".age")) else {
            continue;
        };
        if validate_name(name).is_err() {
            continue;
        }
        let path = entry.path();
        match read_kind(&path, name) {
            Ok(kind) => slots.push(SlotFile {
                name: name.to_string(),
                kind,
                path,
            }),
            Err(e @ Error::KeySlotDamaged { .. }) => damaged.push((name.to_string(), e)),
            Err(e) => return Err(e),
        }
    }
    slots.sort_by(|a, b| {
        (a.kind != SlotKind::Passphrase, &a.name).cmp(&(b.kind != SlotKind::Passphrase, &b.name))
    });
    damaged.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((slots, damaged))
}

/// Reads the recipient stanza type from an age header without decrypting anything.
fn read_kind(path: &Path, name: &str) -> Result<SlotKind> {
    let mut head = [0u8; 128];
    let mut file =
        fs::File::open(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let n = read_up_to(&mut file, &mut head)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let text = String::from_utf8_lossy(&head[..n]);
    let mut lines = text.lines();
    let damaged = |detail: &str| Error::KeySlotDamaged {
        name: name.to_string(),
        detail: detail.to_string(),
    };
    if lines.next() != Some("age-encryption.org/v1") {
        return Err(damaged("it is not an age file"));
    }
    match lines.next().and_then(|l| l.split(' ').nth(1)) {
        Some("scrypt") => Ok(SlotKind::Passphrase),
        Some("X25519") => Ok(SlotKind::X25519),
        _ => Err(damaged("unknown recipient type")),
    }
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn plaintext(key: &MasterKey, vault_id: &str) -> Zeroizing<Vec<u8>> {
    let mut hexkey = Zeroizing::new(hex::encode(&key.0[..]));
    let text = format!("{MAGIC}\nvault {vault_id}\nkey {}\n", hexkey.as_str());
    hexkey.zeroize();
    Zeroizing::new(text.into_bytes())
}

/// Writes (or replaces, atomically) the passphrase slot.
pub fn write_passphrase(
    paths: &VaultPaths,
    key: &MasterKey,
    vault_id: &str,
    passphrase: SecretString,
) -> Result<()> {
    let mut recipient = age::scrypt::Recipient::new(passphrase);
    recipient.set_work_factor(SCRYPT_LOG_N);
    write_slot(paths, PASSPHRASE_SLOT, key, vault_id, &recipient)
}

/// Writes a new X25519 slot.
pub fn write_x25519(
    paths: &VaultPaths,
    name: &str,
    key: &MasterKey,
    vault_id: &str,
    recipient: &age::x25519::Recipient,
) -> Result<()> {
    write_slot(paths, name, key, vault_id, recipient)
}

fn write_slot(
    paths: &VaultPaths,
    name: &str,
    key: &MasterKey,
    vault_id: &str,
    recipient: &dyn age::Recipient,
) -> Result<()> {
    let encryptor = age::Encryptor::with_recipients(std::iter::once(recipient))
        .map_err(|e| Error::io("encrypting the key slot", std::io::Error::other(e)))?;
    let mut ciphertext = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|e| Error::io("encrypting the key slot", e))?;
    writer
        .write_all(&plaintext(key, vault_id))
        .and_then(|_| writer.finish().map(|_| ()))
        .map_err(|e| Error::io("encrypting the key slot", e))?;
    crate::fsutil::write_atomic(&paths.slot(name), &ciphertext)
}

/// Opens a slot with the credential: the passphrase slot for a passphrase, every X25519 slot
/// in turn for an identity. Returns the key, the vault id recorded in the slot and the slot.
pub fn open(paths: &VaultPaths, cred: &Credential) -> Result<(MasterKey, String, SlotFile)> {
    // Damaged slots are skipped; if nothing else opens, the damage is the error.
    let (slots, mut damaged) = scan(paths)?;
    let mut damage = |fallback: Error| match damaged.is_empty() {
        true => fallback,
        false => damaged.remove(0).1,
    };
    match cred {
        Credential::Passphrase(pass) => {
            let Some(slot) = slots.into_iter().find(|s| s.kind == SlotKind::Passphrase) else {
                return Err(damage(Error::NoSuchSlotKind { kind: "passphrase" }));
            };
            let mut identity = age::scrypt::Identity::new(pass.clone());
            identity.set_max_work_factor(SCRYPT_MAX_LOG_N);
            match decrypt(&slot, &identity)? {
                Some((key, id)) => Ok((key, id, slot)),
                None => Err(Error::WrongPassphrase),
            }
        }
        Credential::Identity { path, identities } => {
            let mut first_damage = None;
            for slot in slots.into_iter().filter(|s| s.kind == SlotKind::X25519) {
                for identity in identities {
                    match decrypt(&slot, identity.as_ref()) {
                        Ok(Some((key, id))) => return Ok((key, id, slot)),
                        Ok(None) => {}
                        Err(e) => {
                            first_damage.get_or_insert(e);
                        }
                    }
                }
            }
            Err(first_damage.unwrap_or_else(|| damage(Error::WrongIdentity { path: path.clone() })))
        }
    }
}

/// `Ok(None)` when the identity does not match the slot.
fn decrypt(slot: &SlotFile, identity: &dyn age::Identity) -> Result<Option<(MasterKey, String)>> {
    let damaged = |detail: String| Error::KeySlotDamaged {
        name: slot.name.clone(),
        detail,
    };
    let file = fs::File::open(&slot.path)
        .map_err(|e| Error::io(format!("reading {}", slot.path.display()), e))?;
    let decryptor = age::Decryptor::new(std::io::BufReader::new(file)).map_err(|e| match e {
        age::DecryptError::Io(e) => Error::io(format!("reading {}", slot.path.display()), e),
        other => damaged(age_damage(&other)),
    })?;
    let mut reader = match decryptor.decrypt(std::iter::once(identity)) {
        Ok(r) => r,
        Err(age::DecryptError::NoMatchingKeys) => return Ok(None),
        // A wrong passphrase fails the scrypt stanza's AEAD; so does a damaged stanza. The two
        // cannot be told apart, and the wrong passphrase is by far the likelier.
        Err(age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed)
            if slot.kind == SlotKind::Passphrase =>
        {
            return Ok(None);
        }
        Err(age::DecryptError::ExcessiveWork { required, .. }) => {
            return Err(Error::ExcessiveWork {
                name: slot.name.clone(),
                required,
                max: SCRYPT_MAX_LOG_N,
            });
        }
        Err(other) => return Err(damaged(age_damage(&other))),
    };
    let mut text = Zeroizing::new(Vec::new());
    reader
        .read_to_end(&mut text)
        .map_err(|e| damaged(format!("its payload does not decrypt ({e})")))?;
    parse_plaintext(&text)
        .ok_or_else(|| damaged("unexpected contents".into()))
        .map(Some)
}

/// What a damaged slot's age error means, in one line (age's own texts are written for the
/// age CLI: "Unknown age format." comes with advice to upgrade, which is wrong for a slot
/// that trove itself wrote).
fn age_damage(e: &age::DecryptError) -> String {
    match e {
        age::DecryptError::InvalidHeader => "its age header is malformed".into(),
        age::DecryptError::InvalidMac => {
            "its age header was modified (the header MAC does not verify)".into()
        }
        age::DecryptError::UnknownFormat => "it is not an age file of a version trove reads".into(),
        age::DecryptError::DecryptionFailed | age::DecryptError::KeyDecryptionFailed => {
            "its wrapped key does not decrypt".into()
        }
        other => other
            .to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

fn parse_plaintext(text: &[u8]) -> Option<(MasterKey, String)> {
    let text = std::str::from_utf8(text).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let vault_id = lines.next()?.strip_prefix("vault ")?.to_string();
    let hexkey = lines.next()?.strip_prefix("key ")?;
    let mut key = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(hexkey, &mut key[..]).ok()?;
    Some((MasterKey(key), vault_id))
}

/// Removes a slot file (the caller checks it is not the last).
pub fn remove(paths: &VaultPaths, name: &str) -> Result<()> {
    let path = paths.slot(name);
    fs::remove_file(&path).map_err(|e| Error::io(format!("removing {}", path.display()), e))?;
    crate::fsutil::sync_dir(&paths.keyslots())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_names() {
        for ok in ["passphrase", "ci", "backup-2", "a_b"] {
            validate_name(ok).unwrap();
        }
        for bad in ["", "Upper", "../x", "a b", "x.age", &"x".repeat(33)] {
            assert!(validate_name(bad).is_err(), "{bad:?} accepted");
        }
    }

    /// The database key is wiped when it is dropped (a regression to a plain array would
    /// leave it in freed memory). Dropped in place inside memory the test still owns, then
    /// read back.
    #[test]
    fn the_master_key_is_zeroed_on_drop() {
        let mut slot = std::mem::MaybeUninit::<MasterKey>::uninit();
        let key = slot.write(MasterKey::generate().unwrap());
        assert_ne!(&key.0[..], &[0u8; 32][..]);
        let p = slot.as_mut_ptr();
        // SAFETY: `p` points to an initialized MasterKey that is dropped exactly once; its
        // bytes stay readable (the MaybeUninit owns them) and Zeroizing wrote every byte.
        let bytes = unsafe {
            std::ptr::drop_in_place(p);
            std::slice::from_raw_parts(p.cast::<u8>(), std::mem::size_of::<MasterKey>())
        };
        assert_eq!(bytes, &[0u8; 32][..]);
    }

    /// Every other key type trove holds wipes itself on drop (checked at compile time).
    #[test]
    fn key_types_zeroize_on_drop() {
        fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        zeroized_on_drop::<ed25519_dalek::SigningKey>();
        zeroized_on_drop::<Zeroizing<Vec<u8>>>();
        zeroized_on_drop::<age::secrecy::SecretString>();
    }

    #[test]
    fn plaintext_round_trip() {
        let key = MasterKey::generate().unwrap();
        let text = plaintext(&key, "abc");
        let (back, id) = parse_plaintext(&text).unwrap();
        assert_eq!(&back.0[..], &key.0[..]);
        assert_eq!(id, "abc");
        assert!(parse_plaintext(b"trove-keyslot/1\nvault x\nkey zz\n").is_none());
    }
}
