//! The registry of DataDAOs: name, age recipients, optional endpoint and request, and the
//! per-DAO pseudonym secret (32 random bytes made at registration, never shown or exported),
//! so that two DAOs receiving pseudonymized data cannot join their copies.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::contribute::request::Request;
use crate::contribute::{hex32, request, sha256};
use crate::error::{Error, Result};
use crate::vault::now_ms;

pub struct Dao {
    pub id: i64,
    pub name: String,
    pub recipients: Vec<String>,
    pub endpoint: Option<String>,
    pub request: Option<Request>,
    pub request_text: Option<String>,
    pub request_sha256: Option<[u8; 32]>,
    pub pseudonym_key: Zeroizing<Vec<u8>>,
    pub created_ms: i64,
}

/// What `dao list` and `dao show` print (never the pseudonym key).
#[derive(Debug, Serialize)]
pub struct DaoInfo {
    pub name: String,
    pub recipients: Vec<String>,
    pub endpoint: Option<String>,
    pub request_sha256: Option<String>,
    pub created: String,
    pub contributions: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
}

pub struct NewDao<'a> {
    pub name: &'a str,
    pub recipients: Vec<String>,
    pub endpoint: Option<String>,
    pub request: Option<(Request, String)>,
}

pub fn validate_name(name: &str) -> Result<()> {
    let ok = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidDaoName { name: name.into() })
    }
}

/// Accepts https URLs, and http only to a loopback host (a local test server or proxy): a
/// bearer token must never cross a network in clear text.
pub fn validate_endpoint(url: &str) -> Result<String> {
    let invalid = |detail: &str| Error::InvalidEndpoint {
        url: url.into(),
        detail: detail.into(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("credentials do not belong in the URL"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a query or fragment is not allowed"));
    }
    match parsed.scheme() {
        "https" => {}
        "http" => {
            let loopback = match parsed.host() {
                Some(url::Host::Domain(d)) => d == "localhost",
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !loopback {
                return Err(invalid("plain http is allowed only for loopback addresses"));
            }
        }
        other => return Err(invalid(&format!("unsupported scheme {other}"))),
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

fn parse_recipient(r: &str) -> Result<String> {
    let parsed: age::x25519::Recipient =
        r.trim()
            .parse()
            .map_err(|e: &str| Error::InvalidRecipient {
                recipient: r.to_string(),
                detail: e.to_string(),
            })?;
    Ok(parsed.to_string())
}

/// Registers a DAO. Recipients and endpoint given as flags win over the request's.
pub fn add(conn: &Connection, new: NewDao<'_>) -> Result<Dao> {
    validate_name(new.name)?;
    let (request, request_text) = match new.request {
        Some((r, t)) => (Some(r), Some(t)),
        None => (None, None),
    };
    let mut recipients = new.recipients;
    if recipients.is_empty()
        && let Some(r) = &request
    {
        recipients = r.dao.recipients.clone();
    }
    let mut parsed = Vec::new();
    for r in &recipients {
        let p = parse_recipient(r)?;
        if !parsed.contains(&p) {
            parsed.push(p);
        }
    }
    if parsed.is_empty() {
        return Err(Error::NoRecipients {
            dao: new.name.into(),
        });
    }
    let endpoint = match new
        .endpoint
        .or_else(|| request.as_ref().and_then(|r| r.dao.endpoint.clone()))
    {
        Some(e) => Some(validate_endpoint(&e)?),
        None => None,
    };
    if find(conn, new.name)?.is_some() {
        return Err(Error::DaoExists {
            name: new.name.into(),
        });
    }
    let mut key = Zeroizing::new(vec![0u8; 32]);
    getrandom::fill(&mut key[..])
        .map_err(|e| Error::io("reading the system random source", std::io::Error::other(e)))?;
    let request_sha256 = request_text.as_deref().map(|t| sha256(t.as_bytes()));
    let now = now_ms();
    conn.execute(
        "INSERT INTO daos (name, recipients, endpoint, request, request_sha256, pseudonym_key, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (
            new.name,
            serde_json::to_string(&parsed).unwrap_or_default(),
            &endpoint,
            &request_text,
            request_sha256.as_ref().map(|h| &h[..]),
            &key[..],
            now,
        ),
    )?;
    Ok(Dao {
        id: conn.last_insert_rowid(),
        name: new.name.into(),
        recipients: parsed,
        endpoint,
        request,
        request_text,
        request_sha256,
        pseudonym_key: key,
        created_ms: now,
    })
}

const COLUMNS: &str =
    "id, name, recipients, endpoint, request, request_sha256, pseudonym_key, created_ms";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Dao> {
    let recipients: String = r.get(2)?;
    let request_text: Option<String> = r.get(4)?;
    let hash: Option<Vec<u8>> = r.get(5)?;
    Ok(Dao {
        id: r.get(0)?,
        name: r.get(1)?,
        recipients: serde_json::from_str(&recipients).unwrap_or_default(),
        endpoint: r.get(3)?,
        // Stored requests were validated when registered.
        request: request_text.as_deref().and_then(|t| request::parse(t).ok()),
        request_text,
        request_sha256: hash.and_then(|h| h.try_into().ok()),
        pseudonym_key: Zeroizing::new(r.get(6)?),
        created_ms: r.get(7)?,
    })
}

/// The registered (not removed) DAO called `name`, if any.
pub fn find(conn: &Connection, name: &str) -> Result<Option<Dao>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM daos WHERE name = ?1 AND removed_ms IS NULL"),
            [name],
            from_row,
        )
        .optional()?)
}

pub fn get(conn: &Connection, name: &str) -> Result<Dao> {
    find(conn, name)?.ok_or_else(|| Error::NoSuchDao { name: name.into() })
}

/// By row id, including removed DAOs (contributions refer to them).
pub fn get_by_id(conn: &Connection, id: i64) -> Result<Dao> {
    Ok(conn.query_row(
        &format!("SELECT {COLUMNS} FROM daos WHERE id = ?1"),
        [id],
        from_row,
    )?)
}

pub fn info(conn: &Connection, dao: &Dao, with_request: bool) -> Result<DaoInfo> {
    let contributions: i64 = conn.query_row(
        "SELECT count(*) FROM contributions WHERE dao_id = ?1",
        [dao.id],
        |r| r.get(0),
    )?;
    Ok(DaoInfo {
        name: dao.name.clone(),
        recipients: dao.recipients.clone(),
        endpoint: dao.endpoint.clone(),
        request_sha256: dao.request_sha256.map(|h| hex32(&h)),
        created: crate::output::rfc3339_ms(dao.created_ms),
        contributions,
        request: if with_request {
            dao.request.clone()
        } else {
            None
        },
    })
}

pub fn list(conn: &Connection) -> Result<Vec<Dao>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM daos WHERE removed_ms IS NULL ORDER BY name"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Removes a DAO. One that contributions refer to is kept as removed (the ledger still names
/// it) and its pseudonym secret is destroyed; otherwise its row is deleted.
pub fn remove(conn: &Connection, name: &str) -> Result<()> {
    let dao = get(conn, name)?;
    let used: i64 = conn.query_row(
        "SELECT count(*) FROM contributions WHERE dao_id = ?1",
        [dao.id],
        |r| r.get(0),
    )?;
    if used == 0 {
        conn.execute("DELETE FROM daos WHERE id = ?1", [dao.id])?;
    } else {
        conn.execute(
            "UPDATE daos SET removed_ms = ?2, pseudonym_key = zeroblob(32) WHERE id = ?1",
            (dao.id, now_ms()),
        )?;
    }
    Ok(())
}

/// A new DAO key pair for operators: the identity file text (as `age-keygen` writes it) and
/// the recipient to publish.
pub fn keygen() -> (Zeroizing<String>, String) {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let created = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now());
    let text = Zeroizing::new(format!(
        "# created: {created}\n# public key: {recipient}\n{}\n",
        identity.to_string().expose_secret()
    ));
    (text, recipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_https_or_loopback_http() {
        assert_eq!(
            validate_endpoint("https://dao.example/api/").unwrap(),
            "https://dao.example/api"
        );
        assert_eq!(
            validate_endpoint("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(validate_endpoint("http://[::1]:1/x").is_ok());
        assert!(validate_endpoint("http://localhost/x").is_ok());
        for (url, detail) in [
            (
                "http://dao.example/api",
                "plain http is allowed only for loopback addresses",
            ),
            (
                "https://user:pw@dao.example",
                "credentials do not belong in the URL",
            ),
            (
                "https://dao.example/?token=1",
                "a query or fragment is not allowed",
            ),
            ("ftp://dao.example", "unsupported scheme ftp"),
        ] {
            match validate_endpoint(url) {
                Err(Error::InvalidEndpoint { detail: d, .. }) => assert_eq!(d, detail, "{url}"),
                other => panic!("{url}: {:?}", other.map(|_| ())),
            }
        }
    }

    #[test]
    fn names_are_restricted() {
        assert!(validate_name("sleep-dao_2").is_ok());
        for bad in ["", "Sleep", "a/b", "../x", &"x".repeat(33)] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn keygen_writes_an_identity_age_can_parse() {
        let (text, recipient) = keygen();
        let ids = age::IdentityFile::from_buffer(text.as_bytes())
            .unwrap()
            .into_identities()
            .unwrap();
        assert_eq!(ids.len(), 1);
        assert!(recipient.starts_with("age1"));
        assert!(text.contains(&format!("# public key: {recipient}\n")));
    }
}
