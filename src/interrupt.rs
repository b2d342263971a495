//! Ctrl-C and SIGTERM during long operations.
//!
//! [`install`] registers handlers that only set a flag; long loops poll [`requested`] and
//! unwind with `Error::Interrupted` (exit 130), so the current transaction is rolled back and
//! the vault is left exactly as before the interrupted file. A second Ctrl-C is not special:
//! SQLite's journal makes even a hard kill safe.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

fn flag() -> &'static Arc<AtomicBool> {
    FLAG.get_or_init(|| Arc::new(AtomicBool::new(false)))
}

/// Registers the handlers (idempotent).
pub fn install() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let _ = signal_hook::flag::register(sig, Arc::clone(flag()));
        }
    });
}

pub fn requested() -> bool {
    flag().load(Ordering::Relaxed)
}

/// The shared flag, for threads that poll it.
pub fn shared() -> Arc<AtomicBool> {
    Arc::clone(flag())
}
