//! Which account an export belongs to: the spec's `[[account]]` rules.
//!
//! Rows are filed under a *source*, one per (importer, account): an X archive of `@alice` and
//! one of `@bob` imported into the same vault stay apart, and re-importing either dedupes only
//! within its own account. The account is read once per container (zip or folder), before the
//! importer reads its files, from a small file the export carries for the purpose (X's
//! `data/account.js`, Reddit's `statistics.csv`, ChatGPT's `user.json`). When the input is a
//! single file, a sibling with the rule's file name (e.g. `account.js` beside `tweets.js`) is
//! used. No rule, no file, or no value: the account is `""`; `--account` overrides all of it.

use std::io::Read;
use std::path::Path;

use serde_json::Value as Json;

use super::container::{Container, Entry};
use super::generic::FieldRecord;
use super::spec::{AccountRule, Importer};
use super::text::fix_mojibake;

/// Account files are small (X's account.js is under 1 KiB); anything bigger is not one.
const MAX_ACCOUNT_FILE: u64 = 4 << 20;

/// The account rows are filed under, as found in the export.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct AccountInfo {
    /// `sources.account` (`""` when unknown).
    pub account: String,
    pub display_name: Option<String>,
    /// Extra values for `sources.attrs` (X's numeric account id).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub attrs: serde_json::Map<String, Json>,
    /// The member it was read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

impl AccountInfo {
    pub fn named(account: impl Into<String>) -> Self {
        AccountInfo {
            account: account.into(),
            ..Default::default()
        }
    }

    /// A value of `attrs` as text (`account_id`).
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).and_then(Json::as_str)
    }
}

/// Resolves the account of `container` for `importer`. Problems (an unreadable or malformed
/// account file) are returned as warnings; the import goes on under the next rule or `""`.
pub fn resolve(
    importer: &Importer,
    c: &mut Container,
    entries: &[Entry],
    warnings: &mut Vec<String>,
) -> AccountInfo {
    for (rule, globs) in importer.spec.account.iter().zip(&importer.account_globs) {
        let bytes = match c {
            Container::File { path } => sibling(path, rule),
            _ => {
                let Some(entry) = entries.iter().find(|e| globs.is_match(&e.member)) else {
                    continue;
                };
                match read_small(c, entry) {
                    Ok(b) => Some((entry.member.clone(), b)),
                    Err(msg) => {
                        warnings.push(format!(
                            "{}: {}: cannot read the account from it ({msg})",
                            importer.spec.id, entry.member
                        ));
                        continue;
                    }
                }
            }
        };
        let Some((member, bytes)) = bytes else {
            continue;
        };
        match extract(rule, &bytes) {
            Ok(Some(mut info)) => {
                info.from = Some(member);
                return info;
            }
            Ok(None) => warnings.push(format!(
                "{}: {member} names no account at {}",
                importer.spec.id,
                rule.name.join(" or ")
            )),
            Err(msg) => warnings.push(format!(
                "{}: {member}: cannot read the account from it ({msg})",
                importer.spec.id
            )),
        }
    }
    AccountInfo::default()
}

/// For a single-file input: the rule's file name (the last part of a glob without wildcards)
/// in the same directory.
fn sibling(path: &Path, rule: &AccountRule) -> Option<(String, Vec<u8>)> {
    let dir = path.parent()?;
    for pattern in &rule.file {
        let name = pattern.rsplit('/').next()?;
        if name.is_empty() || name.contains(['*', '?', '[', '{']) {
            continue;
        }
        let candidate = dir.join(name);
        if candidate == path || !candidate.is_file() {
            continue;
        }
        let mut buf = Vec::new();
        let f = std::fs::File::open(&candidate).ok()?;
        f.take(MAX_ACCOUNT_FILE + 1).read_to_end(&mut buf).ok()?;
        if buf.len() as u64 > MAX_ACCOUNT_FILE {
            return None;
        }
        return Some((name.to_string(), buf));
    }
    None
}

fn read_small(c: &mut Container, entry: &Entry) -> Result<Vec<u8>, String> {
    if entry.size > MAX_ACCOUNT_FILE {
        return Err(format!(
            "{} bytes is too large for an account file",
            entry.size
        ));
    }
    let mut budget = MAX_ACCOUNT_FILE + 1;
    let reader = c
        .open_entry(entry, &mut budget)
        .map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    reader
        .take(MAX_ACCOUNT_FILE + 1)
        .read_to_end(&mut buf)
        .map_err(|e| e.to_string())?;
    if buf.len() as u64 > MAX_ACCOUNT_FILE {
        return Err("too large for an account file".into());
    }
    Ok(buf)
}

/// Applies one rule to the bytes of its file: `Ok(None)` when the file has no value there.
pub fn extract(rule: &AccountRule, bytes: &[u8]) -> Result<Option<AccountInfo>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match rule.format.as_str() {
        "json" | "js-assignment" => {
            let body = if rule.format == "js-assignment" {
                let eq = memchr::memchr(b'=', bytes).ok_or("no `window.… =` assignment")?;
                &bytes[eq + 1..]
            } else {
                bytes
            };
            // Deserialize one value and ignore what follows (a trailing `;`).
            let mut de = serde_json::Deserializer::from_slice(body);
            let v: Json = serde::Deserialize::deserialize(&mut de)
                .map_err(|e| format!("malformed JSON: {e}"))?;
            Ok(from_record(rule, &FieldRecord::Json(&v)))
        }
        "csv" => {
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
            let headers = reader
                .headers()
                .map_err(|e| format!("unreadable header: {e}"))?
                .clone();
            let index: std::collections::HashMap<String, usize> = headers
                .iter()
                .enumerate()
                .map(|(i, h)| (h.trim().to_string(), i))
                .collect();
            for row in reader.records() {
                let row = row.map_err(|e| format!("unreadable row: {e}"))?;
                let rec = FieldRecord::Csv {
                    index: &index,
                    row: &row,
                };
                let wanted = match &rule.row {
                    None => true,
                    Some(r) => text(rec.get(&r.field)).as_deref() == Some(r.equals.as_str()),
                };
                if wanted {
                    return Ok(from_record(rule, &rec));
                }
            }
            Ok(None)
        }
        other => Err(format!("unknown account format {other:?}")),
    }
}

fn text(v: Option<Json>) -> Option<String> {
    match v? {
        Json::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn from_record(rule: &AccountRule, rec: &FieldRecord<'_>) -> Option<AccountInfo> {
    let repair = |s: String| {
        if rule.mojibake {
            fix_mojibake(&s).into_owned()
        } else {
            s
        }
    };
    let first = |paths: &[String]| paths.iter().find_map(|p| text(rec.get(p))).map(repair);
    let account = first(&rule.name)?;
    let mut attrs = serde_json::Map::new();
    for (k, path) in &rule.attrs {
        if let Some(v) = text(rec.get(path)) {
            attrs.insert(k.clone(), Json::String(repair(v)));
        }
    }
    Some(AccountInfo {
        account,
        display_name: first(&rule.display_name),
        attrs,
        from: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(toml_text: &str) -> AccountRule {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn js_assignment_with_fallback_paths_and_attrs() {
        let r = rule(
            r#"file = ["**/account.js"]
format = "js-assignment"
name = ["0.account.handle", "0.account.username"]
display_name = "0.account.accountDisplayName"
attrs = { account_id = "0.account.accountId" }"#,
        );
        let bytes = br#"window.YTD.account.part0 = [ { "account" : { "username" : "simonw", "accountId" : "12497", "accountDisplayName" : "Simon Willison" } } ];"#;
        let info = extract(&r, bytes).unwrap().unwrap();
        assert_eq!(info.account, "simonw");
        assert_eq!(info.display_name.as_deref(), Some("Simon Willison"));
        assert_eq!(info.attr("account_id"), Some("12497"));
        assert_eq!(extract(&r, b"window.YTD.account.part0 = []").unwrap(), None);
        assert!(extract(&r, b"window.YTD.account.part0 = [ {").is_err());
    }

    #[test]
    fn csv_key_value_rows() {
        let r = rule(
            r#"file = ["**/statistics.csv"]
format = "csv"
name = "value"
row = { field = "statistic", equals = "account name" }"#,
        );
        let bytes =
            "\u{feff}statistic,value\nexport time,2023-05-02 06:57:14 UTC\naccount name,xavdid\n";
        let info = extract(&r, bytes.as_bytes()).unwrap().unwrap();
        assert_eq!(info.account, "xavdid");
        assert_eq!(
            extract(&r, b"statistic,value\nis_deleted,False\n").unwrap(),
            None
        );
    }

    #[test]
    fn mojibake_names_are_repaired() {
        let r = rule(
            r#"file = ["**/profile_information.json"]
format = "json"
name = "profile_v2.name.full_name"
mojibake = true"#,
        );
        let bytes = br#"{"profile_v2": {"name": {"full_name": "Zo\u00c3\u00ab Example"}}}"#;
        assert_eq!(extract(&r, bytes).unwrap().unwrap().account, "Zoë Example");
    }
}
