//! Revocation notices: a signed statement that the contributor withdraws a contribution.
//!
//! The notice is a JSON document (`trove-revocation/1`) written beside its minisign
//! signature (`<notice>.minisig`, trusted comment binding the notice's hash), and POSTed to the
//! DAO's endpoint when it has one. A revocation cannot recall data already delivered; it asks
//! the DAO to delete it and stop using it, and the ledger records that it was asked.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::contribute::ledger::{self, Kind, RevocationBody};
use crate::contribute::submit::{self, Body};
use crate::contribute::{REVOCATION_FORMAT, dao, hex32, sha256, sign};
use crate::error::{Error, Result};
use crate::output::rfc3339_ms;
use crate::vault::{Vault, now_ms};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub format: String,
    pub contribution_id: String,
    pub dao: String,
    pub manifest_sha256: String,
    pub package_sha256: String,
    pub revoked: String,
    pub reason: Option<String>,
    pub contributor: String,
}

#[derive(Debug, Serialize)]
pub struct Revoked {
    pub version: u32,
    pub id: String,
    pub dao: String,
    pub notice: String,
    pub signature: String,
    pub submitted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submit_error: Option<String>,
}

/// The default notice file name.
pub fn default_path(id: &str) -> PathBuf {
    PathBuf::from(format!("revocation-{id}.json"))
}

pub fn revoke(
    vault: &mut Vault,
    id: &str,
    reason: Option<&str>,
    out: Option<&Path>,
    submit_it: bool,
    opts: &submit::Options,
    on_retry: &mut dyn FnMut(&str),
) -> Result<Revoked> {
    let (dao_id, status, manifest_sha, package_sha): (i64, String, Vec<u8>, Vec<u8>) = vault
        .conn
        .query_row(
        "SELECT dao_id, status, manifest_sha256, package_sha256 FROM contributions WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if status == "revoked" {
        return Err(Error::AlreadyRevoked { id: id.into() });
    }
    let dao = dao::get_by_id(&vault.conn, dao_id)?;
    let keys = vault.keys()?;
    let now = now_ms();
    let notice = Notice {
        format: REVOCATION_FORMAT.into(),
        contribution_id: id.into(),
        dao: dao.name.clone(),
        manifest_sha256: hex32(&manifest_sha),
        package_sha256: hex32(&package_sha),
        revoked: rfc3339_ms(now),
        reason: reason.map(str::to_string),
        contributor: keys.minisign_public_key(),
    };
    let mut bytes = serde_json::to_vec_pretty(&notice).expect("serializes");
    bytes.push(b'\n');
    let notice_sha = sha256(&bytes);
    let comment = serde_json::json!({
        "v": 1,
        "revocation_of": id,
        "dao": dao.name,
        "notice_sha256": hex32(&notice_sha),
    })
    .to_string();
    let signature = sign::sign(
        &keys,
        &bytes,
        &comment,
        &format!("trove revocation of {id}"),
    );

    let path = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_path(id));
    let sig_path = PathBuf::from(format!("{}.minisig", path.display()));
    for p in [&path, &sig_path] {
        if p.exists() {
            return Err(Error::OutputExists { path: p.clone() });
        }
    }
    crate::fsutil::write_atomic(&path, &bytes)?;
    crate::fsutil::write_atomic(&sig_path, signature.as_bytes())?;

    let mut submitted = false;
    let mut submit_error = None;
    if submit_it && let Some(endpoint) = &dao.endpoint {
        let payload = serde_json::json!({
            "notice": String::from_utf8_lossy(&bytes),
            "minisig": signature,
        })
        .to_string();
        match submit::post(
            &format!("{endpoint}/revocations"),
            Body::Json(payload.as_bytes()),
            &[("Trove-Contribution-Id", id.to_string())],
            opts,
            on_retry,
        ) {
            Ok(_) => submitted = true,
            Err(e) => submit_error = Some(e.to_string()),
        }
    }

    let tx = vault.conn.transaction()?;
    tx.execute(
        "UPDATE contributions SET status = 'revoked', revoked_ms = ?2 WHERE id = ?1",
        (id, now),
    )?;
    let body = RevocationBody {
        contribution_id: id.into(),
        notice_sha256: hex32(&notice_sha),
        submitted,
    };
    ledger::append(
        &tx,
        Kind::Revocation,
        id,
        &serde_json::to_string(&body).expect("serializes"),
        now,
    )?;
    tx.commit()?;
    Ok(Revoked {
        version: crate::output::JSON_VERSION,
        id: id.into(),
        dao: dao.name,
        notice: path.display().to_string(),
        signature: sig_path.display().to_string(),
        submitted,
        submit_error,
    })
}
