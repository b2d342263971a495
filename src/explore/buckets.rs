//! Local calendar buckets: days, weeks and months in one time zone.
//!
//! People read their data in calendar days where they live, so a "day" is a *local* day in
//! the zone chosen with `--tz` (default: the machine's zone). Its length is whatever the zone
//! says: 24 hours, or 23 and 25 hours on DST changes (Europe/Berlin 2024-03-31 and
//! 2024-10-27). Weeks are ISO weeks (Monday to Sunday) labelled by their Monday; months are
//! calendar months.
//!
//! A bucketing may start its days at an evening hour instead of midnight: sleep is counted
//! per *night*, and the night labelled 2024-03-31 runs from 18:00 on 03-30 to 18:00 on
//! 03-31 (the day you wake up), so a night is never cut in two at midnight.
//!
//! Boundaries are computed with jiff from civil dates, never by adding 86 400 000 ms, and a
//! [`Cursor`] caches the current bucket so that millions of sorted timestamps cost one
//! comparison each.

use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
        }
    }
}

/// The zone the user reads their days in.
#[derive(Clone, Debug)]
pub struct Zone {
    pub tz: TimeZone,
    /// The IANA name (or "UTC", or a fixed offset) for display.
    pub name: String,
}

impl Zone {
    /// `--tz ZONE`, or the machine's zone (TZ, /etc/localtime) when `None`.
    pub fn resolve(name: Option<&str>) -> Result<Zone> {
        match name {
            Some(n) => {
                let tz = TimeZone::get(n).map_err(|_| Error::Usage {
                    message: format!("unknown time zone {n:?}"),
                    hint: Some(
                        "use an IANA name such as Europe/Berlin, America/New_York or UTC".into(),
                    ),
                })?;
                Ok(Zone {
                    tz,
                    name: n.to_string(),
                })
            }
            None => {
                let tz = TimeZone::try_system().unwrap_or(TimeZone::UTC);
                let name = tz.iana_name().unwrap_or("UTC").to_string();
                Ok(Zone { tz, name })
            }
        }
    }

    pub fn utc() -> Zone {
        Zone {
            tz: TimeZone::UTC,
            name: "UTC".into(),
        }
    }

    /// The local civil date-time of an instant.
    pub fn civil(&self, ms: i64) -> DateTime {
        let ts = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.tz.to_datetime(ts)
    }

    /// The instant of a civil date-time (a time in a DST gap moves forward, a time in a fold
    /// takes the first occurrence: jiff's compatible rule, as in src/time.rs).
    pub fn instant(&self, dt: DateTime) -> i64 {
        self.tz
            .to_timestamp(dt)
            .map(|t| t.as_millisecond())
            .unwrap_or(0)
    }

    /// Local midnight at the start of `date`.
    pub fn day_start(&self, date: Date) -> i64 {
        self.instant(date.at(0, 0, 0, 0))
    }

    /// Formats an instant as local `YYYY-MM-DD HH:MM` (for human output).
    pub fn hm(&self, ms: i64) -> String {
        self.civil(ms).strftime("%Y-%m-%d %H:%M").to_string()
    }

    /// Local time with offset, RFC 3339 (`2024-03-31T03:30:00+02:00`).
    pub fn rfc3339(&self, ms: i64) -> String {
        let ts = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        ts.to_zoned_datetime(self.tz.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }
}

/// One bucket: a label and its half-open interval `[start_ms, end_ms)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bucket {
    /// `2024-03-31` (day or night), `2024-03-25` (the week's Monday), `2024-03` (month).
    pub label: String,
    /// The first calendar date of the bucket.
    pub first: Date,
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Bucket {
    pub fn hours(&self) -> f64 {
        (self.end_ms - self.start_ms) as f64 / 3_600_000.0
    }
}

/// How instants are put into buckets.
#[derive(Clone, Debug)]
pub struct Bucketing {
    pub zone: Zone,
    pub granularity: Granularity,
    /// Hours before midnight at which a day begins (6: days run 18:00 → 18:00).
    pub evening_hours: i8,
}

impl Bucketing {
    pub fn new(zone: Zone, granularity: Granularity, evening_hours: i8) -> Self {
        Bucketing {
            zone,
            granularity,
            evening_hours,
        }
    }

    /// The calendar date an instant counts for (before rounding to week or month).
    pub fn date_of(&self, ms: i64) -> Date {
        let local = self.zone.civil(ms);
        if self.evening_hours == 0 {
            return local.date();
        }
        local
            .checked_add((self.evening_hours as i64).hours())
            .map(|d| d.date())
            .unwrap_or(local.date())
    }

    /// The first date of the bucket that `date` belongs to.
    pub fn first_date(&self, date: Date) -> Date {
        match self.granularity {
            Granularity::Day => date,
            Granularity::Week => {
                let back = date.weekday().to_monday_zero_offset() as i64;
                date.checked_sub(back.days()).unwrap_or(date)
            }
            Granularity::Month => date.first_of_month(),
        }
    }

    fn next_first(&self, first: Date) -> Date {
        let step = match self.granularity {
            Granularity::Day => 1.day(),
            Granularity::Week => 1.week(),
            Granularity::Month => 1.month(),
        };
        first.checked_add(step).unwrap_or(first)
    }

    /// The instant a bucket starting on `first` begins.
    pub fn boundary(&self, first: Date) -> i64 {
        let dt = first.at(0, 0, 0, 0);
        let dt = if self.evening_hours == 0 {
            dt
        } else {
            dt.checked_sub((self.evening_hours as i64).hours())
                .unwrap_or(dt)
        };
        self.zone.instant(dt)
    }

    pub fn label(&self, first: Date) -> String {
        match self.granularity {
            Granularity::Day | Granularity::Week => first.to_string(),
            Granularity::Month => first.strftime("%Y-%m").to_string(),
        }
    }

    /// The bucket whose first date is `first`.
    pub fn bucket_at(&self, first: Date) -> Bucket {
        let first = self.first_date(first);
        Bucket {
            label: self.label(first),
            first,
            start_ms: self.boundary(first),
            end_ms: self.boundary(self.next_first(first)),
        }
    }

    /// The bucket containing an instant.
    pub fn bucket_of(&self, ms: i64) -> Bucket {
        self.bucket_at(self.date_of(ms))
    }

    /// The bucket following `b`.
    pub fn next(&self, b: &Bucket) -> Bucket {
        self.bucket_at(self.next_first(b.first))
    }
}

/// Caches the bucket of the last instant, for sorted streams of instants.
pub struct Cursor<'a> {
    bucketing: &'a Bucketing,
    current: Option<Bucket>,
}

impl<'a> Cursor<'a> {
    pub fn new(bucketing: &'a Bucketing) -> Self {
        Cursor {
            bucketing,
            current: None,
        }
    }

    pub fn bucket(&mut self, ms: i64) -> &Bucket {
        let stale = match &self.current {
            Some(b) => ms < b.start_ms || ms >= b.end_ms,
            None => true,
        };
        if stale {
            self.current = Some(self.bucketing.bucket_of(ms));
        }
        self.current.as_ref().expect("set above")
    }
}

/// Parses a `--since`/`--until` value for local-day commands: a date (`2024-03-31`, a local
/// day in `zone`; as an upper bound it covers that whole day) or an RFC 3339 instant.
pub fn parse_local_bound(
    value: &str,
    upper: bool,
    bucketing: &Bucketing,
    flag: &str,
) -> Result<i64> {
    if value.len() == 10
        && let Ok(date) = value.parse::<Date>()
    {
        let day = Bucketing::new(
            bucketing.zone.clone(),
            Granularity::Day,
            bucketing.evening_hours,
        );
        let b = day.bucket_at(date);
        return Ok(if upper { b.end_ms } else { b.start_ms });
    }
    value
        .parse::<jiff::Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|_| Error::Usage {
            message: format!(
                "{flag}: {value:?} is neither a date (2024-01-31) nor an RFC 3339 time (2024-01-31T08:00:00Z)"
            ),
            hint: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Zone {
        Zone::resolve(Some("Europe/Berlin")).unwrap()
    }

    fn ms(s: &str) -> i64 {
        s.parse::<jiff::Timestamp>().unwrap().as_millisecond()
    }

    #[test]
    fn dst_days_have_23_and_25_hours() {
        let b = Bucketing::new(berlin(), Granularity::Day, 0);
        let spring = b.bucket_at("2024-03-31".parse().unwrap());
        assert_eq!(spring.start_ms, ms("2024-03-30T23:00:00Z"));
        assert_eq!(spring.end_ms, ms("2024-03-31T22:00:00Z"));
        assert_eq!(spring.hours(), 23.0);
        let autumn = b.bucket_at("2024-10-27".parse().unwrap());
        assert_eq!(autumn.hours(), 25.0);
        assert_eq!(b.next(&spring).label, "2024-04-01");
        assert_eq!(
            b.bucket_of(ms("2024-03-31T21:59:59.999Z")).label,
            "2024-03-31"
        );
        assert_eq!(b.bucket_of(ms("2024-03-31T22:00:00Z")).label, "2024-04-01");
    }

    #[test]
    fn nights_run_from_six_in_the_evening() {
        let b = Bucketing::new(berlin(), Granularity::Day, 6);
        let night = b.bucket_at("2024-03-31".parse().unwrap());
        assert_eq!(night.start_ms, ms("2024-03-30T17:00:00Z")); // 18:00 CET
        assert_eq!(night.end_ms, ms("2024-03-31T16:00:00Z")); // 18:00 CEST
        assert_eq!(b.bucket_of(ms("2024-03-30T22:30:00Z")).label, "2024-03-31");
        assert_eq!(b.bucket_of(ms("2024-03-30T16:59:00Z")).label, "2024-03-30");
    }

    #[test]
    fn weeks_and_months() {
        let w = Bucketing::new(berlin(), Granularity::Week, 0);
        let b = w.bucket_of(ms("2024-03-31T12:00:00Z"));
        assert_eq!(b.label, "2024-03-25");
        assert_eq!(b.hours(), 7.0 * 24.0 - 1.0);
        let m = Bucketing::new(berlin(), Granularity::Month, 0);
        let b = m.bucket_of(ms("2024-10-15T12:00:00Z"));
        assert_eq!(b.label, "2024-10");
        assert_eq!(b.hours(), 31.0 * 24.0 + 1.0);
    }

    #[test]
    fn local_bounds() {
        let b = Bucketing::new(berlin(), Granularity::Day, 0);
        assert_eq!(
            parse_local_bound("2024-03-31", false, &b, "--since").unwrap(),
            ms("2024-03-30T23:00:00Z")
        );
        assert_eq!(
            parse_local_bound("2024-03-31", true, &b, "--until").unwrap(),
            ms("2024-03-31T22:00:00Z")
        );
        assert_eq!(
            parse_local_bound("2024-03-31T10:00:00Z", true, &b, "--until").unwrap(),
            ms("2024-03-31T10:00:00Z")
        );
        assert!(parse_local_bound("yesterday", false, &b, "--since").is_err());
    }
}
