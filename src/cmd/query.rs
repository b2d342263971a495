//! `trove query "SQL"`: read-only SQL over the vault and its documented views.

use std::io::{IsTerminal, Read, Write};

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::explore::buckets::Zone;
use crate::explore::query::{Format, QueryConn};
use crate::explore::views::VIEWS;
use crate::output::JSON_VERSION;
use crate::vault::Access;

/// Runs one SQL query on a read-only connection and streams the rows.
///
/// Besides the tables (docs/SCHEMA.md), these views are there so you need not know them:
/// daily_metrics, sample_details, event_details, workouts, source_coverage, metric_catalog,
/// device_ranking, contribution_history, export_history (`--schema` lists their columns).
/// Local times and days (`local_time(ms)`, `local_date(ms)`, the views' local_* columns) are
/// in --tz. Any write, ATTACH, or PRAGMA that sets something is refused (exit 2).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query (one statement; - reads it from stdin)
    #[arg(value_name = "SQL", required_unless_present = "schema")]
    pub sql: Option<String>,

    /// Output format (--json means json)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Time zone of local_time(), local_date() and the views' local days [default: this machine's zone]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// List the views and tables with their columns instead of running a query
    #[arg(long, conflicts_with = "sql")]
    pub schema: bool,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let zone = Zone::resolve(args.tz.as_deref())?;
    if args.schema {
        return schema(ctx, &zone);
    }
    let mut sql = args.sql.unwrap_or_default();
    if sql == "-" {
        sql.clear();
        std::io::stdin()
            .read_to_string(&mut sql)
            .map_err(|e| Error::io("reading the query from stdin", e))?;
    }
    let format = match (args.format, ctx.out.json) {
        (Some(f), _) => f,
        (None, true) => Format::Json,
        (None, false) => Format::Table,
    };
    let vault = ctx.open_vault(Access::Read)?;
    crate::interrupt::install();
    let q = QueryConn::open(&vault, &zone, &sql)?;
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let n = q.run(&sql, format, &mut out, tty)?;
    out.flush().map_err(|e| Error::io("writing to stdout", e))?;
    ctx.out.status(format!("{n} row(s)"));
    Ok(())
}

fn schema(ctx: &Ctx, zone: &Zone) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    // Column names only; read on trove's own connection (the query connection's authorizer
    // would refuse even naming the key columns).
    // The vault's tables and its own views (`samples` is one: schema v5).
    let mut stmt = vault.conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')
         AND name NOT LIKE 'sqlite_%' AND name <> 'secrets' ORDER BY name",
    )?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in names {
        let cols = vault
            .conn
            .prepare(&format!("SELECT * FROM main.\"{name}\" LIMIT 0"))?;
        let c: Vec<String> = cols.column_names().map(|s| s.to_string()).collect();
        drop(cols);
        tables.push((name, c));
    }
    if ctx.out.json {
        let views: Vec<serde_json::Value> = VIEWS
            .iter()
            .map(|v| serde_json::json!({"name": v.name, "about": v.about, "columns": v.columns}))
            .collect();
        let tables: Vec<serde_json::Value> = tables
            .iter()
            .map(|(n, c)| serde_json::json!({"name": n, "columns": c}))
            .collect();
        return ctx.out.json_doc(&serde_json::json!({
            "version": JSON_VERSION,
            "timezone": zone.name,
            "functions": ["local_time(ms)", "local_date(ms)", "utc_time(ms)"],
            "views": views,
            "tables": tables,
        }));
    }
    let mut s = String::from("views (local times in ");
    s.push_str(&zone.name);
    s.push_str(")\n");
    for v in VIEWS {
        s.push_str(&format!(
            "  {}: {}\n    {}\n",
            v.name,
            v.about,
            v.columns.join(", ")
        ));
    }
    s.push_str(
        "\nfunctions\n  local_time(ms), local_date(ms), utc_time(ms)\n\ntables (docs/SCHEMA.md)\n",
    );
    for (n, c) in tables {
        s.push_str(&format!("  {n}: {}\n", c.join(", ")));
    }
    ctx.out.data(s)
}
