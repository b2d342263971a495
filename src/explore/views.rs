//! The documented views of `trove query`, so people need not learn the raw tables.
//!
//! They are TEMP views and tables created on the query's own read-only connection, defined
//! here in code: nothing is added to the vault's schema, and they always match this build.
//! Local times use the zone of `--tz` through three SQL functions registered on the
//! connection: `local_time(ms)`, `local_date(ms)` and `utc_time(ms)`.
//!
//! `daily_metrics` is not a plain view: it is computed by the same engine as `trove stats`
//! (local days, device de-duplication, sleep per night) and stored in a TEMP table, only when
//! a query names it, because computing it reads every sample of every metric.
//! docs/EXPLORE.md lists every view with its columns; [`VIEWS`] is the source of that list
//! and of `trove query --schema`.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::catalog::{self, MetricKind};
use crate::error::Result;
use crate::explore::buckets::{Granularity, Zone};
use crate::explore::devices::Streams;
use crate::explore::stats::{self, Request};

/// A documented view: its name, what it is, and its columns.
pub struct View {
    pub name: &'static str,
    pub about: &'static str,
    pub columns: &'static [&'static str],
}

pub const VIEWS: &[View] = &[
    View {
        name: "daily_metrics",
        about: "one row per local day (night for sleep), metric and category: the aggregate of `trove stats` with devices de-duplicated",
        columns: &[
            "day",
            "metric",
            "category",
            "unit",
            "kind",
            "aggregate",
            "value",
            "samples",
            "min",
            "max",
            "deduplicated",
        ],
    },
    View {
        name: "sample_details",
        about: "every sample with its unit, UTC and local times, device and source",
        columns: &[
            "id",
            "metric",
            "unit",
            "kind",
            "start",
            "end",
            "local_start",
            "local_day",
            "value",
            "category",
            "device",
            "source",
            "account",
            "event_id",
            "start_ms",
            "end_ms",
            "attrs",
        ],
    },
    View {
        name: "event_details",
        about: "every event (workouts, posts, messages, drives, …) with UTC and local times, device and source",
        columns: &[
            "id",
            "kind",
            "start",
            "end",
            "local_start",
            "local_day",
            "title",
            "body",
            "device",
            "source",
            "account",
            "parent_id",
            "sensitive",
            "start_ms",
            "end_ms",
            "attrs",
        ],
    },
    View {
        name: "workouts",
        about: "workouts with duration, distance, energy and the number of GPS points",
        columns: &[
            "id",
            "local_day",
            "local_start",
            "activity",
            "duration_min",
            "distance_km",
            "energy_kcal",
            "device",
            "source",
            "route_points",
        ],
    },
    View {
        name: "source_coverage",
        about: "per source and local day: how many samples and events the vault holds",
        columns: &["source", "account", "day", "samples", "events"],
    },
    View {
        name: "metric_catalog",
        about: "every metric: canonical unit, kind (cumulative, instant, categorical), description, built-in or met in an import",
        columns: &["name", "unit", "kind", "description", "builtin"],
    },
    View {
        name: "device_ranking",
        about: "devices as `trove stats` ranks them for de-duplication (rank 0 wins)",
        columns: &["rank", "name", "source", "priority", "reason"],
    },
    View {
        name: "contribution_history",
        about: "what was shared, with whom, when: every contribution package with its DAO and status",
        columns: &[
            "id",
            "dao",
            "created",
            "records",
            "status",
            "submitted",
            "revoked",
            "package_sha256",
        ],
    },
    View {
        name: "export_history",
        about: "every plaintext export (`trove export`) recorded in the ledger",
        columns: &[
            "seq",
            "created",
            "destination",
            "format",
            "records",
            "sha256",
            "selection",
        ],
    },
];

/// Registers `local_time`, `local_date` and `utc_time` for `zone`.
pub fn register_functions(conn: &Connection, zone: &Zone) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    for (name, format) in [
        ("local_time", "%Y-%m-%d %H:%M:%S"),
        ("local_date", "%Y-%m-%d"),
    ] {
        let z = zone.clone();
        conn.create_scalar_function(name, 1, flags, move |ctx| {
            let ms: Option<i64> = ctx.get(0)?;
            Ok(ms.map(|ms| z.civil(ms).strftime(format).to_string()))
        })?;
    }
    conn.create_scalar_function("utc_time", 1, flags, |ctx| {
        let ms: Option<i64> = ctx.get(0)?;
        Ok(ms.map(crate::output::rfc3339_ms))
    })?;
    Ok(())
}

const PLAIN_VIEWS: &str = r#"
CREATE TEMP VIEW sample_details AS
SELECT s.id, s.metric, c.unit, c.kind,
       utc_time(s.start_ms) AS start, utc_time(s.end_ms) AS "end",
       local_time(s.start_ms) AS local_start, local_date(s.start_ms) AS local_day,
       s.value, s.category, d.name AS device, src.importer AS source, src.account,
       s.event_id, s.start_ms, s.end_ms, s.attrs
FROM main.samples s
LEFT JOIN temp.metric_catalog c ON c.name = s.metric
LEFT JOIN main.devices d ON d.id = s.device_id
JOIN main.sources src ON src.id = s.source_id;

CREATE TEMP VIEW event_details AS
SELECT e.id, e.kind, utc_time(e.start_ms) AS start, utc_time(e.end_ms) AS "end",
       local_time(e.start_ms) AS local_start, local_date(e.start_ms) AS local_day,
       e.title, e.body, d.name AS device, src.importer AS source, src.account,
       e.parent_id, e.sensitive, e.start_ms, e.end_ms, e.attrs
FROM main.events e
LEFT JOIN main.devices d ON d.id = e.device_id
JOIN main.sources src ON src.id = e.source_id;

CREATE TEMP VIEW workouts AS
SELECT e.id, local_date(e.start_ms) AS local_day, local_time(e.start_ms) AS local_start,
       e.title AS activity,
       round(coalesce(json_extract(e.attrs, '$.duration_s'), (e.end_ms - e.start_ms) / 1000.0) / 60.0, 2) AS duration_min,
       round(json_extract(e.attrs, '$.total_distance_m') / 1000.0, 3) AS distance_km,
       json_extract(e.attrs, '$.total_energy_kcal') AS energy_kcal,
       d.name AS device, src.importer AS source,
       (SELECT count(*) FROM main.track_points t WHERE t.event_id = e.id)
       + (SELECT count(*) FROM main.track_points t JOIN main.events r ON r.id = t.event_id
          WHERE r.parent_id = e.id) AS route_points
FROM main.events e
LEFT JOIN main.devices d ON d.id = e.device_id
JOIN main.sources src ON src.id = e.source_id
WHERE e.kind = 'workout';

CREATE TEMP VIEW source_coverage AS
SELECT src.importer AS source, src.account, x.day,
       sum(x.samples) AS samples, sum(x.events) AS events
FROM (SELECT source_id, local_date(start_ms) AS day, count(*) AS samples, 0 AS events
        FROM main.samples GROUP BY source_id, day
      UNION ALL
      SELECT source_id, local_date(start_ms) AS day, 0, count(*)
        FROM main.events WHERE start_ms IS NOT NULL GROUP BY source_id, day) x
JOIN main.sources src ON src.id = x.source_id
GROUP BY src.id, x.day;

CREATE TEMP VIEW contribution_history AS
SELECT c.id, d.name AS dao, utc_time(c.created_ms) AS created, c.record_count AS records,
       c.status, utc_time(c.submitted_ms) AS submitted, utc_time(c.revoked_ms) AS revoked,
       lower(hex(c.package_sha256)) AS package_sha256
FROM main.contributions c JOIN main.daos d ON d.id = c.dao_id;

CREATE TEMP VIEW export_history AS
SELECT seq, utc_time(created_ms) AS created,
       json_extract(body, '$.destination') AS destination,
       json_extract(body, '$.format') AS format,
       json_extract(body, '$.records') AS records,
       json_extract(body, '$.sha256') AS sha256,
       json_extract(body, '$.selection') AS selection
FROM main.ledger WHERE kind = 'export';
"#;

/// Creates the TEMP views and tables (the connection must allow temp writes for now).
pub fn create(conn: &Connection, zone: &Zone, with_daily: bool) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE metric_catalog (name TEXT PRIMARY KEY, unit TEXT, kind TEXT,
                                            description TEXT, builtin INTEGER);
         CREATE TEMP TABLE device_ranking (rank INTEGER, name TEXT, source TEXT,
                                            priority INTEGER, reason TEXT);",
    )?;
    {
        let mut ins = conn.prepare("INSERT INTO temp.metric_catalog VALUES (?1, ?2, ?3, ?4, 1)")?;
        for m in catalog::METRICS {
            ins.execute((m.name, m.unit, m.kind.as_str(), m.description))?;
        }
        conn.execute(
            "INSERT OR IGNORE INTO temp.metric_catalog
             SELECT name, unit, kind, description, 0 FROM main.metrics",
            [],
        )?;
    }
    {
        let streams = Streams::load(conn, &[])?;
        let mut ins =
            conn.prepare("INSERT INTO temp.device_ranking VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for s in &streams.streams {
            ins.execute((s.rank as i64, &s.name, &s.source, s.priority, s.reason))?;
        }
    }
    conn.execute_batch(PLAIN_VIEWS)?;
    conn.execute_batch(
        "CREATE TEMP TABLE daily_metrics (day TEXT, metric TEXT, category TEXT, unit TEXT,
             kind TEXT, aggregate TEXT, value REAL, samples INTEGER, min REAL, max REAL,
             deduplicated REAL)",
    )?;
    if with_daily {
        fill_daily(conn, zone)?;
    }
    Ok(())
}

/// Metrics present in the vault, found by index seeks (no scan of the samples).
pub fn present_metrics(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM main.metric_names m
         WHERE EXISTS (SELECT 1 FROM main.sample_rows WHERE metric_id = m.id)
         ORDER BY name",
    )?;
    let out = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(out)
}

fn fill_daily(conn: &Connection, zone: &Zone) -> Result<()> {
    let mut ins = conn.prepare(
        "INSERT INTO temp.daily_metrics VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for metric in present_metrics(conn)? {
        let st = stats::compute(
            conn,
            &Request {
                metric: metric.clone(),
                granularity: Some(Granularity::Day),
                zone: Some(zone.clone()),
                ..Default::default()
            },
        )?;
        for b in st.buckets.iter().filter(|b| b.samples > 0) {
            match st.kind {
                MetricKind::Categorical => {
                    for (cat, secs) in b.seconds.iter().flatten().filter(|(_, s)| **s > 0.0) {
                        ins.execute((
                            &b.label,
                            &metric,
                            cat,
                            "s",
                            st.kind.as_str(),
                            st.aggregate,
                            secs,
                            b.samples as i64,
                            None::<f64>,
                            None::<f64>,
                            None::<f64>,
                        ))?;
                    }
                }
                _ => {
                    ins.execute((
                        &b.label,
                        &metric,
                        None::<String>,
                        &st.unit,
                        st.kind.as_str(),
                        st.aggregate,
                        b.headline(st.kind),
                        b.samples as i64,
                        b.min,
                        b.max,
                        b.deduplicated,
                    ))?;
                }
            }
        }
    }
    Ok(())
}
