//! HTTP for API pulls: bearer authentication, bounded answers, retries with backoff.
//!
//! Network failures, 408, 429 and 5xx answers are retried with exponential backoff (the base
//! delay doubles per attempt, capped), and a `Retry-After` header (seconds or an HTTP date) is
//! honoured up to the same cap. 401 and 403 are never retried: the token is wrong and retrying
//! only hammers the service. Other answers fail the request at once.
//!
//! The token is sent only in the `Authorization` header, marked sensitive, only over HTTPS (or
//! plain HTTP to a loopback address, for tests), never across a redirect, and it is scrubbed
//! from every message this module produces, even if a server echoes it back.

use std::io::Read;
use std::time::Duration;

use reqwest::blocking::Client as HttpClient;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue, RETRY_AFTER};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The largest answer read (a year of sleep periods with their series is a few MB).
pub const MAX_BODY: u64 = 256 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// The first retry's delay; each later one doubles it.
    pub base: Duration,
    /// No wait is longer, whatever the backoff or `Retry-After` says.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base: Duration::from_secs(1),
            max_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The defaults, with `TROVE_RETRY_BASE_MS` and `TROVE_RETRY_MAX_MS` overriding the base
    /// delay and the cap (the test suite makes them tiny so that retries cost nothing).
    pub fn from_env() -> Self {
        let ms = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_millis)
        };
        let mut p = RetryPolicy::default();
        if let Some(b) = ms("TROVE_RETRY_BASE_MS") {
            p.base = b;
        }
        if let Some(m) = ms("TROVE_RETRY_MAX_MS") {
            p.max_wait = m;
        }
        p
    }

    /// The wait before retry number `retry` (1 = the first retry).
    pub fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self
            .base
            .saturating_mul(1u32 << (retry.saturating_sub(1)).min(16));
        retry_after.unwrap_or(backoff).min(self.max_wait)
    }
}

/// `Retry-After`: delay seconds, or an HTTP date (RFC 9110) relative to `now`.
pub fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(v).ok()?.timestamp();
    let ms = when.as_millisecond() - now.as_millisecond();
    Some(Duration::from_millis(ms.max(0) as u64))
}

/// Why a request failed.
#[derive(Debug)]
pub enum Failure {
    /// 401 or 403: the token is refused.
    Auth { status: u16 },
    /// An answer that retrying will not change (another 4xx, a redirect, an oversized body).
    Rejected { detail: String },
    /// Network failures, 429 and 5xx that outlasted the retries.
    Unavailable { detail: String },
}

pub struct Client {
    http: HttpClient,
    base: reqwest::Url,
    token: Zeroizing<String>,
    retry: RetryPolicy,
    /// Requests sent, retries included.
    pub requests: u64,
}

impl Client {
    /// A client for `base` (`https://…`, or `http://` to a loopback address).
    pub fn new(base: &str, token: Zeroizing<String>, retry: RetryPolicy) -> Result<Client> {
        let url = reqwest::Url::parse(base.trim_end_matches('/')).map_err(|e| Error::Usage {
            message: format!("the API address {base:?} is not a URL: {e}"),
            hint: None,
        })?;
        let host = url.host_str().unwrap_or("").trim_matches(['[', ']']);
        let loopback = match host.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => host.eq_ignore_ascii_case("localhost"),
        };
        if !(url.scheme() == "https" || (url.scheme() == "http" && loopback)) {
            return Err(Error::Usage {
                message: format!("refusing to send the access token to {base}"),
                hint: Some(
                    "the API address must be https:// (plain http only to a loopback address)"
                        .into(),
                ),
            });
        }
        let http = HttpClient::builder()
            .connect_timeout(Duration::from_secs(20))
            .timeout(Duration::from_secs(300))
            .user_agent(concat!("trove/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::ApiUnavailable {
                service: "http",
                what: "setting up the HTTP client".into(),
                detail: e.to_string(),
            })?;
        Ok(Client {
            http,
            base: url,
            token,
            retry,
            requests: 0,
        })
    }

    /// `path` with `query`, for messages (the token is never part of a URL).
    pub fn describe(&self, path: &str, query: &[(&str, String)]) -> String {
        let q: Vec<String> = query
            .iter()
            .filter(|(k, _)| *k != "next_token")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if q.is_empty() {
            format!("GET {path}")
        } else {
            format!("GET {path}?{}", q.join("&"))
        }
    }

    /// Removes the token from a message, whatever put it there.
    fn scrub(&self, text: &str) -> String {
        let t = self.token.as_str();
        let clean = if t.len() >= 4 {
            text.replace(t, "[token]")
        } else {
            text.to_string()
        };
        crate::output::sanitize(&clean)
    }

    /// GETs `path` with `query`, retrying as the module says; returns the body of a 2xx.
    pub fn get(
        &mut self,
        path: &str,
        query: &[(&str, String)],
        on_retry: &mut dyn FnMut(&str),
    ) -> std::result::Result<Vec<u8>, Failure> {
        let mut url = self.base.clone();
        url.set_path(&format!(
            "{}{}",
            self.base.path().trim_end_matches('/'),
            path
        ));
        url.query_pairs_mut().clear().extend_pairs(query.iter());
        if query.is_empty() {
            url.set_query(None);
        }
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", self.token.as_str())).map_err(|_| {
                Failure::Rejected {
                    detail: "the access token contains characters a token cannot have".into(),
                }
            })?;
        auth.set_sensitive(true);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            self.requests += 1;
            let sent = self
                .http
                .get(url.clone())
                .header(AUTHORIZATION, auth.clone())
                .header(ACCEPT, "application/json")
                .send();
            let (detail, retry_after) = match sent {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, jiff::Timestamp::now()));
                    match status {
                        200..=299 => return self.body(resp),
                        401 | 403 => return Err(Failure::Auth { status }),
                        408 | 429 | 500..=599 => {
                            (format!("HTTP {status}{}", self.excerpt(resp)), retry_after)
                        }
                        300..=399 => {
                            return Err(Failure::Rejected {
                                detail: format!("HTTP {status}: redirects are not followed"),
                            });
                        }
                        _ => {
                            return Err(Failure::Rejected {
                                detail: format!("HTTP {status}{}", self.excerpt(resp)),
                            });
                        }
                    }
                }
                Err(e) => (self.scrub(&error_chain(&e)), None),
            };
            if attempt >= self.retry.attempts {
                return Err(Failure::Unavailable {
                    detail: format!("{detail} (after {attempt} attempts)"),
                });
            }
            let wait = self.retry.delay(attempt, retry_after);
            on_retry(&format!(
                "{detail}; retrying in {:.1} s (attempt {} of {})",
                wait.as_secs_f64(),
                attempt + 1,
                self.retry.attempts
            ));
            std::thread::sleep(wait);
            if crate::interrupt::requested() {
                return Err(Failure::Unavailable {
                    detail: "interrupted".into(),
                });
            }
        }
    }

    fn body(&self, resp: reqwest::blocking::Response) -> std::result::Result<Vec<u8>, Failure> {
        let mut body = Vec::new();
        resp.take(MAX_BODY + 1)
            .read_to_end(&mut body)
            .map_err(|e| Failure::Unavailable {
                detail: format!("reading the answer: {}", self.scrub(&e.to_string())),
            })?;
        if body.len() as u64 > MAX_BODY {
            return Err(Failure::Rejected {
                detail: format!("the answer is larger than {} MiB", MAX_BODY >> 20),
            });
        }
        Ok(body)
    }

    /// `: <first line of the body>`, short and scrubbed, for messages.
    fn excerpt(&self, resp: reqwest::blocking::Response) -> String {
        let mut text = String::new();
        let _ = resp.take(4096).read_to_string(&mut text);
        let line = text.lines().map(str::trim).find(|l| !l.is_empty());
        match line {
            Some(l) => format!(
                ": {}",
                crate::import::pipeline::truncate(&self.scrub(l), 160)
            ),
            None => String::new(),
        }
    }
}

fn error_chain(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !msg.contains(&t) {
            msg = format!("{msg}: {t}");
        }
        src = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(100),
            max_wait: Duration::from_millis(350),
        };
        assert_eq!(p.delay(1, None), Duration::from_millis(100));
        assert_eq!(p.delay(2, None), Duration::from_millis(200));
        assert_eq!(p.delay(3, None), Duration::from_millis(350));
        assert_eq!(p.delay(40, None), Duration::from_millis(350));
    }

    #[test]
    fn retry_after_wins_over_backoff_up_to_the_cap() {
        let p = RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(1),
            max_wait: Duration::from_secs(60),
        };
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now: jiff::Timestamp = "2015-10-21T07:27:30Z".parse().unwrap();
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(Duration::from_secs(30))
        );
        // A date in the past means "now".
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn the_token_goes_only_to_https_or_loopback() {
        let t = || Zeroizing::new("tok".to_string());
        assert!(Client::new("https://api.ouraring.com", t(), RetryPolicy::default()).is_ok());
        assert!(Client::new("http://127.0.0.1:8080", t(), RetryPolicy::default()).is_ok());
        assert!(Client::new("http://[::1]:8080/", t(), RetryPolicy::default()).is_ok());
        assert!(Client::new("http://localhost:1", t(), RetryPolicy::default()).is_ok());
        assert!(Client::new("http://api.ouraring.com", t(), RetryPolicy::default()).is_err());
        assert!(Client::new("ftp://127.0.0.1", t(), RetryPolicy::default()).is_err());
    }
}
