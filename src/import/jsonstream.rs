//! Streaming JSON for decoders: arrays element by element, never the whole file.
//!
//! Exports put their records in one big array: at the top level (ChatGPT's
//! `conversations.json`, X's `window.YTD.tweets.part0 = [ … ]` after the assignment) or under
//! a key of a top-level object (Facebook's `{"comments_v2": [ … ]}`). [`stream_array`] hands
//! each element to a callback as a `serde_json::Value` and forgets it, so memory is bounded by
//! the largest single record, not by the file. A malformed element is a fatal error at its
//! line and column (JSON cannot be resynchronized after a syntax error); everything before it
//! has been handed over already.

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
        assert!(err.starts_with("line 2 column"), "{err}");
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
