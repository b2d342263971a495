//! Streaming JSON for decoders whose files are one big array of records.
//!
//! Fitbit's per-month files, Google Fit's `Data Points` and a FHIR Bundle's `entry` can each
//! run to hundreds of megabytes. [`stream`] hands a decoder the elements of one array — the
//! top level itself, or the value of one key of the top-level object — one at a time, and the
//! object's other fields whole, so memory is bounded by the largest single record, not the
//! file. A single value larger than the caller's limit stops the file with a clear error
//! instead of exhausting memory on a hostile input.
//!
//! A top-level array — the big files: X's `tweets.js` after its assignment, ChatGPT's
//! `conversations.json`, Fitbit's months — takes a fast path: a small scanner finds where each
//! element ends (tracking nesting and strings only, skipping string contents with `memchr`)
//! and serde_json parses the element's bytes as a slice. serde_json's reader-based parser pulls
//! its input one byte at a time through `io::Read`; on a 100 MB X archive that cost a third of
//! the import's CPU time. An object's fields go through serde's streaming visitor.
//!
//! Also here: [`read_assignment`] for `window.YTD.tweets.part0 = [ … ]` files and
//! [`read_document`] for files small by nature that need their whole structure.

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
    if first_byte(input)? == Some(b'[') {
        return split_top_level(input, max_record, &mut |n, v| f(Item::Element(n, v)));
    }
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

/// JSON's whitespace (RFC 8259): not the form feed that `u8::is_ascii_whitespace` also takes.
fn is_json_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Skips a byte order mark and whitespace; returns the next byte without consuming it.
pub fn first_byte(input: &mut dyn BufRead) -> Result<Option<u8>, DecodeError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let io = |e: std::io::Error| DecodeError::fatal("start of file", format!("unreadable: {e}"));
    // Bytes of a byte order mark consumed so far (the buffer may hold fewer than three).
    let mut bom = 0;
    loop {
        let buf = input.fill_buf().map_err(io)?;
        if bom > 0 && bom < BOM.len() && buf.first() != Some(&BOM[bom]) {
            // Its first bytes were consumed: no JSON starts like that (found by the
            // jsonstream fuzz target; the rest used to be read as if they were not there).
            return Err(DecodeError::fatal(
                "start of file",
                "malformed JSON: a broken byte order mark",
            ));
        }
        if buf.is_empty() {
            return Ok(None);
        }
        if bom < BOM.len() && buf[0] == BOM[bom] {
            input.consume(1);
            bom += 1;
            continue;
        }
        bom = BOM.len();
        match buf.iter().position(|b| !is_json_space(b)) {
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
    max_record: u64,
    f: &mut dyn FnMut(u64, Json) -> DecodeResult,
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
                format!(
                    "the file ends in the middle of the JSON (truncated?), after {count} records"
                ),
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
                if is_json_space(&b) {
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
            if element.len() as u64 > max_record {
                return Err(DecodeError::fatal(
                    format!("line {start_line}"),
                    format!(
                        "a single record is larger than {} MiB; refusing to hold it in memory",
                        max_record >> 20
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
                return end_of_array(input, line);
            }
            return Err(DecodeError::fatal(
                format!("line {line}"),
                "malformed JSON: an empty element in the array",
            ));
        }
        if element.len() as u64 > max_record {
            return Err(DecodeError::fatal(
                format!("line {start_line}"),
                format!(
                    "a single record is larger than {} MiB; refusing to hold it in memory",
                    max_record >> 20
                ),
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
        f(count, value)?;
        if b == b']' {
            return end_of_array(input, line);
        }
    }
}

/// After the closing `]`: only whitespace, and the `;` that ends a JavaScript statement, to
/// the end of the file (read, not held: the import reads the rest for its hash anyway).
fn end_of_array(input: &mut dyn BufRead, line: u64) -> DecodeResult {
    let mut semicolon = false;
    loop {
        let buf = input
            .fill_buf()
            .map_err(|e| DecodeError::fatal(format!("line {line}"), format!("unreadable: {e}")))?;
        if buf.is_empty() {
            return Ok(());
        }
        for &b in buf {
            if is_json_space(&b) {
                continue;
            }
            if b == b';' && !semicolon {
                semicolon = true;
                continue;
            }
            return Err(DecodeError::fatal(
                format!("line {line}"),
                "malformed JSON: trailing characters after the array",
            ));
        }
        let n = buf.len();
        input.consume(n);
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
    serde_json::from_slice(body).map_err(|e| {
        DecodeError::fatal(
            format!("line {} column {}", e.line(), e.column()),
            format!("malformed JSON: {e}"),
        )
    })
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
    Ok(lhs.trim_start_matches('\u{feff}').trim().to_string())
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

    /// The fast path agrees with serde_json on what the elements are, whatever the chunking.
    #[test]
    fn the_splitter_finds_every_element() {
        let text = "\u{feff} [ {\"s\": \"a ] , } \\\" [\", \"n\": [1, [2, {}]]},\n  \"x\" , 3.5,\ntrue, null, [] ,{} ];";
        let expected: Vec<Json> =
            serde_json::from_str(text.trim_start_matches('\u{feff}').trim_end_matches(';'))
                .unwrap();
        for cap in [1, 2, 3, 7, 64] {
            let mut got = Vec::new();
            let mut input = std::io::BufReader::with_capacity(cap, text.as_bytes());
            let r = stream(&mut input, None, MAX_RECORD, &mut |item| {
                if let Item::Element(_, v) = item {
                    got.push(v);
                }
                Ok(())
            });
            assert!(r.is_ok(), "{r:?}");
            assert_eq!(got, expected, "buffer of {cap}");
        }
        let (seen, r) = collect(" [ ] ", None, MAX_RECORD);
        assert!(seen.is_empty() && r.is_ok());
        for bad in [
            "[1,,2]",
            "[,1]",
            "[1, {\"a\": tru}]",
            "[1}]",
            "[1] x",
            "[1];;",
        ] {
            assert!(collect(bad, None, MAX_RECORD).1.is_err(), "{bad}");
        }
        let (seen, r) = collect("[1, {\"a\": tru}]", None, MAX_RECORD);
        assert_eq!(seen, ["#1=1"]);
        assert!(
            matches!(r, Err(DecodeError::Fatal { ref locator, ref message })
                if locator == "line 1" && message.starts_with("malformed JSON in record 2")),
            "{r:?}"
        );
    }

    /// Found by the jsonstream fuzz target (a differential against serde_json): the fast path
    /// took a form feed for whitespace, read past a byte order mark cut short, and looked for
    /// trailing characters in the first 4 KiB after the array only.
    #[test]
    fn the_fast_path_accepts_exactly_what_serde_json_accepts() {
        for bad in [
            "[\x0c1]",
            "\x0c[1]",
            "[1]\x0c",
            "[1,\x0c2]",
            "\u{feff}\u{feff}[1]",
        ] {
            assert!(collect(bad, None, MAX_RECORD).1.is_err(), "{bad:?}");
        }
        let far = format!("[1]{}x", " ".repeat(5000));
        assert!(collect(&far, None, MAX_RECORD).1.is_err());
        let far_ok = format!("[1]{};{}", " ".repeat(5000), "\n".repeat(5000));
        assert!(collect(&far_ok, None, MAX_RECORD).1.is_ok());
        for partial in [&b"\xEF\xBB[1]"[..], b"\xEF[1]", b"\xEF"] {
            let mut input = io::BufReader::new(partial);
            let r = stream(&mut input, None, MAX_RECORD, &mut |_| Ok(()));
            assert!(r.is_err(), "{partial:?}");
        }
        let (seen, r) = collect("\u{feff} \t\r\n[1]", None, MAX_RECORD);
        assert!(r.is_ok());
        assert_eq!(seen, ["#1=1"]);
    }

    #[test]
    fn a_stop_aborts_at_once() {
        let mut n = 0;
        let mut input = std::io::BufReader::new(&b"[1,2,3,4]"[..]);
        let r = stream(&mut input, None, MAX_RECORD, &mut |_| {
            n += 1;
            if n == 2 {
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
        let mut input = io::BufReader::new(&b"window.YTD.tweets.part0 = [1, 2];\n"[..]);
        assert_eq!(
            read_assignment(&mut input).unwrap(),
            "window.YTD.tweets.part0"
        );
        let (seen, r) = {
            let mut seen = Vec::new();
            let r = stream(&mut input, None, MAX_RECORD, &mut |item| {
                if let Item::Element(n, _) = item {
                    seen.push(n);
                }
                Ok(())
            });
            (seen, r)
        };
        assert_eq!(seen, [1, 2]);
        assert!(r.is_ok(), "{r:?}");
        let mut input = io::BufReader::new(&b"[1]"[..]);
        assert!(read_assignment(&mut input).is_err());
    }
}
