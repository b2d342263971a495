//! Ed25519 signatures in minisign's format, so the stock `minisign -V` (and any minisign
//! library) can check what trove signs.
//!
//! A signature file is four lines:
//!
//! ```text
//! untrusted comment: <free text>
//! base64("ED" ‖ key id (8) ‖ Ed25519(BLAKE2b-512(message)) (64))
//! trusted comment: <one line>
//! base64(Ed25519(signature (64) ‖ trusted comment))
//! ```
//!
//! trove writes the prehashed `ED` variant (minisign's default since 0.8) and reads both `ED`
//! and the legacy `Ed` (signature over the raw message). Verification uses
//! `verify_strict`, which rejects malleable and small-order signatures.

use base64::Engine;
use blake2::Digest;
use ed25519_dalek::{Signature, Signer, VerifyingKey};

use crate::keys::VaultKeys;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Signs `message`; returns the text of a `.minisig` file.
pub fn sign(keys: &VaultKeys, message: &[u8], trusted_comment: &str, untrusted: &str) -> String {
    debug_assert!(!trusted_comment.contains('\n') && !untrusted.contains('\n'));
    let prehash = blake2::Blake2b512::digest(message);
    let sig = keys.signing.sign(&prehash);
    let mut sig_line = Vec::with_capacity(74);
    sig_line.extend_from_slice(b"ED");
    sig_line.extend_from_slice(&keys.key_id);
    sig_line.extend_from_slice(&sig.to_bytes());
    let mut global = Vec::with_capacity(64 + trusted_comment.len());
    global.extend_from_slice(&sig.to_bytes());
    global.extend_from_slice(trusted_comment.as_bytes());
    let global_sig = keys.signing.sign(&global);
    format!(
        "untrusted comment: {untrusted}\n{}\ntrusted comment: {trusted_comment}\n{}\n",
        B64.encode(sig_line),
        B64.encode(global_sig.to_bytes())
    )
}

/// A minisign public key: key id and Ed25519 key.
pub struct PublicKey {
    pub key_id: [u8; 8],
    pub key: VerifyingKey,
}

/// Parses a minisign public key: the base64 line (`RW…`), or a whole `.pub` file.
pub fn parse_public_key(text: &str) -> Result<PublicKey, String> {
    let line = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("untrusted comment:"))
        .unwrap_or("");
    let bytes = B64
        .decode(line)
        .map_err(|_| "the public key is not valid base64".to_string())?;
    if bytes.len() != 42 || &bytes[..2] != b"Ed" {
        return Err("the public key is not a minisign Ed25519 public key".into());
    }
    let key_id: [u8; 8] = bytes[2..10].try_into().expect("length checked");
    let pk: [u8; 32] = bytes[10..42].try_into().expect("length checked");
    let key = VerifyingKey::from_bytes(&pk)
        .map_err(|_| "the public key is not a valid Ed25519 point".to_string())?;
    Ok(PublicKey { key_id, key })
}

/// Checks a `.minisig` over `message` with `public_key`; returns the trusted comment.
/// Every failure is a precise, user-facing reason.
pub fn verify(public_key: &PublicKey, message: &[u8], sig_text: &str) -> Result<String, String> {
    let mut lines = sig_text.split('\n');
    let untrusted = lines.next().unwrap_or("");
    if !untrusted.starts_with("untrusted comment:") {
        return Err("the signature file does not start with an untrusted comment".into());
    }
    let sig_b64 = lines.next().unwrap_or("").trim_end_matches('\r');
    let trusted = lines.next().unwrap_or("").trim_end_matches('\r');
    let global_b64 = lines.next().unwrap_or("").trim_end_matches('\r');
    let rest: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    if !rest.is_empty() {
        return Err("the signature file has extra lines".into());
    }
    let trusted = trusted
        .strip_prefix("trusted comment: ")
        .ok_or_else(|| "the signature file has no trusted comment".to_string())?;
    let sig_bytes = B64
        .decode(sig_b64)
        .map_err(|_| "the signature is not valid base64".to_string())?;
    if sig_bytes.len() != 74 {
        return Err("the signature has the wrong length".into());
    }
    let prehashed = match &sig_bytes[..2] {
        b"ED" => true,
        b"Ed" => false,
        _ => return Err("the signature uses an unknown algorithm".into()),
    };
    if sig_bytes[2..10] != public_key.key_id {
        return Err(format!(
            "the signature was made by key {}, not by the contributor's key {}",
            hex::encode_upper(key_id_le(&sig_bytes[2..10])),
            hex::encode_upper(key_id_le(&public_key.key_id))
        ));
    }
    let sig = Signature::from_slice(&sig_bytes[10..74])
        .map_err(|_| "the signature is malformed".to_string())?;
    let ok = if prehashed {
        let prehash = blake2::Blake2b512::digest(message);
        public_key.key.verify_strict(&prehash, &sig)
    } else {
        public_key.key.verify_strict(message, &sig)
    };
    ok.map_err(|_| "the signature does not match the signed file".to_string())?;
    let global_bytes = B64
        .decode(global_b64)
        .map_err(|_| "the trusted comment's signature is not valid base64".to_string())?;
    let global = Signature::from_slice(&global_bytes)
        .map_err(|_| "the trusted comment's signature is malformed".to_string())?;
    let mut signed = Vec::with_capacity(64 + trusted.len());
    signed.extend_from_slice(&sig_bytes[10..74]);
    signed.extend_from_slice(trusted.as_bytes());
    public_key
        .key
        .verify_strict(&signed, &global)
        .map_err(|_| "the trusted comment was changed after signing".to_string())?;
    Ok(trusted.to_string())
}

/// minisign prints key ids as the little-endian u64, in upper-case hex.
fn key_id_le(id: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.reverse();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> VaultKeys {
        VaultKeys::generate().unwrap()
    }

    #[test]
    fn round_trip_and_tampering() {
        let k = keys();
        let pk = parse_public_key(&k.minisign_public_key()).unwrap();
        let sig = sign(&k, b"hello", r#"{"v":1}"#, "trove");
        assert_eq!(verify(&pk, b"hello", &sig).unwrap(), r#"{"v":1}"#);
        assert_eq!(
            verify(&pk, b"hellO", &sig).unwrap_err(),
            "the signature does not match the signed file"
        );
        let forged = sig.replace(r#"{"v":1}"#, r#"{"v":2}"#);
        assert_eq!(
            verify(&pk, b"hello", &forged).unwrap_err(),
            "the trusted comment was changed after signing"
        );
        let other = parse_public_key(&keys().minisign_public_key()).unwrap();
        assert!(
            verify(&other, b"hello", &sig)
                .unwrap_err()
                .starts_with("the signature was made by key ")
        );
    }

    #[test]
    fn the_minisign_verify_crate_accepts_our_signatures() {
        let k = keys();
        let sig = sign(&k, b"some manifest bytes", "trusted line", "untrusted line");
        let pk = minisign_verify::PublicKey::from_base64(&k.minisign_public_key()).unwrap();
        let s = minisign_verify::Signature::decode(&sig).unwrap();
        pk.verify(b"some manifest bytes", &s, false).unwrap();
        assert_eq!(s.trusted_comment(), "trusted line");
        assert!(pk.verify(b"other bytes", &s, false).is_err());
    }
}
