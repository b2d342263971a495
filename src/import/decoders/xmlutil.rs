//! Helpers shared by the XML decoders (quick-xml).
//!
//! Entities: quick-xml never expands a DTD's entities, and attribute values are unescaped
//! with the five predefined XML entities and character references only. An unknown `&name;`
//! is an error for that record (counted and reported), never an expansion: no billion laughs,
//! no external entity reads.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::QName;

use crate::import::pipeline::DecodeError;

/// The fatal error of XML that cannot be read on: where it broke and why.
pub fn malformed<R>(reader: &quick_xml::Reader<R>, e: impl std::fmt::Display) -> DecodeError {
    DecodeError::fatal(
        format!("byte {}", reader.error_position()),
        format!("malformed XML: {e}"),
    )
}

/// An attribute's value with entities and character references resolved.
pub fn attr_value<'a>(attr: &Attribute<'a>) -> Result<Cow<'a, str>, String> {
    if !attr.value.contains('&') {
        return Ok(attr.value.clone());
    }
    attr.normalized_value(XmlVersion::Implicit1_0)
        .map_err(|e| format!("attribute {}: {e}", attr.key.as_ref()))
}

/// Calls `f` with each (name, raw value) attribute of a tag's attribute text
/// (`BytesStart::attributes_raw`), splitting it exactly as quick-xml's
/// `attributes().with_checks(false)` does, and returns true; returns false, having called `f`
/// for a prefix of the attributes at most, where quick-xml would report an error (a name
/// without `=`, a value without quotes or without its closing quote). Values are still
/// escaped.
///
/// Why not quick-xml's iterator: an Apple Health export is millions of `Record` tags of eight
/// attributes each, and this loop over bytes splits them in a third of the time (the iterator
/// keeps a recovery state machine and builds an `Attribute` per pair). A test holds the two
/// to the same output on generated tags.
pub fn raw_attrs<'a>(raw: &'a str, mut f: impl FnMut(&'a str, &'a str)) -> bool {
    let b = raw.as_bytes();
    let n = b.len();
    let class = |i: usize| CLASS[b[i] as usize];
    let mut i = 0;
    loop {
        while i < n && class(i) == WS {
            i += 1;
        }
        if i == n {
            return true;
        }
        // The name's first character is taken whatever it is (even `=`), as quick-xml does.
        let key_start = i;
        i += 1;
        while i < n && class(i) == OTHER {
            i += 1;
        }
        let key_end = i;
        while i < n && class(i) == WS {
            i += 1;
        }
        if i == n || b[i] != b'=' {
            return false;
        }
        i += 1;
        while i < n && class(i) == WS {
            i += 1;
        }
        if i == n || (b[i] != b'"' && b[i] != b'\'') {
            return false;
        }
        let quote = b[i];
        i += 1;
        let Some(len) = memchr::memchr(quote, &b[i..]) else {
            return false;
        };
        // Every index here is at an ASCII byte or just after one: a char boundary.
        f(&raw[key_start..key_end], &raw[i..i + len]);
        i += len + 1;
    }
}

/// Byte classes of [`raw_attrs`]: XML's whitespace as quick-xml has it, `=`, anything else.
const OTHER: u8 = 0;
const WS: u8 = 1;
const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    t[b' ' as usize] = WS;
    t[b'\t' as usize] = WS;
    t[b'\n' as usize] = WS;
    t[b'\r' as usize] = WS;
    t[b'=' as usize] = 2;
    t
};

/// Collects an element's attributes as (name, value) pairs.
pub fn attrs<'a>(e: &'a BytesStart<'a>) -> Result<Vec<(&'a str, Cow<'a, str>)>, String> {
    let mut out = Vec::with_capacity(12);
    let mut unescape_failed = None;
    let fast = raw_attrs(e.attributes_raw(), |key, raw| {
        if unescape_failed.is_some() {
            return;
        }
        let a = Attribute {
            key: QName(key),
            value: Cow::Borrowed(raw),
        };
        match attr_value(&a) {
            Ok(value) => out.push((key, value)),
            Err(e) => unescape_failed = Some(e),
        }
    });
    if let Some(e) = unescape_failed {
        return Err(e);
    }
    if fast {
        return Ok(out);
    }
    // Malformed: quick-xml's iterator says how.
    out.clear();
    for a in e.attributes().with_checks(false) {
        let a = a.map_err(|err| format!("malformed attribute: {err}"))?;
        let key = a.key.into_inner();
        let value = attr_value(&a)?;
        // SAFETY of lifetimes: `a.key` borrows from `e`, which outlives the result.
        out.push((key, value));
    }
    Ok(out)
}

pub fn get<'v>(attrs: &'v [(&str, Cow<'_, str>)], name: &str) -> Option<&'v str> {
    attrs
        .iter()
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// quick-xml's split of `raw`, up to its first error: (pairs, whether it ended cleanly).
    fn quick_xml(raw: &str) -> (Vec<(String, String)>, bool) {
        let e = BytesStart::from_content(format!("Record{raw}"), "Record".len());
        let mut out = Vec::new();
        for a in e.attributes().with_checks(false) {
            match a {
                Ok(a) => out.push((a.key.into_inner().to_string(), a.value.to_string())),
                Err(_) => return (out, false),
            }
        }
        (out, true)
    }

    fn fast(raw: &str) -> (Vec<(String, String)>, bool) {
        let mut out = Vec::new();
        let ok = raw_attrs(raw, |k, v| out.push((k.to_string(), v.to_string())));
        (out, ok)
    }

    #[test]
    fn raw_attrs_splits_exactly_as_quick_xml() {
        for raw in [
            "",
            " ",
            r#" type="HKQuantityTypeIdentifierHeartRate" sourceName="Jane’s Watch" value="61""#,
            r#" a='1' b="2""#,
            r#" a = "1"	b ="2"
 c= '3'"#,
            r#" a="1"b="2""#,
            r#" a="x'y" b='x"y'"#,
            r#" a="&amp;&lt;" b="""#,
            " a",
            " a ",
            " a=",
            " a= ",
            " a=1",
            r#" a="1"#,
            r#" a="1" b"#,
            r#" "a"="b""#,
            r#" a=="b""#,
        ] {
            assert_eq!(fast(raw), quick_xml(raw), "{raw:?}");
        }
        // Generated tags over the characters that matter to the grammar.
        let alphabet = [
            " ", "\t", "\n", "\r", "=", "\"", "'", "a", "b", "é", "&", "<", "/",
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 24) as usize;
            let mut raw = String::from(" ");
            let mut y = x;
            for _ in 0..len {
                y = y
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                raw.push_str(alphabet[(y >> 33) as usize % alphabet.len()]);
            }
            assert_eq!(fast(&raw), quick_xml(&raw), "{raw:?}");
        }
    }
}
