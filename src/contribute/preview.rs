//! The preview and privacy report (`contribute --dry-run`), also printed after a real
//! contribution. It is built from the very pipeline that writes packages (with a sink that
//! discards the bytes), so what it shows is what would leave, not an estimate.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;

use crate::contribute::dao::Dao;
use crate::contribute::plan::{
    Format, IdentifierMode, LocationMode, Plan, Redactions, Selection, TextMode,
};
use crate::contribute::select::{self, Collected, NullSink};
use crate::error::Result;
use crate::output::{JSON_VERSION, human_bytes, rfc3339_ms};
use crate::pii::Hits;

#[derive(Debug, Serialize)]
pub struct Preview {
    pub version: u32,
    pub dry_run: bool,
    pub dao: String,
    pub selection: Selection,
    pub redactions: Redactions,
    pub format: Format,
    pub records: u64,
    pub start: Option<String>,
    pub end: Option<String>,
    pub covered_days: u64,
    pub per_metric: BTreeMap<String, u64>,
    pub per_kind: BTreeMap<String, u64>,
    pub files: Vec<PreviewFile>,
    pub sensitive: Sensitive,
    pub request: Option<RequestCheck>,
    pub warnings: Vec<String>,
    pub examples: BTreeMap<String, Vec<Value>>,
}

#[derive(Debug, Serialize)]
pub struct PreviewFile {
    pub path: String,
    pub records: u64,
    pub bytes: u64,
    pub fields: Vec<&'static str>,
}

/// What sensitive classes remain in the package, and how many of each were removed.
#[derive(Debug, Serialize)]
pub struct Sensitive {
    pub location: LocationReport,
    pub free_text: TextReport,
    pub pii: PiiReport,
    pub identifiers: IdentifierReport,
    pub sensitive_events: SensitiveEvents,
}

#[derive(Debug, Serialize)]
pub struct LocationReport {
    pub included: bool,
    pub track_points: u64,
    pub attrs_keys_removed: u64,
    pub attrs_keys_included: u64,
}

#[derive(Debug, Serialize)]
pub struct TextReport {
    pub mode: TextMode,
    pub events_with_text: u64,
}

#[derive(Debug, Serialize)]
pub struct PiiReport {
    /// Found in free text and attrs strings.
    pub found: Hits,
    /// Of those, still in the package (only when text is kept as it is).
    pub remaining: u64,
}

#[derive(Debug, Serialize)]
pub struct IdentifierReport {
    pub mode: IdentifierMode,
    pub devices: u64,
    pub accounts: u64,
    pub attrs_keys_removed: u64,
}

#[derive(Debug, Serialize)]
pub struct SensitiveEvents {
    pub included: bool,
    pub left_out: u64,
}

#[derive(Debug, Serialize)]
pub struct RequestCheck {
    pub purpose: String,
    pub consent_required: bool,
    pub min_coverage_days: Option<u32>,
    pub coverage_met: bool,
}

/// Runs the pipeline without writing anything.
pub fn dry_run(conn: &Connection, dao: &Dao, plan: &Plan, examples: usize) -> Result<Preview> {
    let collected = select::run(conn, dao, plan, &mut NullSink, examples)?;
    Ok(build(dao, plan, &collected, true))
}

pub fn build(dao: &Dao, plan: &Plan, c: &Collected, dry_run: bool) -> Preview {
    let red = plan.redactions;
    let (start, end) = c.time_range();
    let track_points = c
        .files
        .iter()
        .find(|f| f.table == crate::contribute::records::Table::TrackPoints)
        .map_or(0, |f| f.records);
    let mut warnings = Vec::new();
    let request = dao.request.as_ref().map(|r| {
        let coverage_met = r
            .wants
            .min_coverage_days
            .is_none_or(|min| c.covered_days >= u64::from(min));
        if !coverage_met {
            warnings.push(format!(
                "the selection covers {} day(s); {} asks for at least {}",
                c.covered_days,
                dao.name,
                r.wants.min_coverage_days.unwrap_or(0)
            ));
        }
        RequestCheck {
            purpose: r.purpose.clone(),
            consent_required: r.consent.is_some(),
            min_coverage_days: r.wants.min_coverage_days,
            coverage_met,
        }
    });
    for m in &plan.selection.metrics {
        if !c.per_metric.contains_key(m) {
            warnings.push(format!("no {m} samples match the selection"));
        }
    }
    for k in &plan.selection.kinds {
        if !c.per_kind.contains_key(k) {
            warnings.push(format!("no {k} events match the selection"));
        }
    }
    if red.text == TextMode::Keep && c.pii.total() > 0 {
        warnings.push(format!(
            "free text is kept as it is and contains {} personal identifier(s)",
            c.pii.total()
        ));
    }
    Preview {
        version: JSON_VERSION,
        dry_run,
        dao: dao.name.clone(),
        selection: plan.selection.clone(),
        redactions: red,
        format: plan.format,
        records: c.records(),
        start: start.map(rfc3339_ms),
        end: end.map(rfc3339_ms),
        covered_days: c.covered_days,
        per_metric: c.per_metric.clone(),
        per_kind: c.per_kind.clone(),
        files: c
            .files
            .iter()
            .map(|f| PreviewFile {
                path: f.path.clone(),
                records: f.records,
                bytes: f.bytes,
                fields: f.fields.clone(),
            })
            .collect(),
        sensitive: Sensitive {
            location: LocationReport {
                included: red.location == LocationMode::Include,
                track_points,
                attrs_keys_removed: c.attrs.location_keys_removed,
                attrs_keys_included: c.attrs.location_keys_kept,
            },
            free_text: TextReport {
                mode: red.text,
                events_with_text: c.text_events,
            },
            pii: PiiReport {
                found: c.pii,
                remaining: if red.text == TextMode::Keep {
                    c.pii.total()
                } else {
                    0
                },
            },
            identifiers: IdentifierReport {
                mode: red.identifiers,
                devices: c.devices,
                accounts: c.accounts,
                attrs_keys_removed: c.attrs.identifier_keys_removed,
            },
            sensitive_events: SensitiveEvents {
                included: red.sensitive_events == LocationMode::Include,
                left_out: c.sensitive_skipped,
            },
        },
        request,
        warnings,
        examples: c
            .examples
            .iter()
            .map(|(t, v)| (t.name().to_string(), v.clone()))
            .collect(),
    }
}

/// The human form of the report.
pub fn render(p: &Preview) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} for {}",
        if p.dry_run {
            "Contribution preview (dry run: nothing written)"
        } else {
            "Contribution"
        },
        p.dao
    );
    if let Some(r) = &p.request {
        let _ = writeln!(s, "purpose      {}", r.purpose);
    }
    let window = match (&p.selection.since, &p.selection.until) {
        (None, None) => "all time".to_string(),
        (a, b) => format!(
            "{} .. {}",
            a.as_deref().unwrap_or("(start)"),
            b.as_deref().unwrap_or("(now)")
        ),
    };
    let _ = writeln!(
        s,
        "selection    {}{}",
        window,
        if p.selection.from_request {
            " (from the DAO's request)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "records      {} ({} .. {}), {} day(s) covered",
        p.records,
        p.start.as_deref().unwrap_or("-"),
        p.end.as_deref().unwrap_or("-"),
        p.covered_days
    );
    for (m, n) in &p.per_metric {
        let _ = writeln!(s, "  metric {m:<28} {n:>10}");
    }
    for (k, n) in &p.per_kind {
        let _ = writeln!(s, "  kind   {k:<28} {n:>10}");
    }
    let _ = writeln!(s, "files");
    for f in &p.files {
        let _ = writeln!(
            s,
            "  {:<26} {:>10} records {:>10}  fields: {}",
            f.path,
            f.records,
            human_bytes(f.bytes),
            f.fields.join(", ")
        );
    }
    let sens = &p.sensitive;
    let _ = writeln!(s, "privacy");
    let _ = writeln!(
        s,
        "  location      {}",
        if sens.location.included {
            format!(
                "INCLUDED: {} track point(s), {} location key(s) in attrs",
                sens.location.track_points, sens.location.attrs_keys_included
            )
        } else {
            format!(
                "left out ({} location key(s) removed from attrs)",
                sens.location.attrs_keys_removed
            )
        }
    );
    let _ = writeln!(
        s,
        "  free text     {}",
        match sens.free_text.mode {
            TextMode::Drop => "dropped".to_string(),
            TextMode::Scrub => format!(
                "{} event(s) with text, personal identifiers replaced",
                sens.free_text.events_with_text
            ),
            TextMode::Keep => format!(
                "INCLUDED as it is: {} event(s) with text",
                sens.free_text.events_with_text
            ),
        }
    );
    let h = &sens.pii.found;
    let _ = writeln!(
        s,
        "  PII           {} found (email {}, phone {}, handle {}, url {}, address {}), {} remaining",
        h.total(),
        h.email,
        h.phone,
        h.handle,
        h.url,
        h.address,
        sens.pii.remaining
    );
    let _ = writeln!(
        s,
        "  identifiers   {} ({} device(s), {} account(s))",
        match sens.identifiers.mode {
            IdentifierMode::Omit => "left out",
            IdentifierMode::Pseudonymize => "pseudonymized for this DAO",
            IdentifierMode::Raw => "INCLUDED as they are",
        },
        sens.identifiers.devices,
        sens.identifiers.accounts
    );
    let _ = writeln!(
        s,
        "  sensitive     {}",
        if sens.sensitive_events.included {
            "events marked sensitive INCLUDED".to_string()
        } else {
            format!(
                "{} event(s) marked sensitive left out",
                sens.sensitive_events.left_out
            )
        }
    );
    let _ = writeln!(
        s,
        "  times         {}",
        p.redactions.time_precision.as_str()
    );
    for (table, rows) in &p.examples {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "examples ({table})");
        for r in rows {
            let _ = writeln!(s, "  {}", crate::output::sanitize(&r.to_string()));
        }
    }
    s
}
