//! `trove stats METRIC`: aggregates per local day, week or month, with a terminal chart.

use std::fmt::Write as _;
use std::io::IsTerminal;

use crate::catalog::MetricKind;
use crate::cmd::Ctx;
use crate::error::Result;
use crate::explore::buckets::{Granularity, Zone};
use crate::explore::stats::{self, Request, Stats};
use crate::explore::{chart, fmt_duration, fmt_num};
use crate::output::sanitize;
use crate::vault::Access;

/// Statistics of one metric per local day (default), week or month: sums for cumulative
/// metrics (steps), mean/min/max for instant ones (heart rate), time per stage for sleep
/// (per night, 18:00 to 18:00, labelled by the day you wake up).
///
/// Devices that overlap (a watch and a phone both counting steps) are de-duplicated: a sample
/// counts only where no higher-priority device has data (`trove device list` shows the order;
/// `trove device priority` changes it). Days are local days in --tz (default: this machine's
/// zone), so DST days have 23 or 25 hours.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The metric (`trove metrics --present` lists them)
    #[arg(value_name = "METRIC")]
    pub metric: String,

    /// One row per local day (the default)
    #[arg(long, group = "granularity")]
    pub daily: bool,

    /// One row per ISO week (Monday to Sunday)
    #[arg(long, group = "granularity")]
    pub weekly: bool,

    /// One row per calendar month
    #[arg(long, group = "granularity")]
    pub monthly: bool,

    /// From this local date (2024-01-31) or RFC 3339 time
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// Up to this local date (inclusive) or RFC 3339 time (exclusive)
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Only samples from this device (repeatable; `trove device list`)
    #[arg(long, value_name = "NAME", conflicts_with = "prefer_device")]
    pub device: Vec<String>,

    /// Rank this device first for this query (repeatable, in order of preference)
    #[arg(long, value_name = "NAME")]
    pub prefer_device: Vec<String>,

    /// Time zone whose calendar days are used [default: this machine's zone]
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Draw a chart under the numbers (auto: when stdout is a terminal)
    #[arg(long, value_enum, default_value_t = ChartWhen::Auto, value_name = "WHEN")]
    pub chart: ChartWhen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ChartWhen {
    Auto,
    Always,
    Never,
}

pub fn run(ctx: &Ctx, args: Args) -> Result<()> {
    let granularity = if args.weekly {
        Granularity::Week
    } else if args.monthly {
        Granularity::Month
    } else {
        Granularity::Day
    };
    let zone = Zone::resolve(args.tz.as_deref())?;
    let vault = ctx.open_vault(Access::Read)?;
    crate::interrupt::install();
    let snapshot = vault.read_snapshot()?;
    let st = stats::compute(
        &vault.conn,
        &Request {
            metric: args.metric,
            granularity: Some(granularity),
            zone: Some(zone),
            since: args.since,
            until: args.until,
            devices: args.device,
            prefer: args.prefer_device,
        },
    )?;
    drop(snapshot);
    if ctx.out.json {
        return ctx.out.json_doc(&st);
    }
    let show_chart = match args.chart {
        ChartWhen::Always => true,
        ChartWhen::Never => false,
        ChartWhen::Auto => std::io::stdout().is_terminal(),
    };
    if st.buckets.is_empty() {
        ctx.out
            .status(format!("no {} samples in this range", st.metric));
    }
    ctx.out.data(render(&st, show_chart))
}

/// The human table (and chart).
pub fn render(st: &Stats, show_chart: bool) -> String {
    let mut s = String::new();
    let period = match (st.granularity, st.day_starts) {
        (Granularity::Day, "00:00") => "day",
        (Granularity::Day, _) => "night",
        (Granularity::Week, _) => "week",
        (Granularity::Month, _) => "month",
    };
    let _ = writeln!(
        s,
        "{} ({}, {} per {period}, {})",
        st.metric, st.unit, st.aggregate, st.timezone
    );
    if !st.devices.is_empty() {
        let list: Vec<String> = st
            .devices
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{}. {}", i + 1, sanitize(&d.name)))
            .collect();
        let how = if st.kind == MetricKind::Instant {
            "all devices"
        } else {
            "by priority"
        };
        let _ = writeln!(s, "devices ({how}): {}", list.join("  "));
    }
    let _ = writeln!(s);
    match st.kind {
        MetricKind::Cumulative => {
            let names: Vec<String> = if st.devices.len() > 1 {
                st.devices.iter().map(|d| d.name.clone()).collect()
            } else {
                Vec::new()
            };
            let mut header = format!("{period:<11} {:>12} {:>9}", "sum", "samples");
            for n in &names {
                let _ = write!(header, "  {:>14}", truncate(&sanitize(n), 14));
            }
            let _ = writeln!(s, "{}", header.trim_end());
            for b in &st.buckets {
                let mut line = format!(
                    "{:<11} {:>12} {:>9}",
                    b.label,
                    b.sum.map_or("-".into(), |v| fmt_num(v, &st.unit)),
                    if b.sum.is_some() {
                        b.samples.to_string()
                    } else {
                        String::new()
                    }
                );
                for n in &names {
                    let v = b.by_device.as_ref().and_then(|m| m.get(n));
                    let _ = write!(
                        line,
                        "  {:>14}",
                        v.map_or(String::new(), |v| fmt_num(*v, &st.unit))
                    );
                }
                let _ = writeln!(s, "{}", line.trim_end());
            }
            let t = &st.total;
            let _ = writeln!(
                s,
                "\ntotal {} over {} {period}(s), mean {} per {period}",
                fmt_num(t.sum.unwrap_or(0.0), &st.unit),
                t.buckets,
                fmt_num(t.mean.unwrap_or(0.0), &st.unit)
            );
            if t.deduplicated.unwrap_or(0.0) > 0.0 {
                let _ = writeln!(
                    s,
                    "overlapping devices: {} counted by a lower-priority device left out",
                    fmt_num(t.deduplicated.unwrap_or(0.0), &st.unit)
                );
            }
        }
        MetricKind::Instant => {
            let _ = writeln!(
                s,
                "{period:<11} {:>10} {:>10} {:>10} {:>9}",
                "mean", "min", "max", "samples"
            );
            for b in &st.buckets {
                match b.mean {
                    Some(mean) => {
                        let _ = writeln!(
                            s,
                            "{:<11} {:>10} {:>10} {:>10} {:>9}",
                            b.label,
                            fmt_num(mean, &st.unit),
                            fmt_num(b.min.unwrap_or(0.0), &st.unit),
                            fmt_num(b.max.unwrap_or(0.0), &st.unit),
                            b.samples
                        );
                    }
                    None => {
                        let _ = writeln!(s, "{:<11} {:>10}", b.label, "-");
                    }
                }
            }
            let t = &st.total;
            if let Some(mean) = t.mean {
                let _ = writeln!(
                    s,
                    "\nall {} samples: mean {}, min {}, max {} {}",
                    t.samples,
                    fmt_num(mean, &st.unit),
                    fmt_num(t.min.unwrap_or(0.0), &st.unit),
                    fmt_num(t.max.unwrap_or(0.0), &st.unit),
                    st.unit
                );
            }
        }
        MetricKind::Categorical => {
            let cats: Vec<String> = st
                .total
                .seconds
                .as_ref()
                .map(|m| {
                    m.iter()
                        .filter(|(_, v)| **v > 0.0)
                        .map(|(k, _)| k.clone())
                        .collect()
                })
                .unwrap_or_default();
            let widths: Vec<usize> = cats.iter().map(|c| c.chars().count().max(8)).collect();
            let sleep = st.metric == "sleep_stage";
            let mut header = format!("{period:<11}");
            if sleep {
                let _ = write!(header, " {:>9}", "asleep");
            }
            for (c, w) in cats.iter().zip(&widths) {
                let _ = write!(header, " {:>w$}", sanitize(c));
            }
            let _ = writeln!(s, "{header}");
            for b in &st.buckets {
                let mut line = format!("{:<11}", b.label);
                match &b.seconds {
                    Some(secs) => {
                        if sleep {
                            let _ = write!(line, " {:>9}", fmt_duration(b.asleep_s.unwrap_or(0.0)));
                        }
                        for (c, w) in cats.iter().zip(&widths) {
                            let v = secs.get(c).copied().unwrap_or(0.0);
                            let _ = write!(
                                line,
                                " {:>w$}",
                                if v > 0.0 { fmt_duration(v) } else { "-".into() }
                            );
                        }
                    }
                    None => line.push_str(" -"),
                }
                let _ = writeln!(s, "{}", line.trim_end());
            }
            if let Some(mean) = st.total.mean_asleep_s {
                let _ = writeln!(
                    s,
                    "\nmean asleep {} over {} night(s)",
                    fmt_duration(mean),
                    st.total.buckets
                );
            }
        }
    }
    if show_chart && st.buckets.len() > 1 {
        let values: Vec<Option<f64>> = st.buckets.iter().map(|b| b.headline(st.kind)).collect();
        let (values, unit) = if st.kind == MetricKind::Categorical {
            (
                values.iter().map(|v| v.map(|s| s / 3600.0)).collect(),
                "h".to_string(),
            )
        } else {
            (values, st.unit.clone())
        };
        let first = st.buckets.first().map_or("", |b| b.label.as_str());
        let last = st.buckets.last().map_or("", |b| b.label.as_str());
        let c = chart::bars(&values, 6, chart::terminal_width(), first, last, &unit);
        if !c.is_empty() {
            let _ = writeln!(s);
            s.push_str(&c);
        }
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
