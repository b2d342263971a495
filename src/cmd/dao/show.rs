//! `trove dao show`.

use std::fmt::Write as _;

use crate::cmd::Ctx;
use crate::contribute::dao;
use crate::error::Result;
use crate::output::sanitize;
use crate::vault::Access;

/// Shows a DAO: recipients, endpoint, and its request (purpose, what it wants, the
/// redactions it requires, consent text and terms).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The DAO's name
    pub name: String,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let d = dao::get(&vault.conn, &args.name)?;
    let info = dao::info(&vault.conn, &d, true)?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({
            "version": crate::output::JSON_VERSION,
            "dao": info,
        }));
    }
    let mut s = String::new();
    let _ = writeln!(s, "name           {}", info.name);
    for r in &info.recipients {
        let _ = writeln!(s, "recipient      {r}");
    }
    let _ = writeln!(
        s,
        "endpoint       {}",
        info.endpoint.as_deref().unwrap_or("-")
    );
    let _ = writeln!(s, "registered     {}", info.created);
    let _ = writeln!(s, "contributions  {}", info.contributions);
    if let (Some(r), Some(h)) = (&info.request, &info.request_sha256) {
        let _ = writeln!(s, "request        sha256 {h}");
        let _ = writeln!(s, "purpose        {}", sanitize(&r.purpose));
        let w = &r.wants;
        let list = |v: &Vec<String>| {
            if v.is_empty() {
                "-".to_string()
            } else {
                v.join(", ")
            }
        };
        let _ = writeln!(s, "wants metrics  {}", list(&w.metrics));
        let _ = writeln!(s, "wants kinds    {}", list(&w.kinds));
        if !w.sources.is_empty() {
            let _ = writeln!(s, "wants sources  {}", list(&w.sources));
        }
        let _ = writeln!(
            s,
            "time window    {} .. {}",
            w.since.as_deref().unwrap_or("(start)"),
            w.until.as_deref().unwrap_or("(now)")
        );
        if let Some(days) = w.min_coverage_days {
            let _ = writeln!(s, "min coverage   {days} day(s)");
        }
        let q = &r.requires;
        let _ = writeln!(
            s,
            "requires       location {}, text {}, identifiers {}, times {}",
            q.location.map_or("-", |_| "omitted"),
            q.text.map_or("-", |t| t.as_str()),
            q.identifiers.map_or("-", |i| i.as_str()),
            q.time_precision.map_or("-", |t| t.as_str()),
        );
        if let Some(c) = &r.consent {
            let _ = writeln!(
                s,
                "consent{}\n  {}",
                c.version
                    .as_deref()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default(),
                sanitize(&c.text)
            );
        }
        if let Some(t) = &r.terms {
            let _ = writeln!(s, "terms          {}", sanitize(t));
        }
    }
    ctx.out.data(s)
}
