//! The encrypted vault: creating it, unlocking it, and the open connection.
//!
//! A [`Vault`] is an unlocked, open database plus, for writers, the vault lock. Opening goes:
//! resolve the directory → [`keyslot::open`] with the user's credential → [`db::open`]
//! (asserts encryption) → check that the slot belongs to this vault → migrate the schema if
//! this trove is newer. Writers ([`Access::Write`]) take the lock *before* anything else, so a
//! second writer fails fast with exit 11 without asking for a passphrase it cannot use.

pub mod check;
pub mod db;
pub mod keyslot;
pub mod lock;
pub mod migrations;
pub mod paths;
pub mod status;

use std::fs;

use age::secrecy::SecretString;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::keys::VaultKeys;
use crate::unlock::Credential;
use keyslot::{MasterKey, SlotKind};
pub use paths::VaultPaths;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

pub struct Vault {
    pub paths: VaultPaths,
    pub conn: Connection,
    pub id: String,
    key: MasterKey,
    /// How the database's pages are authenticated (found when it was opened).
    pub mac: db::PageMac,
    /// The slot that unlocked this session.
    pub unlocked_with: String,
    _lock: Option<lock::VaultLock>,
}

/// What `trove init` reports.
pub struct Created {
    pub vault: Vault,
    pub signing_key: String,
    pub recipient: String,
}

pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

impl Vault {
    /// Creates a new vault in `paths.dir()`, which must be absent, empty, or not yet a vault.
    pub fn create(paths: VaultPaths, passphrase: SecretString) -> Result<Created> {
        let dir = paths.dir().to_path_buf();
        if paths.exists() || paths.keyslots().exists() {
            return Err(Error::VaultExists { path: dir });
        }
        let created_dir = !dir.exists();
        if !created_dir {
            let mut entries = fs::read_dir(&dir)
                .map_err(|e| Error::io(format!("reading {}", dir.display()), e))?;
            if entries.next().is_some() {
                return Err(Error::DirectoryNotEmpty { path: dir });
            }
        }
        crate::fsutil::create_private_dir(&dir)?;
        let result = Self::create_inner(paths.clone(), passphrase);
        if result.is_err() {
            // Leave nothing half-made behind: remove exactly what we created.
            for p in [paths.db(), paths.wal(), paths.shm(), paths.lock()] {
                let _ = fs::remove_file(p);
            }
            let _ = fs::remove_file(paths.slot(keyslot::PASSPHRASE_SLOT));
            let _ = fs::remove_dir(paths.keyslots());
            if created_dir {
                let _ = fs::remove_dir(&dir);
            }
        }
        result
    }

    fn create_inner(paths: VaultPaths, passphrase: SecretString) -> Result<Created> {
        let lock = lock::acquire(&paths)?;
        crate::fsutil::create_private_file(&paths.db())?;
        let key = MasterKey::generate()?;
        let (mut conn, mac) = db::open(&paths.db(), &key, db::Mode::Create)?;
        migrations::migrate(&mut conn)?;

        let id = uuid::Uuid::new_v4().to_string();
        let keys = VaultKeys::generate()?;
        let now = now_ms();
        {
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('vault_id', ?1), ('created_ms', ?2)",
                (&id, now.to_string()),
            )?;
            keys.store(&tx)?;
            tx.execute(
                "INSERT INTO key_slots (name, kind, recipient, created_ms) VALUES (?1, 'passphrase', NULL, ?2)",
                (keyslot::PASSPHRASE_SLOT, now),
            )?;
            tx.commit()?;
        }
        crate::fsutil::create_private_dir(&paths.keyslots())?;
        keyslot::write_passphrase(&paths, &key, &id, passphrase)?;
        let signing_key = keys.minisign_public_key();
        let recipient = keys.recipient();
        Ok(Created {
            vault: Vault {
                paths,
                conn,
                id,
                key,
                mac,
                unlocked_with: keyslot::PASSPHRASE_SLOT.to_string(),
                _lock: Some(lock),
            },
            signing_key,
            recipient,
        })
    }

    /// A second connection to this vault's database, keyed and configured like the first (for
    /// work beside the main connection, such as the import's checkpoints).
    pub fn open_connection(&self) -> Result<Connection> {
        db::open_with(&self.paths.db(), &self.key, db::Mode::ReadWrite, self.mac)
    }

    /// Unlocks and opens an existing vault.
    pub fn open(paths: VaultPaths, cred: &Credential, access: Access) -> Result<Vault> {
        paths.require_exists()?;
        let lock = match access {
            Access::Write => Some(lock::acquire(&paths)?),
            Access::Read => None,
        };
        Self::open_locked(paths, cred, lock)
    }

    /// Like [`Vault::open`], with the credential resolved only after the vault is known to
    /// exist and (for writers) the lock is held, so nobody is asked for a passphrase in vain.
    pub fn open_with(
        paths: VaultPaths,
        access: Access,
        credential: impl FnOnce(&VaultPaths) -> Result<Credential>,
    ) -> Result<Vault> {
        paths.require_exists()?;
        let lock = match access {
            Access::Write => Some(lock::acquire(&paths)?),
            Access::Read => None,
        };
        let cred = credential(&paths)?;
        Self::open_locked(paths, &cred, lock)
    }

    fn open_locked(
        paths: VaultPaths,
        cred: &Credential,
        lock: Option<lock::VaultLock>,
    ) -> Result<Vault> {
        // Refuse a plaintext database before spending a second on scrypt.
        if db::is_plaintext_sqlite(&paths.db())? {
            return Err(Error::PlaintextVault { path: paths.db() });
        }
        let (key, slot_vault_id, slot) = keyslot::open(&paths, cred)?;
        crate::harden::disable_core_dumps();
        // Readers open read-write too: SQLite's WAL needs the -shm file writable, and a
        // schema migration may be due. `trove query` uses its own read-only connection.
        let (mut conn, mac) = db::open(&paths.db(), &key, db::Mode::ReadWrite)?;
        let id: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::DatabaseUnreadable {
                path: paths.db(),
                detail: "no vault id".into(),
            })?;
        if id != slot_vault_id {
            return Err(Error::KeySlotMismatch {
                slot_vault: slot_vault_id,
                vault: id,
            });
        }
        if migrations::current(&conn)? != migrations::latest() {
            // Readers migrate too, but only while holding the writer lock.
            let _guard = match lock {
                Some(_) => None,
                None => Some(lock::acquire(&paths)?),
            };
            migrations::migrate(&mut conn)?;
        }
        Ok(Vault {
            paths,
            conn,
            id,
            key,
            mac,
            unlocked_with: slot.name,
            _lock: lock,
        })
    }

    /// Starts a read transaction: every query until it drops sees the vault as of its first
    /// read, so a command that reads several tables during an import reports one committed
    /// state, never half of an import's commit (WAL gives readers this snapshot for free).
    pub fn read_snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.unchecked_transaction()?)
    }

    /// A second connection to this vault that cannot write (`SQLITE_OPEN_READONLY` plus
    /// `query_only`), for running SQL the user wrote (`trove query`).
    pub fn read_only_connection(&self) -> Result<Connection> {
        db::open_with(&self.paths.db(), &self.key, db::Mode::ReadOnly, self.mac)
    }

    pub fn keys(&self) -> Result<VaultKeys> {
        VaultKeys::load(&self.conn)
    }

    /// Adds an X25519 key slot for `recipient`.
    pub fn add_x25519_slot(&mut self, name: &str, recipient: &str) -> Result<()> {
        keyslot::validate_name(name)?;
        if name == keyslot::PASSPHRASE_SLOT {
            return Err(Error::SlotExists { name: name.into() });
        }
        let parsed: age::x25519::Recipient =
            recipient
                .parse()
                .map_err(|e: &str| Error::InvalidRecipient {
                    recipient: recipient.to_string(),
                    detail: e.to_string(),
                })?;
        if self.paths.slot(name).exists() {
            return Err(Error::SlotExists { name: name.into() });
        }
        // Record first: if writing the file fails, the transaction is rolled back.
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO key_slots (name, kind, recipient, created_ms) VALUES (?1, 'x25519', ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, recipient = excluded.recipient, created_ms = excluded.created_ms",
            (name, parsed.to_string(), now_ms()),
        )?;
        keyslot::write_x25519(&self.paths, name, &self.key, &self.id, &parsed)?;
        tx.commit()?;
        Ok(())
    }

    /// Rewrites the passphrase slot (creating it if the vault had none).
    pub fn set_passphrase(&mut self, passphrase: SecretString) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO key_slots (name, kind, recipient, created_ms) VALUES (?1, 'passphrase', NULL, ?2)
             ON CONFLICT (name) DO UPDATE SET created_ms = excluded.created_ms",
            (keyslot::PASSPHRASE_SLOT, now_ms()),
        )?;
        keyslot::write_passphrase(&self.paths, &self.key, &self.id, passphrase)?;
        tx.commit()?;
        Ok(())
    }

    /// Removes a key slot; never the last one.
    pub fn remove_slot(&mut self, name: &str) -> Result<()> {
        // A damaged slot can be removed too; it does not count as one that unlocks.
        let (slots, damaged) = keyslot::scan(&self.paths)?;
        if !slots.iter().any(|s| s.name == name) && !damaged.iter().any(|(n, _)| n == name) {
            return Err(Error::NoSuchSlot { name: name.into() });
        }
        if slots.iter().filter(|s| s.name != name).count() == 0 {
            return Err(Error::LastSlot { name: name.into() });
        }
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM key_slots WHERE name = ?1", [name])?;
        keyslot::remove(&self.paths, name)?;
        tx.commit()?;
        Ok(())
    }

    /// Key slots as found on disk, with the recipients recorded in the database.
    pub fn slots(&self) -> Result<Vec<SlotInfo>> {
        let mut out = Vec::new();
        for slot in keyslot::list(&self.paths)? {
            let row: Option<(Option<String>, i64)> = self
                .conn
                .query_row(
                    "SELECT recipient, created_ms FROM key_slots WHERE name = ?1",
                    [&slot.name],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            out.push(SlotInfo {
                name: slot.name.clone(),
                kind: slot.kind,
                recipient: row.as_ref().and_then(|r| r.0.clone()),
                created_ms: row.map(|r| r.1),
                unlocked_this_session: slot.name == self.unlocked_with,
            });
        }
        Ok(out)
    }
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct SlotInfo {
    pub name: String,
    pub kind: SlotKind,
    pub recipient: Option<String>,
    pub created_ms: Option<i64>,
    pub unlocked_this_session: bool,
}
