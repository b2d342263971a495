//! Process hardening: no core dumps, no same-user inspection.
//!
//! Once a secret is in memory (a passphrase being stretched, the database key, decrypted
//! pages), a core dump would write it to disk in the clear. We set `RLIMIT_CORE` to 0 and mark
//! the process non-dumpable, which also stops other processes of the same user from attaching
//! with ptrace or reading `/proc/<pid>/mem` and `/proc/<pid>/environ` (the kernel makes those
//! files root's). The CLI does this first thing in every command (`cmd::run`), before any
//! secret is read; [`crate::vault::Vault::open`] does it again for library users. Best effort:
//! failures are ignored, since refusing to run would not make the user safer.

pub fn disable_core_dumps() {
    #[cfg(unix)]
    // SAFETY: plain syscalls with valid arguments and no memory handed to the kernel besides
    // a stack value that outlives the call.
    unsafe {
        let limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        libc::setrlimit(libc::RLIMIT_CORE, &limit);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
}

/// Whether core dumps are currently disabled for this process (used by tests).
pub fn core_dumps_disabled() -> bool {
    #[cfg(unix)]
    // SAFETY: getrlimit writes into a valid, properly aligned stack value.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 && limit.rlim_cur == 0
    }
    #[cfg(not(unix))]
    false
}
