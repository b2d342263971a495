//! The X (Twitter) archive importer, end to end on tests/fixtures/twitter (see its README).

use serde_json::{Value, json};

use crate::common::*;
use crate::social_common::*;

fn archive() -> String {
    path_str(&fixture("twitter/archive"))
}

fn pii(list: &[(&str, &str, usize, usize)]) -> Value {
    list.iter()
        .map(|(field, kind, start, end)| {
            json!({"field": field, "kind": kind, "start": start, "end": end})
        })
        .collect()
}

/// The rows of the fixture archive, in import order (tweets-part1.js sorts before tweets.js).
fn expected_events() -> Vec<Value> {
    let web = "Twitter Web App";
    vec![
        json!({"kind": "post", "start_ms": 1670915700000i64, "end_ms": null, "tz": 0, "title": null,
            "body": "Second part: call me at +1 (555) 123-4567 #x",
            "attrs": {"lang": "en", "source": web, "favorite_count": 0, "retweet_count": 0,
                "hashtags": ["x"], "pii": pii(&[("body", "phone", 24, 41)])},
            "original_id": "1600000000000000006", "parent": null,
            "key": "tweet:1600000000000000006", "sensitive": 0}),
        json!({"kind": "post", "start_ms": 1670682600000i64, "end_ms": null, "tz": 0, "title": null,
            "body": "Reading about #rust streaming parsers https://t.co/abc123 with @ferris",
            "attrs": {"lang": "en", "source": "Twitter for iPhone", "favorite_count": 3,
                "retweet_count": 1, "hashtags": ["rust"],
                "mentions": [{"screen_name": "ferris", "id": "42"}],
                "urls": [{"url": "https://t.co/abc123", "expanded_url": "https://example.org/streaming"}],
                "pii": pii(&[("body", "url", 38, 57), ("body", "handle", 63, 70)])},
            "original_id": "1600000000000000001", "parent": null,
            "key": "tweet:1600000000000000001", "sensitive": 0}),
        json!({"kind": "reply", "start_ms": 1670684400000i64, "end_ms": null, "tz": 0, "title": null,
            // &amp; in the archive is & in the vault.
            "body": "@ferris Agreed & thanks! Mail me at jane.doe@example.com",
            "attrs": {"lang": "en", "source": web, "favorite_count": 0, "retweet_count": 0,
                "in_reply_to_status_id": "1599999999999999999", "in_reply_to_user_id": "42",
                "in_reply_to_screen_name": "ferris",
                "mentions": [{"screen_name": "ferris", "id": "42"}],
                "pii": pii(&[("body", "handle", 0, 7), ("body", "email", 36, 56)])},
            "original_id": "1600000000000000002", "parent": null,
            "key": "tweet:1600000000000000002", "sensitive": 0}),
        json!({"kind": "repost", "start_ms": 1670745600000i64, "end_ms": null, "tz": 0, "title": null,
            "body": "RT @someone_else: A retweeted thought about privacy and the right to leave",
            "attrs": {"lang": "en", "source": web, "favorite_count": 0, "retweet_count": 0,
                "retweeted_screen_name": "someone_else",
                "mentions": [{"screen_name": "someone_else", "id": "77"}],
                "pii": pii(&[("body", "handle", 3, 16)])},
            "original_id": "1600000000000000003", "parent": null,
            "key": "tweet:1600000000000000003", "sensitive": 0}),
        json!({"kind": "post", "start_ms": 1670749200000i64, "end_ms": null, "tz": 0, "title": null,
            "body": "This, exactly https://t.co/q1",
            "attrs": {"lang": "en", "source": web, "favorite_count": 0, "retweet_count": 0,
                "quoted_status_id": "1599000000000000000", "quoted_screen_name": "someone_else",
                "urls": [{"url": "https://t.co/q1",
                    "expanded_url": "https://twitter.com/someone_else/status/1599000000000000000"}],
                "pii": pii(&[("body", "url", 14, 29)])},
            "original_id": "1600000000000000004", "parent": null,
            "key": "tweet:1600000000000000004", "sensitive": 0}),
        json!({"kind": "post", "start_ms": 1670784310000i64, "end_ms": null, "tz": 0, "title": null,
            "body": "Sunset https://t.co/p1",
            "attrs": {"lang": "en", "source": web, "favorite_count": 0, "retweet_count": 0,
                "media": [{"type": "photo", "url": "https://pbs.twimg.com/media/FjAbCdEfGh.jpg",
                    "file": "1600000000000000005-FjAbCdEfGh.jpg"}],
                "pii": pii(&[("body", "url", 7, 22)])},
            "original_id": "1600000000000000005", "parent": null,
            "key": "tweet:1600000000000000005", "sensitive": 0}),
        json!({"kind": "post", "start_ms": 1672650000000i64, "end_ms": null, "tz": 0, "title": null,
            "body": "Oops, typo",
            "attrs": {"lang": "en", "source": web, "favorite_count": 0, "retweet_count": 0,
                "deleted": true, "deleted_ms": 1672653600000i64},
            "original_id": "1600000000000000009", "parent": null,
            "key": "tweet:1600000000000000009", "sensitive": 0}),
        json!({"kind": "like", "start_ms": null, "end_ms": null, "tz": null, "title": null,
            "body": "Happy new year & welcome 2020",
            "attrs": {"tweet_id": "1212092628029698048",
                "url": "https://twitter.com/i/web/status/1212092628029698048",
                "tweet_time": "2019-12-31T19:26:16.771Z"},
            "original_id": "1212092628029698048", "parent": null,
            "key": "like:1212092628029698048", "sensitive": 0}),
        // A pre-2010 tweet id encodes no time.
        json!({"kind": "like", "start_ms": null, "end_ms": null, "tz": null, "title": null,
            "body": "just setting up my twttr",
            "attrs": {"tweet_id": "20", "url": "https://twitter.com/i/web/status/20"},
            "original_id": "20", "parent": null, "key": "like:20", "sensitive": 0}),
        json!({"kind": "conversation", "start_ms": 1670832300000i64, "end_ms": null, "tz": 0,
            "title": "Rustaceans", "body": null,
            "attrs": {"conversation_id": "1600000000000000200", "group": true,
                "participants": ["987654321", "77", "42"]},
            "original_id": "1600000000000000200", "parent": null,
            "key": "conversation:1600000000000000200", "sensitive": 0}),
        json!({"kind": "message", "start_ms": 1670832300000i64, "end_ms": null, "tz": 0,
            "title": null, "body": "hello group",
            "attrs": {"conversation_id": "1600000000000000200", "sender_id": "77",
                "direction": "received"},
            "original_id": "1600000000000000201", "parent": "conversation:1600000000000000200",
            "key": "message:1600000000000000201", "sensitive": 0}),
        json!({"kind": "conversation", "start_ms": 1670752740000i64, "end_ms": 1670752805000i64,
            "tz": 0, "title": null, "body": null,
            "attrs": {"conversation_id": "42-987654321", "group": false,
                "participants": ["42", "987654321"]},
            "original_id": "42-987654321", "parent": null, "key": "conversation:42-987654321",
            "sensitive": 0}),
        json!({"kind": "message", "start_ms": 1670752805000i64, "end_ms": null, "tz": 0,
            "title": null, "body": "See you at 221B Baker Street",
            "attrs": {"conversation_id": "42-987654321", "sender_id": "987654321",
                "recipient_id": "42", "direction": "sent",
                "pii": pii(&[("body", "address", 11, 28)])},
            "original_id": "1600000000000000102", "parent": "conversation:42-987654321",
            "key": "message:1600000000000000102", "sensitive": 0}),
        json!({"kind": "message", "start_ms": 1670752740000i64, "end_ms": null, "tz": 0,
            "title": null, "body": "Here is the photo https://t.co/m1",
            "attrs": {"conversation_id": "42-987654321", "sender_id": "42",
                "recipient_id": "987654321", "direction": "received",
                "urls": [{"url": "https://t.co/m1",
                    "expanded_url": "https://twitter.com/messages/media/1600000000000000101"}],
                "media": [{"url": "https://ton.twitter.com/dm/1600000000000000101/1600000000000000100/QwErTy.jpg",
                    "file": "1600000000000000101-QwErTy.jpg"}],
                "reactions": [{"sender_id": "987654321", "reaction": "like",
                    "time": "2022-12-11T10:01:00Z"}],
                "pii": pii(&[("body", "url", 18, 33)])},
            "original_id": "1600000000000000101", "parent": "conversation:42-987654321",
            "key": "message:1600000000000000101", "sensitive": 0}),
    ]
}

#[test]
fn archive_folder_imports_exact_rows_and_reimport_adds_nothing() {
    let t = TestEnv::with_vault();
    let out = t.ok(&["import", &archive()]);
    assert!(
        out.contains("(twitter): account trove_tester (from data/account.js)"),
        "{out}"
    );
    // account.js, follower.js and the two media files (no --with-media) are left alone.
    assert!(
        out.contains("4 file(s) no importer reads were left alone."),
        "{out}"
    );
    assert_rows(&events(&t, ""), &expected_events());
    assert_eq!(
        t.sql("SELECT importer, account, display_name, attrs FROM sources"),
        [[
            json!("twitter"),
            json!("trove_tester"),
            json!("Trove Tester"),
            json!(r#"{"account_id":"987654321"}"#)
        ]]
    );
    // Every event is filed under that account.
    assert_eq!(
        t.count("SELECT count(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.account = 'trove_tester'"),
        14
    );
    // The two broken tweets are counted rejections with their locators.
    let errors = t.sql("SELECT member, locator, message FROM import_errors ORDER BY id");
    assert_eq!(
        errors,
        [
            [
                json!("data/tweets.js"),
                json!("record 6"),
                json!("a tweet without an id")
            ],
            [
                json!("data/tweets.js"),
                json!("record 7"),
                json!(
                    "tweet 1600000000000000007: \"12/12/2022 10:00\" is not a time like \"Tue Jan 31 09:01:52 +0000 2017\""
                )
            ],
        ]
    );
    assert_eq!(t.count("SELECT count(*) FROM media"), 0);

    let doc = t.json(&["import", &archive()]);
    assert_eq!(doc["totals"]["skipped"], 6, "{doc}");
    assert_eq!(doc["totals"]["added"], 0);
    assert_eq!(doc["accounts"][0]["account"], "trove_tester");
    assert_eq!(doc["accounts"][0]["attrs"]["account_id"], "987654321");
    assert_eq!(t.count("SELECT count(*) FROM events"), 14);
}

#[test]
fn zip_with_media_stores_the_files_encrypted_and_linked() {
    let t = TestEnv::with_vault();
    let zip = t.path().join("twitter-2022-12-14-abcdef.zip");
    zip_dir(&fixture("twitter/archive"), &zip, "");
    // First without media: the files are only referenced.
    t.ok(&["import", &path_str(&zip)]);
    assert_eq!(t.count("SELECT count(*) FROM media"), 0);
    // Again with --with-media: the tweets are skipped (already imported), the media added.
    let doc = t.json(&["import", "--with-media", &path_str(&zip)]);
    assert_eq!(doc["totals"]["imported"], 2, "{doc}");
    assert_eq!(doc["totals"]["skipped"], 6, "{doc}");
    assert_rows(&events(&t, ""), &expected_events());
    let photo = fixture("twitter/archive/data/tweets_media/1600000000000000005-FjAbCdEfGh.jpg");
    let dm = fixture("twitter/archive/data/direct_messages_media/1600000000000000101-QwErTy.jpg");
    assert_eq!(
        t.sql(
            "SELECT m.name, m.member, m.mime, m.size, hex(m.sha256), e.natural_key, hex(m.data)
             FROM media m LEFT JOIN events e ON e.id = m.event_id ORDER BY m.name"
        ),
        [
            [
                json!("1600000000000000005-FjAbCdEfGh.jpg"),
                json!("data/tweets_media/1600000000000000005-FjAbCdEfGh.jpg"),
                json!("image/jpeg"),
                json!(std::fs::metadata(&photo).unwrap().len()),
                json!(sha256_hex(&photo).to_uppercase()),
                json!("tweet:1600000000000000005"),
                json!(hex::encode_upper(std::fs::read(&photo).unwrap())),
            ],
            [
                json!("1600000000000000101-QwErTy.jpg"),
                json!("data/direct_messages_media/1600000000000000101-QwErTy.jpg"),
                json!("image/jpeg"),
                json!(std::fs::metadata(&dm).unwrap().len()),
                json!(sha256_hex(&dm).to_uppercase()),
                json!("message:1600000000000000101"),
                json!(hex::encode_upper(std::fs::read(&dm).unwrap())),
            ],
        ]
    );
    // A third run adds nothing.
    let doc = t.json(&["import", "--with-media", &path_str(&zip)]);
    assert_eq!(doc["totals"]["skipped"], 8, "{doc}");
}

#[test]
fn a_2019_archive_with_bare_tweets_takes_its_account_from_the_manifest() {
    let t = TestEnv::with_vault();
    t.ok(&["import", &path_str(&fixture("twitter/archive-2019"))]);
    assert_rows(
        &events(&t, ""),
        &[
            json!({"kind": "post", "start_ms": 1560856661000i64, "end_ms": null, "tz": 0,
            "title": null, "body": "An early-2019 bare tweet",
            "attrs": {"lang": "en", "source": "Twitter Web App", "favorite_count": 2,
                "retweet_count": 0},
            "original_id": "1141000000000000001", "parent": null,
            "key": "tweet:1141000000000000001", "sensitive": 0}),
        ],
    );
    assert_eq!(
        t.sql("SELECT account, display_name, attrs FROM sources"),
        [[
            json!("old_tester"),
            json!("Old Tester"),
            json!(r#"{"account_id":"55555"}"#)
        ]]
    );
}

#[test]
fn a_single_file_finds_its_sibling_account_and_account_overrides() {
    let t = TestEnv::with_vault();
    let likes = fixture("twitter/archive/data/like.js");
    t.ok(&["import", &path_str(&likes)]);
    assert_eq!(
        t.sql("SELECT account FROM sources"),
        [[json!("trove_tester")]]
    );
    // --account files a copy elsewhere (another source, so nothing dedupes against it).
    let copy = t.path().join("like.js");
    std::fs::copy(&likes, &copy).unwrap();
    let t2 = TestEnv::with_vault();
    t2.ok(&["import", "--account", "someone", &path_str(&copy)]);
    assert_eq!(t2.sql("SELECT account FROM sources"), [[json!("someone")]]);
    assert_eq!(
        t2.count("SELECT count(*) FROM events WHERE kind = 'like'"),
        2
    );
    // Without a sibling account.js and without --account: no account.
    let t3 = TestEnv::with_vault();
    t3.ok(&["import", &path_str(&copy)]);
    assert_eq!(t3.sql("SELECT account FROM sources"), [[json!("")]]);
}

#[test]
fn a_truncated_file_keeps_the_records_before_the_break() {
    let t = TestEnv::with_vault();
    let dir = t.path().join("archive");
    copy_fixture(&fixture("twitter/archive"), &dir);
    let tweets = dir.join("data/tweets.js");
    let text = std::fs::read_to_string(&tweets).unwrap();
    // Cut inside the third tweet.
    let cut = text.find("RT @someone_else").unwrap();
    std::fs::write(&tweets, &text[..cut]).unwrap();
    let out = t.run(&["import", "--source", "twitter", &path_str(&tweets)]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).contains("partial"), "{}", stdout(&out));
    assert_eq!(
        t.sql("SELECT original_id FROM events ORDER BY id"),
        [
            [json!("1600000000000000001")],
            [json!("1600000000000000002")]
        ]
    );
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors"),
        [[
            json!("line 131"),
            json!("the file ends in the middle of the JSON (truncated?), after 2 records")
        ]]
    );
}

#[test]
fn an_option_no_importer_uses_is_a_warning() {
    let t = TestEnv::with_vault();
    let out = t.run(&["import", "--keep-ip", &archive()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--keep-ip does not apply to twitter: ignored"),
        "{}",
        stderr(&out)
    );
}

/// The shared real archive files (dogsheep/twitter-to-sqlite's, anonymised by its author):
/// the account comes from the real account.js; the other real files are left alone.
#[test]
fn real_archive_account_file() {
    let Some(real) = real_sample("twitter/zip_contents") else {
        return;
    };
    let t = TestEnv::with_vault();
    let data = t.path().join("real/data");
    copy_fixture(&real, &data);
    std::fs::copy(
        fixture("twitter/archive/data/tweets.js"),
        data.join("tweets.js"),
    )
    .unwrap();
    let doc = t.json(&["import", &path_str(&t.path().join("real"))]);
    assert_eq!(doc["totals"]["added"], 5, "{doc}");
    assert_eq!(
        t.sql("SELECT account, display_name, attrs FROM sources"),
        [[
            json!("simonw"),
            json!("Simon Willison"),
            json!(r#"{"account_id":"12497"}"#)
        ]]
    );
    // account-suspension.js, app.js, follower.js, following.js, saved-search.js, account.js.
    assert_eq!(doc["unrecognized"].as_array().unwrap().len(), 6, "{doc}");
}
