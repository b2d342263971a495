//! A DAO's request file (`trove-request/1`): what it wants, which redactions it requires, its
//! purpose, consent text and terms. The schema is documented in docs/CONTRIBUTION-FORMAT.md
//! and exemplified by examples/sleepdao-request.json.
//!
//! Unknown fields are refused, at every level: a requirement that this trove does not
//! understand must not be silently ignored, or a contribution could be weaker than the DAO
//! (and the person contributing) believe.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::contribute::plan::{IdentifierMode, LocationMode, TextMode, TimePrecision, parse_when};
use crate::contribute::{REQUEST_FORMAT, sha256};
use crate::error::{Error, Result};

/// Request files are small; anything larger is not one.
pub const MAX_REQUEST_BYTES: u64 = 256 * 1024;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub format: String,
    pub dao: RequestDao,
    pub purpose: String,
    #[serde(default)]
    pub wants: Wants,
    #[serde(default)]
    pub requires: Requires,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RequestDao {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    #[serde(default)]
    pub recipients: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Wants {
    #[serde(default)]
    pub metrics: Vec<String>,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_coverage_days: Option<u32>,
}

/// Minimum redactions. Each is "at least this strong"; absent means no requirement.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Requires {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiers: Option<IdentifierMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_precision: Option<TimePrecision>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl Request {
    /// SHA-256 of the consent text (UTF-8), which the manifest records.
    pub fn consent_sha256(&self) -> Option<[u8; 32]> {
        self.consent.as_ref().map(|c| sha256(c.text.as_bytes()))
    }
}

/// Reads and validates a request file; returns it with its exact text.
pub fn load(path: &Path) -> Result<(Request, String)> {
    let invalid = |detail: String| Error::InvalidRequest {
        path: path.to_path_buf(),
        detail,
    };
    let meta =
        std::fs::metadata(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    if meta.len() > MAX_REQUEST_BYTES {
        return Err(invalid(format!(
            "it is {} bytes; a request is at most {MAX_REQUEST_BYTES}",
            meta.len()
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
    let request = parse(&text).map_err(invalid)?;
    Ok((request, text))
}

/// Parses and validates request text; the error is a precise, user-facing reason.
pub fn parse(text: &str) -> std::result::Result<Request, String> {
    let request: Request = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if request.format != REQUEST_FORMAT {
        return Err(format!(
            "format is {:?}; this trove understands {REQUEST_FORMAT:?}",
            request.format
        ));
    }
    if request.purpose.trim().is_empty() {
        return Err("purpose is empty: a DAO must say what the data is for".into());
    }
    if request.wants.metrics.is_empty() && request.wants.kinds.is_empty() {
        return Err("wants lists no metrics and no kinds".into());
    }
    for (what, value) in [
        ("since", &request.wants.since),
        ("until", &request.wants.until),
    ] {
        if let Some(v) = value {
            parse_when(v, what == "until").map_err(|e| format!("wants.{what}: {e}"))?;
        }
    }
    for r in &request.dao.recipients {
        r.parse::<age::x25519::Recipient>()
            .map_err(|e| format!("dao.recipients: {r:?}: {e}"))?;
    }
    if let Some(c) = &request.consent
        && c.text.trim().is_empty()
    {
        return Err("consent.text is empty".into());
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../examples/sleepdao-request.json");

    #[test]
    fn the_example_request_is_valid() {
        let r = parse(EXAMPLE).unwrap();
        assert_eq!(r.dao.name.as_deref(), Some("sleepdao"));
        assert_eq!(r.requires.location, Some(LocationMode::Omit));
        assert!(r.consent_sha256().is_some());
    }

    #[test]
    fn unknown_fields_are_refused_at_every_level() {
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["requires"]["faces"] = "blur".into();
        let err = parse(&v.to_string()).unwrap_err();
        assert!(err.starts_with("unknown field `faces`"), "{err}");
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["extra"] = 1.into();
        assert!(
            parse(&v.to_string())
                .unwrap_err()
                .starts_with("unknown field `extra`")
        );
    }

    #[test]
    fn wrong_format_empty_wants_and_bad_values_are_refused() {
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["format"] = "trove-request/2".into();
        assert_eq!(
            parse(&v.to_string()).unwrap_err(),
            "format is \"trove-request/2\"; this trove understands \"trove-request/1\""
        );
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["wants"] = serde_json::json!({});
        assert_eq!(
            parse(&v.to_string()).unwrap_err(),
            "wants lists no metrics and no kinds"
        );
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["requires"]["time_precision"] = "fortnight".into();
        assert!(
            parse(&v.to_string())
                .unwrap_err()
                .contains("unknown variant `fortnight`")
        );
        let mut v: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        v["wants"]["since"] = "last tuesday".into();
        assert!(
            parse(&v.to_string())
                .unwrap_err()
                .starts_with("wants.since: ")
        );
    }
}
