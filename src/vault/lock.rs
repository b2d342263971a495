//! One writer at a time.
//!
//! A process that writes holds an exclusive advisory lock (`flock`) on `vault.lock` for as long
//! as it runs, and records its pid there for the error message. A second writer does not wait:
//! it fails at once with [`Error::Locked`] (exit 11). Readers take no lock; SQLite's WAL lets
//! them read a consistent snapshot while a writer works. The lock is released by the kernel
//! when the process exits, however it exits, so a crash never leaves a stale lock behind.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};

use crate::error::{Error, Result};
use crate::vault::paths::VaultPaths;

pub struct VaultLock {
    _file: File,
}

pub fn acquire(paths: &VaultPaths) -> Result<VaultLock> {
    let path = paths.lock();
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            // The holder writes its pid just after locking, so for a moment the file may
            // still name the previous (exited) holder: name only a process that exists.
            let pid = text
                .trim()
                .parse()
                .ok()
                .filter(|&p| p > 0 && process_exists(p));
            return Err(Error::Locked {
                path: paths.dir().to_path_buf(),
                pid,
            });
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(Error::io(format!("locking {}", path.display()), e));
        }
    }
    // Best effort: the pid only improves the message a second writer sees.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    let _ = file.flush();
    Ok(VaultLock { _file: file })
}

fn process_exists(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let rc = unsafe { libc::kill(pid, 0) };
        rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}
