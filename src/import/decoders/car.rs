//! What the car importers (TeslaFi, Torque, TeslaMate) share: how a drive or a charge is
//! summarized into an event, so that the same question ("how far, how long, from where, how
//! much energy") has the same answer in `attrs` whatever logged the car.
//!
//! Conventions (docs/SCHEMA.md, kinds `drive` and `charge`): distances and ranges in metres,
//! durations in seconds, speeds in m/s, energy in kWh, power in kW, battery levels in percent,
//! temperatures in °C; places as `{"lat": …, "lon": …}` objects under keys ending in
//! `location`, so a redaction that drops location finds them by name.

use serde_json::json;

use crate::import::pipeline::{DecodeResult, Emitter};
use crate::model::{Attrs, DeviceInfo, EventRef, Handle, TrackPoint, time_seq};

pub const MI_M: f64 = 1609.344;
pub const MPH_MPS: f64 = 0.447_04;
pub const KMH_MPS: f64 = 1.0 / 3.6;

/// A GPS fix of a drive, as the car loggers give it.
pub struct Point {
    pub t_ms: i64,
    pub lat: f64,
    pub lon: f64,
    pub alt_m: Option<f64>,
    pub speed_mps: Option<f64>,
    pub course_deg: Option<f64>,
}

/// Emits a drive's points as the track of the event `drive`, in the order given (callers sort
/// by time when their clock can step back).
pub fn emit_track(out: &mut Emitter, drive: Handle, points: Vec<Point>) -> DecodeResult {
    let mut prev = None;
    for p in points {
        out.track_point(TrackPoint {
            event: EventRef::Handle(drive),
            seq: time_seq(p.t_ms, &mut prev),
            t_ms: p.t_ms,
            lat: p.lat,
            lon: p.lon,
            alt_m: p.alt_m,
            speed_mps: p.speed_mps,
            course_deg: p.course_deg,
            h_acc_m: None,
            v_acc_m: None,
            attrs: None,
        })?;
    }
    Ok(())
}

/// A coordinate pair, if it is one (finite, in range, and not the 0,0 that loggers write
/// before a GPS fix).
pub fn coords(lat: Option<f64>, lon: Option<f64>) -> Option<(f64, f64)> {
    let (lat, lon) = (lat?, lon?);
    let valid = lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
        && !(lat == 0.0 && lon == 0.0);
    valid.then_some((lat, lon))
}

pub fn location(p: (f64, f64)) -> serde_json::Value {
    json!({ "lat": p.0, "lon": p.1 })
}

/// Great-circle distance in metres (haversine, mean Earth radius): for the length of a GPS
/// track when the logger has no odometer.
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6_371_008.8;
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Rounds to a few decimals so attrs do not carry conversion noise (16.093440000000001).
pub fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// The first and last value of a quantity over a session, ignoring missing values.
#[derive(Clone, Copy, Debug, Default)]
pub struct Span<T: Copy> {
    pub first: Option<T>,
    pub last: Option<T>,
}

impl<T: Copy> Span<T> {
    pub fn see(&mut self, v: Option<T>) {
        if let Some(v) = v {
            if self.first.is_none() {
                self.first = Some(v);
            }
            self.last = Some(v);
        }
    }
}

/// The running maximum of a quantity.
pub fn max_opt(acc: &mut Option<f64>, v: Option<f64>) {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        *acc = Some(acc.map_or(v, |a| a.max(v)));
    }
}

/// A drive's summary, in canonical units; `None` fields are left out of attrs.
#[derive(Clone, Debug, Default)]
pub struct DriveSummary {
    pub distance_m: Option<f64>,
    pub duration_s: Option<f64>,
    pub start_odometer_m: Option<f64>,
    pub end_odometer_m: Option<f64>,
    pub start_battery_level: Option<f64>,
    pub end_battery_level: Option<f64>,
    pub start_range_m: Option<f64>,
    pub end_range_m: Option<f64>,
    pub start_location: Option<(f64, f64)>,
    pub end_location: Option<(f64, f64)>,
    pub speed_max_mps: Option<f64>,
    pub energy_kwh: Option<f64>,
    pub points: Option<u64>,
}

impl DriveSummary {
    pub fn attrs(&self) -> Attrs {
        let mut a = Attrs::new();
        a.set_opt("distance_m", self.distance_m.map(|v| round(v, 1)));
        a.set_opt("duration_s", self.duration_s.map(|v| round(v, 3)));
        a.set_opt(
            "start_odometer_m",
            self.start_odometer_m.map(|v| round(v, 1)),
        );
        a.set_opt("end_odometer_m", self.end_odometer_m.map(|v| round(v, 1)));
        a.set_opt("start_battery_level", self.start_battery_level);
        a.set_opt("end_battery_level", self.end_battery_level);
        a.set_opt("start_range_m", self.start_range_m.map(|v| round(v, 1)));
        a.set_opt("end_range_m", self.end_range_m.map(|v| round(v, 1)));
        a.set_opt("start_location", self.start_location.map(location));
        a.set_opt("end_location", self.end_location.map(location));
        a.set_opt("speed_max_mps", self.speed_max_mps.map(|v| round(v, 3)));
        a.set_opt("energy_kwh", self.energy_kwh.map(|v| round(v, 3)));
        a.set_opt("points", self.points);
        a
    }
}

/// A charging session's summary, in canonical units.
#[derive(Clone, Debug, Default)]
pub struct ChargeSummary {
    pub energy_added_kwh: Option<f64>,
    pub energy_used_kwh: Option<f64>,
    pub duration_s: Option<f64>,
    pub start_battery_level: Option<f64>,
    pub end_battery_level: Option<f64>,
    pub start_range_m: Option<f64>,
    pub end_range_m: Option<f64>,
    pub location: Option<(f64, f64)>,
    pub charger_power_max_kw: Option<f64>,
    pub cost: Option<f64>,
}

impl ChargeSummary {
    pub fn attrs(&self) -> Attrs {
        let mut a = Attrs::new();
        a.set_opt(
            "energy_added_kwh",
            self.energy_added_kwh.map(|v| round(v, 3)),
        );
        a.set_opt("energy_used_kwh", self.energy_used_kwh.map(|v| round(v, 3)));
        a.set_opt("duration_s", self.duration_s.map(|v| round(v, 3)));
        a.set_opt("start_battery_level", self.start_battery_level);
        a.set_opt("end_battery_level", self.end_battery_level);
        a.set_opt("start_range_m", self.start_range_m.map(|v| round(v, 1)));
        a.set_opt("end_range_m", self.end_range_m.map(|v| round(v, 1)));
        a.set_opt("location", self.location.map(location));
        a.set_opt("charger_power_max_kw", self.charger_power_max_kw);
        a.set_opt("cost", self.cost);
        a
    }
}

/// A Tesla as a device: the VIN is its stable identity (kept in `hardware`); the name the
/// owner gave the car and its software version change over time and stay out of it.
pub fn tesla(vin: Option<&str>) -> DeviceInfo {
    DeviceInfo {
        name: "Tesla".into(),
        manufacturer: Some("Tesla".into()),
        hardware: vin.filter(|v| !v.is_empty()).map(str::to_string),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        // One degree of latitude is about 111.2 km.
        let d = haversine_m((52.0, 13.0), (53.0, 13.0));
        assert!((d - 111_195.0).abs() < 50.0, "{d}");
        assert_eq!(haversine_m((1.0, 2.0), (1.0, 2.0)), 0.0);
    }

    #[test]
    fn coordinates() {
        assert_eq!(coords(Some(52.5), Some(13.4)), Some((52.5, 13.4)));
        assert_eq!(coords(Some(0.0), Some(0.0)), None);
        assert_eq!(coords(Some(91.0), Some(0.0)), None);
        assert_eq!(coords(None, Some(1.0)), None);
    }
}
