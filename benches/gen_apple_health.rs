//! Deterministic generator of realistic Apple Health exports, for the benchmark harness.
//!
//! `cargo run --release --example gen-apple-health -- --records 1000000 --out export.zip`
//!
//! Writes `apple_health_export/export.xml` (the Version 11 DTD prolog, `Me`, Records of
//! several quantity and category types from a Watch and an iPhone with Apple's escaped device
//! strings, metadata on some, software versions that change over time, Los Angeles offsets
//! across DST changes, HRV records with beat lists, blood-pressure correlations, daily
//! workouts with statistics and a GPX route each, daily activity summaries) and the
//! `workout-routes/*.gpx` files, zipped as the Health app does. The same arguments always
//! produce the same bytes (a fixed-seed xorshift generator, no clock).

use std::fmt::Write as _;
use std::io::Write;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn float(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Days since 1970-01-01 → (y, m, d).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// US Pacific offset (hours) for a UTC instant: DST from the 2nd Sunday of March 10:00 UTC
/// to the 1st Sunday of November 09:00 UTC (close enough for a generator).
fn la_offset(t: i64) -> i64 {
    let (y, _, _) = civil(t.div_euclid(86_400));
    let sunday_on_or_after = |m: u32, d: u32| {
        let days = days_from_civil(y, m, d);
        let wd = (days + 4).rem_euclid(7); // 0 = Sunday
        days + (7 - wd) % 7
    };
    let start = sunday_on_or_after(3, 8) * 86_400 + 10 * 3600;
    let end = sunday_on_or_after(11, 1) * 86_400 + 9 * 3600;
    if t >= start && t < end { -7 } else { -8 }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn apple_date(t: i64) -> String {
    let off = la_offset(t);
    let local = t + off * 3600;
    let (y, m, d) = civil(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} {}{:02}00",
        s / 3600,
        s / 60 % 60,
        s % 60,
        if off < 0 { '-' } else { '+' },
        off.abs()
    )
}

fn iso(t: i64) -> String {
    let (y, m, d) = civil(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

const WATCH_DEV: &str = "&lt;&lt;HKDevice: 0x283a4d1d0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:{v}&gt;";
const PHONE_DEV: &str = "&lt;&lt;HKDevice: 0x2836f1e50&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone15,2, software:{v}&gt;";

fn main() {
    let mut records: u64 = 100_000;
    let mut out = String::from("export.zip");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--records" => {
                records = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--records N")
            }
            "--out" => out = args.next().expect("--out FILE"),
            _ => {
                eprintln!("usage: gen-apple-health --records N --out FILE.zip");
                std::process::exit(2);
            }
        }
    }
    let file = std::fs::File::create(&out).expect("create output");
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::with_capacity(1 << 20, file));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("apple_health_export/export.xml", opts)
        .unwrap();

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut buf = String::with_capacity(1 << 20);
    // The DTD prolog of HealthKit Export Version 11 (abridged to its structure).
    buf.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n<!-- HealthKit Export Version: 11 -->\n<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>\n<!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>\n<!ATTLIST Record\n  type          CDATA #REQUIRED\n  unit          CDATA #IMPLIED\n  value         CDATA #IMPLIED\n  sourceName    CDATA #REQUIRED\n  sourceVersion CDATA #IMPLIED\n  device        CDATA #IMPLIED\n  creationDate  CDATA #IMPLIED\n  startDate     CDATA #REQUIRED\n  endDate       CDATA #REQUIRED\n>\n]>\n");
    buf.push_str(
        "<HealthData locale=\"en_US\">\n <ExportDate value=\"2024-11-05 09:00:00 -0800\"/>\n",
    );
    buf.push_str(" <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1985-06-15\" HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\" HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeAPositive\" HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\"/>\n");

    // Records are spread over about one record per 30 s of wall time, grouped by type like
    // Apple's export (all of one type, in time order, then the next type).
    let start: i64 = 1_640_995_200; // 2022-01-01
    let types: [(&str, &str, f64, u32); 8] = [
        ("HKQuantityTypeIdentifierHeartRate", "count/min", 0.40, 0),
        ("HKQuantityTypeIdentifierStepCount", "count", 0.18, 1),
        (
            "HKQuantityTypeIdentifierActiveEnergyBurned",
            "kcal",
            0.16,
            2,
        ),
        (
            "HKQuantityTypeIdentifierDistanceWalkingRunning",
            "km",
            0.10,
            3,
        ),
        ("HKQuantityTypeIdentifierBasalEnergyBurned", "kcal", 0.10, 4),
        ("HKQuantityTypeIdentifierOxygenSaturation", "%", 0.02, 5),
        (
            "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
            "ms",
            0.02,
            6,
        ),
        ("HKCategoryTypeIdentifierSleepAnalysis", "", 0.02, 7),
    ];
    let mut written = 0u64;
    let mut xml_bytes = 0u64;
    let mut span_end = start;
    for (i, (ty, unit, share, kind)) in types.iter().enumerate() {
        let n = if i == types.len() - 1 {
            records - written
        } else {
            (records as f64 * share).round() as u64
        };
        let step = 30 * records.max(1) / n.max(1); // spread each type over the same span
        let mut t = start;
        for k in 0..n {
            t += (step as i64).max(1) + rng.below(7) as i64;
            span_end = span_end.max(t);
            let watch = rng.below(10) < 7;
            let version = format!("{}.{}", 8 + (t - start) / (86_400 * 180), rng.below(3));
            let (name, dev) = if watch {
                ("Jane’s Apple Watch", WATCH_DEV.replace("{v}", &version))
            } else {
                ("Jane’s iPhone", PHONE_DEV.replace("{v}", &version))
            };
            let (value, end) = match kind {
                0 => (format!("{}", 55 + rng.below(90)), t),
                1 => (
                    format!("{}", 10 + rng.below(900)),
                    t + 60 + rng.below(540) as i64,
                ),
                2 => (format!("{:.3}", rng.float() * 20.0), t + 60),
                3 => (
                    format!("{:.5}", rng.float() * 0.8),
                    t + 60 + rng.below(540) as i64,
                ),
                4 => (format!("{:.3}", 0.5 + rng.float()), t + 60),
                5 => (format!("{:.2}", 0.93 + rng.float() * 0.06), t),
                6 => (format!("{:.4}", 20.0 + rng.float() * 60.0), t + 60),
                _ => {
                    let stages = [
                        "HKCategoryValueSleepAnalysisAsleepCore",
                        "HKCategoryValueSleepAnalysisAsleepDeep",
                        "HKCategoryValueSleepAnalysisAsleepREM",
                        "HKCategoryValueSleepAnalysisAwake",
                        "HKCategoryValueSleepAnalysisInBed",
                    ];
                    (
                        stages[rng.below(5) as usize].to_string(),
                        t + 300 + rng.below(3000) as i64,
                    )
                }
            };
            let unit_attr = if unit.is_empty() {
                String::new()
            } else {
                format!(" unit=\"{unit}\"")
            };
            let _ = write!(
                buf,
                " <Record type=\"{ty}\" sourceName=\"{name}\" sourceVersion=\"{version}\" device=\"{dev}\"{unit_attr} creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\" value=\"{value}\"",
                apple_date(end + 5),
                apple_date(t),
                apple_date(end)
            );
            match kind {
                0 if k % 3 == 0 => {
                    let _ = write!(
                        buf,
                        ">\n  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"{}\"/>\n </Record>\n",
                        rng.below(3)
                    );
                }
                6 => {
                    buf.push_str(">\n  <HeartRateVariabilityMetadataList>\n");
                    for b in 0..4 {
                        let _ = writeln!(
                            buf,
                            "   <InstantaneousBeatsPerMinute bpm=\"{}\" time=\"7:00:0{b}.12 AM\"/>",
                            55 + rng.below(30)
                        );
                    }
                    buf.push_str("  </HeartRateVariabilityMetadataList>\n </Record>\n");
                }
                _ => buf.push_str("/>\n"),
            }
            written += 1;
            if buf.len() > (1 << 20) - 4096 {
                xml_bytes += buf.len() as u64;
                zip.write_all(buf.as_bytes()).unwrap();
                buf.clear();
            }
        }
    }
    // One workout a day with statistics and a route; an activity summary a day.
    let days = ((span_end - start) / 86_400).max(1);
    let mut routes = Vec::new();
    for d in 0..days {
        let ws = start + d * 86_400 + 16 * 3600 + rng.below(3600) as i64;
        let we = ws + 1800 + rng.below(1800) as i64;
        let gpx = format!("route_{d}.gpx");
        let _ = write!(
            buf,
            " <Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"{:.4}\" durationUnit=\"min\" sourceName=\"Jane’s Apple Watch\" sourceVersion=\"10.1\" device=\"{}\" creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n  <MetadataEntry key=\"HKIndoorWorkout\" value=\"0\"/>\n  <MetadataEntry key=\"HKTimeZone\" value=\"America/Los_Angeles\"/>\n  <WorkoutStatistics type=\"HKQuantityTypeIdentifierDistanceWalkingRunning\" startDate=\"{}\" endDate=\"{}\" sum=\"{:.3}\" unit=\"km\"/>\n  <WorkoutStatistics type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"{}\" endDate=\"{}\" average=\"{}\" minimum=\"90\" maximum=\"175\" unit=\"count/min\"/>\n  <WorkoutRoute sourceName=\"Jane’s Apple Watch\" sourceVersion=\"10.1\" creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n   <FileReference path=\"/workout-routes/{gpx}\"/>\n  </WorkoutRoute>\n </Workout>\n",
            (we - ws) as f64 / 60.0,
            WATCH_DEV.replace("{v}", "10.1"),
            apple_date(we + 10),
            apple_date(ws),
            apple_date(we),
            apple_date(ws),
            apple_date(we),
            3.0 + rng.float() * 7.0,
            apple_date(ws),
            apple_date(we),
            130 + rng.below(30),
            apple_date(we + 10),
            apple_date(ws),
            apple_date(we),
        );
        let (y, m, dd) = civil((start + d * 86_400 - 8 * 3600).div_euclid(86_400));
        let _ = writeln!(
            buf,
            " <ActivitySummary dateComponents=\"{y:04}-{m:02}-{dd:02}\" activeEnergyBurned=\"{:.3}\" activeEnergyBurnedGoal=\"500\" activeEnergyBurnedUnit=\"kcal\" appleMoveTime=\"0\" appleMoveTimeGoal=\"0\" appleExerciseTime=\"{}\" appleExerciseTimeGoal=\"30\" appleStandHours=\"{}\" appleStandHoursGoal=\"12\"/>",
            300.0 + rng.float() * 400.0,
            10 + rng.below(80),
            6 + rng.below(10)
        );
        routes.push((gpx, ws, we));
        if buf.len() > (1 << 20) - 8192 {
            xml_bytes += buf.len() as u64;
            zip.write_all(buf.as_bytes()).unwrap();
            buf.clear();
        }
    }
    buf.push_str("</HealthData>\n");
    xml_bytes += buf.len() as u64;
    zip.write_all(buf.as_bytes()).unwrap();
    buf.clear();

    let mut points = 0u64;
    for (gpx, ws, we) in &routes {
        zip.start_file(format!("apple_health_export/workout-routes/{gpx}"), opts)
            .unwrap();
        buf.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Apple Health Export\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n <trk>\n  <name>Route</name>\n  <trkseg>\n");
        let (mut lat, mut lon) = (37.78 + rng.float() * 0.01, -122.40 + rng.float() * 0.01);
        let mut t = *ws;
        while t < *we {
            lat += (rng.float() - 0.5) * 0.0002;
            lon += (rng.float() - 0.5) * 0.0002;
            let _ = writeln!(
                buf,
                "   <trkpt lon=\"{lon:.6}\" lat=\"{lat:.6}\"><ele>{:.3}</ele><time>{}</time><extensions><speed>{:.3}</speed><course>{:.1}</course><hAcc>{:.2}</hAcc><vAcc>{:.2}</vAcc></extensions></trkpt>",
                10.0 + rng.float() * 5.0,
                iso(t),
                2.0 + rng.float(),
                rng.float() * 360.0,
                3.0 + rng.float() * 5.0,
                2.0 + rng.float() * 4.0
            );
            t += 10;
            points += 1;
        }
        buf.push_str("  </trkseg>\n </trk>\n</gpx>\n");
        zip.write_all(buf.as_bytes()).unwrap();
        buf.clear();
    }
    zip.finish().unwrap();
    eprintln!(
        "{out}: {written} records, {days} workouts with {points} route points, {days} activity summaries, export.xml {:.1} MB",
        xml_bytes as f64 / 1e6
    );
}
