//! Which rows a command reads: `--metric`, `--kind`, `--source`, `--since`, `--until`.
//!
//! The flags and their meaning are those of `trove contribute` (src/contribute/plan.rs, whose
//! `parse_when` reads the bounds here too), so a selection means the same thing whether it is
//! shared or exported: metrics and kinds are repeatable or comma-separated; `--source` names importers;
//! `--since`/`--until` take a date (a UTC day; as an upper bound it covers the whole day) or an
//! RFC 3339 time, and bound a row's *start* time, `since` inclusive and `until` exclusive.
//! [`Selection`] is kept free of anything export-specific so both commands can share it.

use rusqlite::types::Value as SqlValue;
use serde::Serialize;

use crate::contribute::plan::parse_when;
use crate::error::{Error, Result};

/// The selection flags, as clap parses them (flattened into a command's Args).
#[derive(Clone, Debug, Default, clap::Args)]
pub struct SelectArgs {
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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Selection {
    /// Sorted; empty when no samples are selected (unless `all_metrics`).
    pub metrics: Vec<String>,
    pub kinds: Vec<String>,
    pub sources: Vec<String>,
    /// Inclusive lower bound on a row's start time (RFC 3339).
    pub since: Option<String>,
    /// Exclusive upper bound on a row's start time (RFC 3339).
    pub until: Option<String>,
    /// Every metric / every kind (`trove export --all`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
    #[serde(skip)]
    pub since_ms: Option<i64>,
    #[serde(skip)]
    pub until_ms: Option<i64>,
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.retain(|s| !s.trim().is_empty());
    v.sort();
    v.dedup();
    v
}

impl Selection {
    /// Resolves the flags; `all` selects every metric and kind.
    pub fn resolve(args: &SelectArgs, all: bool) -> Result<Selection> {
        if !all && args.metric.is_empty() && args.kind.is_empty() {
            return Err(Error::Usage {
                message: "nothing selected".into(),
                hint: Some(
                    "pass --metric and/or --kind (`trove metrics --present`, `trove query --schema`), or --all"
                        .into(),
                ),
            });
        }
        if all && (!args.metric.is_empty() || !args.kind.is_empty()) {
            return Err(Error::usage(
                "--all selects every metric and kind; drop --metric/--kind",
            ));
        }
        let when = |v: &str, upper: bool, flag: &str| {
            parse_when(v, upper).map_err(|e| Error::Usage {
                message: format!("{flag}: {e}"),
                hint: None,
            })
        };
        let since_ms = args
            .since
            .as_deref()
            .map(|v| when(v, false, "--since"))
            .transpose()?;
        let until_ms = args
            .until
            .as_deref()
            .map(|v| when(v, true, "--until"))
            .transpose()?;
        if let (Some(s), Some(u)) = (since_ms, until_ms)
            && s >= u
        {
            return Err(Error::usage("--since must be before --until"));
        }
        Ok(Selection {
            metrics: sorted(args.metric.clone()),
            kinds: sorted(args.kind.clone()),
            sources: sorted(args.source.clone()),
            since: since_ms.map(crate::output::rfc3339_ms),
            until: until_ms.map(crate::output::rfc3339_ms),
            all,
            since_ms,
            until_ms,
        })
    }

    /// `AND …` conditions on the time window and the sources, with their parameters appended
    /// to `params` (numbered from its current length).
    pub fn window(&self, time_col: &str, params: &mut Vec<SqlValue>) -> String {
        let mut sql = String::new();
        if let Some(s) = self.since_ms {
            params.push(SqlValue::Integer(s));
            sql.push_str(&format!(" AND {time_col} >= ?{}", params.len()));
        }
        if let Some(u) = self.until_ms {
            params.push(SqlValue::Integer(u));
            sql.push_str(&format!(" AND {time_col} < ?{}", params.len()));
        }
        if !self.sources.is_empty() {
            params.push(SqlValue::Text(
                serde_json::to_string(&self.sources).unwrap_or_default(),
            ));
            sql.push_str(&format!(
                " AND source_id IN (SELECT id FROM sources WHERE importer IN (SELECT value FROM json_each(?{})))",
                params.len()
            ));
        }
        sql
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_selected_is_a_usage_error() {
        let err = Selection::resolve(&SelectArgs::default(), false).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let s = Selection::resolve(
            &SelectArgs {
                metric: vec!["b".into(), "a".into(), "a".into()],
                ..Default::default()
            },
            false,
        )
        .unwrap();
        assert_eq!(s.metrics, ["a", "b"]);
    }
}
