//! Hostile and broken input: each gets a clear error or counted rejections, never a panic,
//! never data written outside the vault, memory bounded; and interrupted imports leave
//! nothing partial.

use std::fs;
use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::apple_health::{export_dir, zip_dir};
use crate::common::*;

fn no_panic(out: &std::process::Output) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("internal error"),
        "{err}"
    );
}

/// A zip with the given (name, content) entries, deflated.
fn make_zip(path: &std::path::Path, entries: &[(&str, &[u8])]) {
    let mut zw = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zw.start_file(*name, opts).unwrap();
        zw.write_all(data).unwrap();
    }
    zw.finish().unwrap();
}

fn health_xml(records: usize) -> Vec<u8> {
    let mut s = String::from("<?xml version=\"1.0\"?>\n<HealthData locale=\"en_US\">\n");
    for i in 0..records {
        let t = format!(
            "2024-01-{:02} {:02}:{:02}:{:02} +0000",
            1 + i / 86_400,
            i / 3600 % 24,
            i / 60 % 60,
            i % 60
        );
        s.push_str(&format!(
            " <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\" startDate=\"{t}\" endDate=\"{t}\" value=\"{}\"/>\n",
            60 + i % 40
        ));
    }
    s.push_str("</HealthData>\n");
    s.into_bytes()
}

#[test]
fn a_file_that_claims_to_be_a_zip_but_is_not() {
    let t = TestEnv::with_vault();
    let f = t.path().join("export.zip");
    fs::write(&f, b"PK\x03\x04 this is not really a zip archive at all").unwrap();
    let out = t.run(&["import", f.to_str().unwrap()]);
    no_panic(&out);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with(&format!(
            "trove: error: {} cannot be read: not a readable zip archive (",
            f.display()
        )),
        "{}",
        stderr(&out)
    );
    // Random bytes without a zip signature are simply not recognized.
    fs::write(&f, [0x17u8; 1000]).unwrap();
    let out = t.run(&["import", f.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("trove: error: no importer recognizes "));
    assert_eq!(t.count("SELECT count(*) FROM samples"), 0);
}

#[test]
fn a_truncated_zip_is_refused_and_an_empty_file_is_not_recognized() {
    let t = TestEnv::with_vault();
    let zip = t.path().join("export.zip");
    zip_dir(&export_dir(), &zip, zip::CompressionMethod::Deflated);
    let bytes = fs::read(&zip).unwrap();
    fs::write(&zip, &bytes[..bytes.len() / 2]).unwrap();
    let out = t.run(&["import", zip.to_str().unwrap()]);
    no_panic(&out);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("cannot be read: not a readable zip archive"),
        "{}",
        stderr(&out)
    );
    let empty = t.path().join("empty.xml");
    fs::write(&empty, b"").unwrap();
    let out = t.run(&["import", empty.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("trove: error: no importer recognizes "));
}

#[test]
fn a_truncated_xml_keeps_what_came_before_the_cut() {
    let t = TestEnv::with_vault();
    let xml = health_xml(100);
    let cut = t.path().join("export.xml");
    // Cut in the middle of the 51st record (the first two lines are the prolog).
    let mut end = 0;
    for _ in 0..52 {
        end += xml[end..].iter().position(|&b| b == b'\n').unwrap() + 1;
    }
    fs::write(&cut, &xml[..end + 40]).unwrap();
    let out = t.run(&["--json", "import", cut.to_str().unwrap()]);
    no_panic(&out);
    assert_eq!(code(&out), 1);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["status"], "partial");
    assert_eq!(report["files"][0]["added"], 50);
    assert!(
        report["files"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("malformed XML"),
        "{report}"
    );
    assert_eq!(t.count("SELECT count(*) FROM samples"), 50);
    assert_eq!(t.count("SELECT count(*) FROM import_errors"), 1);
    assert!(stderr(&out).ends_with(
        "trove: error: the import is incomplete: 1 file(s) partly read, 0 file(s) failed\n"
    ));
    // --strict keeps nothing of a file that cannot be read to its end.
    let s = TestEnv::with_vault();
    let out = s.run(&["import", "--strict", cut.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(s.count("SELECT count(*) FROM samples"), 0);
}

#[test]
fn zip_entries_that_escape_the_archive_are_refused_and_never_written() {
    let t = TestEnv::with_vault();
    let xml = health_xml(3);
    let zip = t.path().join("sneaky.zip");
    make_zip(
        &zip,
        &[
            ("../evil.xml", &xml),
            ("/abs/export.xml", &xml),
            ("apple_health_export/../../up.xml", &xml),
            ("apple_health_export/export.xml", &xml),
        ],
    );
    let before: Vec<_> = fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let out = t.run(&["--json", "import", zip.to_str().unwrap()]);
    no_panic(&out);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let refused: Vec<(&str, &str)> = report["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["member"].as_str().unwrap(), r["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        refused,
        [
            (
                "../evil.xml",
                "its path escapes the archive (absolute or ..)"
            ),
            (
                "/abs/export.xml",
                "its path escapes the archive (absolute or ..)"
            ),
            (
                "apple_health_export/../../up.xml",
                "its path escapes the archive (absolute or ..)"
            ),
        ]
    );
    assert_eq!(report["files"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["files"][0]["member"],
        "apple_health_export/export.xml"
    );
    assert!(
        stderr(&out).contains("trove: warning: "),
        "{}",
        stderr(&out)
    );
    let after: Vec<_> = fs::read_dir(t.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "nothing may be written next to the archive");
    assert!(!t.path().parent().unwrap().join("evil.xml").exists());
    assert_eq!(
        fs::read_dir(t.tmp()).unwrap().count(),
        0,
        "nothing extracted to TMPDIR"
    );
}

/// Rewrites the uncompressed size of every entry (local header and central directory).
fn lie_about_sizes(bytes: &mut [u8], size: u32) {
    let mut i = 0;
    while i + 30 < bytes.len() {
        if &bytes[i..i + 4] == b"PK\x03\x04" {
            bytes[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
        } else if &bytes[i..i + 4] == b"PK\x01\x02" {
            bytes[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn a_member_that_inflates_beyond_its_declared_size_is_stopped() {
    let t = TestEnv::with_vault();
    let zip = t.path().join("bomb.zip");
    // 20 MB of XML that compresses extremely well, declared as 2 KB.
    let mut xml = b"<HealthData locale=\"en_US\">".to_vec();
    xml.resize(20 << 20, b' ');
    xml.extend_from_slice(b"</HealthData>");
    make_zip(&zip, &[("apple_health_export/export.xml", &xml)]);
    let mut bytes = fs::read(&zip).unwrap();
    assert!(
        bytes.len() < 100_000,
        "the bomb should be small: {}",
        bytes.len()
    );
    lie_about_sizes(&mut bytes, 2048);
    fs::write(&zip, bytes).unwrap();
    let start = Instant::now();
    let out = t.run(&["import", zip.to_str().unwrap()]);
    no_panic(&out);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // The zip reader or trove's own counting reader stops it, whichever sees it first.
    let err = stderr(&out);
    assert!(
        err.contains("apple_health_export/export.xml cannot be read (File is larger than its declared uncompressed size)")
            || err.contains("inflates to more than it declares"),
        "{err}"
    );
    assert_eq!(t.count("SELECT count(*) FROM samples"), 0);
}

#[test]
fn overlapping_zip_entries_are_refused_as_a_bomb() {
    let t = TestEnv::with_vault();
    let zip = t.path().join("overlap.zip");
    make_zip(&zip, &[("a/export.xml", &health_xml(2))]);
    let bytes = fs::read(&zip).unwrap();
    // Duplicate the central directory record under another name of the same length.
    let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let eocd = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    let record = bytes[cd..eocd].to_vec();
    let mut second = record.clone();
    let name_at = second
        .windows(12)
        .position(|w| w == b"a/export.xml")
        .unwrap();
    second[name_at] = b'b';
    let mut out_bytes = bytes[..eocd].to_vec();
    out_bytes.extend_from_slice(&second);
    let mut end = bytes[eocd..].to_vec();
    end[8..10].copy_from_slice(&2u16.to_le_bytes());
    end[10..12].copy_from_slice(&2u16.to_le_bytes());
    end[12..16].copy_from_slice(&((record.len() * 2) as u32).to_le_bytes());
    out_bytes.extend_from_slice(&end);
    fs::write(&zip, out_bytes).unwrap();
    let out = t.run(&["import", zip.to_str().unwrap()]);
    no_panic(&out);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "entries a/export.xml and b/export.xml overlap (a zip bomb); refusing the archive"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn entity_expansion_and_external_entities_are_never_performed() {
    let t = TestEnv::with_vault();
    let mut xml =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n <!ENTITY lol \"lol\">\n");
    for i in 1..=9 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        xml.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    xml.push_str(
        " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n<HealthData locale=\"en_US\">\n",
    );
    xml.push_str(" <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&lol9;\" unit=\"count/min\" startDate=\"2024-01-01 00:00:00 +0000\" endDate=\"2024-01-01 00:00:00 +0000\" value=\"60\"/>\n");
    xml.push_str(" <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"&xxe;\" unit=\"count/min\" startDate=\"2024-01-01 00:01:00 +0000\" endDate=\"2024-01-01 00:01:00 +0000\" value=\"61\"/>\n");
    xml.push_str(" <Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"Watch\" unit=\"count/min\" startDate=\"2024-01-01 00:02:00 +0000\" endDate=\"2024-01-01 00:02:00 +0000\" value=\"62\">&lol9;&xxe;</Record>\n");
    xml.push_str("</HealthData>\n");
    let f = t.path().join("export.xml");
    fs::write(&f, xml).unwrap();
    let start = Instant::now();
    let out = t.run(&["--json", "import", f.to_str().unwrap()]);
    no_panic(&out);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            report["files"][0]["added"].as_u64(),
            report["files"][0]["rejected"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(
        t.sql("SELECT message FROM import_errors ORDER BY id"),
        [
            [json!(
                "Record: attribute sourceName: at 1..5: unrecognized entity `lol9`"
            )],
            [json!(
                "Record: attribute sourceName: at 1..4: unrecognized entity `xxe`"
            )]
        ]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM devices WHERE name LIKE '%lol%' OR name LIKE '%root%'"),
        0
    );
}

#[test]
fn invalid_utf8_is_repaired_visibly_and_the_rest_is_kept() {
    let t = TestEnv::with_vault();
    let mut xml = health_xml(3);
    let at = xml.windows(5).position(|w| w == b"Watch").unwrap();
    xml[at + 1] = 0xFF;
    let f = t.path().join("export.xml");
    fs::write(&f, &xml).unwrap();
    let report = t.json(&["import", f.to_str().unwrap()]);
    assert_eq!(report["files"][0]["status"], "imported");
    assert_eq!(report["files"][0]["added"], 3);
    assert_eq!(report["files"][0]["warnings"], 1);
    assert_eq!(
        t.sql("SELECT locator, message FROM import_errors"),
        [[
            json!(format!("byte {}", at + 1)),
            json!("invalid UTF-8 replaced with U+FFFD")
        ]]
    );
    assert_eq!(
        t.count("SELECT count(*) FROM devices WHERE name = 'W\u{fffd}tch'"),
        1
    );
}

#[test]
fn control_characters_and_odd_bytes_never_panic() {
    // A grab bag of broken shapes; each must end with a clean exit code and no panic.
    let t = TestEnv::with_vault();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("nul.xml", b"<HealthData>\0\0\0<Record type=\"x\"/></HealthData>".to_vec()),
        ("deep.xml", format!("<HealthData>{}</HealthData>", "<a>".repeat(10_000)).into_bytes()),
        ("huge-attr.xml", format!("<HealthData><Record type=\"{}\" startDate=\"x\" endDate=\"y\"/></HealthData>", "A".repeat(1 << 20)).into_bytes()),
        ("not-closed.xml", b"<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate".to_vec()),
        ("wrong-root.xml", b"<?xml version=\"1.0\"?><!-- <HealthData --><Other/>".to_vec()),
        ("numbers.xml", b"<HealthData><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"w\" unit=\"count/min\" startDate=\"2024-01-01 00:00:00 +0000\" endDate=\"2024-01-01 00:00:00 +0000\" value=\"1e400\"/><Record type=\"HKQuantityTypeIdentifierHeartRate\" sourceName=\"w\" unit=\"count/min\" startDate=\"9999-12-31 23:59:59 +1400\" endDate=\"0001-01-01 00:00:00 -1200\" value=\"NaN\"/></HealthData>".to_vec()),
    ];
    for (name, bytes) in cases {
        let f = t.path().join(name);
        fs::write(&f, bytes).unwrap();
        let out = t.run(&["import", "--source", "apple-health", f.to_str().unwrap()]);
        no_panic(&out);
        assert!(
            [0, 1].contains(&code(&out)),
            "{name}: exit {}: {}",
            code(&out),
            stderr(&out)
        );
    }
    assert_eq!(t.count("SELECT count(*) FROM samples"), 0);
}
