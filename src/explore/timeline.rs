//! `trove timeline DAY`: one local day in order — sleep, workouts, drives, posts, messages,
//! whatever the vault holds — with the day's key metrics.
//!
//! Nothing here knows a source. Events are placed by their `kind` through [`KINDS`], a small
//! table of kind (or kind prefix) → section, so kinds added by future importers appear under
//! "other" with their own name until a row is added. Numbers shown beside an event come from
//! a second table, [`DETAILS`], of well-known `attrs` keys (docs/SCHEMA.md): `duration_s`,
//! `total_distance_m`/`distance_m`, energy, charge. Sleep comes from `sleep` events (rings,
//! trackers) and from `sleep_stage` samples merged into sessions (stages no more than an hour
//! apart), with overlapping devices resolved as in `trove stats`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rusqlite::Connection;
use serde::Serialize;

use crate::catalog::MetricKind;
use crate::error::{Error, Result};
use crate::explore::buckets::{Bucketing, Granularity, Zone};
use crate::explore::devices::Streams;
use crate::explore::stats::{self, Piece, Request};
use crate::output::{JSON_VERSION, rfc3339_ms};

/// Kind (exact, or a prefix ending in `.`) → section. First match wins.
pub const KINDS: &[(&str, &str)] = &[
    ("sleep", "sleep"),
    ("workout", "activity"),
    ("drive", "travel"),
    ("charge", "travel"),
    ("flight", "travel"),
    ("visit", "places"),
    ("post", "social"),
    ("reply", "social"),
    ("repost", "social"),
    ("quote", "social"),
    ("comment", "social"),
    ("like", "social"),
    ("message", "messages"),
    ("chat.", "messages"),
    ("dm.", "messages"),
    ("health.", "health"),
];

/// Kinds never shown as entries of their own.
const HIDDEN: &[&str] = &["route", "profile"];

/// Well-known attrs keys shown beside an event: key, how to show it.
const DETAILS: &[(&str, Detail)] = &[
    ("duration_s", Detail::Duration),
    ("total_distance_m", Detail::Km),
    ("distance_m", Detail::Km),
    ("total_energy_kcal", Detail::Unit("kcal")),
    ("energy_kwh", Detail::Unit("kWh")),
    ("energy_added_kwh", Detail::Unit("kWh added")),
];

#[derive(Clone, Copy)]
enum Detail {
    Duration,
    Km,
    Unit(&'static str),
}

/// The section of a kind.
pub fn section(kind: &str) -> &'static str {
    for (pattern, section) in KINDS {
        let hit = if pattern.ends_with('.') {
            kind.starts_with(pattern)
        } else {
            kind == *pattern || kind.starts_with(&format!("{pattern}."))
        };
        if hit {
            return section;
        }
    }
    "other"
}

#[derive(Debug, Serialize)]
pub struct Entry {
    pub start: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub section: &'static str,
    pub kind: String,
    pub title: String,
    /// Short facts: "30m", "5.2 km", "asleep 6h 45m".
    pub details: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<i64>,
    /// GPS points of the event and its routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub track_points: Option<i64>,
    #[serde(skip)]
    pub start_ms: i64,
    #[serde(skip)]
    pub end_ms: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct MetricLine {
    pub metric: String,
    pub unit: String,
    pub aggregate: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    pub samples: u64,
    /// Sleep: the night ending this day, seconds per stage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seconds: Option<BTreeMap<String, f64>>,
}

#[derive(Debug, Serialize)]
pub struct Timeline {
    pub version: u32,
    pub day: String,
    pub weekday: String,
    pub timezone: String,
    pub start: String,
    pub end: String,
    pub hours: f64,
    pub metrics: Vec<MetricLine>,
    pub entries: Vec<Entry>,
}

/// The metrics shown for a day, in this order, when present (all others with `all`).
pub const KEY_METRICS: &[&str] = &[
    "step_count",
    "distance_walking_running",
    "active_energy_burned",
    "exercise_time",
    "flights_climbed",
    "heart_rate",
    "resting_heart_rate",
    "heart_rate_variability_sdnn",
    "heart_rate_variability_rmssd",
    "oxygen_saturation",
    "respiratory_rate",
    "body_mass",
    "sleep_stage",
    "sleep_score",
    "readiness_score",
];

/// Sleep stages further apart than this start a new session.
const SESSION_GAP_MS: i64 = 3_600_000;

pub fn build(conn: &Connection, zone: &Zone, day: &str, all_metrics: bool) -> Result<Timeline> {
    let date: Date = day.parse().map_err(|_| Error::Usage {
        message: format!("{day:?} is not a date"),
        hint: Some("give the day as YYYY-MM-DD, e.g. 2024-03-30".into()),
    })?;
    let days = Bucketing::new(zone.clone(), Granularity::Day, 0);
    let b = days.bucket_at(date);
    let (lo, hi) = (b.start_ms, b.end_ms);
    let streams = Streams::load(conn, &[])?;

    // ---- metrics --------------------------------------------------------------------------
    let present = crate::explore::views::present_metrics(conn)?;
    let mut chosen: Vec<String> = KEY_METRICS
        .iter()
        .filter(|m| present.iter().any(|p| p == *m))
        .map(|m| m.to_string())
        .collect();
    if all_metrics {
        chosen.extend(
            present
                .iter()
                .filter(|p| !KEY_METRICS.contains(&p.as_str()))
                .cloned(),
        );
    }
    let mut metrics = Vec::new();
    for m in chosen {
        let st = stats::compute(
            conn,
            &Request {
                metric: m.clone(),
                granularity: Some(Granularity::Day),
                zone: Some(zone.clone()),
                since: Some(day.to_string()),
                until: Some(day.to_string()),
                ..Default::default()
            },
        )?;
        let Some(bk) = st.buckets.iter().find(|x| x.label == day && x.samples > 0) else {
            continue;
        };
        metrics.push(MetricLine {
            metric: st.metric.clone(),
            unit: st.unit.clone(),
            aggregate: st.aggregate,
            value: if st.kind == MetricKind::Categorical {
                bk.asleep_s
            } else {
                bk.headline(st.kind)
            },
            min: bk.min,
            max: bk.max,
            samples: bk.samples,
            seconds: bk.seconds.as_ref().map(|m| {
                m.iter()
                    .filter(|(_, v)| **v > 0.0)
                    .map(|(k, v)| (k.clone(), *v))
                    .collect()
            }),
        });
    }

    // ---- events ---------------------------------------------------------------------------
    let mut entries = Vec::new();
    let kinds = distinct_kinds(conn)?;
    let mut stmt = conn.prepare(
        "SELECT e.id, e.kind, e.start_ms, e.end_ms, e.title, e.body, e.attrs, e.sensitive,
                e.device_id, e.source_id, s.importer,
                (SELECT count(*) FROM track_points t WHERE t.event_id = e.id)
                + (SELECT count(*) FROM track_points t JOIN events r ON r.id = t.event_id
                   WHERE r.parent_id = e.id)
         FROM events e JOIN sources s ON s.id = e.source_id
         WHERE e.kind = ?1 AND e.start_ms >= ?2 AND e.start_ms < ?3
           AND coalesce(e.end_ms, e.start_ms) >= ?4
         ORDER BY e.start_ms, e.id",
    )?;
    // Events that began up to two days earlier and are still going are shown too.
    let lookback = 2 * 86_400_000;
    for kind in kinds.iter().filter(|k| !HIDDEN.contains(&k.as_str())) {
        let mut rows = stmt.query((kind, lo - lookback, hi, lo))?;
        while let Some(r) = rows.next()? {
            let start_ms: i64 = r.get(2)?;
            let end_ms: Option<i64> = r.get(3)?;
            if start_ms < lo && end_ms.is_none_or(|e| e <= lo) {
                continue;
            }
            let sensitive: bool = r.get::<_, i64>(7)? != 0;
            let attrs: Option<String> = r.get(6)?;
            let mut details = Vec::new();
            if let Some(e) = end_ms.filter(|e| *e > start_ms)
                && !has_duration(attrs.as_deref())
            {
                details.push(crate::explore::fmt_duration((e - start_ms) as f64 / 1000.0));
            }
            if !sensitive {
                details.extend(attr_details(attrs.as_deref()));
            }
            let body: Option<String> = r.get(5)?;
            let device_id: Option<i64> = r.get(8)?;
            let source_id: i64 = r.get(9)?;
            let points: i64 = r.get(11)?;
            entries.push(Entry {
                start: zone.rfc3339(start_ms),
                end: end_ms.map(|e| zone.rfc3339(e)),
                section: section(kind),
                kind: kind.clone(),
                title: r
                    .get::<_, Option<String>>(4)?
                    .unwrap_or_else(|| kind.clone()),
                details,
                text: if sensitive {
                    None
                } else {
                    body.map(|b| snippet(&b, 160))
                },
                source: r.get(10)?,
                device: device_id.map(|_| streams.label(streams.of(device_id, source_id))),
                event_id: Some(r.get(0)?),
                track_points: (points > 0).then_some(points),
                start_ms,
                end_ms,
            });
        }
    }

    // ---- sleep sessions from stages -------------------------------------------------------
    entries.extend(sleep_sessions(conn, zone, &streams, lo, hi)?);
    entries.sort_by_key(|e| (e.start_ms, e.end_ms));

    Ok(Timeline {
        version: JSON_VERSION,
        day: day.to_string(),
        weekday: date.strftime("%A").to_string(),
        timezone: zone.name.clone(),
        start: rfc3339_ms(lo),
        end: rfc3339_ms(hi),
        hours: b.hours(),
        metrics,
        entries,
    })
}

fn distinct_kinds(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("SELECT min(kind) FROM events WHERE kind > ?1")?;
    let mut last = String::new();
    while let Some(k) = stmt.query_row([&last], |r| r.get::<_, Option<String>>(0))? {
        out.push(k.clone());
        last = k;
    }
    Ok(out)
}

fn has_duration(attrs: Option<&str>) -> bool {
    attrs.is_some_and(|a| a.contains("\"duration_s\""))
}

fn attr_details(attrs: Option<&str>) -> Vec<String> {
    let Some(obj) = attrs.and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut had_distance = false;
    for (key, how) in DETAILS {
        let Some(v) = obj.get(*key).and_then(|v| v.as_f64()) else {
            continue;
        };
        match how {
            Detail::Duration => out.push(crate::explore::fmt_duration(v)),
            Detail::Km if !had_distance => {
                had_distance = true;
                out.push(format!("{} km", crate::explore::fmt_num(v / 1000.0, "km")));
            }
            Detail::Km => {}
            Detail::Unit(u) => out.push(format!("{} {u}", crate::explore::fmt_num(v, u))),
        }
    }
    out
}

/// One line of text: whitespace collapsed, at most `n` characters.
fn snippet(s: &str, n: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= n {
        flat
    } else {
        let mut t: String = flat.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Sleep sessions overlapping `[lo, hi)` built from `sleep_stage` samples.
fn sleep_sessions(
    conn: &Connection,
    zone: &Zone,
    streams: &Streams,
    lo: i64,
    hi: i64,
) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT start_ms, coalesce(end_ms, start_ms), category, device_id, source_id
         FROM sample_rows
         WHERE metric_id = (SELECT id FROM metric_names WHERE name = 'sleep_stage')
           AND start_ms >= ?1 AND start_ms < ?2
         ORDER BY start_ms",
    )?;
    // Sessions reaching into the day may start the evening before or end the next morning.
    let mut rows = stmt.query((lo - 86_400_000, hi + 86_400_000))?;
    let mut cats: Vec<String> = Vec::new();
    let mut sessions: Vec<(i64, i64, Vec<Piece>, Vec<usize>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let (s, e): (i64, i64) = (r.get(0)?, r.get(1)?);
        let Some(cat) = r.get::<_, Option<String>>(2)? else {
            continue;
        };
        let stream = streams.of(r.get(3)?, r.get(4)?);
        let c = match cats.iter().position(|x| *x == cat) {
            Some(i) => i,
            None => {
                cats.push(cat);
                cats.len() - 1
            }
        } as u32;
        let piece = Piece {
            s,
            e,
            v: (e - s) as f64 / 1000.0,
            rank: streams.streams[stream].rank as u32,
            stream: stream as u32,
            cat: c,
        };
        match sessions.last_mut() {
            Some(last) if s <= last.1 + SESSION_GAP_MS => {
                last.1 = last.1.max(e);
                last.2.push(piece);
                if !last.3.contains(&stream) {
                    last.3.push(stream);
                }
            }
            _ => sessions.push((s, e, vec![piece], vec![stream])),
        }
    }
    let mut out = Vec::new();
    for (s, e, mut pieces, used) in sessions {
        if e <= lo || s >= hi {
            continue;
        }
        let kept = stats::resolve(&mut pieces, |c| stats::overlap_class(&cats[c as usize]));
        let mut per: BTreeMap<&str, f64> = BTreeMap::new();
        for (p, k) in pieces.iter().zip(kept) {
            *per.entry(cats[p.cat as usize].as_str()).or_default() += k;
        }
        let asleep: f64 = per
            .iter()
            .filter(|(c, _)| stats::is_asleep(c))
            .map(|(_, v)| v)
            .sum();
        let mut details = vec![format!("asleep {}", crate::explore::fmt_duration(asleep))];
        for (c, v) in &per {
            if *v > 0.0 {
                details.push(format!("{c} {}", crate::explore::fmt_duration(*v)));
            }
        }
        let best = used
            .iter()
            .min_by_key(|&&i| streams.streams[i].rank)
            .copied()
            .unwrap_or(0);
        out.push(Entry {
            start: zone.rfc3339(s),
            end: Some(zone.rfc3339(e)),
            section: "sleep",
            kind: "sleep_stage".into(),
            title: "sleep".into(),
            details,
            text: None,
            source: streams.streams[best].source.clone(),
            device: Some(streams.label(best)),
            event_id: None,
            track_points: None,
            start_ms: s,
            end_ms: Some(e),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_map_to_sections_by_table() {
        assert_eq!(section("workout"), "activity");
        assert_eq!(section("drive"), "travel");
        assert_eq!(section("chat.message"), "messages");
        assert_eq!(section("message"), "messages");
        assert_eq!(section("post"), "social");
        assert_eq!(section("health.correlation"), "health");
        assert_eq!(section("sleep"), "sleep");
        assert_eq!(section("sleepiness"), "other");
        assert_eq!(section("bank.transaction"), "other");
    }

    #[test]
    fn details_come_from_well_known_attrs() {
        let d = attr_details(Some(
            r#"{"duration_s": 1800, "total_distance_m": 5200, "distance_m": 1, "total_energy_kcal": 310}"#,
        ));
        assert_eq!(d, ["30m", "5.2 km", "310 kcal"]);
        assert!(attr_details(Some("not json")).is_empty());
        assert_eq!(snippet("a\n\n b  c", 10), "a b c");
    }
}
