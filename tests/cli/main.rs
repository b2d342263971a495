//! End-to-end tests of the `trove` binary. One test binary (fast to link), one module per
//! area; `common` is the hermetic harness.

mod common;
mod pkg;
mod seed;

mod audit;
mod completions;
mod contribute;
mod conventions;
mod dao;
mod interop;
mod keys;
mod leaks;
mod status_check;
mod submit;
mod vault;
mod verify;
