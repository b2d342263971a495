//! A throwaway PostgreSQL server for tests: `initdb` in a temporary directory, started on a
//! free loopback port, stopped and deleted on drop.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to the
//! `postgres` system user (Debian's package creates it; `nobody` otherwise) and the server
//! programs run through `runuser`. The binaries are found on PATH or in Debian's
//! /usr/lib/postgresql/<version>/bin (package `postgresql`, which .ci/run installs).

use std::path::{Path, PathBuf};
use std::process::Command;

pub const SUPERUSER_PASSWORD: &str = "super-secret-for-tests";

pub struct Pg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<String>,
    pub port: u16,
}

fn find_bin() -> PathBuf {
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if d.join("initdb").is_file() && d.join("pg_ctl").is_file() {
                return d;
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    versions.retain(|d| d.join("initdb").is_file());
    versions.sort();
    versions.pop().expect(
        "PostgreSQL server programs (initdb, pg_ctl) not found: install Debian's `postgresql` package",
    )
}

fn id_of(user: &str, flag: &str) -> Option<u32> {
    let out = Command::new("id").args([flag, user]).output().ok()?;
    String::from_utf8(out.stdout).ok()?.trim().parse().ok()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Pg {
    pub fn start() -> Pg {
        let bin = find_bin();
        let dir = tempfile::Builder::new()
            .prefix("trove-pg-")
            .tempdir_in("/tmp")
            .unwrap();
        let root = unsafe { libc::geteuid() } == 0;
        let run_as = root.then(|| {
            ["postgres", "nobody"]
                .into_iter()
                .find(|u| id_of(u, "-u").is_some())
                .expect("no unprivileged user (postgres or nobody) to run PostgreSQL as")
                .to_string()
        });
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, format!("{SUPERUSER_PASSWORD}\n")).unwrap();
        if let Some(user) = &run_as {
            let (uid, gid) = (id_of(user, "-u"), id_of(user, "-g"));
            for p in [dir.path(), pwfile.as_path()] {
                std::os::unix::fs::chown(p, uid, gid).unwrap();
            }
        }
        let mut pg = Pg {
            dir,
            bin,
            run_as,
            port: 0,
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                &format!("--pwfile={}", pwfile.display()),
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        // A port taken between the probe and the start makes pg_ctl fail: try a few.
        for attempt in 0..5 {
            pg.port = free_port();
            let opts = format!(
                "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c full_page_writes=off -c log_statement=all",
                pg.port,
                pg.dir.path().display()
            );
            let log = pg.dir.path().join("server.log");
            let ok = pg
                .command("pg_ctl")
                .args([
                    "-D",
                    &data,
                    "-l",
                    &log.display().to_string(),
                    "-w",
                    "-t",
                    "60",
                ])
                .args(["-o", &opts, "start"])
                .output()
                .unwrap()
                .status
                .success();
            if ok {
                return pg;
            }
            assert!(
                attempt < 4,
                "PostgreSQL did not start:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        unreachable!()
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        cmd.current_dir(self.dir.path()).env("LC_ALL", "C");
        cmd
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self.command(program).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{program} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A superuser connection to `db`.
    pub fn connect(&self, db: &str) -> postgres::Client {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user("postgres")
            .password(SUPERUSER_PASSWORD)
            .dbname(db)
            .connect(postgres::NoTls)
            .unwrap()
    }

    pub fn url(&self, user: &str, db: &str) -> String {
        format!("postgres://{user}@127.0.0.1:{}/{db}", self.port)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "-w", "stop"])
            .output();
    }
}
