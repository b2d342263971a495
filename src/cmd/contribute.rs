//! `trove contribute`: select, redact, preview, sign, encrypt, record.

use std::path::PathBuf;

use crate::cmd::Ctx;
use crate::contribute::package::{self, Target};
use crate::contribute::plan::{self, Class, Flags, Format, TimePrecision};
use crate::contribute::{dao, hex32, preview};
use crate::error::{Error, Result};
use crate::vault::Access;

/// Contributes a chosen, redacted subset of the vault to a DAO.
///
/// The selection comes from --metric/--kind/--source/--since/--until or, without
/// --metric/--kind, from the DAO's request. Safe defaults: no location, no raw identifiers,
/// free text scrubbed of emails, phone numbers, handles, URLs and addresses, events marked
/// sensitive left out. A request's required redactions cannot be weakened by flags.
///
/// --dry-run prints the preview and privacy report and writes nothing. Otherwise the package
/// (a zip of manifest.json, data files and a minisign signature, encrypted with age to the DAO
/// and to the vault's own key) is written to -o FILE (default: <dao>-<date>-<id>.trove) and
/// recorded in the ledger.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The DAO to contribute to (see `trove dao list`)
    #[arg(long, value_name = "NAME")]
    pub dao: String,

    /// Include samples of METRIC (repeatable, or comma-separated)
    #[arg(long, value_name = "METRIC", value_delimiter = ',')]
    pub metric: Vec<String>,

    /// Include events of KIND (repeatable, or comma-separated)
    #[arg(long, value_name = "KIND", value_delimiter = ',')]
    pub kind: Vec<String>,

    /// Only rows from these importers (repeatable, or comma-separated)
    #[arg(long, value_name = "IMPORTER", value_delimiter = ',')]
    pub source: Vec<String>,

    /// Only rows starting at or after WHEN (a UTC date 2024-01-31, or an RFC 3339 time)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// Only rows starting before WHEN (a date covers that whole UTC day)
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Leave a sensitive class out (location and identifiers are left out by default)
    #[arg(long, value_enum, value_name = "CLASS")]
    pub redact: Vec<Class>,

    /// Include a sensitive class that is left out (or scrubbed) by default
    #[arg(long, value_enum, value_name = "CLASS")]
    pub include: Vec<Class>,

    /// Keep free text but replace emails, phone numbers, handles, URLs and addresses (default)
    #[arg(long)]
    pub scrub_pii: bool,

    /// Replace device and account names (and source ids) by pseudonyms keyed for this DAO
    #[arg(long)]
    pub pseudonymize: bool,

    /// Coarsen all times to this precision
    #[arg(long, value_enum, value_name = "PRECISION")]
    pub time_precision: Option<TimePrecision>,

    /// Data file format
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Show the preview and privacy report; write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// How many redacted example rows per file the preview shows
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub examples: usize,

    /// Accept the consent text of the DAO's request (read it with `trove dao show`)
    #[arg(long)]
    pub accept_consent: bool,

    /// Write the package to FILE (- for stdout)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let flags = Flags {
        metrics: args.metric,
        kinds: args.kind,
        sources: args.source,
        since: args.since,
        until: args.until,
        redact: args.redact,
        include: args.include,
        scrub_pii: args.scrub_pii,
        pseudonymize: args.pseudonymize,
        time_precision: args.time_precision,
        format: args.format,
    };
    if args.dry_run {
        if args.output.is_some() {
            return Err(Error::usage("--dry-run writes nothing; drop -o"));
        }
        let vault = ctx.open_vault(Access::Read)?;
        let d = dao::get(&vault.conn, &args.dao)?;
        let plan = plan::resolve(&d, &flags)?;
        let p = preview::dry_run(&vault.conn, &d, &plan, args.examples)?;
        for w in &p.warnings {
            ctx.out.warn(w);
        }
        if ctx.out.json {
            return ctx.out.json_doc(&p);
        }
        return ctx.out.data(preview::render(&p));
    }

    let target = args.output.map(|p| {
        if p.as_os_str() == "-" {
            Target::Stdout
        } else {
            Target::File(p)
        }
    });
    if matches!(target, Some(Target::Stdout)) && ctx.out.json {
        return Err(Error::usage("--json and -o - both want stdout; choose one"));
    }
    crate::interrupt::install();
    let mut vault = ctx.open_vault(Access::Write)?;
    finish_interrupted(ctx, &vault)?;
    let d = dao::get(&vault.conn, &args.dao)?;
    let plan = plan::resolve(&d, &flags)?;
    plan::check_consent(&d, args.accept_consent)?;
    let written = package::contribute(&mut vault, &d, &plan, target)?;
    let p = preview::build(&d, &plan, &written.collected, false);
    for w in &p.warnings {
        ctx.out.warn(w);
    }
    let path = written.path.as_ref().map(|p| p.display().to_string());
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "id": written.id,
            "dao": d.name,
            "path": path,
            "records": written.collected.records(),
            "manifest_sha256": hex32(&written.manifest_sha256),
            "package_sha256": hex32(&written.package_sha256),
            "package_size": written.package_size,
            "ledger_seq": written.ledger_seq,
            "report": p,
        }));
    }
    ctx.out.status(preview::render(&p).trim_end());
    match &path {
        Some(path) => {
            ctx.out.status(format!(
                "Wrote contribution {} to {} ({} records, signed, encrypted to {} and to this vault)",
                written.id,
                path,
                written.collected.records(),
                d.name
            ));
            ctx.out.data(format!("{path}\n"))
        }
        None => {
            ctx.out.status(format!(
                "Wrote contribution {} to stdout ({} records)",
                written.id,
                written.collected.records()
            ));
            Ok(())
        }
    }
}

/// Gives the package of a contribution that was recorded just before a crash its name (see
/// `contribute::package`). Commands that deal with packages call it once the writer lock is
/// held.
pub(crate) fn finish_interrupted(ctx: &Ctx, vault: &crate::vault::Vault) -> Result<()> {
    if let Some(path) = package::finish_interrupted(vault)? {
        ctx.out.warn(format!(
            "an interrupted contribution was finished: its package is now {}",
            crate::output::sanitize(&path.display().to_string())
        ));
    }
    Ok(())
}
