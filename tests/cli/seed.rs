//! Realistic rows for contribution tests, written through the library.
//!
//! The import engine is not merged yet; when it is, this one helper is what to replace with
//! `trove import` of a fixture. Everything here is synthetic but shaped like real exports:
//! an Apple Health account with a watch and a phone, an X account with posts full of personal
//! identifiers, an Oura ring, a run with a GPS track, a sensitive direct message, and rows that
//! no test selects (canaries that must never appear in a package).

use trove::unlock::{self, UnlockArgs};
use trove::vault::{Access, Vault, VaultPaths};

use crate::common::*;

/// Coordinates of the run's track and of its attrs; must never leave with location omitted.
pub const LAT: &str = "47.3769148";
pub const LON: &str = "8.5417162";
/// Text of rows that no test selects.
pub const UNSELECTED: &str = "CANARY-UNSELECTED-ROW";
/// A body from before the window the tests use (2024-03).
pub const OUTSIDE_WINDOW: &str = "CANARY-OUTSIDE-WINDOW";
pub const DM: &str = "CANARY-SENSITIVE-DM";

pub const ACCOUNT_EMAIL: &str = "jane.doe@example.com";
pub const WATCH_NAME: &str = "Jane's Apple Watch";
pub const POST_BODY: &str = "Ping @alice_w or mail jane.doe@example.com, call +49 30 1234567, see https://janedoe.example/blog";
pub const POST_BODY_SCRUBBED: &str = "Ping [handle] or mail [email], call [phone], see [url]";

/// 2024-03-01T00:00:00Z
pub const DAY: i64 = 1_709_251_200_000;
pub const HOUR: i64 = 3_600_000;

/// Opens the vault in the test process. Read access takes no lock file: a write lock held here
/// can outlive `drop` by a moment when another test thread forks a child that inherits the
/// descriptor, and the next `trove` writer would then see exit 11. Nothing else writes
/// concurrently in a test, and SQLite still serializes the writes.
pub fn open(t: &TestEnv) -> Vault {
    let args = UnlockArgs {
        identity: Some(t.identity_file()),
        passphrase_file: None,
    };
    let cred = unlock::credential(&args, &t.vault()).unwrap();
    Vault::open(VaultPaths::new(t.vault()), &cred, Access::Read).unwrap()
}

/// Row ids of interest.
#[derive(Debug)]
pub struct Seeded {
    pub heart_rate_watch: Vec<i64>,
    pub step_count: Vec<i64>,
    pub unselected_sample: i64,
    pub post: i64,
}

pub fn seed(t: &TestEnv) -> Seeded {
    let vault = open(t);
    let c = &vault.conn;
    let now = DAY + 40 * 24 * HOUR;
    c.execute_batch(&format!(
        "INSERT INTO sources (id, importer, account, display_name, created_ms, min_ms, max_ms) VALUES
           (1, 'apple_health', '{ACCOUNT_EMAIL}', 'Jane Doe', {now}, {DAY}, {DAY}),
           (2, 'x', '@janedoe_real', NULL, {now}, {DAY}, {DAY}),
           (3, 'oura', '', NULL, {now}, {DAY}, {DAY});
         INSERT INTO import_runs (id, importer, importer_version, started_ms, finished_ms, status) VALUES
           (1, 'apple_health', '1.2.0', {now}, {now}, 'complete'),
           (2, 'x', '0.3.1', {now}, {now}, 'complete'),
           (3, 'oura', '2.0.0', {now}, {now}, 'complete');
         INSERT INTO devices (id, source_id, name, manufacturer, model, identity) VALUES
           (1, 1, '{}', 'Apple Inc.', 'Watch6,2', 'watch-serial-ABC123'),
           (2, 1, 'Jane''s iPhone', 'Apple Inc.', 'iPhone14,2', 'iphone-serial-XYZ'),
           (3, 3, 'Oura Ring Gen3', 'Oura', 'Gen3', 'ring-42');",
        WATCH_NAME.replace('\'', "''")
    ))
    .unwrap();
    let mut nk = 0i64;
    let mut sample =
        |metric: &str,
         start: i64,
         end: Option<i64>,
         value: Option<f64>,
         category: Option<&str>,
         source: i64,
         device: Option<i64>,
         run: i64,
         attrs: Option<&str>| {
            nk += 1;
            c.execute(
                "INSERT INTO metric_names (name) VALUES (?1) ON CONFLICT DO NOTHING",
                [metric],
            )
            .unwrap();
            c.execute(
            "INSERT INTO sample_rows (metric_id, start_ms, end_ms, tz_offset_min, value, category,
                                      source_id, device_id, import_run_id, attrs, natural_key)
             VALUES ((SELECT id FROM metric_names WHERE name = ?1), ?2, ?3, 60, ?4, ?5, ?6, ?7,
                     ?8, ?9, ?10)",
            rusqlite::params![metric, start, end, value, category, source, device, run, attrs, nk],
        )
        .unwrap();
            c.last_insert_rowid()
        };
    let mut heart_rate_watch = Vec::new();
    for i in 0..48 {
        // 2024-03-01 and 02, hourly, at :07:13.250 so coarsening is visible.
        let t0 = DAY + i * HOUR + 7 * 60_000 + 13_250;
        heart_rate_watch.push(sample(
            "heart_rate",
            t0,
            None,
            Some(58.0 + i as f64),
            None,
            1,
            Some(1),
            1,
            if i == 0 {
                Some(r#"{"HKMetadataKeyHeartRateMotionContext":1,"sourceName":"Jane's Apple Watch"}"#)
            } else {
                None
            },
        ));
    }
    let mut step_count = Vec::new();
    for i in 0..10 {
        let t0 = DAY + (8 + i) * HOUR;
        step_count.push(sample(
            "step_count",
            t0,
            Some(t0 + HOUR),
            Some(500.0 + i as f64),
            None,
            1,
            Some(2),
            1,
            None,
        ));
    }
    for (i, stage) in ["awake", "light", "deep", "rem", "light", "awake"]
        .iter()
        .enumerate()
    {
        let t0 = DAY + 23 * HOUR + i as i64 * HOUR;
        sample(
            "sleep_stage",
            t0,
            Some(t0 + HOUR),
            None,
            Some(stage),
            3,
            Some(3),
            3,
            None,
        );
    }
    // The ring's heart rate, on 2023-12-31: outside a 2024 window.
    sample(
        "heart_rate",
        DAY - 61 * 24 * HOUR,
        None,
        Some(55.0),
        None,
        3,
        Some(3),
        3,
        None,
    );
    let unselected_sample = sample(
        "blood_glucose",
        DAY + HOUR,
        None,
        Some(5.4321),
        None,
        1,
        None,
        1,
        Some(&format!(r#"{{"note":"{UNSELECTED}"}}"#)),
    );

    let event = |kind: &str,
                 start: Option<i64>,
                 end: Option<i64>,
                 title: Option<&str>,
                 body: Option<&str>,
                 attrs: Option<String>,
                 original: Option<&str>,
                 sensitive: i64,
                 source: i64,
                 device: Option<i64>,
                 run: i64| {
        let key = format!("{kind}-{}-{:?}", start.unwrap_or(0), original);
        c.execute(
            "INSERT INTO events (kind, start_ms, end_ms, tz_offset_min, title, body, attrs, original_id,
                                 sensitive, source_id, device_id, import_run_id, natural_key)
             VALUES (?1, ?2, ?3, 60, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            rusqlite::params![kind, start, end, title, body, attrs, original, sensitive, source, device, run, key],
        )
        .unwrap();
        c.last_insert_rowid()
    };
    let handle_start = POST_BODY.find("@alice_w").unwrap();
    let post = event(
        "post",
        Some(DAY + 9 * HOUR + 1_234),
        None,
        None,
        Some(POST_BODY),
        Some(format!(
            r#"{{"pii":[{{"field":"body","kind":"handle","start":{},"end":{}}}],"favorite_count":3,"lang":"en"}}"#,
            handle_start,
            handle_start + 8
        )),
        Some("1760000000000000001"),
        0,
        2,
        None,
        2,
    );
    event(
        "post",
        Some(DAY + 10 * HOUR),
        None,
        None,
        Some("Moving to Hauptstraße 5 next week!"),
        None,
        Some("1760000000000000002"),
        0,
        2,
        None,
        2,
    );
    event(
        "post",
        Some(DAY - 800 * 24 * HOUR),
        None,
        None,
        Some(OUTSIDE_WINDOW),
        None,
        Some("1450000000000000003"),
        0,
        2,
        None,
        2,
    );
    event(
        "message",
        Some(DAY + 11 * HOUR),
        None,
        None,
        Some(DM),
        None,
        Some("dm-1"),
        1,
        2,
        None,
        2,
    );
    event(
        "chat_turn",
        Some(DAY + 12 * HOUR),
        None,
        Some("A chat"),
        Some(UNSELECTED),
        None,
        None,
        0,
        2,
        None,
        2,
    );
    event(
        "sleep",
        Some(DAY + 23 * HOUR),
        Some(DAY + 31 * HOUR),
        None,
        None,
        Some(r#"{"score":81,"efficiency":0.92}"#.into()),
        Some("oura-sleep-1"),
        0,
        3,
        Some(3),
        3,
    );
    let workout = event(
        "workout",
        Some(DAY + 6 * HOUR),
        Some(DAY + 6 * HOUR + 1_800_000),
        Some("Morning run"),
        None,
        Some(format!(
            r#"{{"activity":"running","distance_m":5012.5,"start_lat":{LAT},"start_lon":{LON},"deviceName":"{WATCH_NAME}"}}"#
        )),
        Some("HKWorkout-1"),
        0,
        1,
        Some(1),
        1,
    );
    for i in 0..5i64 {
        c.execute(
            "INSERT INTO track_points (event_id, seq, t_ms, lat, lon, alt_m, speed_mps)
             VALUES (?1, ?2, ?3, ?4, ?5, 408.5, 3.1)",
            rusqlite::params![
                workout,
                i,
                DAY + 6 * HOUR + i * 60_000,
                LAT.parse::<f64>().unwrap() + i as f64 * 0.00000001,
                LON.parse::<f64>().unwrap() + i as f64 * 0.00000001,
            ],
        )
        .unwrap();
    }
    Seeded {
        heart_rate_watch,
        step_count,
        unselected_sample,
        post,
    }
}
