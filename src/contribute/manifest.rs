//! `manifest.json`: what a package is, who made it for whom, what it holds, and how it was
//! redacted. Its exact bytes are signed ([`crate::contribute::sign`]); docs/CONTRIBUTION-FORMAT.md
//! documents every field. Unknown fields are refused when reading, except inside
//! `extensions`, which is reserved for later additions (a wallet binding, a Vana export).

use serde::{Deserialize, Serialize};

use crate::contribute::plan::{Redactions, Selection};
use crate::contribute::select::ImporterVersion;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub id: String,
    pub created: String,
    pub dao: ManifestDao,
    pub contributor: Contributor,
    pub selection: Selection,
    pub redactions: Redactions,
    pub consent: Option<ConsentRecord>,
    pub files: Vec<FileEntry>,
    pub records: u64,
    pub start: Option<String>,
    pub end: Option<String>,
    pub importers: Vec<ImporterVersion>,
    pub tool: Tool,
    #[serde(default)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestDao {
    pub name: String,
    pub recipients: Vec<String>,
    pub request_sha256: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contributor {
    /// The minisign public key (base64 of `Ed ‖ key id ‖ Ed25519 key`) that signed this.
    pub public_key: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentRecord {
    pub purpose: String,
    pub consent_sha256: Option<String>,
    pub consent_version: Option<String>,
    pub terms: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub table: String,
    pub media_type: String,
    pub fields: Vec<String>,
    pub records: u64,
    pub bytes: u64,
    pub sha256: String,
    pub start: Option<String>,
    pub end: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Manifest {
    /// The bytes that are written to `manifest.json` and signed.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest always serializes");
        bytes.push(b'\n');
        bytes
    }
}

/// The trusted comment of the manifest's minisign signature: one line of canonical JSON
/// binding the contribution id, the DAO and the manifest's hash.
pub fn trusted_comment(id: &str, dao: &str, created: &str, manifest_sha256: &str) -> String {
    serde_json::json!({
        "v": 1,
        "contribution_id": id,
        "dao": dao,
        "created": created,
        "manifest_sha256": manifest_sha256,
    })
    .to_string()
}
