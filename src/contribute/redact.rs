//! Redactions applied to every row on its way out of the vault: coarser times, keyed
//! pseudonyms, PII scrubbing, and the cleaning of `attrs` (location-like and identifier-like
//! keys, import-time PII markers).

use blake2::digest::{FixedOutput, KeyInit, Update};
use serde_json::Value;

use crate::contribute::plan::{IdentifierMode, LocationMode, Redactions, TextMode};
use crate::pii::{self, Hits};

/// Floors epoch milliseconds to the precision's unit (towards the past, also before 1970).
pub fn floor_time(ms: i64, unit_ms: i64) -> i64 {
    if unit_ms <= 1 {
        ms
    } else {
        ms.div_euclid(unit_ms) * unit_ms
    }
}

/// Keyed pseudonyms: BLAKE2b-256 keyed with the DAO's 32-byte secret over `kind ‖ 0 ‖ value`,
/// shown as `ps_` + 24 hex digits (96 bits). The same device gets the same pseudonym in every
/// contribution to one DAO, and unrelated pseudonyms at another.
pub struct Pseudonymizer<'a> {
    key: &'a [u8],
}

impl<'a> Pseudonymizer<'a> {
    pub fn new(key: &'a [u8]) -> Self {
        Pseudonymizer { key }
    }

    pub fn pseudonym(&self, kind: &str, value: &str) -> String {
        let mut mac = blake2::Blake2bMac::<blake2::digest::consts::U32>::new_from_slice(self.key)
            .expect("a 32-byte key is valid for BLAKE2b");
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        let out = mac.finalize_fixed();
        format!("ps_{}", hex::encode(&out[..12]))
    }
}

/// Splits a key into lower-case words: `startLatitude` → [start, latitude], `gps_lon` →
/// [gps, lon].
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const LOCATION_WORDS: &[&str] = &[
    "lat",
    "lon",
    "lng",
    "long",
    "latitude",
    "longitude",
    "alt",
    "altitude",
    "elevation",
    "coord",
    "coords",
    "coordinate",
    "coordinates",
    "location",
    "locations",
    "geo",
    "geometry",
    "geohash",
    "gps",
    "position",
    "place",
    "address",
    "route",
    "track",
    "waypoint",
    "waypoints",
    "polyline",
];

/// Whether an attrs key names location (conservative: any word of it is location-like).
pub fn is_location_key(key: &str) -> bool {
    words(key)
        .iter()
        .any(|w| LOCATION_WORDS.contains(&w.as_str()))
}

const IDENTIFIER_KEYS: &[&str] = &[
    "account",
    "accountid",
    "accountname",
    "username",
    "user",
    "userid",
    "email",
    "emailaddress",
    "phone",
    "phonenumber",
    "serial",
    "serialnumber",
    "udid",
    "imei",
    "macaddress",
    "deviceid",
    "devicename",
    "sourcename",
    "owner",
    "ownername",
    "handle",
    "screenname",
];

/// Whether an attrs key names an identifier of a person, account or device.
pub fn is_identifier_key(key: &str) -> bool {
    let joined: String = words(key).concat();
    IDENTIFIER_KEYS.contains(&joined.as_str())
}

/// What cleaning attrs found, for the privacy report.
#[derive(Default)]
pub struct AttrStats {
    pub location_keys_removed: u64,
    pub identifier_keys_removed: u64,
    pub location_keys_kept: u64,
}

/// Cleans a row's attrs: drops the `pii` markers; with location omitted, every location-like
/// key (at any depth); unless identifiers are kept raw, identifier-like keys; and unless text
/// is kept, scrubs PII from every string value. Returns None for nothing left.
pub fn clean_attrs(
    mut value: Value,
    red: &Redactions,
    hits: &mut Hits,
    stats: &mut AttrStats,
) -> Option<Value> {
    if let Value::Object(map) = &mut value {
        map.remove("pii");
    }
    walk(&mut value, red, hits, stats);
    match &value {
        Value::Null => None,
        Value::Object(m) if m.is_empty() => None,
        _ => Some(value),
    }
}

fn walk(value: &mut Value, red: &Redactions, hits: &mut Hits, stats: &mut AttrStats) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| {
                if is_location_key(k) {
                    if red.location == LocationMode::Omit {
                        stats.location_keys_removed += 1;
                        return false;
                    }
                    stats.location_keys_kept += 1;
                }
                if red.identifiers != IdentifierMode::Raw && is_identifier_key(k) {
                    stats.identifier_keys_removed += 1;
                    return false;
                }
                true
            });
            for v in map.values_mut() {
                walk(v, red, hits, stats);
            }
        }
        Value::Array(items) => {
            for v in items {
                walk(v, red, hits, stats);
            }
        }
        Value::String(s) => {
            if red.text == TextMode::Keep {
                // Counted for the report, left as it is.
                for span in pii::scan(s) {
                    hits.add(span.kind);
                }
            } else {
                let found = pii::scan(s);
                if !found.is_empty() {
                    for span in &found {
                        hits.add(span.kind);
                    }
                    *s = pii::replace(s, &found);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contribute::plan::TimePrecision;

    fn red(location: LocationMode, text: TextMode, identifiers: IdentifierMode) -> Redactions {
        Redactions {
            location,
            text,
            identifiers,
            time_precision: TimePrecision::Exact,
            sensitive_events: LocationMode::Omit,
        }
    }

    #[test]
    fn floors_times_including_before_1970() {
        assert_eq!(floor_time(1_711_848_659_999, 60_000), 1_711_848_600_000);
        assert_eq!(floor_time(-1, 86_400_000), -86_400_000);
        assert_eq!(floor_time(123, 1), 123);
    }

    #[test]
    fn pseudonyms_are_keyed() {
        let a = Pseudonymizer::new(&[1; 32]);
        let b = Pseudonymizer::new(&[2; 32]);
        let pa = a.pseudonym("device", "apple_health\0Watch");
        assert_eq!(pa, a.pseudonym("device", "apple_health\0Watch"));
        assert_ne!(pa, b.pseudonym("device", "apple_health\0Watch"));
        assert_ne!(pa, a.pseudonym("account", "apple_health\0Watch"));
        assert_eq!(pa.len(), 3 + 24);
        assert!(pa.starts_with("ps_"));
    }

    #[test]
    fn location_keys_are_recognized_in_any_spelling() {
        for k in [
            "lat",
            "startLatitude",
            "gps_lon",
            "Location",
            "route",
            "home_address",
            "geo",
        ] {
            assert!(is_location_key(k), "{k}");
        }
        for k in [
            "latency",
            "platform",
            "along",
            "kind",
            "duration_s",
            "total_distance",
        ] {
            assert!(!is_location_key(k), "{k}");
        }
        assert!(is_identifier_key("deviceName"));
        assert!(is_identifier_key("user_id"));
        assert!(!is_identifier_key("user_agent_family"));
    }

    #[test]
    fn attrs_are_cleaned() {
        let attrs = serde_json::json!({
            "pii": [{"field": "body", "kind": "email", "start": 0, "end": 3}],
            "workout": "running",
            "start": {"lat": 52.52, "lon": 13.40},
            "note": "mail me at a@b.org",
            "sourceName": "Jane's Watch",
            "laps": [{"split_s": 300, "gps": [1, 2]}]
        });
        let mut hits = Hits::default();
        let mut stats = AttrStats::default();
        let out = clean_attrs(
            attrs.clone(),
            &red(
                LocationMode::Omit,
                TextMode::Scrub,
                IdentifierMode::Pseudonymize,
            ),
            &mut hits,
            &mut stats,
        )
        .unwrap();
        assert_eq!(
            out,
            serde_json::json!({
                "workout": "running",
                "start": {},
                "note": "mail me at [email]",
                "laps": [{"split_s": 300}]
            })
        );
        assert_eq!(stats.location_keys_removed, 3);
        assert_eq!(stats.identifier_keys_removed, 1);
        assert_eq!(hits.email, 1);

        let mut hits = Hits::default();
        let mut stats = AttrStats::default();
        let kept = clean_attrs(
            attrs,
            &red(LocationMode::Include, TextMode::Keep, IdentifierMode::Raw),
            &mut hits,
            &mut stats,
        )
        .unwrap();
        assert_eq!(kept["start"]["lat"], 52.52);
        assert_eq!(kept["note"], "mail me at a@b.org");
        assert_eq!(kept["sourceName"], "Jane's Watch");
        assert!(kept.get("pii").is_none());
        assert_eq!(hits.email, 1);
        assert_eq!(
            clean_attrs(
                serde_json::json!({"pii": []}),
                &red(LocationMode::Omit, TextMode::Drop, IdentifierMode::Omit),
                &mut hits,
                &mut stats
            ),
            None
        );
    }
}
