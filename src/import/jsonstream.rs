//! Streaming JSON for decoders: arrays element by element, never the whole file.
//!
//! Exports put their records in one big array: at the top level (ChatGPT's
//! `conversations.json`, X's `window.YTD.tweets.part0 = [ … ]` after the assignment) or under
//! a key of a top-level object (Facebook's `{"comments_v2": [ … ]}`). [`stream_array`] hands
//! each element to a callback as a `serde_json::Value` and forgets it, so memory is bounded by
//! the largest single record, not by the file. A malformed element is a fatal error at its
//! line (JSON cannot be resynchronized after a syntax error); everything before it has been
//! handed over already.
//!
//! A top-level array — the big files — takes a fast path: a small scanner finds where each
//! element ends (tracking nesting and strings only) and serde_json parses the element's bytes
//! as a slice. serde_json's reader-based parser pulls the input one byte at a time through
//! `io::Read` and spends most of its time doing that; parsing slices is several times faster.
//! Arrays under a key of an object go through serde's streaming visitor.

use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::import::pipeline::{DecodeError, DecodeResult};

/// Where [`stream_array`] found the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The top level is the array.
    TopLevel,
    /// Under this key of the top-level object.
    Key(String),
    /// No array at the top level or under any of the keys.
    Nothing,
}

/// Streams the elements of the top-level array, or of the array under the first of `keys`
/// present in a top-level object. `f` gets each element and its 1-based index.
pub fn stream_array(
    input: &mut dyn BufRead,
    keys: &[&str],
    f: &mut dyn FnMut(Json, u64) -> DecodeResult,
) -> Result<Found, DecodeError> {
    if first_byte(input)? == Some(b'[') {
        return split_top_level(input, f).map(|()| Found::TopLevel);
    }
    let mut state = State {
        f,
        stop: None,
        found: Found::Nothing,
        count: 0,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = Top {
        keys,
        state: &mut state,
    }
    .deserialize(&mut de);
    if let Some(stop) = state.stop.take() {
        return Err(stop);
    }
    result.map_err(|e| malformed(&e))?;
    Ok(state.found)
}

/// A single element larger than this is not a record of any export trove reads.
const MAX_ELEMENT: usize = 256 << 20;

/// Skips a byte order mark and whitespace; returns the next byte without consuming it.
fn first_byte(input: &mut dyn BufRead) -> Result<Option<u8>, DecodeError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let io = |e: std::io::Error| DecodeError::fatal("start of file", format!("unreadable: {e}"));
    // Bytes of a byte order mark consumed so far (the buffer may hold fewer than three).
    let mut bom = 0;
    loop {
        let buf = input.fill_buf().map_err(io)?;
        if buf.is_empty() {
            return Ok(None);
        }
        if bom < BOM.len() && buf[0] == BOM[bom] {
            input.consume(1);
            bom += 1;
            continue;
        }
        bom = BOM.len();
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                input.consume(i);
                return Ok(Some(b));
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// The fast path for a top-level array (see the module doc). `input` is at its `[`.
///
/// Only structure is tracked: nesting depth outside strings, and where strings end (skipped
/// with `memchr`, since most bytes of a record are inside strings). serde_json then parses
/// and validates each element's bytes.
fn split_top_level(
    input: &mut dyn BufRead,
    f: &mut dyn FnMut(Json, u64) -> DecodeResult,
) -> DecodeResult {
    input.consume(1);
    let mut element: Vec<u8> = Vec::with_capacity(64 * 1024);
    let mut started = false; // the current element has begun (its first byte was seen)
    let mut depth = 0usize; // nesting inside the current element
    let mut in_string = false;
    let mut escaped = false; // a backslash ended the previous chunk inside a string
    let mut line = 1u64; // line of the start of the current chunk
    let mut start_line = 1u64; // where the current element starts
    let mut count = 0u64;
    let lines_in = |bytes: &[u8]| memchr::memchr_iter(b'\n', bytes).count() as u64;
    loop {
        let buf = input
            .fill_buf()
            .map_err(|e| DecodeError::fatal(format!("line {line}"), format!("unreadable: {e}")))?;
        let n = buf.len();
        if n == 0 {
            return Err(DecodeError::fatal(
                format!("line {line}"),
                format!("malformed JSON: the file ends inside the array, after {count} records"),
            ));
        }
        let mut i = 0;
        let mut seg = 0; // start of the bytes of `buf` not yet copied into `element`
        // Where in `buf` an element (or the array) ended, and with which byte.
        let mut ended: Option<(usize, u8)> = None;
        if escaped {
            escaped = false;
            i = 1;
        }
        while i < n {
            if in_string {
                match memchr::memchr2(b'"', b'\\', &buf[i..]) {
                    None => i = n,
                    Some(k) if buf[i + k] == b'\\' => {
                        if i + k + 1 < n {
                            i += k + 2;
                        } else {
                            escaped = true;
                            i = n;
                        }
                    }
                    Some(k) => {
                        in_string = false;
                        i += k + 1;
                    }
                }
                continue;
            }
            let b = buf[i];
            if depth == 0 && (b == b',' || b == b']') {
                ended = Some((i, b));
                break;
            }
            if !started {
                if b.is_ascii_whitespace() {
                    i += 1;
                    seg = i;
                    continue;
                }
                started = true;
                start_line = line + lines_in(&buf[..i]);
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1).ok_or_else(|| {
                        DecodeError::fatal(
                            format!("line {}", line + lines_in(&buf[..i])),
                            "malformed JSON: unbalanced brackets",
                        )
                    })?
                }
                _ => {}
            }
            i += 1;
        }
        let Some((at, b)) = ended else {
            element.extend_from_slice(&buf[seg..n]);
            line += lines_in(buf);
            input.consume(n);
            if element.len() > MAX_ELEMENT {
                return Err(DecodeError::fatal(
                    format!("line {start_line}"),
                    format!(
                        "record {} is larger than {} MiB: not a record of this export",
                        count + 1,
                        MAX_ELEMENT >> 20
                    ),
                ));
            }
            continue;
        };
        element.extend_from_slice(&buf[seg..at]);
        line += lines_in(&buf[..=at]);
        input.consume(at + 1);
        if !started {
            // `[]` is an empty array; anything else without an element is malformed.
            if b == b']' && count == 0 {
                return Ok(());
            }
            return Err(DecodeError::fatal(
                format!("line {line}"),
                "malformed JSON: an empty element in the array",
            ));
        }
        count += 1;
        let value: Json = serde_json::from_slice(&element).map_err(|e| {
            DecodeError::fatal(
                format!("line {}", start_line + e.line() as u64 - 1),
                format!("malformed JSON in record {count}: {e}"),
            )
        })?;
        element.clear();
        started = false;
        f(value, count)?;
        if b == b']' {
            return Ok(());
        }
    }
}

/// Reads one whole JSON document of at most `max` bytes (for files that are small by nature,
/// like one Messenger thread, whose structure needs the whole object).
pub fn read_document(input: &mut dyn BufRead, max: u64) -> Result<Json, DecodeError> {
    let mut buf = Vec::new();
    input
        .take(max + 1)
        .read_to_end(&mut buf)
        .map_err(|e| DecodeError::fatal("start of file", format!("unreadable: {e}")))?;
    if buf.len() as u64 > max {
        return Err(DecodeError::fatal(
            "start of file",
            format!(
                "larger than {} MiB, more than one file of this kind ever holds: not read",
                max >> 20
            ),
        ));
    }
    let body = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
    serde_json::from_slice(body).map_err(|e| malformed(&e))
}

/// Consumes `window.YTD.tweets.part0 =` (anything up to the first `=`, at most 4 KiB) and
/// returns the left-hand side, trimmed.
pub fn read_assignment(input: &mut dyn BufRead) -> Result<String, DecodeError> {
    let mut lhs = Vec::new();
    input
        .take(4096)
        .read_until(b'=', &mut lhs)
        .map_err(|e| DecodeError::fatal("start of file", e.to_string()))?;
    if lhs.last() != Some(&b'=') {
        return Err(DecodeError::fatal(
            "start of file",
            "no `window.… =` assignment: not an X archive data file",
        ));
    }
    lhs.pop();
    let lhs = String::from_utf8_lossy(&lhs);
    Ok(lhs
        .trim_start_matches('\u{feff}')
        .trim()
        .to_string())
}

fn malformed(e: &serde_json::Error) -> DecodeError {
    DecodeError::fatal(
        format!("line {} column {}", e.line(), e.column()),
        format!("malformed JSON: {e}"),
    )
}

struct State<'f> {
    f: &'f mut dyn FnMut(Json, u64) -> DecodeResult,
    stop: Option<DecodeError>,
    found: Found,
    count: u64,
}

impl State<'_> {
    fn elements<'de, A: SeqAccess<'de>>(&mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Json>()? {
            self.count += 1;
            if let Err(e) = (self.f)(v, self.count) {
                self.stop = Some(e);
                // Abort the parse: nothing after a stop is wanted.
                return Err(A::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

struct Top<'k, 's, 'f> {
    keys: &'k [&'k str],
    state: &'s mut State<'f>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array or object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.state.found = Found::TopLevel;
        self.state.elements(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if self.state.found == Found::Nothing && self.keys.contains(&key.as_str()) {
                map.next_value_seed(Inner {
                    state: &mut *self.state,
                    key,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The value under a wanted key: streamed if it is an array, skipped otherwise.
struct Inner<'s, 'f> {
    state: &'s mut State<'f>,
    key: String,
}

impl<'de> DeserializeSeed<'de> for Inner<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Inner<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.state.found = Found::Key(self.key);
        self.state.elements(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, keys: &[&str]) -> (Vec<Json>, Result<Found, String>) {
        let mut got = Vec::new();
        let mut input = std::io::BufReader::new(text.as_bytes());
        let r = stream_array(&mut input, keys, &mut |v, _| {
            got.push(v);
            Ok(())
        });
        (
            got,
            r.map_err(|e| match e {
                DecodeError::Fatal { locator, message } => format!("{locator}: {message}"),
                DecodeError::Stopped => "stopped".into(),
            }),
        )
    }

    #[test]
    fn top_level_and_keyed_arrays() {
        let (v, r) = collect(r#"[{"a":1},{"a":2}]"#, &[]);
        assert_eq!(v.len(), 2);
        assert_eq!(r, Ok(Found::TopLevel));
        let (v, r) = collect(
            r#"{"x": {"big": [1,2]}, "comments": "no", "comments_v2": [{"c":1}], "after": 1}"#,
            &["comments", "comments_v2"],
        );
        assert_eq!(v, [serde_json::json!({"c": 1})]);
        assert_eq!(r, Ok(Found::Key("comments_v2".into())));
        let (v, r) = collect(r#"{"other": []}"#, &["comments"]);
        assert!(v.is_empty());
        assert_eq!(r, Ok(Found::Nothing));
    }

    #[test]
    fn truncated_keeps_what_came_before_and_says_where() {
        let (v, r) = collect("[{\"a\":1},\n{\"a\":", &[]);
        assert_eq!(v.len(), 1);
        let err = r.unwrap_err();
        assert!(err.starts_with("line 2: malformed JSON: the file ends"), "{err}");
        let (v, r) = collect("{\"k\": [{\"a\":1},\n{\"a\":", &["k"]);
        assert_eq!(v.len(), 1);
        let err = r.unwrap_err();
        assert!(err.starts_with("line 2 column"), "{err}");
    }

    /// The fast path agrees with serde_json on what the elements are, whatever the chunking.
    #[test]
    fn the_splitter_finds_every_element() {
        let text = "\u{feff} [ {\"s\": \"a ] , } \\\" [\", \"n\": [1, [2, {}]]},\n  \"x\" , 3.5,\ntrue, null, [] ,{} ];";
        let expected: Vec<Json> = serde_json::from_str(
            text.trim_start_matches('\u{feff}').trim_end_matches(';'),
        )
        .unwrap();
        for cap in [1, 2, 3, 7, 64] {
            let mut got = Vec::new();
            let mut input = std::io::BufReader::with_capacity(cap, text.as_bytes());
            let r = stream_array(&mut input, &[], &mut |v, _| {
                got.push(v);
                Ok(())
            });
            assert_eq!(r.unwrap(), Found::TopLevel);
            assert_eq!(got, expected, "buffer of {cap}");
        }
        let (v, r) = collect(" [ ] ", &[]);
        assert!(v.is_empty());
        assert_eq!(r, Ok(Found::TopLevel));
        for bad in ["[1,,2]", "[,1]", "[1, {\"a\": tru}]", "[1}]"] {
            assert!(collect(bad, &[]).1.is_err(), "{bad}");
        }
        let (v, r) = collect("[1, {\"a\": tru}]", &[]);
        assert_eq!(v.len(), 1);
        assert!(r.unwrap_err().starts_with("line 1: malformed JSON in record 2"));
    }

    #[test]
    fn a_stop_aborts_at_once() {
        let mut n = 0;
        let mut input = std::io::BufReader::new(&b"[1,2,3,4]"[..]);
        let r = stream_array(&mut input, &[], &mut |_, i| {
            n += 1;
            if i == 2 {
                Err(DecodeError::Stopped)
            } else {
                Ok(())
            }
        });
        assert!(matches!(r, Err(DecodeError::Stopped)));
        assert_eq!(n, 2);
    }

    #[test]
    fn assignments() {
        let mut input = std::io::BufReader::new(&b"window.YTD.tweets.part0 = [1]"[..]);
        assert_eq!(read_assignment(&mut input).unwrap(), "window.YTD.tweets.part0");
        let mut rest = String::new();
        input.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, " [1]");
        let mut input = std::io::BufReader::new(&b"[1]"[..]);
        assert!(read_assignment(&mut input).is_err());
    }
}
