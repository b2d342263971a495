//! The `fhir` importer: Apple Health clinical records (in the same zip as export.xml), FHIR
//! Bundles (Blue Button pages, a vitals collection with a blood pressure panel), Bulk Data
//! NDJSON; LOINC → samples; rejections with locators; re-import adds nothing.
//! Also: `trove sources` lists every importer with how to get its export.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::common::*;

/// Runs `trove --json import ARGS…` expecting success and returns the report.
pub fn import_ok(t: &TestEnv, args: &[&str]) -> Value {
    let mut full = vec!["import"];
    full.extend_from_slice(args);
    t.json(&full)
}

/// Zips `dir` under `prefix/` (what the Health app's export.zip looks like).
pub fn zip_dir(dir: &Path, prefix: &str, dest: &Path) {
    fn add(z: &mut zip::ZipWriter<fs::File>, root: &Path, dir: &Path, prefix: &str) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                add(z, root, &p, prefix);
                continue;
            }
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file(format!("{prefix}/{rel}"), opts).unwrap();
            z.write_all(&fs::read(&p).unwrap()).unwrap();
        }
    }
    let mut z = zip::ZipWriter::new(fs::File::create(dest).unwrap());
    add(&mut z, dir, dir, prefix);
    z.finish().unwrap();
}

fn errors(t: &TestEnv, importer: &str) -> Vec<Vec<Value>> {
    t.sql(&format!(
        "SELECT member, locator, message FROM import_errors WHERE importer = '{importer}'
         ORDER BY member, locator"
    ))
}

#[test]
fn apple_clinical_records_import_with_export_xml_from_one_zip() {
    let t = TestEnv::with_vault();
    let zip = t.tmp().join("export.zip");
    zip_dir(
        &fixture("fhir/apple_health_export"),
        "apple_health_export",
        &zip,
    );
    let zip = path_str(&zip);
    let report = import_ok(&t, &[&zip]);

    // export.xml went to apple-health, every clinical-records/*.json to fhir, in one run.
    let mut files: Vec<(String, String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["importer"].as_str().unwrap().to_string(),
                f["member"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    files.sort();
    let clinical: Vec<&(String, String, String)> = files.iter().filter(|f| f.0 == "fhir").collect();
    assert_eq!(clinical.len(), 6, "{files:?}");
    assert!(
        clinical
            .iter()
            .all(|f| f.1.starts_with("apple_health_export/clinical-records/") && f.2 == "imported")
    );
    assert!(files.contains(&(
        "apple-health".into(),
        "apple_health_export/export.xml".into(),
        "imported".into()
    )));
    assert_eq!(report["totals"]["rejected"], 0);

    assert_eq!(
        t.sql(
            "SELECT kind, start_ms, end_ms, tz_offset_min, title, original_id, sensitive,
                    json_extract(attrs, '$.system'), json_extract(attrs, '$.code'),
                    json_extract(attrs, '$.status'), json_extract(attrs, '$.date'),
                    json_extract(attrs, '$.value'), json_extract(attrs, '$.unit')
             FROM events WHERE kind LIKE 'clinical.%' ORDER BY kind, original_id"
        ),
        vec![
            vec![
                json!("clinical.Condition"),
                json!(1335830400000i64),
                Value::Null,
                Value::Null,
                json!("Asthma"),
                json!("Condition/cond-asthma"),
                json!(1),
                json!("http://snomed.info/sct"),
                json!("195967001"),
                json!("active"),
                json!("2012-05"),
                Value::Null,
                Value::Null,
            ],
            vec![
                json!("clinical.Immunization"),
                json!(1601577000000i64),
                Value::Null,
                json!(-420),
                json!("influenza, injectable, quadrivalent"),
                json!("Immunization/imm-flu-2020"),
                json!(1),
                json!("http://hl7.org/fhir/sid/cvx"),
                json!("158"),
                json!("completed"),
                json!("2020-10-01T11:30:00-07:00"),
                Value::Null,
                Value::Null,
            ],
            vec![
                json!("clinical.MedicationOrder"),
                json!(1555027200000i64),
                Value::Null,
                Value::Null,
                json!("Albuterol 90 mcg/actuation inhaler"),
                json!("MedicationOrder/T7uXq1mQ9bXcF0oR2sLkUw3B"),
                json!(1),
                json!("http://www.nlm.nih.gov/research/umls/rxnorm"),
                json!("745679"),
                json!("active"),
                json!("2019-04-12"),
                Value::Null,
                Value::Null,
            ],
            vec![
                json!("clinical.Observation"),
                json!(1555087260000i64),
                Value::Null,
                json!(-420),
                json!("Weight"),
                json!("Observation/TwtYKkW3ZqBNe0o5b8x9QdgB"),
                json!(1),
                json!("http://loinc.org"),
                json!("29463-7"),
                json!("final"),
                json!("2019-04-12T09:41:00-07:00"),
                json!(154.3),
                json!("lb"),
            ],
            vec![
                json!("clinical.Observation"),
                json!(1614582900000i64),
                Value::Null,
                json!(60),
                json!("Pulse"),
                json!("Observation/hr-1"),
                json!(1),
                json!("http://loinc.org"),
                json!("8867-4"),
                json!("final"),
                json!("2021-03-01T08:15:00+01:00"),
                json!(64),
                json!("beats/minute"),
            ],
            vec![
                json!("clinical.Patient"),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                json!("Patient/T2mJ8cV6nZ0yR4dKq1wS9eB"),
                json!(1),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
            ],
        ]
    );
    // The whole resource is kept: nothing the record said is lost.
    let kept = t.sql(
        "SELECT json_extract(attrs, '$.resource') FROM events
         WHERE original_id = 'MedicationOrder/T7uXq1mQ9bXcF0oR2sLkUw3B'",
    );
    let kept: Value = serde_json::from_str(kept[0][0].as_str().unwrap()).unwrap();
    let file: Value = serde_json::from_slice(
        &fs::read(fixture(
            "fhir/apple_health_export/clinical-records/MedicationOrder-6A3C2D1E-0B4F-4E8A-9C71-2F5B8D0E4A11.json",
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(kept, file);

    // Vital-sign Observations are samples too, linked to their event. The Apple Watch heart
    // rate in export.xml and the clinic's FHIR heart rate at the same minute are both kept:
    // overlap across sources is resolved at query time, never merged away.
    assert_eq!(
        t.sql(
            "SELECT s.metric, s.start_ms, s.end_ms, s.tz_offset_min, s.value, src.importer, d.name,
                    e.original_id, json_extract(s.attrs, '$.loinc')
             FROM samples s JOIN sources src ON src.id = s.source_id
             LEFT JOIN devices d ON d.id = s.device_id LEFT JOIN events e ON e.id = s.event_id
             ORDER BY s.metric, src.importer"
        ),
        vec![
            vec![
                json!("body_mass"),
                json!(1555087260000i64),
                Value::Null,
                json!(-420),
                json!(154.3 * 0.453_592_37),
                json!("fhir"),
                json!("FHIR record"),
                json!("Observation/TwtYKkW3ZqBNe0o5b8x9QdgB"),
                json!("29463-7"),
            ],
            vec![
                json!("heart_rate"),
                json!(1614582900000i64),
                Value::Null,
                json!(60),
                json!(64.0),
                json!("apple-health"),
                json!("Jane’s Apple Watch"),
                Value::Null,
                Value::Null,
            ],
            vec![
                json!("heart_rate"),
                json!(1614582900000i64),
                Value::Null,
                json!(60),
                json!(64.0),
                json!("fhir"),
                json!("FHIR record"),
                json!("Observation/hr-1"),
                json!("8867-4"),
            ],
        ]
    );

    // The same zip again: every file is recognized as imported; nothing is added.
    let again = import_ok(&t, &[&zip]);
    assert_eq!(again["totals"]["skipped"], 7, "{again}");
    assert_eq!(again["totals"]["added"], 0);
    // The unzipped folder (other container, same contents) adds nothing either.
    let dir = path_str(&fixture("fhir/apple_health_export"));
    let again = import_ok(&t, &[&dir]);
    assert_eq!(again["totals"]["added"], 0, "{again}");
    assert_eq!(
        t.count("SELECT count(*) FROM events WHERE kind LIKE 'clinical.%'"),
        6
    );
}

#[test]
fn a_vitals_bundle_maps_loinc_codes_to_samples_and_rejects_bad_entries() {
    let t = TestEnv::with_vault();
    let file = path_str(&fixture("fhir/bundle-vitals.json"));
    let out = t.run(&["--json", "import", &file]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["totals"]["rejected"], 5);
    assert_eq!(report["totals"]["added"], 16);

    // LOINC → catalog metric, in canonical units; a panel's components are samples of their
    // own, all linked to the panel's event.
    assert_eq!(
        t.sql(
            "SELECT s.metric, s.start_ms, s.tz_offset_min, s.value, json_extract(s.attrs, '$.loinc'),
                    e.original_id, d.name
             FROM samples s JOIN events e ON e.id = s.event_id JOIN devices d ON d.id = s.device_id
             ORDER BY s.start_ms, s.metric"
        ),
        vec![
            vec![
                json!("blood_pressure_diastolic"),
                json!(1622547000000i64),
                json!(-240),
                json!(82.0),
                json!("8462-4"),
                json!("Observation/bp-1"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
            vec![
                json!("blood_pressure_systolic"),
                json!(1622547000000i64),
                json!(-240),
                json!(128.0),
                json!("8480-6"),
                json!("Observation/bp-1"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
            vec![
                json!("body_temperature"),
                json!(1622547060000i64),
                json!(-240),
                json!(98.6 * (5.0 / 9.0) + (-32.0 * 5.0 / 9.0)),
                json!("8310-5"),
                json!("Observation/temp-1"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
            vec![
                json!("oxygen_saturation"),
                json!(1622547120000i64),
                json!(-240),
                json!(97.0),
                json!("2708-6"),
                json!("Observation/spo2-1"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
            vec![
                json!("height"),
                json!(1622547180000i64),
                json!(-240),
                json!(65.0 * 0.0254),
                json!("8302-2"),
                json!("Observation/height-1"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
            vec![
                json!("blood_glucose"),
                json!(1622549100000i64),
                json!(-240),
                json!(5.4 * 18.0182),
                json!("2345-7"),
                json!("Observation/glucose-1"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
            vec![
                json!("blood_pressure_systolic"),
                json!(1622588400000i64),
                json!(-240),
                json!(121.0),
                json!("8480-6"),
                json!("Observation/bp-2"),
                json!("https://fhir.example-clinic.org/r4"),
            ],
        ]
    );
    // Every Observation is an event, including those that make no sample: an unmapped code
    // (HbA1c), a value with a comparator (">300 kg"), an entry entered in error.
    assert_eq!(
        t.sql(
            "SELECT original_id, title, json_extract(attrs, '$.full_url') FROM events ORDER BY original_id"
        )
        .iter()
        .map(|r| r[0].as_str().unwrap().to_string())
        .collect::<Vec<_>>(),
        [
            "Observation/a1c-1",
            "Observation/bp-1",
            "Observation/bp-2",
            "Observation/glucose-1",
            "Observation/height-1",
            "Observation/hr-wrong",
            "Observation/spo2-1",
            "Observation/temp-1",
            "Observation/weight-lt",
        ]
    );
    assert_eq!(
        errors(&t, "fhir"),
        vec![
            vec![
                json!("bundle-vitals.json"),
                json!("entry 10"),
                json!("a Bundle entry that is not an object"),
            ],
            vec![
                json!("bundle-vitals.json"),
                json!("entry 11"),
                json!("a Bundle entry without a resource"),
            ],
            vec![
                json!("bundle-vitals.json"),
                json!("entry 12"),
                json!("no valid resourceType: not a FHIR resource"),
            ],
            vec![
                json!("bundle-vitals.json"),
                json!("entry 13 (Observation/bad-date)"),
                json!("effectiveDateTime: \"yesterday\" is not a FHIR date"),
            ],
            vec![
                json!("bundle-vitals.json"),
                json!("entry 9 (Observation/bp-2) component 2"),
                json!("LOINC 8462-4: valueQuantity.value is not a number"),
            ],
        ]
    );

    // The same file again is skipped; the same records in a different file (here: the
    // Bundle re-serialized) are recognized row by row by their identity.
    let again = import_ok(&t, &[&file]);
    assert_eq!(again["totals"]["skipped"], 1);
    let v: Value =
        serde_json::from_slice(&fs::read(fixture("fhir/bundle-vitals.json")).unwrap()).unwrap();
    let copy = t.tmp().join("vitals-again.json");
    fs::write(&copy, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    let out = t.run(&["--json", "import", &path_str(&copy)]);
    let again: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["totals"]["added"], 0, "{again}");
    assert_eq!(again["totals"]["duplicate"], 16);
    assert_eq!(t.count("SELECT count(*) FROM samples"), 7);
    assert_eq!(t.count("SELECT count(*) FROM events"), 9);
}

#[test]
fn blue_button_pages_become_claims_coverage_and_a_patient() {
    let t = TestEnv::with_vault();
    let dir = path_str(&fixture("fhir/bluebutton"));
    let report = import_ok(&t, &[&dir]);
    let notes: Vec<(String, Value)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["member"].as_str().unwrap().to_string(),
                f["notes"].clone(),
            )
        })
        .collect();
    assert_eq!(
        notes,
        vec![
            (
                "eob-page-1.json".to_string(),
                json!([
                    "one page of a paged search (2 of 3 entries): the Bundle links to a next page; fetch and import every page"
                ])
            ),
            ("eob-page-2.json".to_string(), Value::Null),
            (
                "patient-and-coverage.json".to_string(),
                json!([
                    "the server reported: Coverage for Part D is not available for this beneficiary"
                ])
            ),
        ]
    );
    assert_eq!(
        t.sql(
            "SELECT kind, start_ms, end_ms, tz_offset_min, title, original_id,
                    json_extract(attrs, '$.value'), json_extract(attrs, '$.unit'),
                    json_extract(attrs, '$.status'), json_extract(attrs, '$.full_url'), sensitive
             FROM events ORDER BY kind, original_id"
        ),
        vec![
            vec![
                json!("clinical.Coverage"),
                json!(1583020800000i64),
                Value::Null,
                Value::Null,
                json!("SUBSIDIZ"),
                json!("Coverage/part-a--10000000000001"),
                Value::Null,
                Value::Null,
                json!("active"),
                json!("https://sandbox.bluebutton.cms.gov/v2/fhir/Coverage/part-a--10000000000001"),
                json!(1),
            ],
            vec![
                json!("clinical.Coverage"),
                json!(1583020800000i64),
                Value::Null,
                Value::Null,
                json!("SUBSIDIZ"),
                json!("Coverage/part-b--10000000000001"),
                Value::Null,
                Value::Null,
                json!("active"),
                json!("https://sandbox.bluebutton.cms.gov/v2/fhir/Coverage/part-b--10000000000001"),
                json!(1),
            ],
            vec![
                json!("clinical.ExplanationOfBenefit"),
                json!(1660435200000i64),
                Value::Null,
                Value::Null,
                json!("CARRIER"),
                json!("ExplanationOfBenefit/carrier-10000000000001"),
                json!(67.89),
                json!("USD"),
                json!("active"),
                json!(
                    "https://sandbox.bluebutton.cms.gov/v2/fhir/ExplanationOfBenefit/carrier-10000000000001"
                ),
                json!(1),
            ],
            vec![
                json!("clinical.ExplanationOfBenefit"),
                json!(1664769600000i64),
                json!(1664856000000i64),
                json!(-240),
                json!("OUTPATIENT"),
                json!("ExplanationOfBenefit/outpatient-10000000000003"),
                json!(512.5),
                json!("USD"),
                json!("active"),
                json!(
                    "https://sandbox.bluebutton.cms.gov/v2/fhir/ExplanationOfBenefit/outpatient-10000000000003"
                ),
                json!(1),
            ],
            vec![
                json!("clinical.ExplanationOfBenefit"),
                json!(1661990400000i64),
                json!(1664496000000i64),
                Value::Null,
                json!("PDE"),
                json!("ExplanationOfBenefit/pde-10000000000002"),
                json!(4.12),
                json!("USD"),
                json!("active"),
                json!(
                    "https://sandbox.bluebutton.cms.gov/v2/fhir/ExplanationOfBenefit/pde-10000000000002"
                ),
                json!(1),
            ],
            vec![
                json!("clinical.Patient"),
                Value::Null,
                Value::Null,
                Value::Null,
                Value::Null,
                json!("Patient/-10000000000001"),
                Value::Null,
                Value::Null,
                Value::Null,
                json!("https://sandbox.bluebutton.cms.gov/v2/fhir/Patient/-10000000000001"),
                json!(1),
            ],
        ]
    );
    // The OperationOutcome was read and deliberately not imported.
    assert_eq!(report["totals"]["rejected"], 0);
    assert_eq!(
        t.count(
            "SELECT count(*) FROM devices WHERE name = 'https://sandbox.bluebutton.cms.gov/v2/fhir'"
        ),
        1
    );
    let again = import_ok(&t, &[&dir]);
    assert_eq!(again["totals"]["added"], 0);
}

#[test]
fn ndjson_lines_and_a_truncated_bundle() {
    let t = TestEnv::with_vault();
    let bulk = path_str(&fixture("fhir/bulk/Observation.ndjson"));
    let report = import_ok(&t, &[&bulk]);
    assert_eq!(report["totals"]["added"], 4);
    assert_eq!(report["totals"]["rejected"], 1);
    assert_eq!(
        t.sql("SELECT metric, start_ms, end_ms, value FROM samples ORDER BY metric"),
        vec![
            vec![
                json!("respiratory_rate"),
                json!(1622619000000i64),
                Value::Null,
                json!(14.0)
            ],
            vec![
                json!("step_count"),
                json!(1622592000000i64),
                json!(1622678400000i64),
                json!(8412.0)
            ],
        ]
    );
    let bad = errors(&t, "fhir");
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0][1], json!("line 4"));
    assert!(
        bad[0][2].as_str().unwrap().starts_with("not JSON: "),
        "{bad:?}"
    );

    // A Bundle cut off mid-entry: the entries before the break are kept, the file is
    // reported partial with where it broke, and the import exits 1.
    let cut = path_str(&fixture("fhir/truncated/conditions.json"));
    let out = t.run(&["--json", "import", &cut]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["status"], "partial");
    assert_eq!(
        t.sql("SELECT original_id, start_ms FROM events WHERE kind = 'clinical.Condition'"),
        vec![vec![json!("Condition/c-ok"), json!(1427846400000i64)]]
    );
    let bad = t.sql("SELECT locator, message FROM import_errors WHERE member = 'conditions.json'");
    assert_eq!(bad.len(), 1);
    assert!(
        bad[0][0].as_str().unwrap().starts_with("line 1 column "),
        "{bad:?}"
    );
    assert!(bad[0][1].as_str().unwrap().contains("truncated"), "{bad:?}");
}

/// Every importer the binary ships is listed with what it reads and how to get the export.
#[test]
fn sources_lists_every_importer_with_how_to_get_its_export() {
    let t = TestEnv::new();
    let doc = t.json(&["sources"]);
    let listed: Vec<&Value> = doc["sources"].as_array().unwrap().iter().collect();
    let mut on_disk: Vec<String> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("importers"))
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                name.strip_suffix(".toml").map(str::to_string)
            })
            .collect();
    on_disk.sort();
    let ids: Vec<&str> = listed.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, on_disk);
    for s in &listed {
        for (field, min) in [("name", 3), ("reads", 10), ("how_to_get", 10)] {
            assert!(
                s[field].as_str().is_some_and(|v| v.len() > min),
                "{}: {field} is missing or too short",
                s["id"]
            );
        }
    }
    for id in ["fhir", "fitbit", "google-fit", "samsung-health"] {
        assert!(ids.contains(&id), "{id} is not listed");
    }
    // Human output: one block per importer with its how-to and options.
    let text = t.ok(&["sources"]);
    assert!(text.contains("fhir (FHIR medical records "), "{text}");
    assert!(text.contains("Blue Button 2.0"), "{text}");
    assert!(
        text.contains("  option      --timezone (required): "),
        "{text}"
    );
    assert!(
        text.contains("  option      --weight-unit (required for weight files): "),
        "{text}"
    );
}
