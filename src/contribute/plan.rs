//! From flags and a DAO's request to one plan: what is selected and how it is redacted.
//!
//! Safe defaults: location (track points and coordinates anywhere) and raw identifiers
//! (device names, account names, the source's own ids) are left out unless asked for, free
//! text is scrubbed of emails, phone numbers, handles, URLs and addresses, and events marked
//! sensitive by their importer are left out. A DAO's request can require stronger redactions
//! than these; a flag that asks for something weaker than the request requires is an error,
//! never silently overridden in either direction. Flags can narrow a request's selection but
//! not widen it.

use serde::{Deserialize, Serialize};

use crate::contribute::dao::Dao;
use crate::error::{Error, Result};

/// Where location may appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationMode {
    /// No track points, no coordinate-like keys in attrs.
    Omit,
    Include,
}

/// What happens to free text (event titles and bodies; strings inside attrs are always
/// scanned unless text is kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextMode {
    Drop,
    Scrub,
    Keep,
}

/// Device names, account names and the source's own record ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentifierMode {
    Omit,
    Pseudonymize,
    Raw,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum TimePrecision {
    Exact,
    Minute,
    Hour,
    Day,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jsonl,
    Csv,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
        }
    }
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/x-ndjson",
            Format::Csv => "text/csv",
        }
    }
}

/// Sensitive classes that `--redact` and `--include` name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Class {
    /// Track points and coordinates anywhere
    Location,
    /// Free text (titles, bodies)
    Text,
    /// Device names, account names, the source's own ids
    Identifiers,
    /// Events their importer marked sensitive
    Sensitive,
}

impl TextMode {
    fn strength(self) -> u8 {
        match self {
            TextMode::Keep => 0,
            TextMode::Scrub => 1,
            TextMode::Drop => 2,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TextMode::Keep => "keep",
            TextMode::Scrub => "scrub",
            TextMode::Drop => "drop",
        }
    }
}
impl IdentifierMode {
    fn strength(self) -> u8 {
        match self {
            IdentifierMode::Raw => 0,
            IdentifierMode::Pseudonymize => 1,
            IdentifierMode::Omit => 2,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierMode::Raw => "raw",
            IdentifierMode::Pseudonymize => "pseudonymize",
            IdentifierMode::Omit => "omit",
        }
    }
}
impl TimePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            TimePrecision::Exact => "exact",
            TimePrecision::Minute => "minute",
            TimePrecision::Hour => "hour",
            TimePrecision::Day => "day",
        }
    }
    /// The unit times are floored to, in milliseconds (1 for exact).
    pub fn unit_ms(self) -> i64 {
        match self {
            TimePrecision::Exact => 1,
            TimePrecision::Minute => 60_000,
            TimePrecision::Hour => 3_600_000,
            TimePrecision::Day => 86_400_000,
        }
    }
}

/// The contribute flags, as parsed.
#[derive(Clone, Debug, Default)]
pub struct Flags {
    pub metrics: Vec<String>,
    pub kinds: Vec<String>,
    pub sources: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub redact: Vec<Class>,
    pub include: Vec<Class>,
    pub scrub_pii: bool,
    pub pseudonymize: bool,
    pub time_precision: Option<TimePrecision>,
    pub format: Option<Format>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub metrics: Vec<String>,
    pub kinds: Vec<String>,
    pub sources: Vec<String>,
    /// Inclusive lower bound on a row's start time (RFC 3339).
    pub since: Option<String>,
    /// Exclusive upper bound on a row's start time (RFC 3339).
    pub until: Option<String>,
    /// Whether the selection came from the DAO's request.
    pub from_request: bool,
    #[serde(skip)]
    pub since_ms: Option<i64>,
    #[serde(skip)]
    pub until_ms: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Redactions {
    pub location: LocationMode,
    pub text: TextMode,
    pub identifiers: IdentifierMode,
    pub time_precision: TimePrecision,
    pub sensitive_events: LocationMode,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub selection: Selection,
    pub redactions: Redactions,
    pub format: Format,
    pub min_coverage_days: Option<u32>,
}

/// Parses `--since`/`--until` values: a date (a UTC day) or an RFC 3339 timestamp. A date as
/// an upper bound covers that whole day (its end is the next day's start).
pub fn parse_when(value: &str, upper: bool) -> std::result::Result<i64, String> {
    if let Ok(date) = value.parse::<jiff::civil::Date>()
        && value.len() == 10
    {
        let day = if upper {
            date.tomorrow().map_err(|e| e.to_string())?
        } else {
            date
        };
        let ts = jiff::tz::TimeZone::UTC
            .to_timestamp(day.at(0, 0, 0, 0))
            .map_err(|e| e.to_string())?;
        return Ok(ts.as_millisecond());
    }
    value
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|_| {
            format!("{value:?} is neither a date (2024-01-31) nor an RFC 3339 time (2024-01-31T08:00:00Z)")
        })
}

fn when_flag(value: &str, upper: bool, flag: &str) -> Result<i64> {
    parse_when(value, upper).map_err(|e| Error::Usage {
        message: format!("{flag}: {e}"),
        hint: None,
    })
}

fn conflict(a: &str, b: &str) -> Error {
    Error::usage(format!("{a} and {b} contradict each other; choose one"))
}

/// Resolves the plan for contributing to `dao` with `flags`.
pub fn resolve(dao: &Dao, flags: &Flags) -> Result<Plan> {
    let request = dao.request.as_ref();
    let name = dao.name.clone();
    let outside = |what: String| Error::OutsideRequest {
        dao: name.clone(),
        what,
    };

    // ---- selection ------------------------------------------------------------------------
    let flag_selects = !flags.metrics.is_empty() || !flags.kinds.is_empty();
    let (metrics, kinds, from_request) = match (flag_selects, request) {
        (false, Some(r)) => (r.wants.metrics.clone(), r.wants.kinds.clone(), true),
        (false, None) => {
            return Err(Error::Usage {
                message: "nothing selected".into(),
                hint: Some(format!(
                    "pass --metric and/or --kind, or register {} with a request file (`trove dao add --request`)",
                    dao.name
                )),
            });
        }
        (true, Some(r)) => {
            for m in &flags.metrics {
                if !r.wants.metrics.contains(m) {
                    return Err(outside(format!("metric {m}")));
                }
            }
            for k in &flags.kinds {
                if !r.wants.kinds.contains(k) {
                    return Err(outside(format!("kind {k}")));
                }
            }
            (flags.metrics.clone(), flags.kinds.clone(), true)
        }
        (true, None) => (flags.metrics.clone(), flags.kinds.clone(), false),
    };
    let mut sources = flags.sources.clone();
    if let Some(r) = request
        && !r.wants.sources.is_empty()
    {
        if sources.is_empty() {
            sources = r.wants.sources.clone();
        }
        for s in &sources {
            if !r.wants.sources.contains(s) {
                return Err(outside(format!("source {s}")));
            }
        }
    }
    let mut since_ms = flags
        .since
        .as_deref()
        .map(|v| when_flag(v, false, "--since"))
        .transpose()?;
    let mut until_ms = flags
        .until
        .as_deref()
        .map(|v| when_flag(v, true, "--until"))
        .transpose()?;
    if let Some(r) = request {
        if let Some(req_since) = r.wants.since.as_deref() {
            let req = parse_when(req_since, false).map_err(Error::usage)?;
            match since_ms {
                Some(s) if s < req => return Err(outside(format!("data before {req_since}"))),
                None => since_ms = Some(req),
                _ => {}
            }
        }
        if let Some(req_until) = r.wants.until.as_deref() {
            let req = parse_when(req_until, true).map_err(Error::usage)?;
            match until_ms {
                Some(u) if u > req => return Err(outside(format!("data after {req_until}"))),
                None => until_ms = Some(req),
                _ => {}
            }
        }
    }
    if let (Some(s), Some(u)) = (since_ms, until_ms)
        && s >= u
    {
        return Err(Error::usage("--since must be before --until"));
    }
    let fmt = |ms: i64| crate::output::rfc3339_ms(ms);
    let selection = Selection {
        metrics: sorted(metrics),
        kinds: sorted(kinds),
        sources: sorted(sources),
        since: since_ms.map(fmt),
        until: until_ms.map(fmt),
        from_request,
        since_ms,
        until_ms,
    };

    // ---- redactions -----------------------------------------------------------------------
    let requires = request.map(|r| r.requires.clone()).unwrap_or_default();
    let has = |list: &[Class], c: Class| list.contains(&c);
    let weakened = |requirement: &str, flag: &str| Error::RedactionWeakened {
        dao: dao.name.clone(),
        requirement: requirement.into(),
        flag: flag.into(),
    };

    if has(&flags.include, Class::Location) && has(&flags.redact, Class::Location) {
        return Err(conflict("--include location", "--redact location"));
    }
    let location = if has(&flags.include, Class::Location) {
        if requires.location == Some(LocationMode::Omit) {
            return Err(weakened("location to be omitted", "--include location"));
        }
        LocationMode::Include
    } else {
        LocationMode::Omit
    };

    let mut text_flags: Vec<(TextMode, &str)> = Vec::new();
    if has(&flags.redact, Class::Text) {
        text_flags.push((TextMode::Drop, "--redact text"));
    }
    if flags.scrub_pii {
        text_flags.push((TextMode::Scrub, "--scrub-pii"));
    }
    if has(&flags.include, Class::Text) {
        text_flags.push((TextMode::Keep, "--include text"));
    }
    if text_flags.len() > 1 {
        return Err(conflict(text_flags[0].1, text_flags[1].1));
    }
    let text = match (text_flags.first(), requires.text) {
        (Some((mode, flag)), Some(req)) if mode.strength() < req.strength() => {
            return Err(weakened(
                &format!("text to be {}", text_requirement(req)),
                flag,
            ));
        }
        (Some((mode, _)), _) => *mode,
        (None, Some(req)) if req.strength() > TextMode::Scrub.strength() => req,
        (None, _) => TextMode::Scrub,
    };

    let mut id_flags: Vec<(IdentifierMode, &str)> = Vec::new();
    if has(&flags.redact, Class::Identifiers) {
        id_flags.push((IdentifierMode::Omit, "--redact identifiers"));
    }
    if flags.pseudonymize {
        id_flags.push((IdentifierMode::Pseudonymize, "--pseudonymize"));
    }
    if has(&flags.include, Class::Identifiers) {
        id_flags.push((IdentifierMode::Raw, "--include identifiers"));
    }
    if id_flags.len() > 1 {
        return Err(conflict(id_flags[0].1, id_flags[1].1));
    }
    let identifiers = match (id_flags.first(), requires.identifiers) {
        (Some((mode, flag)), Some(req)) if mode.strength() < req.strength() => {
            let what = match req {
                IdentifierMode::Omit => "identifiers to be omitted",
                _ => "identifiers to be pseudonymized or omitted",
            };
            return Err(weakened(what, flag));
        }
        (Some((mode, _)), _) => *mode,
        (None, _) => IdentifierMode::Omit,
    };

    let time_precision = match (flags.time_precision, requires.time_precision) {
        (Some(flag), Some(req)) if flag < req => {
            return Err(weakened(
                &format!("times no finer than {}", req.as_str()),
                &format!("--time-precision {}", flag.as_str()),
            ));
        }
        (Some(flag), _) => flag,
        (None, Some(req)) => req,
        (None, None) => TimePrecision::Exact,
    };

    if has(&flags.include, Class::Sensitive) && has(&flags.redact, Class::Sensitive) {
        return Err(conflict("--include sensitive", "--redact sensitive"));
    }
    let sensitive_events = if has(&flags.include, Class::Sensitive) {
        LocationMode::Include
    } else {
        LocationMode::Omit
    };

    Ok(Plan {
        selection,
        redactions: Redactions {
            location,
            text,
            identifiers,
            time_precision,
            sensitive_events,
        },
        format: flags.format.unwrap_or(Format::Jsonl),
        min_coverage_days: request.and_then(|r| r.wants.min_coverage_days),
    })
}

/// A request with consent text needs `--accept-consent` before anything is written.
pub fn check_consent(dao: &Dao, accepted: bool) -> Result<()> {
    let needs = dao.request.as_ref().is_some_and(|r| r.consent.is_some());
    if needs && !accepted {
        return Err(Error::ConsentRequired {
            dao: dao.name.clone(),
        });
    }
    Ok(())
}

fn text_requirement(req: TextMode) -> &'static str {
    match req {
        TextMode::Drop => "dropped",
        TextMode::Scrub => "scrubbed of personal identifiers or dropped",
        TextMode::Keep => "kept",
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contribute::request;

    fn dao(with_request: bool) -> Dao {
        let req = request::parse(include_str!("../../examples/sleepdao-request.json")).unwrap();
        Dao {
            id: 1,
            name: "sleepdao".into(),
            recipients: vec![],
            endpoint: None,
            request: with_request.then_some(req),
            request_text: None,
            request_sha256: None,
            pseudonym_key: zeroize::Zeroizing::new(vec![0; 32]),
            created_ms: 0,
        }
    }

    #[test]
    fn defaults_are_safe() {
        let flags = Flags {
            metrics: vec!["heart_rate".into()],
            ..Default::default()
        };
        let plan = resolve(&dao(false), &flags).unwrap();
        assert_eq!(
            plan.redactions,
            Redactions {
                location: LocationMode::Omit,
                text: TextMode::Scrub,
                identifiers: IdentifierMode::Omit,
                time_precision: TimePrecision::Exact,
                sensitive_events: LocationMode::Omit,
            }
        );
        assert!(!plan.selection.from_request);
    }

    #[test]
    fn the_request_selects_and_its_requirements_apply() {
        let plan = resolve(&dao(true), &Flags::default()).unwrap();
        assert_eq!(
            plan.selection.metrics,
            ["heart_rate", "resting_heart_rate", "sleep_stage"]
        );
        assert_eq!(plan.selection.kinds, ["sleep"]);
        assert_eq!(
            plan.selection.since.as_deref(),
            Some("2023-01-01T00:00:00Z")
        );
        assert_eq!(plan.redactions.text, TextMode::Drop);
        assert_eq!(plan.redactions.identifiers, IdentifierMode::Omit);
        assert_eq!(plan.redactions.time_precision, TimePrecision::Minute);
        assert_eq!(plan.min_coverage_days, Some(30));
    }

    #[test]
    fn flags_cannot_weaken_a_request() {
        let cases: [(Flags, &str); 4] = [
            (
                Flags {
                    include: vec![Class::Location],
                    ..Default::default()
                },
                "sleepdao's request requires location to be omitted; --include location would weaken it",
            ),
            (
                Flags {
                    scrub_pii: true,
                    ..Default::default()
                },
                "sleepdao's request requires text to be dropped; --scrub-pii would weaken it",
            ),
            (
                Flags {
                    include: vec![Class::Identifiers],
                    ..Default::default()
                },
                "sleepdao's request requires identifiers to be pseudonymized or omitted; --include identifiers would weaken it",
            ),
            (
                Flags {
                    time_precision: Some(TimePrecision::Exact),
                    ..Default::default()
                },
                "sleepdao's request requires times no finer than minute; --time-precision exact would weaken it",
            ),
        ];
        for (flags, message) in cases {
            let err = resolve(&dao(true), &flags).unwrap_err();
            assert_eq!(err.to_string(), message);
            assert_eq!(err.exit_code(), 2);
        }
        // Stronger is fine.
        let plan = resolve(
            &dao(true),
            &Flags {
                pseudonymize: true,
                time_precision: Some(TimePrecision::Day),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(plan.redactions.identifiers, IdentifierMode::Pseudonymize);
        assert_eq!(plan.redactions.time_precision, TimePrecision::Day);
    }

    #[test]
    fn flags_can_narrow_but_not_widen_a_request() {
        let plan = resolve(
            &dao(true),
            &Flags {
                metrics: vec!["heart_rate".into()],
                since: Some("2024-01-01".into()),
                until: Some("2024-01-31".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(plan.selection.metrics, ["heart_rate"]);
        assert!(plan.selection.kinds.is_empty());
        assert_eq!(
            plan.selection.until.as_deref(),
            Some("2024-02-01T00:00:00Z")
        );
        let err = resolve(
            &dao(true),
            &Flags {
                metrics: vec!["step_count".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "sleepdao's request does not ask for metric step_count"
        );
        let err = resolve(
            &dao(true),
            &Flags {
                since: Some("2022-06-01".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "sleepdao's request does not ask for data before 2023-01-01"
        );
    }

    #[test]
    fn contradictions_and_empty_selections_are_usage_errors() {
        let err = resolve(&dao(false), &Flags::default()).unwrap_err();
        assert_eq!(err.to_string(), "nothing selected");
        let err = resolve(
            &dao(false),
            &Flags {
                kinds: vec!["post".into()],
                redact: vec![Class::Text],
                scrub_pii: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "--redact text and --scrub-pii contradict each other; choose one"
        );
        let err = resolve(
            &dao(false),
            &Flags {
                kinds: vec!["post".into()],
                since: Some("yesterday".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "--since: \"yesterday\" is neither a date (2024-01-31) nor an RFC 3339 time (2024-01-31T08:00:00Z)"
        );
    }

    #[test]
    fn when_parses_dates_and_timestamps() {
        assert_eq!(parse_when("2024-01-01", false).unwrap(), 1_704_067_200_000);
        assert_eq!(parse_when("2024-01-01", true).unwrap(), 1_704_153_600_000);
        assert_eq!(
            parse_when("2024-01-01T01:00:00+01:00", false).unwrap(),
            1_704_067_200_000
        );
    }
}
