//! trove: an encrypted, local vault for personal data exports, and the owner's side of
//! contributing a chosen, redacted, signed subset of it to a DataDAO.
//!
//! The binary (`src/main.rs`) is a thin shell: it parses the command line ([`cli`]), calls
//! [`cmd::run`], and turns an [`error::Error`] into a message and a documented exit code.
//! Everything else is this library. See docs/ARCHITECTURE.md for how the parts fit.

pub mod catalog;
pub mod cli;
pub mod cmd;
pub mod contribute;
pub mod error;
pub mod explore;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod harden;
pub mod import;
pub mod interrupt;
pub mod keys;
pub mod model;
pub mod output;
pub mod pii;
pub mod sync;
pub mod time;
pub mod units;
pub mod unlock;
pub mod vault;

pub use error::{Error, Result};
