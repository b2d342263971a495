//! `trove audit` and `trove revoke`: what was shared, which rows, the hash chain, tampering.

use std::fs;

use crate::common::*;
use crate::pkg::{add_dao, contribute};
use crate::seed;

fn two_contributions(t: &TestEnv) -> (seed::Seeded, String, String) {
    let s = seed::seed(t);
    add_dao(t, "labdao");
    add_dao(t, "otherdao");
    contribute(
        t,
        "labdao",
        "a.trove",
        &["--metric", "heart_rate", "--since", "2024-03-01"],
    );
    contribute(
        t,
        "otherdao",
        "b.trove",
        &["--metric", "step_count", "--kind", "post"],
    );
    let doc = t.json(&["audit"]);
    let list = doc["contributions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    (
        s,
        list[0]["id"].as_str().unwrap().to_string(),
        list[1]["id"].as_str().unwrap().to_string(),
    )
}

#[test]
fn audit_lists_shows_and_finds_rows() {
    let t = TestEnv::with_vault();
    let (s, a, b) = two_contributions(&t);
    let doc = t.json(&["audit"]);
    let first = &doc["contributions"][0];
    assert_eq!(first["dao"], "labdao");
    assert_eq!(first["records"], 48);
    assert_eq!(first["status"], "written");
    assert_eq!(first["package_path"], path_str(&t.path().join("a.trove")));
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        fs::read(t.path().join("a.trove")).unwrap(),
    ));
    assert_eq!(first["package_sha256"], sha);
    assert_eq!(doc["contributions"][1]["records"], 10 + 3);

    let only = t.json(&["audit", "--dao", "otherdao"]);
    assert_eq!(only["contributions"].as_array().unwrap().len(), 1);
    assert_eq!(only["contributions"][0]["id"], b.as_str());

    // Human list: one line per contribution.
    let text = t.ok(&["audit"]);
    assert_eq!(text.lines().count(), 2);
    assert!(text.starts_with(&format!("{a}  ")), "{text}");

    // Which contributions included a row.
    let hr = s.heart_rate_watch[3];
    let found = t.json(&["audit", "--row", &format!("samples:{hr}")]);
    assert_eq!(found["contributions"].as_array().unwrap().len(), 1);
    assert_eq!(found["contributions"][0]["id"], a.as_str());
    let post = t.json(&["audit", "--row", &format!("events:{}", s.post)]);
    assert_eq!(post["contributions"][0]["id"], b.as_str());
    let steps = t.json(&["audit", "--row", &format!("samples:{}", s.step_count[9])]);
    assert_eq!(steps["contributions"][0]["id"], b.as_str());
    let none = t.json(&[
        "audit",
        "--row",
        &format!("samples:{}", s.unselected_sample),
    ]);
    assert_eq!(none["contributions"], serde_json::json!([]));
    let out = t.run(&["audit", "--row", "rows:1"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: invalid row \"rows:1\"\nhint: name a row as TABLE:ID, with TABLE one of samples, events, track_points\n"
    );

    // Details, by a prefix of the id, reopening the package with the vault's own key.
    let d = t.json(&["audit", "show", &a[..8], "--reopen"]);
    assert_eq!(d["id"], a.as_str());
    assert_eq!(d["rows"], serde_json::json!({"samples": 48}));
    assert_eq!(d["ledger"][0]["seq"], 1);
    assert_eq!(d["ledger"][0]["kind"], "contribution");
    assert_eq!(d["manifest"]["id"], a.as_str());
    assert_eq!(
        d["package"],
        serde_json::json!({"path": path_str(&t.path().join("a.trove")), "intact": true, "matches_ledger": true, "records": 48})
    );
    let text = t.ok(&["audit", "show", &b]);
    assert!(
        text.contains("\nrecords       13\n  events                3\n  samples              10\n"),
        "{text}"
    );

    // A package replaced by another valid one is noticed when reopened.
    fs::copy(t.path().join("b.trove"), t.path().join("a.trove")).unwrap();
    let out = t.run(&["audit", "show", &a, "--reopen"]);
    assert_eq!(code(&out), 13);
    assert!(
        stderr(&out).starts_with("trove: error: package rejected: "),
        "{}",
        stderr(&out)
    );

    let out = t.run(&["audit", "show", "ffff"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: no contribution ffff\nhint: `trove audit` lists contributions and their ids\n"
    );
}

#[test]
fn audit_verify_passes_on_an_intact_ledger() {
    let t = TestEnv::with_vault();
    let empty = t.ok(&["audit", "--verify"]);
    assert_eq!(empty, "ledger intact: 0 entries, 0 contribution(s)\n");
    two_contributions(&t);
    let doc = t.json(&["audit", "--verify"]);
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["entries"], 2);
    assert_eq!(doc["contributions"], 2);
    assert!(doc["head"].as_str().unwrap().starts_with("2:"));
}

fn tamper(t: &TestEnv, sql: &str) {
    let vault = seed::open(t);
    let n = vault.conn.execute(sql, []).unwrap();
    assert!(n > 0, "{sql} changed nothing");
}

fn assert_tampered(t: &TestEnv, reason: &str) {
    let out = t.run(&["audit", "--verify"]);
    assert_eq!(code(&out), 13, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "trove: error: the ledger was tampered with: {reason}\n\
             hint: the vault's record of what was shared no longer matches what was written; restore vault.db from a backup and compare\n"
        )
    );
}

#[test]
fn tampering_with_a_ledger_row_is_caught() {
    let t = TestEnv::with_vault();
    let (_, a, _) = two_contributions(&t);
    tamper(
        &t,
        "UPDATE ledger SET body = replace(body, '\"record_count\":48', '\"record_count\":47') WHERE seq = 1",
    );
    assert_tampered(
        &t,
        &format!("entry 1 (contribution {a}) was changed after it was written"),
    );
}

#[test]
fn tampering_with_the_recorded_rows_is_caught() {
    let t = TestEnv::with_vault();
    let (_, a, _) = two_contributions(&t);
    // Hide that a row was shared: shrink the run of ids (and the count, to match).
    tamper(
        &t,
        &format!(
            "UPDATE contribution_rows SET last_id = last_id - 1 WHERE contribution_id = '{a}';"
        ),
    );
    tamper(
        &t,
        &format!("UPDATE contributions SET record_count = 47 WHERE id = '{a}'"),
    );
    assert_tampered(
        &t,
        &format!("contribution {a}: its record count differs from ledger entry 1"),
    );
}

#[test]
fn tampering_with_a_contribution_or_the_chain_end_is_caught() {
    let t = TestEnv::with_vault();
    let (_, a, b) = two_contributions(&t);
    tamper(
        &t,
        &format!(
            "UPDATE contribution_rows SET last_id = last_id - 1 WHERE contribution_id = '{a}'"
        ),
    );
    assert_tampered(
        &t,
        &format!("contribution {a}: its list of included rows differs from ledger entry 1"),
    );

    let t = TestEnv::with_vault();
    let (_, _, b2) = two_contributions(&t);
    tamper(&t, "DELETE FROM ledger WHERE seq = 2");
    assert_tampered(
        &t,
        "the recorded head is entry 2 but the chain ends at entry 1",
    );
    let _ = (b, b2);

    let t = TestEnv::with_vault();
    let (_, a3, _) = two_contributions(&t);
    tamper(
        &t,
        &format!("UPDATE contributions SET status = 'submitted' WHERE id = '{a3}'"),
    );
    assert_tampered(
        &t,
        &format!("contribution {a3}: its status differs from ledger entry 1"),
    );
}

#[test]
fn revoke_writes_a_signed_notice_and_records_it() {
    let t = TestEnv::with_vault();
    let (_, a, _) = two_contributions(&t);
    let out = t.ok(&["revoke", &a[..6], "--reason", "changed my mind"]);
    let notice = t.path().join(format!("revocation-{a}.json"));
    assert_eq!(out, format!("revocation-{a}.json\n"));
    let bytes = fs::read(&notice).unwrap();
    let n: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(n["format"], "trove-revocation/1");
    assert_eq!(n["contribution_id"], a.as_str());
    assert_eq!(n["dao"], "labdao");
    assert_eq!(n["reason"], "changed my mind");
    let sig = fs::read_to_string(t.path().join(format!("revocation-{a}.json.minisig"))).unwrap();
    let pk = minisign_verify::PublicKey::from_base64(n["contributor"].as_str().unwrap()).unwrap();
    pk.verify(
        &bytes,
        &minisign_verify::Signature::decode(&sig).unwrap(),
        false,
    )
    .unwrap();

    let d = t.json(&["audit", "show", &a]);
    assert_eq!(d["status"], "revoked");
    assert_eq!(d["ledger"][1]["kind"], "revocation");
    assert_eq!(d["ledger"][1]["body"]["submitted"], false);
    t.ok(&["audit", "--verify"]);
    let out = t.run(&["revoke", &a]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!("trove: error: contribution {a} was already revoked\n")
    );
}
