//! The Facebook and Instagram importers, end to end on tests/fixtures/facebook and
//! tests/fixtures/instagram (see their READMEs). Both exports write every string as mojibake
//! (UTF-8 bytes as `\u00XX` escapes); the rows hold the repaired text.

use serde_json::{Value, json};

use crate::common::*;
use crate::social_common::*;

fn rows(lines: &[&str]) -> Vec<Value> {
    lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Facebook: one Messenger thread split over two files, three posts, two comments.
const FACEBOOK: &[&str] = &[
    r#"{"kind":"conversation","start_ms":1700000000000,"end_ms":1700000300000,"tz":null,"title":"René Müller","body":null,"attrs":{"thread":"renemuller_10150000000000001","folder":"inbox","group":false,"participants":["René Müller","Zoë Tester"]},"original_id":null,"parent":null,"key":"conversation:renemuller_10150000000000001","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1700000300000,"end_ms":null,"tz":null,"title":null,"body":"Bis später! 😂","attrs":{"thread":"renemuller_10150000000000001","sender":"Zoë Tester","direction":"sent","reactions":[{"reaction":"❤","actor":"René Müller"}]},"original_id":null,"parent":"conversation:renemuller_10150000000000001","key":"message:renemuller_10150000000000001:1700000300000:97f47d40f9a86f75","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1700000200000,"end_ms":null,"tz":null,"title":null,"body":"https://example.com/article","attrs":{"thread":"renemuller_10150000000000001","sender":"René Müller","direction":"received","share":{"link":"https://example.com/article","text":"Schau mal – spannend"},"type":"Share","pii":[{"field":"body","kind":"url","start":0,"end":27}]},"original_id":null,"parent":"conversation:renemuller_10150000000000001","key":"message:renemuller_10150000000000001:1700000200000:ee608956b6b7dc8f","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1700000100000,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"thread":"renemuller_10150000000000001","sender":"René Müller","direction":"received","photos":[{"uri":"your_activity_across_facebook/messages/inbox/renemuller_10150000000000001/photos/123_456.jpg"}]},"original_id":null,"parent":"conversation:renemuller_10150000000000001","key":"message:renemuller_10150000000000001:1700000100000:a5fc17a228dbdbb7","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1700000000000,"end_ms":null,"tz":null,"title":null,"body":"Ruf mich an: 0171 2345678","attrs":{"thread":"renemuller_10150000000000001","sender":"Zoë Tester","direction":"sent","pii":[{"field":"body","kind":"phone","start":13,"end":25}]},"original_id":null,"parent":"conversation:renemuller_10150000000000001","key":"message:renemuller_10150000000000001:1700000000000:d42158f164200a58","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1690000000000,"end_ms":null,"tz":null,"title":null,"body":"Hallo René","attrs":{"thread":"renemuller_10150000000000001","sender":"Zoë Tester","direction":"sent"},"original_id":null,"parent":"conversation:renemuller_10150000000000001","key":"message:renemuller_10150000000000001:1690000000000:63b6a8667a6b4e08","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1690000000000,"end_ms":null,"tz":null,"title":"Zoë Tester was at Café Zürich.","body":"Café crème in Zürich ☕","attrs":{"updated_ms":1690000500000,"place":{"name":"Café Zürich","address":"Bahnhofstrasse 1, Zurich","lat":47.37,"lon":8.54},"tags":["René Müller"]},"original_id":null,"parent":null,"key":"post:1690000000000:4183cd76b65968e4","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1690100000000,"end_ms":null,"tz":null,"title":"Zoë Tester added a new photo.","body":"Aussicht vom Üetliberg","attrs":{"media":[{"uri":"your_activity_across_facebook/posts/media/MobileUploads/abc_123.jpg","title":"Mobile uploads","description":"Aussicht vom Üetliberg"}]},"original_id":null,"parent":null,"key":"post:1690100000000:bf0a233569a8e894","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1690200000000,"end_ms":null,"tz":null,"title":null,"body":"Worth reading","attrs":{"links":[{"url":"https://example.org/news"}]},"original_id":null,"parent":null,"key":"post:1690200000000:56b21a5f68880dc4","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1691000000000,"end_ms":null,"tz":null,"title":"Zoë Tester commented on René Müller's post.","body":"Schön! 👍","attrs":null,"original_id":null,"parent":null,"key":"comment:1691000000000:2ea4ab2e2fdaf7b4","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1691100000000,"end_ms":null,"tz":null,"title":"Zoë Tester commented on a post in Hikers.","body":"See www.example.org/trail","attrs":{"group":"Hikers","links":[{"url":"https://example.org/trail"}],"pii":[{"field":"body","kind":"url","start":4,"end":25}]},"original_id":null,"parent":null,"key":"comment:1691100000000:d3e77bfb3acdfe36","sensitive":0}"#,
];

const INSTAGRAM: &[&str] = &[
    r#"{"kind":"conversation","start_ms":1700000900000,"end_ms":1700001000000,"tz":null,"title":"René Müller","body":null,"attrs":{"thread":"renemuller_17840000000000001","folder":"inbox","group":false,"participants":["René Müller","Zoë Tester"]},"original_id":null,"parent":null,"key":"conversation:renemuller_17840000000000001","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1700001000000,"end_ms":null,"tz":null,"title":null,"body":"Danke für das Foto!","attrs":{"thread":"renemuller_17840000000000001","sender":"Zoë Tester","direction":"sent"},"original_id":null,"parent":"conversation:renemuller_17840000000000001","key":"message:renemuller_17840000000000001:1700001000000:ea1d89e0ef2c62fd","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1700000900000,"end_ms":null,"tz":null,"title":null,"body":null,"attrs":{"thread":"renemuller_17840000000000001","sender":"René Müller","direction":"received","share":{"link":"https://www.instagram.com/p/AbC123/","text":"Sunset","owner":"rene.m"}},"original_id":null,"parent":"conversation:renemuller_17840000000000001","key":"message:renemuller_17840000000000001:1700000900000:83ace1bf4c6026ae","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1699000000000,"end_ms":null,"tz":null,"title":null,"body":"Sommer in Zürich ☀️","attrs":{"media":[{"uri":"media/posts/202311/17890000000000001.jpg"}]},"original_id":null,"parent":null,"key":"post:1699000000000:40f93c15950ff640","sensitive":0}"#,
    r#"{"kind":"post","start_ms":1699100005000,"end_ms":null,"tz":null,"title":null,"body":"Two photos","attrs":{"media":[{"uri":"media/posts/202311/17890000000000002.jpg"},{"uri":"media/posts/202311/17890000000000003.jpg"}]},"original_id":null,"parent":null,"key":"post:1699100005000:22d22abdd8646b57","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1699200000000,"end_ms":null,"tz":null,"title":null,"body":"Wunderschön 😍","attrs":{"post_owner":"rene.m"},"original_id":null,"parent":null,"key":"comment:1699200000000:e48204e09c72f30b","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1699300000000,"end_ms":null,"tz":null,"title":null,"body":"Top!","attrs":{"post_owner":"rene.m"},"original_id":null,"parent":null,"key":"comment:1699300000000:5c936ccadb825673","sensitive":0}"#,
];

/// An older Instagram export: no `your_instagram_activity/` folder, the old comment layout.
const INSTAGRAM_2021: &[&str] = &[
    r#"{"kind":"conversation","start_ms":1620000100000,"end_ms":null,"tz":null,"title":"René Müller","body":null,"attrs":{"thread":"renemuller_17840000000000001","folder":"inbox","group":false,"participants":["René Müller","Zoë Tester"]},"original_id":null,"parent":null,"key":"conversation:renemuller_17840000000000001","sensitive":0}"#,
    r#"{"kind":"message","start_ms":1620000100000,"end_ms":null,"tz":null,"title":null,"body":"hey","attrs":{"thread":"renemuller_17840000000000001","sender":"René Müller","direction":"received"},"original_id":null,"parent":"conversation:renemuller_17840000000000001","key":"message:renemuller_17840000000000001:1620000100000:3bc058249c0a70d2","sensitive":0}"#,
    r#"{"kind":"comment","start_ms":1620000000000,"end_ms":null,"tz":null,"title":null,"body":"Schön 🌅","attrs":{"post_owner":"rene.m"},"original_id":null,"parent":null,"key":"comment:1620000000000:33bbf021b0ef33ed","sensitive":0}"#,
];

#[test]
fn facebook_export_imports_exact_rows_with_mojibake_repaired() {
    let t = TestEnv::with_vault();
    let dir = fixture("facebook/export");
    let doc = t.json(&["import", &path_str(&dir)]);
    assert_rows(&events(&t, ""), &rows(FACEBOOK));
    // The raw file holds mojibake; the vault holds the text.
    let raw = std::fs::read_to_string(dir.join(
        "your_activity_across_facebook/messages/inbox/renemuller_10150000000000001/message_1.json",
    ))
    .unwrap();
    assert!(raw.contains(r"Bis sp\u00c3\u00a4ter! \u00f0\u009f\u0098\u0082"));
    assert_eq!(
        t.sql("SELECT body FROM events WHERE body LIKE 'Bis%'"),
        [[json!("Bis später! 😂")]]
    );
    assert_eq!(
        t.sql("SELECT importer, account, display_name FROM sources"),
        [[json!("facebook"), json!("zoe.tester"), json!("Zoë Tester")]]
    );
    // message_2.json names the same conversation: stored once.
    assert_eq!(doc["totals"]["duplicate"], 1, "{doc}");
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors ORDER BY id"),
        [
            [json!("message 5"), json!("a message without timestamp_ms")],
            [json!("record 4"), json!("a post without a time")],
        ]
    );
    // The upload IP in the photo's EXIF data is not copied anywhere.
    assert_eq!(
        t.count("SELECT count(*) FROM events WHERE attrs LIKE '%203.0.113.7%'"),
        0
    );
    let again = t.json(&["import", &path_str(&dir)]);
    assert_eq!(again["totals"]["skipped"], 4, "{again}");
    assert_eq!(t.count("SELECT count(*) FROM events"), 11);
}

#[test]
fn instagram_exports_of_both_layouts_import_exact_rows() {
    let t = TestEnv::with_vault();
    t.ok(&["import", &path_str(&fixture("instagram/export"))]);
    assert_rows(&events(&t, ""), &rows(INSTAGRAM));
    assert_eq!(
        t.sql("SELECT importer, account, display_name FROM sources"),
        [[json!("instagram"), json!("zoe.snaps"), json!("Zoë Tester")]]
    );

    let t = TestEnv::with_vault();
    t.ok(&["import", &path_str(&fixture("instagram/export-2021"))]);
    assert_rows(&events(&t, ""), &rows(INSTAGRAM_2021));
}

/// Facebook's and Instagram's thread files share names and structure: each importer reads
/// only exports carrying its marker, and a bare thread folder needs --source.
#[test]
fn shared_file_names_are_told_apart_by_the_export_they_are_in() {
    let t = TestEnv::with_vault();
    let doc = t.json(&["import", &path_str(&fixture("instagram/export-2021"))]);
    assert!(
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["importer"] == "instagram")
    );

    let t = TestEnv::with_vault();
    let bare = t.path().join("inbox-only");
    copy_fixture(
        &fixture("facebook/export/your_activity_across_facebook/messages"),
        &bare.join("messages"),
    );
    let out = t.run(&["import", &path_str(&bare)]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no importer recognizes"),
        "{}",
        stderr(&out)
    );
    t.ok(&["import", "--source", "facebook", &path_str(&bare)]);
    assert_eq!(
        t.sql("SELECT importer, account FROM sources"),
        [[json!("facebook"), json!("")]]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM events WHERE kind = 'message'"),
        5
    );
}
