//! Apple Health electrocardiograms (`electrocardiograms/ecg_*.csv`).
//!
//! A header of `key,value` lines (Name, Date of Birth, Recorded Date, Classification,
//! Symptoms, Software Version, Device, Sample Rate, Lead, Unit), a blank line, then one
//! voltage per line. The decimal separator follows the phone's locale (`-265,868` is a
//! number, quoted when it contains a comma). The recording becomes one sensitive `health.ecg`
//! event with the waveform (in µV) in attrs; the name and date of birth in the header are
//! personal identifiers and are not kept.

use std::io::BufRead;

use crate::error::Result;
use crate::import::DecodeContext;
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::model::{Attrs, Event};
use crate::time::parse_apple;

pub struct AppleEcg;

pub fn create(_ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    Ok(Box::new(AppleEcg))
}

/// Parses a voltage written with either decimal separator, optionally quoted.
fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('"').trim();
    if s.is_empty() {
        return None;
    }
    let normalized = if s.contains(',') && !s.contains('.') {
        s.replace(',', ".")
    } else {
        s.replace(',', "")
    };
    normalized.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl Decoder for AppleEcg {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let mut header: Vec<(String, String)> = Vec::new();
        let mut samples: Vec<f64> = Vec::new();
        let mut in_data = false;
        let mut line = String::new();
        let mut n = 0usize;
        loop {
            line.clear();
            match input.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => return Err(DecodeError::fatal(format!("line {}", n + 1), e.to_string())),
            }
            n += 1;
            let l = line
                .trim_end_matches(['\n', '\r'])
                .trim_start_matches('\u{feff}');
            if !in_data {
                if l.trim().is_empty() {
                    in_data = !header.is_empty();
                    continue;
                }
                let (k, v) = l.split_once(',').unwrap_or((l, ""));
                header.push((k.trim().to_string(), v.trim().trim_matches('"').to_string()));
                continue;
            }
            if l.trim().is_empty() {
                continue;
            }
            match parse_number(l) {
                Some(v) => samples.push(v),
                None => out.reject(
                    format!("line {n}"),
                    "ECG sample is not a number",
                    Some(l.to_string()),
                )?,
            }
        }
        let get = |k: &str| {
            header
                .iter()
                .find(|(hk, _)| hk == k)
                .map(|(_, v)| v.as_str())
        };
        let Some(recorded) = get("Recorded Date").and_then(parse_apple) else {
            return Err(DecodeError::fatal(
                "header",
                "no readable \"Recorded Date\": not an Apple Health ECG file",
            ));
        };
        let rate: Option<f64> = get("Sample Rate")
            .and_then(|r| r.split_whitespace().next())
            .and_then(parse_number);
        let mut a = Attrs::new();
        for (key, name) in [
            ("Classification", "classification"),
            ("Symptoms", "symptoms"),
            ("Software Version", "software_version"),
            ("Device", "device"),
            ("Lead", "lead"),
            ("Unit", "unit"),
        ] {
            if let Some(v) = get(key).filter(|v| !v.is_empty()) {
                a.set(name, v.to_string());
            }
        }
        if let Some(r) = rate {
            a.set("sample_rate_hz", r);
        }
        a.set("samples", samples.len() as u64);
        a.set(
            "voltage_uv",
            serde_json::Value::Array(samples.iter().map(|v| (*v).into()).collect()),
        );
        let end = rate
            .filter(|r| *r > 0.0)
            .map(|r| recorded.ms + ((samples.len() as f64 / r) * 1000.0).round() as i64);
        out.event(Event {
            kind: "health.ecg".into(),
            start_ms: Some(recorded.ms),
            end_ms: end,
            tz_offset_min: recorded.offset_min,
            title: get("Classification").map(str::to_string),
            natural_key: Some(format!("health.ecg:{}", recorded.ms)),
            attrs: a.into_json(),
            sensitive: true,
            locator: Some("header".into()),
            ..Default::default()
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn locale_numbers() {
        assert_eq!(parse_number("-265,868"), Some(-265.868));
        assert_eq!(parse_number("\"-265,868\""), Some(-265.868));
        assert_eq!(parse_number("12.5"), Some(12.5));
        assert_eq!(parse_number("x"), None);
    }
}
