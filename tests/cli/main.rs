//! End-to-end tests of the `trove` binary. One test binary (fast to link), one module per
//! area; `common` is the hermetic harness.

mod common;

mod chatgpt;
mod completions;
mod conventions;
mod interop;
mod keys;
mod leaks;
mod meta;
mod social_common;
mod reddit;
mod status_check;
mod twitter;
mod vault;
