//! `trove dao …`: registering DAOs, their requests, and operator keys.

use std::fs;

use crate::common::*;
use crate::pkg::dao_key;

const EXAMPLE: &str = include_str!("../../examples/sleepdao-request.json");

#[test]
fn add_list_show_remove() {
    let t = TestEnv::with_vault();
    let req = t.path().join("req.json");
    fs::write(&req, EXAMPLE).unwrap();
    let out = t.run(&["dao", "add", "sleepdao", "--request", &path_str(&req)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "Added DAO sleepdao (1 recipient(s), endpoint, request)\n"
    );
    let k = dao_key(&t, "lab");
    t.ok(&[
        "dao",
        "add",
        "labdao",
        "--recipient",
        &k.recipient,
        "--recipient",
        &k.recipient,
    ]);

    let list = t.json(&["dao", "list"]);
    let daos = list["daos"].as_array().unwrap();
    assert_eq!(daos.len(), 2);
    assert_eq!(daos[0]["name"], "labdao");
    assert_eq!(daos[0]["recipients"], serde_json::json!([k.recipient]));
    assert_eq!(daos[1]["name"], "sleepdao");
    assert_eq!(daos[1]["endpoint"], "https://sleepdao.example/api/v1");
    assert_eq!(
        daos[1]["request_sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(EXAMPLE.as_bytes()))
    );
    assert!(daos[1].get("pseudonym_key").is_none());

    let show = t.ok(&["dao", "show", "sleepdao"]);
    assert!(
        show.contains("\nwants metrics  sleep_stage, heart_rate, resting_heart_rate\n"),
        "{show}"
    );
    assert!(
        show.contains(
            "\nrequires       location omitted, text drop, identifiers pseudonymize, times minute\n"
        ),
        "{show}"
    );
    assert!(
        show.contains("\nconsent (2024-06)\n  I agree that Sleep DAO may keep"),
        "{show}"
    );
    let doc = t.json(&["dao", "show", "sleepdao"]);
    assert_eq!(doc["dao"]["request"]["wants"]["min_coverage_days"], 30);

    let out = t.run(&["dao", "add", "labdao", "--recipient", &k.recipient]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: a DAO named labdao is already registered\n\
         hint: remove it first with `trove dao remove labdao`, or choose another name\n"
    );
    t.ok(&["dao", "remove", "labdao"]);
    assert_eq!(
        t.json(&["dao", "list"])["daos"].as_array().unwrap().len(),
        1
    );
    // The name can be registered again.
    t.ok(&["dao", "add", "labdao", "--recipient", &k.recipient]);
    let out = t.run(&["dao", "show", "nodao"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with("trove: error: no DAO named nodao\n"));
}

#[test]
fn a_removed_dao_with_contributions_stays_in_the_audit() {
    let t = TestEnv::with_vault();
    crate::seed::seed(&t);
    crate::pkg::add_dao(&t, "labdao");
    crate::pkg::contribute(&t, "labdao", "a.trove", &["--metric", "step_count"]);
    t.ok(&["dao", "remove", "labdao"]);
    let audit = t.json(&["audit", "--dao", "labdao"]);
    assert_eq!(audit["contributions"][0]["dao"], "labdao");
    t.ok(&["audit", "--verify"]);
    let out = t.run(&["contribute", "--dao", "labdao", "--metric", "step_count"]);
    assert_eq!(code(&out), 1);
}

#[test]
fn add_refuses_bad_input() {
    let t = TestEnv::with_vault();
    let k = dao_key(&t, "x");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "dao".into(),
                "add".into(),
                "Bad/Name".into(),
                "--recipient".into(),
                k.recipient.clone(),
            ],
            "trove: error: invalid DAO name \"Bad/Name\": use 1 to 32 characters from a-z, 0-9, '-' and '_'\n",
        ),
        (
            vec!["dao".into(), "add".into(), "nokeys".into()],
            "trove: error: DAO nokeys has no recipients: a contribution could not be encrypted to it\n\
             hint: pass --recipient age1… to `trove dao add`, or use a request file that lists the DAO's recipients\n",
        ),
        (
            vec![
                "dao".into(),
                "add".into(),
                "plain".into(),
                "--recipient".into(),
                k.recipient.clone(),
                "--endpoint".into(),
                "http://dao.example/upload".into(),
            ],
            "trove: error: invalid DAO endpoint \"http://dao.example/upload\": plain http is allowed only for loopback addresses\n\
             hint: use an https:// URL (http:// is accepted only for 127.0.0.1, ::1 and localhost)\n",
        ),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = t.run(&args);
        assert_eq!(code(&out), 1, "{args:?}");
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
    let bad = t.path().join("bad.json");
    fs::write(&bad, EXAMPLE.replace("\"purpose\"", "\"porpoise\"")).unwrap();
    let out = t.run(&["dao", "add", "sleepdao", "--request", &path_str(&bad)]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!(
            "trove: error: invalid DAO request {}: unknown field `porpoise`",
            path_str(&bad)
        )),
        "{err}"
    );
    assert!(err.ends_with("hint: docs/CONTRIBUTION-FORMAT.md describes the request format; ask the DAO for a corrected file\n"));
    assert_eq!(t.json(&["dao", "list"])["daos"], serde_json::json!([]));
}

#[test]
fn keygen_makes_an_age_identity_without_a_vault() {
    let t = TestEnv::new();
    let out = t.run(&["dao", "keygen", "-o", "dao.key"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let recipient = stdout(&out).trim_end().to_string();
    assert!(recipient.starts_with("age1"));
    let text = fs::read_to_string(t.path().join("dao.key")).unwrap();
    assert!(text.contains(&format!("# public key: {recipient}\n")));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(t.path().join("dao.key"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let id: age::x25519::Identity = text.lines().last().unwrap().parse().unwrap();
    assert_eq!(id.to_public().to_string(), recipient);
    let out = t.run(&["dao", "keygen", "-o", "dao.key"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: refusing to overwrite dao.key\nhint: choose another file with -o, or move the old one away\n"
    );
    // Without -o: the identity on stdout, the public key on stderr (like age-keygen).
    let out = t.run(&["dao", "keygen"]);
    assert!(stdout(&out).contains("AGE-SECRET-KEY-1"));
    assert!(stderr(&out).starts_with("Public key: age1"));
}
