//! `trove status` and `trove check`, including their stable JSON.

use std::fs;

use crate::common::*;

#[test]
fn status_json_is_stable() {
    let t = TestEnv::with_vault();
    let doc = t.json(&["status"]);
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "version",
            "vault",
            "schema_version",
            "key_slots",
            "tables",
            "coverage",
            "sources",
            "recent_imports",
            "recent_import_errors",
            "size_bytes"
        ]
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["vault"]["path"], path_str(&t.vault()));
    assert!(doc["vault"]["created"].as_str().unwrap().ends_with('Z'));
    assert_eq!(doc["schema_version"], trove::vault::migrations::latest());
    assert_eq!(doc["coverage"], serde_json::Value::Null);
    let tables = doc["tables"].as_object().unwrap();
    let names: Vec<&str> = tables.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "contribution_rows",
            "contributions",
            "daos",
            "devices",
            "events",
            "import_errors",
            "import_runs",
            "ledger",
            "samples",
            "source_files",
            "sources",
            "track_points"
        ]
    );
    assert!(tables.values().all(|v| v == 0));
    assert!(doc["size_bytes"].as_u64().unwrap() > 4096);
}

#[test]
fn status_human_output() {
    let t = TestEnv::with_vault();
    let text = t.ok(&["status"]);
    let id = t.json(&["status"])["vault"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.starts_with(&format!(
        "vault      {id}\npath       {}\n",
        path_str(&t.vault())
    )));
    assert!(text.contains(&format!(
        "\nschema     {}\n",
        trove::vault::migrations::latest()
    )));
    assert!(text.contains("\ncoverage   (no data yet)\n"));
    assert!(
        text.contains("\n  samples                       0\n"),
        "{text}"
    );
}

#[test]
fn check_passes_on_a_sound_vault() {
    let t = TestEnv::with_vault();
    let doc = t.json(&["check"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["ok"], true);
    let names: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "encrypted",
            "key_slots",
            "cipher",
            "cipher_integrity",
            "integrity",
            "foreign_keys",
            "sample_identity",
            "schema_version",
            "vault_id"
        ]
    );
    assert!(
        doc["checks"][2]["detail"]
            .as_str()
            .unwrap()
            .starts_with("SQLCipher 4.")
    );
    let text = t.ok(&["check"]);
    assert!(
        text.starts_with(
            "ok    encrypted         vault.db does not start with the SQLite header\n"
        )
    );
    assert_eq!(text.lines().count(), 9);
}

#[test]
fn check_detects_a_damaged_page_and_exits_13() {
    let t = TestEnv::with_vault();
    let db = t.vault().join("vault.db");
    let mut bytes = fs::read(&db).unwrap();
    assert!(
        bytes.len() >= 3 * 4096,
        "expected several pages, got {}",
        bytes.len()
    );
    // Flip one bit in the middle of the second page.
    bytes[4096 + 2000] ^= 0x10;
    fs::write(&db, bytes).unwrap();
    let out = t.run(&["--json", "check"]);
    assert_eq!(code(&out), 13, "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["ok"], false);
    let failed: Vec<&str> = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["ok"] == false)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(failed.contains(&"cipher_integrity"), "{doc:#}");
    assert!(stderr(&out).starts_with("trove: error: vault check failed: "));
}

#[test]
fn a_damaged_first_page_is_reported_not_misread() {
    let t = TestEnv::with_vault();
    let db = t.vault().join("vault.db");
    let mut bytes = fs::read(&db).unwrap();
    bytes[100] ^= 0x01;
    fs::write(&db, bytes).unwrap();
    let out = t.run(&["status"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with(&format!(
            "trove: error: the database {} could not be decrypted with the key from its key slot: it is damaged or was replaced\n",
            path_str(&db)
        )),
        "{}",
        stderr(&out)
    );
    let out = t.run(&["check"]);
    assert_eq!(code(&out), 13);
    assert!(stdout(&out).contains("FAIL  cipher "), "{}", stdout(&out));
}

/// Samples are de-duplicated by the writer, not by a unique index (schema v5): `check` says
/// when an identity is stored twice anyway.
#[test]
fn check_reports_a_sample_stored_twice() {
    let t = TestEnv::with_vault();
    t.ok(&[
        "import",
        fixture("apple_health/apple_health_export")
            .to_str()
            .unwrap(),
    ]);
    t.ok(&["check"]);
    {
        let vault = crate::seed::open(&t);
        vault
            .conn
            .execute_batch(
                "INSERT INTO sample_rows (metric_id, start_ms, end_ms, tz_offset_min, value,
                    category, source_id, device_id, event_id, source_file_id, import_run_id,
                    attrs, natural_key)
                 SELECT metric_id, start_ms, end_ms, tz_offset_min, value, category, source_id,
                    device_id, event_id, source_file_id, import_run_id, attrs, natural_key
                 FROM sample_rows
                 WHERE metric_id = (SELECT id FROM metric_names WHERE name = 'heart_rate')
                 ORDER BY start_ms LIMIT 1",
            )
            .unwrap();
    }
    let out = t.run(&["check"]);
    assert_eq!(code(&out), 13, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "FAIL  sample_identity   1 sample identity is stored more than once (first: heart_rate at 2024-03-10T07:59:10Z)\n"
        ),
        "{}",
        stdout(&out)
    );
}
