//! The metric catalog: every metric trove knows, with its canonical unit and kind.
//!
//! Names follow Open mHealth / IEEE 1752.1 where one exists, in snake_case; units are UCUM
//! (`/min`, `kg`, `Cel`, `%`, `mm[Hg]`). Values in `samples.value` are always in the metric's
//! canonical unit. The kind decides how values aggregate (`trove stats`): cumulative metrics
//! are summed, instant metrics are averaged, categorical ones are counted or timed.
//!
//! Metrics not in this table (an unknown HealthKit type, a user's OBD column) are still
//! imported: the import engine registers them in the vault's `metrics` table with the unit they
//! came in, and later rows of that metric are converted to it (or rejected if they cannot be).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    /// Amounts that add up over time (steps, energy, distance): aggregate by sum.
    Cumulative,
    /// Measurements at a moment (heart rate, weight): aggregate by mean/min/max.
    Instant,
    /// Labels over intervals (sleep stages): aggregate by time per category.
    Categorical,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Cumulative => "cumulative",
            MetricKind::Instant => "instant",
            MetricKind::Categorical => "categorical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "cumulative" => Some(MetricKind::Cumulative),
            "instant" => Some(MetricKind::Instant),
            "categorical" => Some(MetricKind::Categorical),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct Metric {
    pub name: &'static str,
    pub unit: &'static str,
    pub kind: MetricKind,
    pub description: &'static str,
}

use MetricKind::{Categorical as Cat, Cumulative as Cum, Instant as Ins};

macro_rules! metrics {
    ($( $name:literal, $unit:literal, $kind:expr, $desc:literal; )*) => {
        &[ $( Metric { name: $name, unit: $unit, kind: $kind, description: $desc }, )* ]
    };
}

/// The built-in catalog, sorted by name (a test keeps it sorted and unique).
pub const METRICS: &[Metric] = metrics![
    "active_energy_burned", "kcal", Cum, "energy burned by activity";
    "activity_score", "score", Ins, "daily activity score (0-100)";
    "activity_summary.exercise_goal", "min", Ins, "daily exercise goal (Apple Activity rings)";
    "activity_summary.exercise_time", "min", Ins, "daily exercise minutes (Apple Activity rings)";
    "activity_summary.move", "kcal", Ins, "daily active energy (Apple Activity move ring)";
    "activity_summary.move_goal", "kcal", Ins, "daily move goal (Apple Activity rings)";
    "activity_summary.move_time", "min", Ins, "daily move minutes (Apple Activity rings)";
    "activity_summary.move_time_goal", "min", Ins, "daily move-minutes goal (Apple Activity rings)";
    "activity_summary.stand_goal", "h", Ins, "daily stand-hours goal (Apple Activity rings)";
    "activity_summary.stand_hours", "h", Ins, "daily stand hours (Apple Activity rings)";
    "atrial_fibrillation_burden", "%", Ins, "share of time in atrial fibrillation";
    "basal_body_temperature", "Cel", Ins, "basal body temperature";
    "basal_energy_burned", "kcal", Cum, "resting energy burned";
    "battery_level", "%", Ins, "battery state of charge";
    "battery_range", "m", Ins, "a vehicle's estimated remaining range (rated)";
    "blood_alcohol_content", "%", Ins, "blood alcohol content";
    "blood_glucose", "mg/dL", Ins, "blood glucose";
    "blood_pressure_diastolic", "mm[Hg]", Ins, "diastolic blood pressure";
    "blood_pressure_systolic", "mm[Hg]", Ins, "systolic blood pressure";
    "body_fat_percentage", "%", Ins, "body fat percentage";
    "body_mass", "kg", Ins, "body weight";
    "body_mass_index", "kg/m2", Ins, "body mass index";
    "body_temperature", "Cel", Ins, "body temperature";
    "cardiovascular_age", "a", Ins, "estimated cardiovascular (vascular) age in years";
    "charge_power", "kW", Ins, "charging power";
    "cycling_cadence", "/min", Ins, "cycling cadence";
    "cycling_power", "W", Ins, "cycling power";
    "cycling_speed", "m/s", Ins, "cycling speed";
    "dietary_caffeine", "mg", Cum, "caffeine consumed";
    "dietary_carbohydrates", "g", Cum, "carbohydrates consumed";
    "dietary_energy", "kcal", Cum, "food energy consumed";
    "dietary_fat_total", "g", Cum, "fat consumed";
    "dietary_protein", "g", Cum, "protein consumed";
    "dietary_sugar", "g", Cum, "sugar consumed";
    "dietary_water", "mL", Cum, "water consumed";
    "distance", "m", Cum, "distance moved, any activity (sources that do not say which)";
    "distance_cycling", "m", Cum, "distance cycled";
    "distance_downhill_snow_sports", "m", Cum, "distance skiing or snowboarding";
    "distance_swimming", "m", Cum, "distance swum";
    "distance_walking_running", "m", Cum, "distance walked or run";
    "distance_wheelchair", "m", Cum, "distance by wheelchair";
    "electrodermal_activity", "S", Ins, "electrodermal activity";
    "engine_coolant_temperature", "Cel", Ins, "engine coolant temperature";
    "engine_rpm", "/min", Ins, "engine revolutions per minute";
    "environmental_audio_exposure", "dB", Ins, "environmental sound level";
    "exercise_time", "min", Cum, "exercise minutes";
    "flights_climbed", "count", Cum, "floors climbed";
    "fuel_rate", "L/h", Ins, "fuel consumption rate";
    "headphone_audio_exposure", "dB", Ins, "headphone sound level";
    "heart_rate", "/min", Ins, "heart rate";
    "heart_rate_recovery_one_minute", "/min", Ins, "heart rate drop one minute after exercise";
    "heart_rate_variability_rmssd", "ms", Ins, "heart rate variability (RMSSD)";
    "heart_rate_variability_sdnn", "ms", Ins, "heart rate variability (SDNN)";
    "height", "m", Ins, "body height";
    "inside_temperature", "Cel", Ins, "temperature inside the vehicle";
    "lean_body_mass", "kg", Ins, "lean body mass";
    "move_time", "min", Cum, "move minutes";
    "odometer", "m", Ins, "vehicle odometer";
    "outside_temperature", "Cel", Ins, "temperature outside the vehicle";
    "oxygen_saturation", "%", Ins, "blood oxygen saturation (SpO2)";
    "peripheral_perfusion_index", "%", Ins, "peripheral perfusion index";
    "physical_effort", "kcal/(kg.h)", Ins, "physical effort (METs)";
    "pulse_wave_velocity", "m/s", Ins, "pulse wave velocity (arterial stiffness)";
    "push_count", "count", Cum, "wheelchair pushes";
    "readiness_score", "score", Ins, "daily readiness score (0-100)";
    "recovery_high_time", "min", Cum, "daytime spent in the high-recovery zone";
    "resilience_level", "category", Cat, "daily resilience level: limited, adequate, solid, strong, exceptional";
    "respiratory_rate", "/min", Ins, "breaths per minute";
    "resting_heart_rate", "/min", Ins, "resting heart rate";
    "running_ground_contact_time", "ms", Ins, "running ground contact time";
    "running_power", "W", Ins, "running power";
    "running_speed", "m/s", Ins, "running speed";
    "running_stride_length", "m", Ins, "running stride length";
    "running_vertical_oscillation", "m", Ins, "running vertical oscillation";
    "six_minute_walk_test_distance", "m", Ins, "six-minute walk test distance";
    "skin_temperature", "Cel", Ins, "skin temperature (a finger, a wrist)";
    "sleep_score", "score", Ins, "daily sleep score (0-100)";
    "sleep_stage", "category", Cat, "sleep stage over an interval: in_bed, asleep, awake, core/light, deep, rem";
    "speed", "m/s", Ins, "vehicle or device speed";
    "stair_ascent_speed", "m/s", Ins, "stair ascent speed";
    "stair_descent_speed", "m/s", Ins, "stair descent speed";
    "stand_hour", "category", Cat, "whether the hour had standing (stood, idle)";
    "stand_time", "min", Cum, "standing minutes";
    "step_count", "count", Cum, "steps";
    "stress_day_summary", "category", Cat, "the day's stress summary: restored, normal, stressful";
    "stress_high_time", "min", Cum, "daytime spent in the high-stress zone";
    "swimming_stroke_count", "count", Cum, "swimming strokes";
    "temperature_deviation", "Cel", Ins, "body temperature deviation from baseline";
    "temperature_trend_deviation", "Cel", Ins, "body temperature trend deviation (multi-day average) from baseline";
    "time_in_daylight", "min", Cum, "time spent in daylight";
    "total_energy_burned", "kcal", Cum, "total energy burned (active and resting)";
    "vo2_max", "mL/(kg.min)", Ins, "maximal oxygen uptake";
    "waist_circumference", "m", Ins, "waist circumference";
    "walking_asymmetry_percentage", "%", Ins, "walking asymmetry";
    "walking_double_support_percentage", "%", Ins, "walking double support time";
    "walking_heart_rate_average", "/min", Ins, "average heart rate while walking";
    "walking_speed", "m/s", Ins, "walking speed";
    "walking_step_length", "m", Ins, "walking step length";
    "wrist_temperature", "Cel", Ins, "sleeping wrist temperature";
];

/// Looks a metric up in the built-in catalog.
pub fn lookup(name: &str) -> Option<&'static Metric> {
    METRICS
        .binary_search_by(|m| m.name.cmp(name))
        .ok()
        .map(|i| &METRICS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_sorted_and_unique() {
        for pair in METRICS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} !< {}",
                pair[0].name,
                pair[1].name
            );
        }
    }

    #[test]
    fn catalog_units_are_known() {
        for m in METRICS {
            assert!(
                crate::units::to_canonical(m.unit).is_some() || m.kind == MetricKind::Categorical,
                "{}: unit {} is not in src/units.rs",
                m.name,
                m.unit
            );
        }
    }

    #[test]
    fn lookup_finds_metrics() {
        assert_eq!(lookup("heart_rate").unwrap().unit, "/min");
        assert!(lookup("nope").is_none());
    }
}
