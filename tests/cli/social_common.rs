//! Helpers shared by the social and chat importer tests: exact event rows as JSON objects,
//! and zipping a fixture folder the way the services ship it.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::TestEnv;

/// Every event of the vault, oldest row first, as objects whose `attrs` is parsed JSON and
/// whose `parent` is the parent's natural key (row ids are not part of what is asserted).
pub fn events(t: &TestEnv, filter: &str) -> Vec<Value> {
    let sql = format!(
        "SELECT e.kind, e.start_ms, e.end_ms, e.tz_offset_min, e.title, e.body, e.attrs,
                e.original_id, p.natural_key, e.natural_key, e.sensitive
         FROM events e LEFT JOIN events p ON p.id = e.parent_id
         {filter} ORDER BY e.id"
    );
    t.sql(&sql)
        .into_iter()
        .map(|r| {
            let attrs = match &r[6] {
                Value::String(s) => serde_json::from_str(s).unwrap(),
                other => other.clone(),
            };
            json!({
                "kind": r[0], "start_ms": r[1], "end_ms": r[2], "tz": r[3], "title": r[4],
                "body": r[5], "attrs": attrs, "original_id": r[7], "parent": r[8],
                "key": r[9], "sensitive": r[10],
            })
        })
        .collect()
}

/// Asserts `actual` equals `expected` element by element, naming the first difference.
pub fn assert_rows(actual: &[Value], expected: &[Value]) {
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(
            a,
            e,
            "row {i} differs:\nactual   {}\nexpected {}",
            serde_json::to_string(a).unwrap(),
            serde_json::to_string(e).unwrap()
        );
    }
    assert_eq!(
        actual.len(),
        expected.len(),
        "row counts differ; actual rows:\n{}",
        actual
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Zips the files under `dir` into `dest`, each under `prefix` (deflated, like the exports).
pub fn zip_dir(dir: &Path, dest: &Path, prefix: &str) {
    let file = std::fs::File::create(dest).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut paths = Vec::new();
    collect(dir, &mut paths);
    paths.sort();
    for p in paths {
        let rel = p
            .strip_prefix(dir)
            .unwrap()
            .to_str()
            .unwrap()
            .replace('\\', "/");
        zip.start_file(format!("{prefix}{rel}"), options).unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Copies a fixture folder into the test's directory (to damage or extend it).
pub fn copy_fixture(from: &Path, to: &Path) {
    crate::common::copy_dir(from, to);
}

/// The SHA-256 of a file, in hex.
pub fn sha256_hex(path: &Path) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}
