//! Rust decoders for structure a declarative mapping cannot express.
//!
//! A spec's `[[files]]` rule names one of these with `decoder = "…"`; the spec still carries
//! the decoder's lookup tables (`[tables.*]`), so e.g. a new HealthKit type is a one-line
//! change to importers/apple-health.toml, not to Rust.

pub mod apple_ecg;
pub mod apple_health;
pub mod car;
pub mod fhir;
pub mod fitbit;
pub mod google_fit;
pub mod gpx;
pub mod jsonstream;
pub mod oura;
pub mod teslafi;
pub mod torque;
pub mod xmlutil;

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::pipeline::Decoder;

type Factory = fn(&DecodeContext<'_>) -> Result<Box<dyn Decoder>>;

const DECODERS: &[(&str, Factory)] = &[
    ("apple_ecg", apple_ecg::create),
    ("apple_health", apple_health::create),
    ("fhir", fhir::create),
    ("fitbit", fitbit::create),
    ("google_fit_data", google_fit::create_data),
    ("google_fit_session", google_fit::create_session),
    ("gpx", gpx::create),
    ("teslafi", teslafi::create),
    ("torque", torque::create),
    ("oura", oura::create),
];

pub fn exists(name: &str) -> bool {
    DECODERS.iter().any(|(n, _)| *n == name)
}

pub fn names() -> Vec<&'static str> {
    DECODERS.iter().map(|(n, _)| *n).collect()
}

pub fn create(name: &str, ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let (_, factory) = DECODERS
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| Error::BadSpec {
            origin: ctx.spec.origin.clone(),
            detail: format!("unknown decoder {name:?}"),
        })?;
    factory(ctx)
}

/// `HKQuantityTypeIdentifierHeartRate` → `heart_rate` style: CamelCase to snake_case.
pub fn snake_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn snake() {
        assert_eq!(snake_case("HeartRate"), "heart_rate");
        assert_eq!(snake_case("VO2Max"), "vo2_max");
        assert_eq!(snake_case("AsleepREM"), "asleep_rem");
        assert_eq!(snake_case("BodyMassIndex"), "body_mass_index");
        assert_eq!(
            snake_case("HKBloodTypeAPositive"),
            "hk_blood_type_a_positive"
        );
        assert_eq!(snake_case("Running"), "running");
        assert_eq!(
            snake_case("HighIntensityIntervalTraining"),
            "high_intensity_interval_training"
        );
    }
}
