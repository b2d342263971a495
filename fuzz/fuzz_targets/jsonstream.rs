//! The streaming JSON reader of the Rust decoders (src/import/decoders/jsonstream.rs), checked
//! against serde_json parsing the whole document:
//!
//! * a top-level array (optionally followed by the `;` of a JavaScript statement): `stream`
//!   succeeds exactly when serde_json accepts the document, and yields exactly its elements,
//!   in order. This is the hand-written fast path (a byte scanner that finds where each
//!   element ends), so the comparison is what proves it;
//! * a top-level object: exactly its fields in order (duplicates included), the array under
//!   the streamed key element by element;
//! * anything else is an error; and with a small per-record limit, no panic;
//! * all of it whatever the read buffer's size.
#![no_main]

use std::fmt;

use libfuzzer_sys::fuzz_target;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use trove::import::decoders::jsonstream::{self, Item, MAX_RECORD};

#[derive(Debug, PartialEq)]
enum Got {
    Field(String, Value),
    Element(u64, Value),
}

fn run(bytes: &[u8], key: Option<&str>, capacity: usize, max: u64) -> (Vec<Got>, bool) {
    let mut input = std::io::BufReader::with_capacity(capacity, Chunks(bytes, capacity));
    let mut got = Vec::new();
    let r = jsonstream::stream(&mut input, key, max, &mut |item| {
        got.push(match item {
            Item::Field(k, v) => Got::Field(k, v),
            Item::Element(n, v) => Got::Element(n, v),
        });
        Ok(())
    });
    (got, r.is_ok())
}

/// At most `.1` bytes per read.
struct Chunks<'a>(&'a [u8], usize);

impl std::io::Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.1).min(self.0.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

/// The reference: what the whole document says, or None when it is not acceptable.
/// `Err(())` means serde_json hit its recursion limit, where the fast path (which parses each
/// element on its own, one level down) legitimately accepts one level more.
fn reference(bytes: &[u8], key: Option<&str>) -> Result<Option<Vec<Got>>, ()> {
    let doc = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let is_ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let start = doc.iter().position(|b| !is_ws(b));
    let Some(start) = start else {
        return Ok(None); // empty: no top level at all
    };
    let limit = |e: &serde_json::Error| e.to_string().contains("recursion limit exceeded");
    if doc[start] == b'[' {
        // `[ … ]`, then whitespace and at most one `;`.
        let mut end = doc.len();
        while end > 0 && is_ws(&doc[end - 1]) {
            end -= 1;
        }
        if end > 0 && doc[end - 1] == b';' {
            end -= 1;
        }
        return match serde_json::from_slice::<Vec<Value>>(&doc[..end]) {
            Ok(v) => Ok(Some(
                v.into_iter()
                    .enumerate()
                    .map(|(i, v)| Got::Element(i as u64 + 1, v))
                    .collect(),
            )),
            Err(e) if limit(&e) => Err(()),
            Err(_) => Ok(None),
        };
    }
    if doc[start] != b'{' {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_slice(doc);
    let mut out = Vec::new();
    match (Fields { key, out: &mut out })
        .deserialize(&mut de)
        .and_then(|()| de.end())
    {
        Ok(()) => Ok(Some(out)),
        Err(e) if limit(&e) => Err(()),
        Err(_) => Ok(None),
    }
}

/// Collects an object's fields in order, duplicates included.
struct Fields<'k, 'o> {
    key: Option<&'k str>,
    out: &'o mut Vec<Got>,
}

impl<'de> DeserializeSeed<'de> for Fields<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(k) = map.next_key::<String>()? {
            let v: Value = map.next_value()?;
            match v {
                Value::Array(items) if Some(k.as_str()) == self.key => {
                    for (i, v) in items.into_iter().enumerate() {
                        self.out.push(Got::Element(i as u64 + 1, v));
                    }
                }
                v => self.out.push(Got::Field(k, v)),
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(serde::de::Error::custom("not an object"))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&[mode, cap], bytes)) = data.split_first_chunk::<2>() else {
        return;
    };
    let key = match mode & 3 {
        0 => None,
        1 => Some("entry"),
        2 => Some("data"),
        _ => Some(""),
    };
    let capacity = usize::from(cap) + 1;
    if mode & 4 != 0 {
        // A small per-record limit: the limit paths must fail cleanly.
        let _ = run(bytes, key, capacity, u64::from(mode >> 3));
        return;
    }
    let (got, ok) = run(bytes, key, capacity, MAX_RECORD);
    let (big, big_ok) = run(bytes, key, 64 * 1024, MAX_RECORD);
    assert_eq!(ok, big_ok, "result depends on the read buffer");
    assert_eq!(got, big, "items depend on the read buffer");
    match reference(bytes, key) {
        Err(()) => {}
        Ok(None) => assert!(!ok, "accepted a document serde_json rejects: {got:?}"),
        Ok(Some(expected)) => {
            assert!(ok, "rejected a document serde_json accepts: {expected:?}");
            assert_eq!(got, expected);
        }
    }
});
