//! `trove metrics`: the metric catalog, with counts in this vault.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::{self, MetricKind};
use crate::cmd::Ctx;
use crate::error::Result;
use crate::output::JSON_VERSION;
use crate::vault::Access;

/// Lists metrics: name, canonical unit, kind (cumulative, instant, categorical) and how many
/// samples of each the vault holds. Metrics met in imports but not in the built-in catalog
/// are listed too (marked as such).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only metrics the vault has samples of
    #[arg(long)]
    pub present: bool,
}

#[derive(Serialize)]
struct Row {
    name: String,
    unit: String,
    kind: String,
    description: String,
    builtin: bool,
    samples: i64,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    let mut stmt = vault.conn.prepare(
        "SELECT name, (SELECT count(*) FROM sample_rows WHERE metric_id = m.id)
             FROM metric_names m",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (m, n) = row?;
        counts.insert(m, n);
    }
    let mut rows: Vec<Row> = catalog::METRICS
        .iter()
        .map(|m| Row {
            name: m.name.into(),
            unit: m.unit.into(),
            kind: m.kind.as_str().into(),
            description: m.description.into(),
            builtin: true,
            samples: counts.get(m.name).copied().unwrap_or(0),
        })
        .collect();
    let mut stmt = vault
        .conn
        .prepare("SELECT name, unit, kind, coalesce(description, '') FROM metrics ORDER BY name")?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })? {
        let (name, unit, kind, description) = row?;
        let kind = MetricKind::parse(&kind).map_or(kind.clone(), |k| k.as_str().to_string());
        rows.push(Row {
            samples: counts.get(&name).copied().unwrap_or(0),
            name,
            unit,
            kind,
            description: if description.is_empty() {
                "(not in the catalog; unit as imported)".into()
            } else {
                description
            },
            builtin: false,
        });
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    if args.present {
        rows.retain(|r| r.samples > 0);
    }
    if ctx.out.json {
        return ctx
            .out
            .json_doc(&serde_json::json!({ "version": JSON_VERSION, "metrics": rows }));
    }
    let mut s = String::new();
    for r in &rows {
        s.push_str(&format!(
            "{:<40} {:<12} {:<12} {:>10}  {}\n",
            r.name, r.unit, r.kind, r.samples, r.description
        ));
    }
    ctx.out.data(s)
}
