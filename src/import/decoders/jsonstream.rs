//! Streaming JSON for decoders whose files are one big array of records.
//!
//! Fitbit's per-month files, Google Fit's `Data Points` and a FHIR Bundle's `entry` can each
//! run to hundreds of megabytes. [`stream`] hands a decoder the elements of one array — the
//! top level itself, or the value of one key of the top-level object — one at a time, and the
//! object's other fields whole, so memory is bounded by the largest single record, not the
//! file. A single value larger than the caller's limit stops the file with a clear error
//! instead of exhausting memory on a hostile input.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::import::pipeline::{DecodeError, DecodeResult};

/// What [`stream`] hands the caller, in file order.
pub enum Item {
    /// A top-level field other than the streamed array, with its whole value.
    Field(String, Json),
    /// One element of the streamed array (1-based index).
    Element(u64, Json),
}

/// Default limit for one record: far above any real one (an Apple DiagnosticReport with an
/// embedded PDF is a few MB), far below what would hurt.
pub const MAX_RECORD: u64 = 256 << 20;

/// Streams `input`: when the top level is an array, each element; when it is an object, each
/// field, except that the value of `array_key` (if it is an array) comes element by element.
/// `f` may stop the walk by returning an error, which is returned as is.
pub fn stream(
    input: &mut dyn BufRead,
    array_key: Option<&str>,
    max_record: u64,
    f: &mut dyn FnMut(Item) -> DecodeResult,
) -> DecodeResult {
    let counter = Rc::new(Counter {
        pos: Cell::new(0),
        mark: Cell::new(0),
        limit: max_record,
    });
    let reader = Counted {
        inner: input,
        counter: Rc::clone(&counter),
    };
    let mut state = State {
        f,
        stop: None,
        counter: Rc::clone(&counter),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    let result = Top {
        array_key,
        state: &mut state,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(stop) = state.stop.take() {
        return Err(stop);
    }
    result.map_err(|e| {
        let locator = format!("line {} column {}", e.line(), e.column());
        if e.is_io() && counter.exceeded() {
            DecodeError::fatal(
                locator,
                format!(
                    "a single record is larger than {} MiB; refusing to hold it in memory",
                    max_record >> 20
                ),
            )
        } else if e.is_eof() {
            DecodeError::fatal(
                locator,
                "the file ends in the middle of the JSON (truncated?)",
            )
        } else {
            DecodeError::fatal(locator, format!("malformed JSON: {e}"))
        }
    })
}

struct Counter {
    pos: Cell<u64>,
    mark: Cell<u64>,
    limit: u64,
}

impl Counter {
    /// Starts measuring a new record.
    fn mark(&self) {
        self.mark.set(self.pos.get());
    }
    fn exceeded(&self) -> bool {
        self.pos.get().saturating_sub(self.mark.get()) > self.limit
    }
}

/// Counts bytes, failing once the current record passes the limit.
struct Counted<'a> {
    inner: &'a mut dyn BufRead,
    counter: Rc<Counter>,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.counter.exceeded() {
            return Err(io::Error::other("record too large"));
        }
        let n = self.inner.read(buf)?;
        self.counter.pos.set(self.counter.pos.get() + n as u64);
        Ok(n)
    }
}

struct State<'f> {
    f: &'f mut dyn FnMut(Item) -> DecodeResult,
    stop: Option<DecodeError>,
    counter: Rc<Counter>,
}

impl State<'_> {
    fn give<E: de::Error>(&mut self, item: Item) -> Result<(), E> {
        if let Err(e) = (self.f)(item) {
            self.stop = Some(e);
            // Abort the parse at once; `stream` returns the stashed error.
            return Err(E::custom("stopped by the decoder"));
        }
        Ok(())
    }
}

struct Top<'k, 's, 'f> {
    array_key: Option<&'k str>,
    state: &'s mut State<'f>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        elements(self.state, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if Some(key.as_str()) == self.array_key {
                map.next_value_seed(MaybeArray {
                    key,
                    state: &mut *self.state,
                })?;
            } else {
                self.state.counter.mark();
                let v: Json = map.next_value()?;
                self.state.give(Item::Field(key, v))?;
            }
        }
        Ok(())
    }
}

fn elements<'de, A: SeqAccess<'de>>(state: &mut State<'_>, mut seq: A) -> Result<(), A::Error> {
    let mut n = 0u64;
    loop {
        state.counter.mark();
        let Some(v) = seq.next_element::<Json>()? else {
            return Ok(());
        };
        n += 1;
        state.give(Item::Element(n, v))?;
    }
}

/// The value of the streamed key: an array is streamed, anything else is a plain field.
struct MaybeArray<'s, 'f> {
    key: String,
    state: &'s mut State<'f>,
}

impl<'de> DeserializeSeed<'de> for MaybeArray<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for MaybeArray<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        elements(self.state, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = Json::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.state.give(Item::Field(self.key, v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.state
            .give(Item::Field(self.key, Json::String(v.into())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        self.state.give(Item::Field(self.key, Json::String(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.state.give(Item::Field(self.key, Json::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.state.give(Item::Field(self.key, v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.state.give(Item::Field(self.key, v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        let n = serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number);
        self.state.give(Item::Field(self.key, n))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.state.give(Item::Field(self.key, Json::Null))
    }
}

/// Reads newline-delimited JSON, one value per non-blank line (FHIR Bulk Data files). Each
/// line comes to `f` with its number: the value, or why it is not one (not JSON, not UTF-8),
/// so the caller can reject that line and go on.
pub fn ndjson(
    input: &mut dyn BufRead,
    max_record: u64,
    f: &mut dyn FnMut(u64, Result<Json, String>) -> DecodeResult,
) -> DecodeResult {
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        n += 1;
        let read = Read::take(&mut *input, max_record + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| DecodeError::fatal(format!("line {n}"), e.to_string()))?;
        if read == 0 {
            return Ok(());
        }
        if read as u64 > max_record && line.last() != Some(&b'\n') {
            return Err(DecodeError::fatal(
                format!("line {n}"),
                format!(
                    "a single line is larger than {} MiB; refusing to hold it in memory",
                    max_record >> 20
                ),
            ));
        }
        let text = match std::str::from_utf8(&line) {
            Ok(t) => t.trim(),
            Err(_) => {
                f(n, Err("the line is not UTF-8".into()))?;
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        f(
            n,
            serde_json::from_str::<Json>(text).map_err(|e| format!("not JSON: {e}")),
        )?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, key: Option<&str>, max: u64) -> (Vec<String>, DecodeResult) {
        let mut seen = Vec::new();
        let mut input = io::BufReader::new(text.as_bytes());
        let r = stream(&mut input, key, max, &mut |item| {
            seen.push(match item {
                Item::Field(k, v) => format!("{k}={v}"),
                Item::Element(n, v) => format!("#{n}={v}"),
            });
            Ok(())
        });
        (seen, r)
    }

    #[test]
    fn streams_arrays_and_fields() {
        let (seen, r) = collect(r#"[{"a":1}, 2, "x"]"#, None, MAX_RECORD);
        assert!(r.is_ok());
        assert_eq!(seen, ["#1={\"a\":1}", "#2=2", "#3=\"x\""]);
        let (seen, r) = collect(
            r#"{"resourceType":"Bundle","entry":[{"r":1},{"r":2}],"total":2,"link":[]}"#,
            Some("entry"),
            MAX_RECORD,
        );
        assert!(r.is_ok());
        assert_eq!(
            seen,
            [
                "resourceType=\"Bundle\"",
                "#1={\"r\":1}",
                "#2={\"r\":2}",
                "total=2",
                "link=[]"
            ]
        );
        // The streamed key with a non-array value is a plain field.
        let (seen, _) = collect(r#"{"entry":{"x":1}}"#, Some("entry"), MAX_RECORD);
        assert_eq!(seen, ["entry={\"x\":1}"]);
    }

    #[test]
    fn broken_and_oversized_input_is_fatal() {
        let (seen, r) = collect(r#"[{"a":1}, {"a":"#, None, MAX_RECORD);
        assert_eq!(seen, ["#1={\"a\":1}"]);
        assert!(
            matches!(r, Err(DecodeError::Fatal { ref message, .. }) if message.contains("truncated"))
        );
        let (_, r) = collect("[1] 2", None, MAX_RECORD);
        assert!(matches!(r, Err(DecodeError::Fatal { .. })));
        let big = format!("[\"{}\"]", "x".repeat(5000));
        let (_, r) = collect(&big, None, 1000);
        assert!(
            matches!(r, Err(DecodeError::Fatal { ref message, .. }) if message.contains("larger than")),
            "{r:?}"
        );
        // Many small records under the limit are fine whatever the file's size.
        let many = format!("[{}1]", "1,".repeat(3000));
        let (seen, r) = collect(&many, None, 1000);
        assert!(r.is_ok());
        assert_eq!(seen.len(), 3001);
    }

    #[test]
    fn ndjson_lines() {
        let mut input = io::BufReader::new("{\"a\":1}\n\nnope\n{\"a\":2}".as_bytes());
        let mut good = Vec::new();
        let mut bad = Vec::new();
        ndjson(&mut input, MAX_RECORD, &mut |n, v| {
            match v {
                Ok(v) => good.push((n, v)),
                Err(m) => bad.push((n, m)),
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[1].0, 4);
        assert_eq!(bad[0].0, 3);
    }
}
