//! End-to-end tests of the `trove` binary. One test binary (fast to link), one module per
//! area; `common` is the hermetic harness.

mod common;

mod completions;
mod conventions;
mod explore;
mod interop;
mod keys;
mod leaks;
mod report;
mod status_check;
mod vault;
