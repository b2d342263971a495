//! The Reddit importer (a generic CSV spec: importers/reddit.toml), end to end on
//! tests/fixtures/reddit (see its README).

use serde_json::{Value, json};

use crate::common::*;
use crate::social_common::*;

const ROWS: &[&str] = &[
    r#"{"kind":"post","start_ms":1673786096000,"end_ms":null,"tz":0,"title":"Streaming JSON in Rust","body":"How do you stream a 2 GB array?\n\n> quoted line, with a comma\n\nMail me: me@example.com","attrs":{"gildings":0,"permalink":"https://www.reddit.com/r/rust/comments/10abcd/streaming_json_in_rust/","subreddit":"rust","url":"https://www.reddit.com/r/rust/comments/10abcd/streaming_json_in_rust/","pii":[{"field":"body","kind":"email","start":71,"end":85}]},"original_id":"10abcd","parent":null,"key":"post:10abcd","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1675238400000,"end_ms":null,"tz":0,"title":"Sunset","body":null,"attrs":{"gildings":2,"permalink":"https://www.reddit.com/r/pics/comments/10abce/sunset/","subreddit":"pics","url":"https://i.redd.it/xyz123.jpg"},"original_id":"10abce","parent":null,"key":"post:10abce","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1673787600000,"end_ms":null,"tz":0,"title":null,"body":"Thanks! See https://docs.rs/serde_json and ping @ferris_fan","attrs":{"gildings":0,"link":"https://www.reddit.com/r/rust/comments/10abcd/streaming_json_in_rust/","parent":"t3_10abcd","permalink":"https://www.reddit.com/r/rust/comments/10abcd/streaming_json_in_rust/j1abcd/","subreddit":"rust","pii":[{"field":"body","kind":"url","start":12,"end":38},{"field":"body","kind":"handle","start":48,"end":59}]},"original_id":"j1abcd","parent":null,"key":"comment:j1abcd","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1673861400000,"end_ms":null,"tz":0,"title":null,"body":"Call +1 555 123 4567 after six","attrs":{"gildings":1,"link":"https://www.reddit.com/r/rust/comments/10abcd/streaming_json_in_rust/","parent":"t1_j1abcd","permalink":"https://www.reddit.com/r/rust/comments/10abcd/streaming_json_in_rust/j1abce/","subreddit":"rust","pii":[{"field":"body","kind":"phone","start":5,"end":20}]},"original_id":"j1abce","parent":null,"key":"comment:j1abce","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1699435800000,"end_ms":null,"tz":0,"title":"meetup?","body":"Coffee on Friday?","attrs":{"from":"river_otter_77","permalink":"https://www.reddit.com/message/messages/2bq9x1","to":"trove_redditor"},"original_id":"2bq9x1","parent":null,"key":"message:2bq9x1","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1699437600000,"end_ms":null,"tz":0,"title":"re: meetup?","body":"Great, at 221B Baker Street","attrs":{"from":"trove_redditor","permalink":"https://www.reddit.com/message/messages/2bq9x2","thread_id":"2bq9x1","to":"river_otter_77","pii":[{"field":"body","kind":"address","start":10,"end":27}]},"original_id":"2bq9x2","parent":null,"key":"message:2bq9x2","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1703440800000,"end_ms":null,"tz":0,"title":null,"body":"Merry Christmas!","attrs":{"channel_url":"sendbird_group_channel_1234_abcd","chat":true,"conversation_type":"direct","from":"river_otter_77"},"original_id":"f3c1a2b4-0000-4000-8000-000000000001","parent":null,"key":"message:f3c1a2b4-0000-4000-8000-000000000001","sensitive":0}"#,
    r#"{"kind":"vote","start_ms":null,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"direction":"up","permalink":"https://www.reddit.com/r/rust/comments/10zzz3/other/10zzz1/","target":"comment"},"original_id":"10zzz1","parent":null,"key":"vote:https://www.reddit.com/r/rust/comments/10zzz3/other/10zzz1/","sensitive":0}"#,
    r#"{"kind":"vote","start_ms":null,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"direction":"up","permalink":"https://www.reddit.com/r/rust/comments/10zzz1/async_traits/","target":"post"},"original_id":"10zzz1","parent":null,"key":"vote:https://www.reddit.com/r/rust/comments/10zzz1/async_traits/","sensitive":0}"#,
    r#"{"kind":"vote","start_ms":null,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"direction":"down","permalink":"https://www.reddit.com/r/rust/comments/10zzz2/hot_take/","target":"post"},"original_id":"10zzz2","parent":null,"key":"vote:https://www.reddit.com/r/rust/comments/10zzz2/hot_take/","sensitive":0}"#,
    r#"{"kind":"saved","start_ms":null,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"permalink":"https://www.reddit.com/r/rust/comments/10yyy1/guide/j1yyy1/","target":"comment"},"original_id":"j1yyy1","parent":null,"key":"saved:https://www.reddit.com/r/rust/comments/10yyy1/guide/j1yyy1/","sensitive":0}"#,
    r#"{"kind":"saved","start_ms":null,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"permalink":"https://www.reddit.com/r/rust/comments/10yyy1/guide/","target":"post"},"original_id":"10yyy1","parent":null,"key":"saved:https://www.reddit.com/r/rust/comments/10yyy1/guide/","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1677693600000,"end_ms":null,"tz":0,"title":"A post whose text is gone","body":null,"attrs":{"gildings":0,"permalink":"https://www.reddit.com/r/rust/comments/10abcg/removed/","subreddit":"rust"},"original_id":"10abcg","parent":null,"key":"post:10abcg","sensitive":0}"#,
];

fn rows() -> Vec<Value> {
    ROWS.iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn reddit_export_imports_exact_rows_without_ip_addresses() {
    let t = TestEnv::with_vault();
    let dir = fixture("reddit/export");
    let doc = t.json(&["import", &path_str(&dir)]);
    assert_rows(&events(&t, ""), &rows());
    assert_eq!(
        t.sql("SELECT importer, account FROM sources"),
        [[json!("reddit"), json!("trove_redditor")]]
    );
    // The bad date is a rejection at its line (the first post spans lines 2-6).
    assert_eq!(
        t.sql("SELECT member, locator, message FROM import_errors"),
        [[
            json!("posts.csv"),
            json!("line 8"),
            json!("post: \"yesterday\" is not a time in the format \"%Y-%m-%d %H:%M:%S UTC\"")
        ]]
    );
    // post_headers.csv repeats 10abcd (a duplicate) and adds 10abcg.
    assert_eq!(doc["totals"]["duplicate"], 1, "{doc}");
    // statistics.csv and ip_logs.csv are not imported.
    assert_eq!(doc["unrecognized"].as_array().unwrap().len(), 2, "{doc}");
    // No IP address anywhere in the vault.
    for ip in ["203.0.113.9", "198.51.100.4"] {
        assert_eq!(
            t.count(&format!(
                "SELECT count(*) FROM events WHERE attrs LIKE '%{ip}%'"
            )),
            0,
            "{ip}"
        );
    }
    let again = t.json(&["import", &path_str(&dir)]);
    assert_eq!(again["totals"]["skipped"], 9, "{again}");
    assert_eq!(t.count("SELECT count(*) FROM events"), 13);
}

#[test]
fn keep_ip_keeps_the_ip_columns() {
    let t = TestEnv::with_vault();
    let zip = t.path().join("export_trove_redditor_20240201.zip");
    zip_dir(&fixture("reddit/export"), &zip, "");
    t.ok(&["import", "--keep-ip", &path_str(&zip)]);
    assert_eq!(
        t.sql(
            "SELECT original_id, json_extract(attrs, '$.ip') FROM events
             WHERE json_extract(attrs, '$.ip') IS NOT NULL ORDER BY id"
        ),
        [
            [json!("10abcd"), json!("203.0.113.9")],
            [json!("j1abcd"), json!("203.0.113.9")],
            [json!("2bq9x2"), json!("198.51.100.4")],
        ]
    );
    assert_eq!(t.count("SELECT count(*) FROM events"), 13);
}

/// Some exports write messages.csv, others messages_archive.csv: both are read, and the same
/// message in both is one row.
#[test]
fn both_message_file_names_are_read_and_dedupe() {
    let t = TestEnv::with_vault();
    t.ok(&["import", &path_str(&fixture("reddit/export"))]);
    let doc = t.json(&["import", &path_str(&fixture("reddit/export-messages-csv"))]);
    let files: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["member"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["messages.csv", "message_headers.csv"]);
    // messages.csv: 2bq9x1 again (duplicate) and 2bq9x3; the headers add nothing.
    assert_eq!(doc["totals"]["added"], 1, "{doc}");
    assert_eq!(doc["totals"]["duplicate"], 3, "{doc}");
    assert_eq!(
        t.sql(
            "SELECT original_id, start_ms, title, body, json_extract(attrs, '$.thread_id')
             FROM events WHERE kind = 'message' AND json_extract(attrs, '$.chat') IS NULL
             ORDER BY start_ms"
        ),
        [
            [
                json!("2bq9x1"),
                json!(1699435800000i64),
                json!("meetup?"),
                json!("Coffee on Friday?"),
                json!(null)
            ],
            [
                json!("2bq9x2"),
                json!(1699437600000i64),
                json!("re: meetup?"),
                json!("Great, at 221B Baker Street"),
                json!("2bq9x1")
            ],
            [
                json!("2bq9x3"),
                json!(1704440700000i64),
                json!("re: meetup?"),
                json!("Same time next week?"),
                json!("2bq9x1")
            ],
        ]
    );
}
