//! End-to-end tests of the `trove` binary. One test binary (fast to link), one module per
//! area; `common` is the hermetic harness.

mod chaos;
mod common;
mod pkg;
mod seed;

mod apple_health;
mod audit;
mod cars;
mod chatgpt;
mod completions;
mod concurrency;
mod contribute;
mod conventions;
mod crash;
mod dao;
mod disk_full;
mod explore;
mod hostile;
mod import_fhir;
mod import_fitbit;
mod import_google_fit;
mod import_samsung;
mod interop;
mod keys;
mod leaks;
mod meta;
mod oura;
mod oura_sync;
mod pg;
mod reddit;
mod report;
mod social_common;
mod status_check;
mod submit;
mod tamper;
mod teslamate;
mod twitter;
mod vault;
mod verify;
