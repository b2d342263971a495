//! `trove status`: what the vault holds.

use std::fmt::Write as _;

use crate::cmd::Ctx;
use crate::error::Result;
use crate::output::human_bytes;
use crate::vault::{Access, status};

/// Shows the vault id and path, schema version, key slots, row counts, coverage per source,
/// recent imports and import errors, and the size on disk.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let st = status::gather(&vault)?;
    if ctx.out.json {
        return ctx.out.json_doc(&st);
    }
    let mut s = String::new();
    let _ = writeln!(s, "vault      {}", st.vault.id);
    let _ = writeln!(s, "path       {}", st.vault.path);
    if let Some(created) = &st.vault.created {
        let _ = writeln!(s, "created    {created}");
    }
    let _ = writeln!(s, "schema     {}", st.schema_version);
    let _ = writeln!(s, "size       {}", human_bytes(st.size_bytes));
    let slots: Vec<String> = st
        .key_slots
        .iter()
        .map(|k| match &k.recipient {
            Some(r) => format!("{} ({} {r})", k.name, k.kind.as_str()),
            None => format!("{} ({})", k.name, k.kind.as_str()),
        })
        .collect();
    let _ = writeln!(s, "key slots  {}", slots.join(", "));
    match &st.coverage {
        Some(c) => {
            let _ = writeln!(s, "coverage   {} .. {}", c.earliest, c.latest);
        }
        None => {
            let _ = writeln!(s, "coverage   (no data yet)");
        }
    }
    let _ = writeln!(s, "\nrows");
    for table in status::COUNTED_TABLES {
        let _ = writeln!(
            s,
            "  {:<18} {:>12}",
            table,
            st.tables.get(*table).copied().unwrap_or(0)
        );
    }
    if !st.sources.is_empty() {
        let _ = writeln!(s, "\nsources");
        for src in &st.sources {
            let name = if src.account.is_empty() {
                src.importer.clone()
            } else {
                format!("{} ({})", src.importer, src.account)
            };
            let cov = src
                .coverage
                .as_ref()
                .map(|c| format!("{} .. {}", c.earliest, c.latest))
                .unwrap_or_default();
            let _ = writeln!(s, "  {:<28} {:>5} file(s)  {}", name, src.files, cov);
        }
    }
    if !st.recent_imports.is_empty() {
        let _ = writeln!(s, "\nrecent imports");
        for run in &st.recent_imports {
            let _ = writeln!(
                s,
                "  #{:<4} {:<8} {:<16} {:<12} {}",
                run.id, run.kind, run.importer, run.status, run.started
            );
        }
    }
    let errors = st.tables.get("import_errors").copied().unwrap_or(0);
    if errors > 0 {
        let _ = writeln!(
            s,
            "\nimport errors ({} in all, latest {})",
            errors,
            st.recent_import_errors.len()
        );
        for e in &st.recent_import_errors {
            let _ = writeln!(
                s,
                "  run #{} {} {} {}: {}",
                e.import_run_id,
                e.importer,
                e.member.as_deref().unwrap_or("-"),
                e.locator,
                crate::output::sanitize(&e.message)
            );
        }
    }
    ctx.out.data(s)
}
