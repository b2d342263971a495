//! Time parsing for importers.
//!
//! The vault stores instants as UTC epoch milliseconds plus, when the source said, the local
//! offset in minutes that was in force (`tz_offset_min`). Formats:
//!
//! * Apple Health's `YYYY-MM-DD HH:MM:SS ±HHMM` is parsed by hand ([`parse_apple`]): an export
//!   has millions of them and a fixed-format parser is ~20× faster than a general one. A test
//!   checks it against jiff on a wide range of inputs.
//! * Everything else goes through jiff ([`parse_with`]): RFC 3339, epoch seconds/ms/ns, and
//!   strftime patterns, with a zone rule for local times.
//!
//! Local times without an offset (TeslaFi, Torque's device time) are resolved in an IANA zone
//! with jiff's tz database. The rule for times that do not exist (spring-forward gap) or exist
//! twice (fall-back fold) is jiff's *compatible* disambiguation, the same as RFC 5545 and
//! java.time: a time in a gap is moved forward by the gap's length, a time in a fold takes the
//! earlier (first) occurrence.
//!
//! A *stream* of local times in file order (TeslaFi's minute-by-minute rows) can do better in
//! the fold: [`resolve_civil_after`] takes the earlier occurrence unless that would put the
//! row before the previous row's instant, in which case it takes the later one. So the two
//! passes through 02:00-02:59 on a fall-back night land an hour apart instead of on top of
//! each other. An isolated time (no previous row) gets the plain rule above.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// An instant with the local offset it was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instant {
    pub ms: i64,
    pub offset_min: Option<i32>,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY-MM-DD HH:MM:SS ±HHMM` (Apple Health). Also accepts `T` as the separator and
/// `Z` or `±HH:MM` as the offset.
pub fn parse_apple(s: &str) -> Option<Instant> {
    let b = s.trim().as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || (b[10] != b' ' && b[10] != b'T') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let y = digits(&b[0..4])? as i64;
    let mo = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    let h = digits(&b[11..13])?;
    let mi = digits(&b[14..16])?;
    let se = digits(&b[17..19])?;
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    let mut frac_ms = 0i64;
    if rest.first() == Some(&b'.') {
        let end = rest[1..]
            .iter()
            .position(|c| !c.is_ascii_digit())
            .map_or(rest.len(), |p| p + 1);
        let frac = &rest[1..end];
        if frac.is_empty() {
            return None;
        }
        let mut ms = 0i64;
        for i in 0..3 {
            ms = ms * 10 + frac.get(i).map_or(0, |c| (c - b'0') as i64);
        }
        frac_ms = ms;
        rest = &rest[end..];
    }
    while rest.first() == Some(&b' ') {
        rest = &rest[1..];
    }
    let offset_min: i32 = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, m1, m2] | [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2])? as i32;
            let om = digits(&[*m1, *m2])? as i32;
            if oh > 18 || om > 59 {
                return None;
            }
            let v = oh * 60 + om;
            if *sign == b'-' { -v } else { v }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    let local_s = days * 86_400 + (h as i64) * 3600 + (mi as i64) * 60 + se.min(59) as i64;
    let utc_ms = (local_s - offset_min as i64 * 60) * 1000 + frac_ms;
    Some(Instant {
        ms: utc_ms,
        offset_min: Some(offset_min),
    })
}

/// How a time value without an explicit offset is placed on the timeline.
#[derive(Clone, Debug)]
pub enum Zone {
    /// The value is UTC.
    Utc,
    /// A fixed offset in minutes east of UTC.
    Fixed(i32),
    /// Local wall-clock time in an IANA zone (DST resolved by the compatible rule).
    Local(TimeZone),
}

/// Resolves a civil date-time in `zone`. Returns the instant and the offset in force.
pub fn resolve_civil(dt: DateTime, zone: &Zone) -> Option<Instant> {
    match zone {
        Zone::Utc => {
            let ts = dt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
            Some(Instant {
                ms: ts.as_millisecond(),
                offset_min: Some(0),
            })
        }
        Zone::Fixed(off) => {
            let tz = TimeZone::fixed(jiff::tz::Offset::from_seconds(off * 60).ok()?);
            let ts = dt.to_zoned_datetime(tz).ok()?.timestamp();
            Some(Instant {
                ms: ts.as_millisecond(),
                offset_min: Some(*off),
            })
        }
        Zone::Local(tz) => {
            // `to_zoned` uses the compatible disambiguation (gap → later, fold → earlier).
            let zoned = dt.to_zoned_datetime(tz.clone()).ok()?;
            Some(Instant {
                ms: zoned.timestamp().as_millisecond(),
                offset_min: Some(zoned.offset().seconds() / 60),
            })
        }
    }
}

/// Resolves a civil date-time like [`resolve_civil`], for a stream of times in recording
/// order: in a fold, the earlier occurrence is taken unless it lies before `not_before` (the
/// previous record's instant) and the later one does not. Gaps follow the plain rule.
pub fn resolve_civil_after(dt: DateTime, zone: &Zone, not_before: Option<i64>) -> Option<Instant> {
    let Zone::Local(tz) = zone else {
        return resolve_civil(dt, zone);
    };
    let ambiguous = tz.to_ambiguous_zoned_datetime(dt);
    if let jiff::tz::AmbiguousOffset::Fold { before, after } = ambiguous.offset() {
        let earlier = before.to_timestamp(dt).ok()?.as_millisecond();
        let later = after.to_timestamp(dt).ok()?.as_millisecond();
        let (ms, offset) = match not_before {
            Some(prev) if earlier < prev && later >= prev => (later, after),
            _ => (earlier, before),
        };
        return Some(Instant {
            ms,
            offset_min: Some(offset.seconds() / 60),
        });
    }
    resolve_civil(dt, zone)
}

/// Parses `s` according to a format name used in importer specs:
/// `rfc3339` (offset or `Z` required, except with a zone rule), `epoch_s`, `epoch_ms`,
/// `epoch_ns`, `apple`, or a strftime pattern (`%Y-%m-%d %H:%M:%S`). Values without an offset
/// are placed with `zone`.
pub fn parse_with(s: &str, format: &str, zone: &Zone) -> Option<Instant> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match format {
        "epoch_s" => {
            let v: f64 = s.parse().ok()?;
            if !v.is_finite() {
                return None;
            }
            Some(Instant {
                ms: (v * 1000.0).round() as i64,
                offset_min: None,
            })
        }
        "epoch_ms" => {
            let v: f64 = s.parse().ok()?;
            if !v.is_finite() {
                return None;
            }
            Some(Instant {
                ms: v.round() as i64,
                offset_min: None,
            })
        }
        "epoch_ns" => {
            let v: i128 = s.parse().ok()?;
            Some(Instant {
                ms: i64::try_from(v / 1_000_000).ok()?,
                offset_min: None,
            })
        }
        "apple" => parse_apple(s),
        "rfc3339" | "iso8601" => parse_iso(s, zone),
        pattern => parse_pattern(s, pattern, zone),
    }
}

fn parse_iso(s: &str, zone: &Zone) -> Option<Instant> {
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        // Keep the offset the string carried.
        let offset_min = iso_offset_minutes(s);
        return Some(Instant {
            ms: ts.as_millisecond(),
            offset_min,
        });
    }
    let dt: DateTime = s.parse().ok()?;
    resolve_civil(dt, zone)
}

/// The `±HH:MM`/`Z` suffix of an ISO string, in minutes.
fn iso_offset_minutes(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.last() == Some(&b'Z') || b.last() == Some(&b'z') {
        return Some(0);
    }
    if b.len() >= 6 {
        let tail = &s[s.len() - 6..];
        let tb = tail.as_bytes();
        if (tb[0] == b'+' || tb[0] == b'-') && tb[3] == b':' {
            let h: i32 = tail[1..3].parse().ok()?;
            let m: i32 = tail[4..6].parse().ok()?;
            let v = h * 60 + m;
            return Some(if tb[0] == b'-' { -v } else { v });
        }
    }
    None
}

fn parse_pattern(s: &str, pattern: &str, zone: &Zone) -> Option<Instant> {
    let has_offset = pattern.contains("%z") || pattern.contains("%:z") || pattern.contains("%Z");
    if has_offset
        && let Ok(zoned) = jiff::fmt::strtime::parse(pattern, s).and_then(|p| p.to_zoned_datetime())
    {
        return Some(Instant {
            ms: zoned.timestamp().as_millisecond(),
            offset_min: Some(zoned.offset().seconds() / 60),
        });
    }
    let parsed = jiff::fmt::strtime::parse(pattern, s).ok()?;
    if let Ok(ts) = parsed.to_timestamp() {
        return Some(Instant {
            ms: ts.as_millisecond(),
            offset_min: parsed.offset().map(|o| o.seconds() / 60),
        });
    }
    let dt = parsed.to_datetime().ok()?;
    resolve_civil(dt, zone)
}

/// Looks up an IANA time zone by name.
pub fn zone_by_name(name: &str) -> Option<TimeZone> {
    TimeZone::get(name).ok()
}

/// Midnight UTC of a calendar date (`YYYY-MM-DD`): how day-level values are stored.
pub fn day_start_ms(day: &str) -> Option<i64> {
    let b = day.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])? as i64;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_dates() {
        let i = parse_apple("2016-04-18 08:25:32 -0700").unwrap();
        assert_eq!(i.offset_min, Some(-420));
        assert_eq!(
            i.ms,
            "2016-04-18T15:25:32Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        let i = parse_apple("2024-03-31 03:30:00 +0200").unwrap();
        assert_eq!(
            i.ms,
            "2024-03-31T01:30:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        assert_eq!(
            parse_apple("2024-02-29 00:00:00 +0000").unwrap().offset_min,
            Some(0)
        );
        assert!(parse_apple("2023-02-29 00:00:00 +0000").is_none());
        assert!(parse_apple("2023-13-01 00:00:00 +0000").is_none());
        assert!(parse_apple("2023-01-01 24:00:00 +0000").is_none());
        assert!(parse_apple("2023-01-01 00:00:00").is_none());
        assert!(parse_apple("garbage").is_none());
        assert!(parse_apple("").is_none());
        assert!(parse_apple("2023-01-01 00:00:00 +0000 trailing").is_none());
        let i = parse_apple("2023-01-01T00:00:00.250Z").unwrap();
        assert_eq!(i.ms % 1000, 250);
    }

    /// The hand parser agrees with jiff on a sweep of dates, times and offsets.
    #[test]
    fn apple_parser_agrees_with_jiff() {
        let mut n = 0;
        for y in [1900, 1969, 1970, 1999, 2000, 2016, 2024, 2100] {
            for m in 1..=12u32 {
                for d in [1u32, 15, 28, days_in_month(y, m)] {
                    for (h, off) in [
                        (0, "+0000"),
                        (7, "-0700"),
                        (23, "+0545"),
                        (12, "-1000"),
                        (1, "+1400"),
                    ] {
                        let s = format!("{y:04}-{m:02}-{d:02} {h:02}:34:56 {off}");
                        let ours = parse_apple(&s).unwrap();
                        let theirs = jiff::fmt::strtime::parse("%Y-%m-%d %H:%M:%S %z", &s)
                            .unwrap()
                            .to_timestamp()
                            .unwrap();
                        assert_eq!(ours.ms, theirs.as_millisecond(), "{s}");
                        n += 1;
                    }
                }
            }
        }
        assert!(n > 1500);
    }

    #[test]
    fn generic_formats() {
        let utc = Zone::Utc;
        assert_eq!(
            parse_with("1700000000", "epoch_s", &utc).unwrap().ms,
            1_700_000_000_000
        );
        assert_eq!(
            parse_with("1700000000123", "epoch_ms", &utc).unwrap().ms,
            1_700_000_000_123
        );
        assert_eq!(
            parse_with("1700000000123456789", "epoch_ns", &utc)
                .unwrap()
                .ms,
            1_700_000_000_123
        );
        let i = parse_with("2022-07-12T09:25:14-07:00", "rfc3339", &utc).unwrap();
        assert_eq!(i.offset_min, Some(-420));
        assert_eq!(
            i.ms,
            "2022-07-12T16:25:14Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        let i = parse_with("2023-01-15 12:34:56 UTC", "%Y-%m-%d %H:%M:%S UTC", &utc).unwrap();
        assert_eq!(
            i.ms,
            "2023-01-15T12:34:56Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        let i = parse_with(
            "Tue Jan 31 09:01:52 +0000 2017",
            "%a %b %d %H:%M:%S %z %Y",
            &utc,
        )
        .unwrap();
        assert_eq!(i.offset_min, Some(0));
        assert!(parse_with("", "rfc3339", &utc).is_none());
        assert!(parse_with("nan", "epoch_s", &utc).is_none());
    }

    #[test]
    fn local_times_follow_the_documented_dst_rule() {
        let berlin = Zone::Local(zone_by_name("Europe/Berlin").unwrap());
        // 02:30 on 2024-03-31 does not exist in Berlin: moved forward by the gap → 03:30 CEST.
        let gap = parse_with("2024-03-31 02:30:00", "%Y-%m-%d %H:%M:%S", &berlin).unwrap();
        assert_eq!(
            gap.ms,
            "2024-03-31T01:30:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        assert_eq!(gap.offset_min, Some(120));
        // 02:30 on 2024-10-27 happens twice: the first (CEST, +02:00) is taken.
        let fold = parse_with("2024-10-27 02:30:00", "%Y-%m-%d %H:%M:%S", &berlin).unwrap();
        assert_eq!(
            fold.ms,
            "2024-10-27T00:30:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        assert_eq!(fold.offset_min, Some(120));
    }

    #[test]
    fn streams_of_local_times_pass_the_fold_in_order() {
        let berlin = Zone::Local(zone_by_name("Europe/Berlin").unwrap());
        let dt = |s: &str| s.parse::<DateTime>().unwrap();
        let utc = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_millisecond();
        // First pass through the repeated hour: CEST.
        let a = resolve_civil_after(dt("2024-10-27T02:50:00"), &berlin, None).unwrap();
        assert_eq!(
            (a.ms, a.offset_min),
            (utc("2024-10-27T00:50:00Z"), Some(120))
        );
        // The clock went back: 02:10 after 02:50 is the second pass, CET.
        let b = resolve_civil_after(dt("2024-10-27T02:10:00"), &berlin, Some(a.ms)).unwrap();
        assert_eq!(
            (b.ms, b.offset_min),
            (utc("2024-10-27T01:10:00Z"), Some(60))
        );
        // 02:20 after the second-pass 02:10 stays in the second pass.
        let c = resolve_civil_after(dt("2024-10-27T02:20:00"), &berlin, Some(b.ms)).unwrap();
        assert_eq!(c.ms, utc("2024-10-27T01:20:00Z"));
        // Outside folds it is the plain rule, gaps included.
        let g = resolve_civil_after(dt("2024-03-31T02:30:00"), &berlin, Some(0)).unwrap();
        assert_eq!(g.ms, utc("2024-03-31T01:30:00Z"));
    }

    #[test]
    fn day_starts() {
        assert_eq!(day_start_ms("1970-01-02"), Some(86_400_000));
        assert!(day_start_ms("2023-02-30").is_none());
    }
}
