//! Looking at what is in the vault: read-only SQL with documented views (`query`), per-metric
//! statistics with device de-duplication and local days (`stats`), one day in order
//! (`timeline`), plaintext export of a selection (`export`), and a self-contained HTML report
//! (`report`). docs/EXPLORE.md is the user-facing reference for all of it.
//!
//! Everything here reads; the only writes are a device's stored priority and the ledger entry
//! that records an export.

pub mod buckets;
pub mod chart;
pub mod devices;
pub mod export;
pub mod html;
pub mod query;
pub mod report;
pub mod select;
pub mod stats;
pub mod timeline;
pub mod views;

/// Formats a number for people: integers for counts, otherwise up to two decimals, with
/// thin grouping of thousands.
pub fn fmt_num(v: f64, unit: &str) -> String {
    if !v.is_finite() {
        return "-".into();
    }
    let decimals = if unit == "count" || v.abs() >= 1000.0 {
        0
    } else if v.abs() >= 100.0 {
        1
    } else {
        2
    };
    let s = format!("{v:.decimals$}");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.trim_end_matches('0').to_string())),
        None => (s.clone(), None),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d.to_string()),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) if !f.is_empty() => format!("{sign}{grouped}.{f}"),
        _ => format!("{sign}{grouped}"),
    }
}

/// Formats seconds as `7h 05m` (or `42m`, `30s`).
pub fn fmt_duration(secs: f64) -> String {
    let total = secs.round() as i64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(fmt_num(12345.0, "count"), "12,345");
        assert_eq!(fmt_num(-1234.4, "count"), "-1,234");
        assert_eq!(fmt_num(61.5, "/min"), "61.5");
        assert_eq!(fmt_num(61.0, "/min"), "61");
        assert_eq!(fmt_num(150.26, "kcal"), "150.3");
        assert_eq!(fmt_duration(7.0 * 3600.0 + 300.0), "7h 05m");
        assert_eq!(fmt_duration(42.0 * 60.0), "42m");
    }
}
