//! Uploading to a DAO's endpoint.
//!
//! The protocol (docs/CONTRIBUTION-FORMAT.md, "Submitting"): `POST <endpoint>/contributions`
//! with the encrypted package as the body (`application/octet-stream`), the headers
//! `Trove-Contribution-Id` and `Trove-Package-Sha256`, and `Authorization: Bearer <token>`
//! when a token is given (`TROVE_DAO_TOKEN` or `--token-file`; never a flag value, never
//! logged). Revocation notices go to `POST <endpoint>/revocations` as JSON. A 2xx answer is
//! the receipt (its body, at most 64 KiB, is stored in the ledger). 408, 429 and 5xx answers
//! and connection failures are retried with exponential backoff (honouring `Retry-After`);
//! other answers fail at once.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::contribute::audit;
use crate::contribute::dao;
use crate::contribute::ledger::{self, Kind, SubmissionBody};
use crate::contribute::{hex32, sha256};
use crate::error::{Error, Result};
use crate::vault::{Vault, now_ms};

pub const MAX_RECEIPT: u64 = 64 * 1024;

pub struct Options {
    pub token: Option<Zeroizing<String>>,
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token: None,
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
        }
    }
}

/// Reads the DAO token: `--token-file` (first line), else `TROVE_DAO_TOKEN`, else none.
pub fn token(file: Option<&Path>) -> Result<Option<Zeroizing<String>>> {
    if let Some(path) = file {
        let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| Error::TokenFile {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?);
        let line = text.lines().next().unwrap_or("").trim().to_string();
        if line.is_empty() {
            return Err(Error::TokenFile {
                path: path.to_path_buf(),
                detail: "it is empty".into(),
            });
        }
        return Ok(Some(Zeroizing::new(line)));
    }
    Ok(std::env::var("TROVE_DAO_TOKEN")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .map(Zeroizing::new))
}

pub struct Response {
    pub status: u16,
    pub attempts: u32,
    pub body: String,
}

pub enum Body<'a> {
    File(&'a Path),
    Json(&'a [u8]),
}

/// POSTs with retries. `on_retry` hears about each retry (for a status line).
pub fn post(
    url: &str,
    body: Body<'_>,
    headers: &[(&str, String)],
    opts: &Options,
    on_retry: &mut dyn FnMut(&str),
) -> Result<Response> {
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(600))
        .user_agent(concat!("trove/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::SubmitFailed {
            attempts: 0,
            detail: e.to_string(),
        })?;
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let mut req = client.post(url);
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        if let Some(t) = &opts.token {
            req = req.bearer_auth(t.as_str());
        }
        req = match &body {
            Body::File(path) => {
                let file = std::fs::File::open(path)
                    .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
                let len = file.metadata().map(|m| m.len()).unwrap_or(0);
                req.header("Content-Type", "application/octet-stream")
                    .body(reqwest::blocking::Body::sized(file, len))
            }
            Body::Json(bytes) => req
                .header("Content-Type", "application/json")
                .body(bytes.to_vec()),
        };
        let (retry_detail, retry_after) = match req.send() {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let mut text = String::new();
                let _ = resp.take(MAX_RECEIPT).read_to_string(&mut text);
                if (200..300).contains(&status) {
                    return Ok(Response {
                        status,
                        attempts: attempt,
                        body: text,
                    });
                }
                let retryable = matches!(status, 408 | 429 | 500..=599);
                let detail = short(&text);
                if !retryable {
                    return Err(Error::SubmitRejected { status, detail });
                }
                (format!("HTTP {status}"), retry_after)
            }
            Err(e) => {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(&e);
                while let Some(s) = src {
                    msg = format!("{msg}: {s}");
                    src = s.source();
                }
                (msg, None)
            }
        };
        if attempt >= opts.max_attempts {
            return Err(Error::SubmitFailed {
                attempts: attempt,
                detail: retry_detail,
            });
        }
        let backoff = opts
            .base_delay
            .saturating_mul(1 << (attempt - 1).min(16))
            .min(opts.max_delay);
        let delay = retry_after.map_or(backoff, |d| d.min(opts.max_delay));
        on_retry(&format!(
            "{retry_detail}; retrying in {:.1} s (attempt {} of {})",
            delay.as_secs_f64(),
            attempt + 1,
            opts.max_attempts
        ));
        std::thread::sleep(delay);
    }
}

/// The first line of a response body, short and printable, for error messages.
fn short(text: &str) -> Option<String> {
    let line = text.lines().next()?.trim();
    if line.is_empty() {
        return None;
    }
    let mut s: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        s.push('…');
    }
    Some(crate::output::sanitize(&s))
}

#[derive(Debug, serde::Serialize)]
pub struct Submitted {
    pub version: u32,
    pub id: String,
    pub dao: String,
    pub endpoint: String,
    pub http_status: u16,
    pub attempts: u32,
    pub receipt: serde_json::Value,
}

/// Uploads a package written by this vault and records the receipt.
pub fn submit(
    vault: &mut Vault,
    path: &Path,
    dao_name: Option<&str>,
    opts: &Options,
    on_retry: &mut dyn FnMut(&str),
) -> Result<Submitted> {
    let bytes_sha = crate::contribute::sha256_file(path)?;
    let id = audit::by_package_sha256(&vault.conn, &bytes_sha)?.ok_or_else(|| {
        Error::UnknownPackage {
            path: path.to_path_buf(),
        }
    })?;
    let (dao_id, status): (i64, String) = vault.conn.query_row(
        "SELECT dao_id, status FROM contributions WHERE id = ?1",
        [&id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let dao = dao::get_by_id(&vault.conn, dao_id)?;
    if let Some(name) = dao_name
        && name != dao.name
    {
        return Err(Error::Usage {
            message: format!(
                "{} was made for {}, not for {name}",
                path.display(),
                dao.name
            ),
            hint: Some("a package is encrypted to one DAO; contribute again for the other".into()),
        });
    }
    if status == "revoked" {
        return Err(Error::AlreadyRevoked { id });
    }
    let endpoint = dao.endpoint.clone().ok_or_else(|| Error::NoEndpoint {
        dao: dao.name.clone(),
    })?;
    let url = format!("{endpoint}/contributions");
    let resp = post(
        &url,
        Body::File(path),
        &[
            ("Trove-Contribution-Id", id.clone()),
            ("Trove-Package-Sha256", hex32(&bytes_sha)),
        ],
        opts,
        on_retry,
    )?;
    let receipt_sha = sha256(resp.body.as_bytes());
    let now = now_ms();
    let tx = vault.conn.transaction()?;
    tx.execute(
        "UPDATE contributions SET status = 'submitted', receipt = ?2, submitted_ms = ?3 WHERE id = ?1",
        (&id, &resp.body, now),
    )?;
    let body = SubmissionBody {
        contribution_id: id.clone(),
        endpoint: url.clone(),
        http_status: resp.status,
        attempts: resp.attempts,
        receipt_sha256: hex32(&receipt_sha),
    };
    ledger::append(
        &tx,
        Kind::Submission,
        &id,
        &serde_json::to_string(&body).expect("serializes"),
        now,
    )?;
    tx.commit()?;
    Ok(Submitted {
        version: crate::output::JSON_VERSION,
        id,
        dao: dao.name,
        endpoint: url,
        http_status: resp.status,
        attempts: resp.attempts,
        receipt: serde_json::from_str(&resp.body).unwrap_or(serde_json::Value::String(resp.body)),
    })
}
