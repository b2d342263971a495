//! The hermetic test environment: every test gets its own temporary HOME, XDG directories,
//! TMPDIR and vault, a fixed time zone, and an environment cleared of everything else.
//!
//! Creating a vault costs one scrypt run (about a second), so a template vault is made once
//! per build of the binary (guarded by a file lock, shared by parallel test processes) and
//! copied into each test that needs one. The template has the passphrase slot and an x25519
//! slot named `test`; tests unlock with the identity unless they are about passphrases.

#![allow(dead_code)]

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub const PASSPHRASE: &str = "correct horse battery staple";

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_trove"))
}

pub struct TestEnv {
    pub root: TempDir,
    env: RefCell<Vec<(String, String)>>,
}

impl TestEnv {
    /// A fresh environment with no vault.
    pub fn new() -> Self {
        let root = tempfile::Builder::new()
            .prefix("trove-test-")
            .tempdir()
            .unwrap();
        let r = root.path();
        for d in ["home", "data", "config", "cache", "tmp"] {
            fs::create_dir_all(r.join(d)).unwrap();
        }
        fs::write(r.join("passphrase.txt"), format!("{PASSPHRASE}\n")).unwrap();
        set_mode(&r.join("passphrase.txt"), 0o600);
        let env = vec![
            (
                "PATH".to_string(),
                std::env::var("PATH").unwrap_or_default(),
            ),
            ("HOME".into(), path_str(&r.join("home"))),
            ("XDG_DATA_HOME".into(), path_str(&r.join("data"))),
            ("XDG_CONFIG_HOME".into(), path_str(&r.join("config"))),
            ("XDG_CACHE_HOME".into(), path_str(&r.join("cache"))),
            ("TMPDIR".into(), path_str(&r.join("tmp"))),
            // Deliberately not UTC, so nothing can depend on the machine's zone by accident.
            ("TZ".into(), "Europe/Berlin".into()),
            ("LANG".into(), "C.UTF-8".into()),
            ("TROVE_VAULT".into(), path_str(&r.join("vault"))),
        ];
        TestEnv {
            root,
            env: RefCell::new(env),
        }
    }

    /// An environment with a vault (copied from the template), unlocked by identity.
    pub fn with_vault() -> Self {
        let t = Self::new();
        copy_dir(&template().join("vault"), &t.vault());
        fs::copy(template().join("identity.txt"), t.identity_file()).unwrap();
        set_mode(&t.identity_file(), 0o600);
        t.set("TROVE_IDENTITY", &path_str(&t.identity_file()));
        t
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }
    pub fn vault(&self) -> PathBuf {
        self.path().join("vault")
    }
    pub fn passphrase_file(&self) -> PathBuf {
        self.path().join("passphrase.txt")
    }
    pub fn identity_file(&self) -> PathBuf {
        self.path().join("identity.txt")
    }
    pub fn tmp(&self) -> PathBuf {
        self.path().join("tmp")
    }

    pub fn set(&self, key: &str, value: &str) {
        let mut env = self.env.borrow_mut();
        env.retain(|(k, _)| k != key);
        env.push((key.to_string(), value.to_string()));
    }

    pub fn unset(&self, key: &str) {
        self.env.borrow_mut().retain(|(k, _)| k != key);
    }

    /// The binary with a cleared, hermetic environment, run in the test's root directory.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::new(bin());
        cmd.env_clear();
        for (k, v) in self.env.borrow().iter() {
            cmd.env(k, v);
        }
        cmd.current_dir(self.path());
        cmd.timeout(std::time::Duration::from_secs(120));
        cmd
    }

    /// The same as [`TestEnv::cmd`], as a plain std Command (for spawning and killing).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(bin());
        cmd.env_clear();
        for (k, v) in self.env.borrow().iter() {
            cmd.env(k, v);
        }
        cmd.current_dir(self.path());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "trove {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        serde_json::from_str(&self.ok(&full)).unwrap()
    }
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn path_str(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    set_mode(to, 0o700);
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Reads a whole file (empty if absent).
pub fn read_or_empty(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_default()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The template vault: made once per binary build, shared by all test processes.
fn template() -> PathBuf {
    let meta = fs::metadata(bin()).unwrap();
    let stamp = format!(
        "{}-{}",
        meta.len(),
        meta.modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    );
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("template-vault");
    fs::create_dir_all(&base).unwrap();
    let dir = base.join(&stamp);
    if dir.join("ready").exists() {
        return dir;
    }
    let lock = fs::File::create(base.join("lock")).unwrap();
    lock.lock().unwrap();
    if !dir.join("ready").exists() {
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let t = TestEnv::new();
        t.set("TROVE_VAULT", &path_str(&dir.join("vault")));
        t.set("TROVE_PASSPHRASE_FILE", &path_str(&t.passphrase_file()));
        t.ok(&["init"]);
        let (identity, recipient) = generate_identity();
        fs::write(dir.join("identity.txt"), identity).unwrap();
        t.ok(&["key", "add", "--name", "test", "--recipient", &recipient]);
        fs::write(dir.join("ready"), "").unwrap();
    }
    dir
}

/// A fresh age identity file and its recipient.
pub fn generate_identity() -> (String, String) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    (format!("{}\n", id.to_string().expose_secret()), recipient)
}

impl TestEnv {
    /// Runs a read-only query against the test vault through the library (the vault is
    /// unlocked with the test identity) and returns the rows as JSON values, so tests can
    /// assert exact rows. Use `ORDER BY` for a stable order.
    pub fn sql(&self, query: &str) -> Vec<Vec<serde_json::Value>> {
        use rusqlite::types::ValueRef;
        let args = trove::unlock::UnlockArgs {
            identity: Some(self.identity_file()),
            passphrase_file: None,
        };
        let cred = trove::unlock::credential(&args, &self.vault()).unwrap();
        let vault = trove::vault::Vault::open(
            trove::vault::VaultPaths::new(self.vault()),
            &cred,
            trove::vault::Access::Read,
        )
        .unwrap();
        let mut stmt = vault.conn.prepare(query).unwrap();
        let n = stmt.column_count();

        stmt.query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => serde_json::Value::Null,
                        ValueRef::Integer(v) => v.into(),
                        ValueRef::Real(v) => v.into(),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                        ValueRef::Blob(b) => format!("blob:{}", b.len()).into(),
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
    }

    /// A single integer from a query (`SELECT count(*) …`).
    pub fn count(&self, query: &str) -> i64 {
        self.sql(query)[0][0].as_i64().unwrap()
    }
}

/// The project's own fixtures (tests/fixtures/…).
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The shared real samples, when TROVE_REAL_SAMPLES points at them (set by .ci/run). Returns
/// None when it is unset; when it is set, a missing file fails the test loudly.
pub fn real_sample(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("TROVE_REAL_SAMPLES")?;
    let path = PathBuf::from(root).join(rel);
    assert!(
        path.exists(),
        "TROVE_REAL_SAMPLES is set but {} is missing",
        path.display()
    );
    Some(path)
}
