//! `trove timeline DAY`: one local day in order, with its key metrics.

use std::fmt::Write as _;

use crate::cmd::Ctx;
use crate::error::Result;
use crate::explore::buckets::Zone;
use crate::explore::timeline::{self, Timeline};
use crate::explore::{fmt_duration, fmt_num};
use crate::output::sanitize;
use crate::vault::Access;

/// Shows one local day (in --tz): sleep, workouts, drives, posts, messages and every other
/// event in time order, each with its facts, and the day's key metrics (steps, heart rate,
/// the night's sleep, …) computed as `trove stats` does. Events that started the day before
/// and are still going are included.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day, YYYY-MM-DD
    #[arg(value_name = "DAY")]
    pub day: String,

    /// Time zone whose calendar day is shown [default: this machine's zone]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Show every metric with data that day, not only the key ones
    #[arg(long)]
    pub all_metrics: bool,

    /// In the human output, show at most N consecutive entries of one kind (0: all)
    #[arg(long, value_name = "N", default_value_t = 8)]
    pub run_limit: usize,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let zone = Zone::resolve(args.tz.as_deref())?;
    let vault = ctx.open_vault(Access::Read)?;
    let tl = {
        let _snapshot = vault.read_snapshot()?;
        timeline::build(&vault.conn, &zone, &args.day, args.all_metrics)?
    };
    if ctx.out.json {
        return ctx.out.json_doc(&tl);
    }
    ctx.out.data(render(&tl, &zone, args.run_limit))
}

fn when(zone: &Zone, day: &str, ms: i64) -> String {
    let full = zone.hm(ms);
    match full.strip_prefix(day) {
        Some(rest) => rest.trim().to_string(),
        None => full[5..].to_string(),
    }
}

pub fn render(tl: &Timeline, zone: &Zone, run_limit: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {} ({}, {} h)",
        tl.weekday,
        tl.day,
        tl.timezone,
        fmt_num(tl.hours, "h")
    );
    if !tl.metrics.is_empty() {
        let _ = writeln!(s);
        for m in &tl.metrics {
            let value = match (m.aggregate, m.value) {
                ("duration", Some(v)) => {
                    let stages: Vec<String> = m
                        .seconds
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!("{k} {}", fmt_duration(*v)))
                        .collect();
                    format!(
                        "asleep {} (night ending this day: {})",
                        fmt_duration(v),
                        stages.join(", ")
                    )
                }
                ("sum", Some(v)) => format!("{} {}", fmt_num(v, &m.unit), m.unit),
                (_, Some(v)) => format!(
                    "mean {} {} ({}–{}, {} samples)",
                    fmt_num(v, &m.unit),
                    m.unit,
                    fmt_num(m.min.unwrap_or(v), &m.unit),
                    fmt_num(m.max.unwrap_or(v), &m.unit),
                    m.samples
                ),
                (_, None) => "-".into(),
            };
            let _ = writeln!(s, "  {:<30} {}", m.metric, value);
        }
    }
    let _ = writeln!(s);
    if tl.entries.is_empty() {
        let _ = writeln!(s, "  (no events this day)");
    }
    let mut i = 0;
    while i < tl.entries.len() {
        // A run of entries of one kind is cut after run_limit, with a count of the rest.
        let kind = &tl.entries[i].kind;
        let mut j = i;
        while j < tl.entries.len() && &tl.entries[j].kind == kind {
            j += 1;
        }
        let shown = if run_limit == 0 {
            j - i
        } else {
            (j - i).min(run_limit)
        };
        for e in &tl.entries[i..i + shown] {
            let mut time = when(zone, &tl.day, e.start_ms);
            if let Some(end) = e.end_ms.filter(|end| *end > e.start_ms) {
                time.push('–');
                time.push_str(&when(zone, &tl.day, end));
            }
            let mut facts = vec![sanitize(&e.title)];
            facts.extend(e.details.iter().cloned());
            if let Some(p) = e.track_points {
                facts.push(format!("{p} GPS points"));
            }
            if let Some(d) = &e.device {
                facts.push(sanitize(d));
            } else {
                facts.push(e.source.clone());
            }
            let _ = writeln!(s, "  {:<17} {:<9} {}", time, e.section, facts.join(" · "));
            if let Some(t) = &e.text {
                let _ = writeln!(s, "  {:<17} {:<9} “{}”", "", "", sanitize(t));
            }
        }
        if j - i > shown {
            let _ = writeln!(
                s,
                "  {:<17} {:<9} … {} more {} (--run-limit 0 or --json shows all)",
                "",
                tl.entries[i].section,
                j - i - shown,
                kind
            );
        }
        i = j;
    }
    s
}
