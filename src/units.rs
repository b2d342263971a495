//! Unit conversion into the canonical units of the metric catalog.
//!
//! Exports spell units many ways (`count/min`, `bpm`, `Cal`, `mi`, `degF`, `mL/min·kg`). This
//! table maps each spelling to the base unit of its dimension with a linear conversion
//! `base = value * factor + offset` (time → `s`, mass → `kg`, volume → `L`, length → `m`, …);
//! [`convert`] goes between any two units of one dimension through their base, so a metric
//! may keep a conventional unit (`exercise_time` in `min`, `dietary_caffeine` in `mg`). It is deliberately a table, not a units algebra:
//! the set of units that appear in personal data exports is small and known, and a wrong
//! guess at an unknown unit is worse than an honest rejection.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Conversion {
    pub unit: &'static str,
    pub factor: f64,
    pub offset: f64,
}

impl Conversion {
    pub fn apply(&self, value: f64) -> f64 {
        value * self.factor + self.offset
    }
}

const fn c(unit: &'static str, factor: f64) -> Conversion {
    Conversion {
        unit,
        factor,
        offset: 0.0,
    }
}

/// Source spelling → canonical unit and conversion. Lookup is exact, then ASCII
/// case-insensitive.
const TABLE: &[(&str, Conversion)] = &[
    // counts and rates
    ("count", c("count", 1.0)),
    ("1", c("count", 1.0)),
    ("steps", c("count", 1.0)),
    ("/min", c("/min", 1.0)),
    ("count/min", c("/min", 1.0)),
    ("bpm", c("/min", 1.0)),
    ("beats/min", c("/min", 1.0)),
    ("breaths/min", c("/min", 1.0)),
    ("rpm", c("/min", 1.0)),
    // UCUM annotations FHIR servers write (`{beats}/min` means /min)
    ("{beats}/min", c("/min", 1.0)),
    ("{beat}/min", c("/min", 1.0)),
    ("beats/minute", c("/min", 1.0)),
    ("{breaths}/min", c("/min", 1.0)),
    ("{breath}/min", c("/min", 1.0)),
    ("breaths/minute", c("/min", 1.0)),
    ("{steps}", c("count", 1.0)),
    ("{count}", c("count", 1.0)),
    ("count/s", c("/min", 60.0)),
    ("/s", c("/min", 60.0)),
    ("Hz", c("/min", 60.0)),
    // energy
    ("kcal", c("kcal", 1.0)),
    ("Cal", c("kcal", 1.0)),
    ("cal", c("kcal", 0.001)),
    ("kJ", c("kcal", 1.0 / 4.184)),
    ("J", c("kcal", 1.0 / 4184.0)),
    // length
    ("m", c("m", 1.0)),
    ("km", c("m", 1000.0)),
    ("cm", c("m", 0.01)),
    ("mm", c("m", 0.001)),
    ("mi", c("m", 1609.344)),
    ("miles", c("m", 1609.344)),
    ("ft", c("m", 0.3048)),
    ("in", c("m", 0.0254)),
    ("yd", c("m", 0.9144)),
    // UCUM customary units (`[in_i]` is the international inch)
    ("[in_i]", c("m", 0.0254)),
    ("[ft_i]", c("m", 0.3048)),
    ("[yd_i]", c("m", 0.9144)),
    ("[mi_i]", c("m", 1609.344)),
    // mass
    ("kg", c("kg", 1.0)),
    ("g", c("kg", 0.001)),
    ("mg", c("kg", 1e-6)),
    ("mcg", c("kg", 1e-9)),
    ("µg", c("kg", 1e-9)),
    ("lb", c("kg", 0.453_592_37)),
    ("lbs", c("kg", 0.453_592_37)),
    ("oz", c("kg", 0.028_349_523_125)),
    ("st", c("kg", 6.350_293_18)),
    ("[lb_av]", c("kg", 0.453_592_37)),
    ("[oz_av]", c("g", 28.349_523_125)),
    ("[stone_av]", c("kg", 6.350_293_18)),
    // percentages (fractions are the importer's business: Apple writes 0.97 with unit %)
    ("%", c("%", 1.0)),
    // temperature
    ("Cel", c("Cel", 1.0)),
    ("degC", c("Cel", 1.0)),
    ("°C", c("Cel", 1.0)),
    ("C", c("Cel", 1.0)),
    (
        "degF",
        Conversion {
            unit: "Cel",
            factor: 5.0 / 9.0,
            offset: -32.0 * 5.0 / 9.0,
        },
    ),
    (
        "[degF]",
        Conversion {
            unit: "Cel",
            factor: 5.0 / 9.0,
            offset: -32.0 * 5.0 / 9.0,
        },
    ),
    (
        "°F",
        Conversion {
            unit: "Cel",
            factor: 5.0 / 9.0,
            offset: -32.0 * 5.0 / 9.0,
        },
    ),
    (
        "F",
        Conversion {
            unit: "Cel",
            factor: 5.0 / 9.0,
            offset: -32.0 * 5.0 / 9.0,
        },
    ),
    (
        "K",
        Conversion {
            unit: "Cel",
            factor: 1.0,
            offset: -273.15,
        },
    ),
    // time
    ("ms", c("s", 0.001)),
    ("s", c("s", 1.0)),
    ("sec", c("s", 1.0)),
    ("min", c("s", 60.0)),
    ("h", c("s", 3600.0)),
    ("hr", c("s", 3600.0)),
    ("d", c("s", 86_400.0)),
    // years (UCUM `a`): ages
    ("a", c("a", 1.0)),
    ("yr", c("a", 1.0)),
    ("years", c("a", 1.0)),
    // volume
    ("mL", c("L", 0.001)),
    ("L", c("L", 1.0)),
    ("l", c("L", 1.0)),
    ("fl_oz_us", c("L", 0.029_573_529_562_5)),
    ("[foz_us]", c("L", 0.029_573_529_562_5)),
    ("[cup_us]", c("L", 0.236_588_236_5)),
    ("cup_us", c("L", 0.236_588_236_5)),
    ("gal", c("L", 3.785_411_784)),
    // pressure
    ("mm[Hg]", c("mm[Hg]", 1.0)),
    ("mmHg", c("mm[Hg]", 1.0)),
    ("kPa", c("kPa", 1.0)),
    ("psi", c("kPa", 6.894_757_293)),
    ("bar", c("kPa", 100.0)),
    ("mbar", c("kPa", 0.1)),
    ("mb", c("kPa", 0.1)),
    ("hPa", c("kPa", 0.1)),
    // blood glucose
    ("mg/dL", c("mg/dL", 1.0)),
    ("mmol/L", c("mg/dL", 18.0182)),
    ("mmol<180.1558800000541>/L", c("mg/dL", 18.015_588)),
    // oxygen uptake
    ("mL/(kg.min)", c("mL/(kg.min)", 1.0)),
    ("mL/min·kg", c("mL/(kg.min)", 1.0)),
    ("ml/(kg*min)", c("mL/(kg.min)", 1.0)),
    // effort
    ("kcal/(kg.h)", c("kcal/(kg.h)", 1.0)),
    ("kcal/hr·kg", c("kcal/(kg.h)", 1.0)),
    // sound
    ("dB", c("dB", 1.0)),
    ("dBASPL", c("dB", 1.0)),
    ("dBHL", c("dB", 1.0)),
    // speed
    ("m/s", c("m/s", 1.0)),
    ("km/h", c("m/s", 1.0 / 3.6)),
    ("km/hr", c("m/s", 1.0 / 3.6)),
    ("kph", c("m/s", 1.0 / 3.6)),
    ("mph", c("m/s", 0.447_04)),
    ("mi/hr", c("m/s", 0.447_04)),
    ("m/min", c("m/s", 1.0 / 60.0)),
    // power and energy of cars
    ("W", c("W", 1.0)),
    ("kW", c("kW", 1.0)),
    ("kWh", c("kWh", 1.0)),
    ("Wh", c("kWh", 0.001)),
    // flow
    ("L/h", c("L/h", 1.0)),
    ("L/hr", c("L/h", 1.0)),
    ("gal/h", c("L/h", 3.785_411_784)),
    ("gal/hr", c("L/h", 3.785_411_784)),
    // other
    ("kg/m2", c("kg/m2", 1.0)),
    ("kg/m^2", c("kg/m2", 1.0)),
    ("S", c("S", 1.0)),
    ("µS", c("S", 1e-6)),
    ("mcS", c("S", 1e-6)),
    ("IU", c("IU", 1.0)),
    ("score", c("score", 1.0)),
    ("V", c("V", 1.0)),
    ("mV", c("V", 0.001)),
    ("µV", c("V", 1e-6)),
    ("deg", c("deg", 1.0)),
    ("°", c("deg", 1.0)),
];

/// The conversion from `unit` to the base unit of its dimension, if `unit` is known.
pub fn to_canonical(unit: &str) -> Option<Conversion> {
    let unit = unit.trim();
    TABLE
        .iter()
        .find(|(k, _)| *k == unit)
        .or_else(|| TABLE.iter().find(|(k, _)| k.eq_ignore_ascii_case(unit)))
        .map(|(_, c)| *c)
}

/// Converts `value` in `from` into `to` (both must map to the same canonical unit).
pub fn convert(value: f64, from: &str, to: &str) -> Option<f64> {
    let a = to_canonical(from)?;
    let b = to_canonical(to)?;
    if a.unit != b.unit {
        return None;
    }
    let canonical = a.apply(value);
    Some((canonical - b.offset) / b.factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn conversions() {
        assert!(close(to_canonical("mi").unwrap().apply(1.0), 1609.344));
        assert!(close(to_canonical("degF").unwrap().apply(212.0), 100.0));
        assert!(close(to_canonical("degF").unwrap().apply(32.0), 0.0));
        assert!(close(
            to_canonical("lb").unwrap().apply(150.0),
            68.038_855_5
        ));
        assert!(close(to_canonical("kJ").unwrap().apply(4.184), 1.0));
        assert!(close(to_canonical("mph").unwrap().apply(10.0), 4.4704));
        assert_eq!(to_canonical("count/min").unwrap().unit, "/min");
        assert_eq!(to_canonical("KM").unwrap().unit, "m");
        assert!(close(convert(30.5, "min", "s").unwrap(), 1830.0));
        assert!(close(convert(250.0, "mg", "g").unwrap(), 0.25));
        assert!(close(convert(1.0, "L", "mL").unwrap(), 1000.0));
        assert!(to_canonical("furlongs").is_none());
        // UCUM spellings FHIR uses
        assert!(close(
            to_canonical("[lb_av]").unwrap().apply(150.0),
            68.038_855_5
        ));
        assert!(close(to_canonical("[degF]").unwrap().apply(98.6), 37.0));
        assert!(close(to_canonical("[in_i]").unwrap().apply(70.0), 1.778));
        assert_eq!(to_canonical("{beats}/min").unwrap().unit, "/min");
        assert_eq!(to_canonical("mm[Hg]").unwrap().unit, "mm[Hg]");
        assert!(close(to_canonical("mmol/L").unwrap().apply(5.5), 99.1001));
    }

    #[test]
    fn convert_between_units() {
        assert!(close(convert(1.0, "km", "mi").unwrap(), 0.621_371_192));
        assert!(close(convert(100.0, "Cel", "degF").unwrap(), 212.0));
        assert!(convert(1.0, "km", "kg").is_none());
    }
}
