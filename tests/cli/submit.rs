//! `trove submit` (and revocation submission) against a real HTTP server on 127.0.0.1.

use std::fs;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::common::*;
use crate::pkg::{add_dao, contribute, dao_key};
use crate::seed;

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A server that answers the scripted (status, body) pairs in order, then stops.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    handle: Option<JoinHandle<()>>,
}

impl Server {
    fn start(script: Vec<(u16, &'static str)>) -> Server {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let url = format!("http://{}", server.server_addr().to_ip().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let handle = std::thread::spawn(move || {
            for (status, body) in script {
                let Ok(Some(mut req)) = server.recv_timeout(std::time::Duration::from_secs(60))
                else {
                    return;
                };
                let mut data = Vec::new();
                std::io::Read::read_to_end(req.as_reader(), &mut data).unwrap();
                log.lock().unwrap().push(Seen {
                    method: req.method().to_string(),
                    url: req.url().to_string(),
                    headers: req
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string(), h.value.to_string()))
                        .collect(),
                    body: data,
                });
                let mut resp = tiny_http::Response::from_string(body).with_status_code(status);
                if status == 503 {
                    resp.add_header(tiny_http::Header::from_bytes("Retry-After", "0").unwrap());
                }
                req.respond(resp).unwrap();
            }
        });
        Server {
            url,
            seen,
            handle: Some(handle),
        }
    }

    fn requests(&mut self) -> Vec<Seen> {
        if let Some(h) = self.handle.take() {
            h.join().unwrap();
        }
        self.seen.lock().unwrap().clone()
    }
}

fn setup(server: &Server) -> (TestEnv, std::path::PathBuf) {
    let t = TestEnv::with_vault();
    seed::seed(&t);
    let key = dao_key(&t, "labdao");
    t.ok(&[
        "dao",
        "add",
        "labdao",
        "--recipient",
        &key.recipient,
        "--endpoint",
        &server.url,
    ]);
    let path = contribute(&t, "labdao", "p.trove", &["--metric", "step_count"]);
    (t, path)
}

#[test]
fn submit_uploads_and_records_the_receipt() {
    let mut server = Server::start(vec![(201, r#"{"receipt":"r-123","accepted":true}"#)]);
    let (t, path) = setup(&server);
    t.set("TROVE_DAO_TOKEN", "s3cret-token");
    let out = t.run(&["submit", "p.trove", "--dao", "labdao"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "{\"receipt\":\"r-123\",\"accepted\":true}\n");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "/contributions");
    assert_eq!(r.header("Authorization"), Some("Bearer s3cret-token"));
    assert_eq!(r.header("Content-Type"), Some("application/octet-stream"));
    assert_eq!(r.body, fs::read(&path).unwrap());
    let audit = t.json(&["audit"]);
    let c = &audit["contributions"][0];
    assert_eq!(c["status"], "submitted");
    assert_eq!(r.header("Trove-Contribution-Id"), c["id"].as_str());
    assert_eq!(
        r.header("Trove-Package-Sha256"),
        c["package_sha256"].as_str()
    );
    let d = t.json(&["audit", "show", c["id"].as_str().unwrap()]);
    assert_eq!(
        d["receipt"],
        serde_json::json!({"receipt": "r-123", "accepted": true})
    );
    assert_eq!(d["ledger"][1]["kind"], "submission");
    assert_eq!(d["ledger"][1]["body"]["http_status"], 201);
    t.ok(&["audit", "--verify"]);
    // The token is nowhere in the vault.
    for f in ["vault.db", "vault.db-wal"] {
        assert!(!contains(
            &read_or_empty(&t.vault().join(f)),
            b"s3cret-token"
        ));
    }
}

#[test]
fn submit_retries_after_a_503() {
    let mut server = Server::start(vec![(503, "busy"), (200, r#"{"receipt":"r-2"}"#)]);
    let (t, _path) = setup(&server);
    let token = t.path().join("token.txt");
    fs::write(&token, "file-token\n").unwrap();
    let out = t.run(&[
        "--json",
        "submit",
        "p.trove",
        "--token-file",
        &path_str(&token),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "trove: warning: HTTP 503; retrying in 0.0 s (attempt 2 of 5)\n"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["attempts"], 2);
    assert_eq!(doc["http_status"], 200);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].header("Authorization"), Some("Bearer file-token"));
    assert_eq!(reqs[0].body, reqs[1].body);
}

#[test]
fn submit_fails_on_a_401_without_retrying() {
    let mut server = Server::start(vec![(401, "bad token")]);
    let (t, _path) = setup(&server);
    t.set("TROVE_DAO_TOKEN", "wrong");
    let out = t.run(&["submit", "p.trove"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "trove: error: the DAO endpoint refused the request: HTTP 401: bad token\n\
         hint: check the token: set TROVE_DAO_TOKEN or pass --token-file FILE\n"
    );
    assert_eq!(server.requests().len(), 1);
    assert_eq!(t.json(&["audit"])["contributions"][0]["status"], "written");
    t.ok(&["audit", "--verify"]);
}

#[test]
fn submit_refuses_unknown_packages_and_the_wrong_dao() {
    let server = Server::start(vec![]);
    let (t, path) = setup(&server);
    add_dao(&t, "otherdao");
    let out = t.run(&["submit", "p.trove", "--dao", "otherdao"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "trove: error: p.trove was made for labdao, not for otherdao\n\
         hint: a package is encrypted to one DAO; contribute again for the other\n"
    );
    let copy = t.path().join("other.trove");
    let mut bytes = fs::read(&path).unwrap();
    bytes.push(0);
    fs::write(&copy, bytes).unwrap();
    let out = t.run(&["submit", "other.trove"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).starts_with(
        "trove: error: other.trove is not a package recorded in this vault's ledger\n"
    ));
}

#[test]
fn revoke_submits_the_notice_to_the_endpoint() {
    let mut server = Server::start(vec![(202, r#"{"ok":true}"#)]);
    let (t, _path) = setup(&server);
    let id = t.json(&["audit"])["contributions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let doc = t.json(&["revoke", &id, "-o", "notice.json"]);
    assert_eq!(doc["submitted"], true);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].url, "/revocations");
    let body: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(
        body["notice"].as_str().unwrap().as_bytes(),
        fs::read(t.path().join("notice.json")).unwrap()
    );
    assert_eq!(
        body["minisig"].as_str().unwrap(),
        fs::read_to_string(t.path().join("notice.json.minisig")).unwrap()
    );
    let d = t.json(&["audit", "show", &id]);
    assert_eq!(d["ledger"][1]["body"]["submitted"], true);
}
