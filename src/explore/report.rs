//! `trove report`: one self-contained HTML file — what the vault holds, over time, and what
//! was shared from it.
//!
//! Sections: a summary; coverage per source over time (a strip chart of records per day,
//! week or month); daily metrics (the key metrics present, aggregated as `trove stats` does);
//! the contribution history (every package: to which DAO, when, how many records, its status)
//! and the plaintext exports recorded in the ledger.
//!
//! Self-contained and inert: inline CSS and inline SVG only, no script, no font, no image, no
//! link to anything; a Content-Security-Policy (`default-src 'none'`) in the document makes a
//! browser refuse any request even if something slipped in. Every string from the vault is
//! escaped ([`crate::explore::html::esc`]). The file is written 0600: it describes your data.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rusqlite::Connection;

use crate::catalog::MetricKind;
use crate::error::Result;
use crate::explore::buckets::{Bucketing, Granularity, Zone};
use crate::explore::html::{bar_chart, esc, strip_chart};
use crate::explore::stats::{self, Request};
use crate::explore::{fmt_duration, fmt_num};
use crate::output::rfc3339_ms;

/// Values, unit and formatter of one chart.
type Series = (Vec<Option<f64>>, String, Box<dyn Fn(f64) -> String>);
/// created, DAO, records, status, submitted, revoked, id.
type ContributionRow = (i64, String, i64, String, Option<i64>, Option<i64>, String);
/// created, destination, records, format.
type ExportRow = (i64, Option<String>, Option<i64>, Option<String>);

/// The first line of every report, so `trove report` may replace its own earlier output.
pub const MARKER: &str = "<!DOCTYPE html>\n<!-- trove report -->";

/// Metrics charted when present, in this order.
const CHARTED: &[&str] = &[
    "step_count",
    "active_energy_burned",
    "distance_walking_running",
    "heart_rate",
    "resting_heart_rate",
    "heart_rate_variability_sdnn",
    "sleep_stage",
    "body_mass",
    "readiness_score",
    "sleep_score",
];

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:960px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
h3{margin:1.2em 0 .3em;font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#777}.chart{max-width:100%;height:auto;display:block}.axis{font-size:11px;fill:#555}
.note{font-size:.9em;color:#555}";

fn span_granularity(first_ms: i64, last_ms: i64) -> Granularity {
    let days = (last_ms - first_ms) / 86_400_000;
    if days <= 400 {
        Granularity::Day
    } else if days <= 5 * 366 {
        Granularity::Week
    } else {
        Granularity::Month
    }
}

/// Builds the report.
pub fn render(conn: &Connection, zone: &Zone, vault_id: &str) -> Result<String> {
    let mut h = String::new();
    let now = crate::vault::now_ms();
    let _ = write!(
        h,
        "{MARKER}\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>trove report</title><style>{CSS}</style></head><body>\n"
    );
    let _ = writeln!(
        h,
        "<h1>trove report</h1><p class=\"muted\">vault {} · generated {} · days in {}</p>",
        esc(vault_id),
        esc(&rfc3339_ms(now)),
        esc(&zone.name)
    );

    // ---- summary --------------------------------------------------------------------------
    let count = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    let range: (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(min_ms), max(max_ms) FROM sources", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    h.push_str("<h2 id=\"summary\">What the vault holds</h2><table>");
    for (label, sql) in [
        ("samples", "SELECT count(*) FROM sample_rows"),
        ("events", "SELECT count(*) FROM events"),
        ("GPS points", "SELECT count(*) FROM track_points"),
        ("sources", "SELECT count(*) FROM sources"),
        ("devices", "SELECT count(DISTINCT name) FROM devices"),
        ("contributions", "SELECT count(*) FROM contributions"),
        (
            "plaintext exports",
            "SELECT count(*) FROM ledger WHERE kind = 'export'",
        ),
    ] {
        let _ = write!(
            h,
            "<tr><th>{label}</th><td class=\"n\">{}</td></tr>",
            fmt_num(count(sql)? as f64, "count")
        );
    }
    if let (Some(a), Some(b)) = range {
        let _ = write!(
            h,
            "<tr><th>from</th><td class=\"n\">{}</td></tr><tr><th>to</th><td class=\"n\">{}</td></tr>",
            esc(&zone.hm(a)),
            esc(&zone.hm(b))
        );
    }
    h.push_str("</table>\n");

    // ---- coverage per source --------------------------------------------------------------
    h.push_str("<h2 id=\"coverage\">Coverage per source over time</h2>\n");
    let mut per: BTreeMap<i64, BTreeMap<i64, u64>> = BTreeMap::new();
    // `samples` is a view (schema v5): its rows are counted in `sample_rows`.
    for table in ["sample_rows", "events"] {
        let mut stmt = conn.prepare(&format!(
            "SELECT source_id, start_ms / 86400000, count(*) FROM {table}
             WHERE start_ms IS NOT NULL GROUP BY 1, 2"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            *per.entry(r.get(0)?)
                .or_default()
                .entry(r.get(1)?)
                .or_default() += r.get::<_, i64>(2)? as u64;
        }
    }
    let first_day = per.values().filter_map(|m| m.keys().next()).min().copied();
    let last_day = per.values().filter_map(|m| m.keys().last()).max().copied();
    if let (Some(a), Some(b)) = (first_day, last_day) {
        let g = span_granularity(a * 86_400_000, b * 86_400_000);
        let bucketing = Bucketing::new(Zone::utc(), g, 0);
        let mut labels = Vec::new();
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut bk = bucketing.bucket_of(a * 86_400_000);
        while bk.start_ms <= b * 86_400_000 {
            index.insert(bk.label.clone(), labels.len());
            labels.push(bk.label.clone());
            bk = bucketing.next(&bk);
        }
        let mut names: BTreeMap<i64, String> = BTreeMap::new();
        let mut stmt = conn.prepare("SELECT id, importer, account FROM sources")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let importer: String = r.get(1)?;
            let account: String = r.get(2)?;
            names.insert(
                r.get(0)?,
                if account.is_empty() {
                    importer
                } else {
                    format!("{importer} ({account})")
                },
            );
        }
        let mut rows_out = Vec::new();
        for (src, days) in &per {
            let mut counts = vec![0u64; labels.len()];
            for (d, c) in days {
                let label = bucketing.bucket_of(d * 86_400_000).label;
                if let Some(&i) = index.get(&label) {
                    counts[i] += c;
                }
            }
            rows_out.push((names.get(src).cloned().unwrap_or_default(), counts));
        }
        let _ = writeln!(
            h,
            "<p class=\"note\">Records (samples and events) per {} (UTC), darker is more.</p>{}",
            g.as_str(),
            strip_chart(&labels, &rows_out)
        );
    } else {
        h.push_str("<p class=\"muted\">No data yet.</p>\n");
    }

    // ---- daily metrics --------------------------------------------------------------------
    h.push_str("<h2 id=\"metrics\">Metrics</h2>\n");
    let present = crate::explore::views::present_metrics(conn)?;
    let mut any = false;
    for metric in CHARTED.iter().filter(|m| present.iter().any(|p| p == *m)) {
        let st0 = stats::compute(
            conn,
            &Request {
                metric: metric.to_string(),
                granularity: Some(Granularity::Month),
                zone: Some(zone.clone()),
                ..Default::default()
            },
        )?;
        let (Some(first), Some(last)) = (st0.buckets.first(), st0.buckets.last()) else {
            continue;
        };
        let g = span_granularity(first.start_ms, last.end_ms);
        let st = stats::compute(
            conn,
            &Request {
                metric: metric.to_string(),
                granularity: Some(g),
                zone: Some(zone.clone()),
                ..Default::default()
            },
        )?;
        any = true;
        let labels: Vec<String> = st.buckets.iter().map(|b| b.label.clone()).collect();
        let (values, unit, fmt): Series = if st.kind == MetricKind::Categorical {
            (
                st.buckets
                    .iter()
                    .map(|b| b.headline(st.kind).map(|s| s / 3600.0))
                    .collect(),
                String::new(),
                Box::new(|v| fmt_duration(v * 3600.0)),
            )
        } else {
            let u = st.unit.clone();
            (
                st.buckets.iter().map(|b| b.headline(st.kind)).collect(),
                st.unit.clone(),
                Box::new(move |v| fmt_num(v, &u)),
            )
        };
        let what = match st.kind {
            MetricKind::Cumulative => format!("sum per {}", g.as_str()),
            MetricKind::Instant => format!("mean per {}", g.as_str()),
            MetricKind::Categorical => format!("time asleep per night ({})", g.as_str()),
        };
        let color = match st.kind {
            MetricKind::Cumulative => "#3c8d5a",
            MetricKind::Instant => "#b0522a",
            MetricKind::Categorical => "#5a4fb0",
        };
        let heading = if unit.is_empty() {
            what.clone()
        } else {
            format!("{unit}, {what}")
        };
        let _ = write!(
            h,
            "<h3>{} <span class=\"muted\">({})</span></h3>{}",
            esc(metric),
            esc(&heading),
            bar_chart(&labels, &values, &unit, &*fmt, color)
        );
        let t = &st.total;
        let summary = match st.kind {
            MetricKind::Cumulative => format!(
                "total {} {} over {} {}s with data; overlapping devices de-duplicated ({} left out)",
                fmt_num(t.sum.unwrap_or(0.0), &st.unit),
                st.unit,
                t.buckets,
                g.as_str(),
                fmt_num(t.deduplicated.unwrap_or(0.0), &st.unit)
            ),
            MetricKind::Instant => format!(
                "{} samples, mean {}, min {}, max {} {}",
                t.samples,
                fmt_num(t.mean.unwrap_or(0.0), &st.unit),
                fmt_num(t.min.unwrap_or(0.0), &st.unit),
                fmt_num(t.max.unwrap_or(0.0), &st.unit),
                st.unit
            ),
            MetricKind::Categorical => format!(
                "mean asleep {} over {} night(s)",
                fmt_duration(t.mean_asleep_s.unwrap_or(0.0)),
                t.buckets
            ),
        };
        let _ = writeln!(h, "<p class=\"note\">{}</p>", esc(&summary));
    }
    if !any {
        h.push_str("<p class=\"muted\">No key metrics yet.</p>\n");
    }

    // ---- contribution history -------------------------------------------------------------
    h.push_str("<h2 id=\"shared\">What was shared, with whom, when</h2>\n");
    let mut stmt = conn.prepare(
        "SELECT c.created_ms, d.name, c.record_count, c.status, c.submitted_ms, c.revoked_ms, c.id
         FROM contributions c JOIN daos d ON d.id = c.dao_id ORDER BY c.created_ms, c.id",
    )?;
    let rows: Vec<ContributionRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if rows.is_empty() {
        h.push_str("<p class=\"muted\">Nothing has been contributed from this vault.</p>\n");
    } else {
        // Records shared per month, as bars.
        let months = Bucketing::new(zone.clone(), Granularity::Month, 0);
        let mut per_month: BTreeMap<i64, (String, f64)> = BTreeMap::new();
        let (a, b) = (rows[0].0, rows[rows.len() - 1].0);
        let mut m = months.bucket_of(a);
        while m.start_ms <= b {
            per_month.insert(m.start_ms, (m.label.clone(), 0.0));
            m = months.next(&m);
        }
        for r in &rows {
            let k = months.bucket_of(r.0).start_ms;
            if let Some(e) = per_month.get_mut(&k) {
                e.1 += r.2 as f64;
            }
        }
        let labels: Vec<String> = per_month.values().map(|v| v.0.clone()).collect();
        let values: Vec<Option<f64>> = per_month.values().map(|v| Some(v.1)).collect();
        let _ = write!(
            h,
            "<h3>Records contributed per month</h3>{}",
            bar_chart(
                &labels,
                &values,
                "records",
                &|v| fmt_num(v, "count"),
                "#a0306a"
            )
        );
        h.push_str("<table><tr><th>when</th><th>DAO</th><th class=\"n\">records</th><th>status</th><th>id</th></tr>");
        for (created, dao, n, status, submitted, revoked, id) in &rows {
            let mut st = status.clone();
            if let Some(s) = submitted {
                st.push_str(&format!(" {}", zone.hm(*s)));
            }
            if let Some(r) = revoked {
                st.push_str(&format!(", revoked {}", zone.hm(*r)));
            }
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
                esc(&zone.hm(*created)),
                esc(dao),
                fmt_num(*n as f64, "count"),
                esc(&st),
                esc(id)
            );
        }
        h.push_str("</table>\n");
    }
    let mut stmt = conn.prepare(
        "SELECT created_ms, json_extract(body, '$.destination'), json_extract(body, '$.records'),
                json_extract(body, '$.format')
         FROM ledger WHERE kind = 'export' ORDER BY seq",
    )?;
    let exports: Vec<ExportRow> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    h.push_str("<h3>Plaintext exports</h3>");
    if exports.is_empty() {
        h.push_str("<p class=\"muted\">None.</p>\n");
    } else {
        h.push_str(
            "<table><tr><th>when</th><th>to</th><th>format</th><th class=\"n\">records</th></tr>",
        );
        for (when, to, n, format) in exports {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&zone.hm(when)),
                esc(to.as_deref().unwrap_or("?")),
                esc(format.as_deref().unwrap_or("?")),
                n.map_or("?".into(), |n| fmt_num(n as f64, "count"))
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("<p class=\"note\">Made by trove. This file makes no network requests and contains data from your vault: keep it private.</p>\n</body></html>\n");
    Ok(h)
}
