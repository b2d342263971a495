//! Streaming readers for the generic formats, feeding records to the compiled mapping.

use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::mapping::{Compiled, Mapping, Record};
use crate::import::DecodeContext;
use crate::import::pipeline::{DecodeError, DecodeResult, Decoder, Emitter};
use crate::import::utf8::Utf8Repair;
use crate::time::Zone;

pub struct GenericDecoder {
    format: String,
    compiled: Option<Compiled>,
    error: Option<crate::error::Error>,
}

impl GenericDecoder {
    pub fn new(format: &str, mapping: Mapping, zone: Zone, ctx: &DecodeContext<'_>) -> Self {
        match Compiled::new(mapping, zone, ctx) {
            Ok(c) => GenericDecoder {
                format: format.to_string(),
                compiled: Some(c),
                error: None,
            },
            Err(e) => GenericDecoder {
                format: format.to_string(),
                compiled: None,
                error: Some(e),
            },
        }
    }
}

impl Decoder for GenericDecoder {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
        let Some(compiled) = self.compiled.as_mut() else {
            let msg = self
                .error
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default();
            return Err(DecodeError::fatal("spec", msg));
        };
        let mut input = crate::import::utf8::skip_bom(input)
            .map_err(|e| DecodeError::fatal("start of file", e.to_string()))?;
        let input: &mut dyn BufRead = &mut input;
        if self.format == "csv" {
            // The csv reader rejects a row that is not UTF-8 and goes on by itself.
            return csv_records(compiled, input, out);
        }
        let mut repaired = Utf8Repair::new(input);
        let input: &mut dyn BufRead = &mut repaired;
        let result = match self.format.as_str() {
            "ndjson" => ndjson_records(compiled, input, out),
            "json" => {
                let path = compiled.mapping.records.clone().unwrap_or_default();
                json_records(compiled, input, out, &path)
            }
            "js-assignment" => skip_assignment(input).and_then(|()| {
                let path = compiled.mapping.records.clone().unwrap_or_default();
                json_records(compiled, &mut StatementEnd::new(input), out, &path)
            }),
            "xml" => xml_records(compiled, input, out),
            other => Err(DecodeError::fatal(
                "spec",
                format!("unknown format {other}"),
            )),
        };
        out.report_repairs(&repaired.repairs, repaired.repair_count)?;
        result
    }
}

fn csv_records(c: &mut Compiled, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
    let mut line = Vec::new();
    for n in 0..c.mapping.skip_lines {
        line.clear();
        // Bounded: a "line" with no end must not fill memory.
        (&mut *input)
            .take(1 << 20)
            .read_until(b'\n', &mut line)
            .map_err(|e| DecodeError::fatal(format!("line {}", n + 1), e.to_string()))?;
    }
    let (crlf, input) = crate::import::generic::csv_start(input)
        .map_err(|e| DecodeError::fatal("start of file", e.to_string()))?;
    let delimiter = c
        .mapping
        .delimiter
        .as_deref()
        .and_then(|d| d.bytes().next())
        .unwrap_or(b',');
    // One row may not span more than MAX_RECORD bytes (a quote that never closes).
    let (input, record_start) =
        crate::import::limit::record_limit(input, crate::import::limit::MAX_RECORD);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| {
            DecodeError::fatal(
                format!("line {}", c.mapping.skip_lines + 1),
                format!("unreadable header: {e}"),
            )
        })?
        .clone();
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        index.entry(h.trim().to_string()).or_insert(i);
    }
    if c.mapping.strip_column_prefix {
        // After every full name, so that a column really called `start_time` wins.
        for (i, h) in headers.iter().enumerate() {
            if let Some((_, short)) = h.trim().rsplit_once('.') {
                index.entry(short.to_string()).or_insert(i);
            }
        }
    }
    let mut row = csv::StringRecord::new();
    let offset = c.mapping.skip_lines as u64 + crlf;
    loop {
        record_start.mark();
        match reader.read_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = row.position().map_or(0, |p| p.line()) + offset;
                c.apply(
                    &Record::Csv {
                        index: &index,
                        row: &row,
                    },
                    &format!("line {line}"),
                    out,
                )?;
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) + offset;
                match e.kind() {
                    csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. } => {
                        out.reject(format!("line {line}"), format!("unreadable row: {e}"), None)?;
                    }
                    _ => return Err(DecodeError::fatal(format!("line {line}"), e.to_string())),
                }
            }
        }
    }
}

fn ndjson_records(c: &mut Compiled, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
    let mut line = String::new();
    let mut n = 0u64;
    loop {
        line.clear();
        n += 1;
        match input.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                out.reject(format!("line {n}"), "line is not UTF-8", None)?;
                continue;
            }
            Err(e) => return Err(DecodeError::fatal(format!("line {n}"), e.to_string())),
        }
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Json>(&line) {
            Ok(v) => c.apply(&Record::Json(&v), &format!("line {n}"), out)?,
            Err(e) => out.reject(
                format!("line {n}"),
                format!("not JSON: {e}"),
                Some(line.clone()),
            )?,
        }
    }
}

/// `window.YTD.tweets.part0 = [ … ]`: skip everything up to and including the first `=`.
fn skip_assignment(input: &mut dyn BufRead) -> DecodeResult {
    let mut skipped = Vec::new();
    input
        .read_until(b'=', &mut skipped)
        .map_err(|e| DecodeError::fatal("start of file", e.to_string()))?;
    if skipped.last() != Some(&b'=') || skipped.len() > 4096 {
        return Err(DecodeError::fatal(
            "start of file",
            "no `window.… =` assignment: not a js-assignment file",
        ));
    }
    Ok(())
}

/// Streams the array at `path` element by element.
fn json_records(
    c: &mut Compiled,
    input: &mut dyn Read,
    out: &mut Emitter,
    path: &str,
) -> DecodeResult {
    let parts: Vec<String> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').map(str::to_string).collect()
    };
    let mut state = Stream {
        compiled: c,
        out,
        count: 0,
        stop: None,
        found: false,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    // After the value, only whitespace: a file with more (a second document, a value cut and
    // glued to another) is malformed, not complete (found by the json fuzz target).
    let result = AtPath {
        path: &parts,
        state: &mut state,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(stop) = state.stop.take() {
        return Err(stop);
    }
    if let Err(e) = result {
        return Err(DecodeError::fatal(
            format!("line {} column {}", e.line(), e.column()),
            format!("malformed JSON: {e}"),
        ));
    }
    if !state.found {
        return Err(DecodeError::fatal(
            "top level",
            format!("no array of records at {path:?}"),
        ));
    }
    Ok(())
}

/// js-assignment files end with the `;` of a JavaScript statement. This reader turns the
/// first `;` after the value (outside strings, at the top level) into a space, so that the
/// JSON reader can insist on nothing but whitespace after the value: `[…];` is complete,
/// `[…] [ …` or `{…} }` is not.
struct StatementEnd<'a> {
    inner: &'a mut dyn BufRead,
    depth: usize,
    in_string: bool,
    escaped: bool,
    started: bool,
    done: bool,
}

impl<'a> StatementEnd<'a> {
    fn new(inner: &'a mut dyn BufRead) -> Self {
        StatementEnd {
            inner,
            depth: 0,
            in_string: false,
            escaped: false,
            started: false,
            done: false,
        }
    }
}

impl Read for StatementEnd<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &mut buf[..n] {
            if self.done {
                break;
            }
            if self.in_string {
                match *b {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match *b {
                b'"' => {
                    self.in_string = true;
                    self.started = true;
                }
                b'{' | b'[' => {
                    self.depth += 1;
                    self.started = true;
                }
                b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                b';' if self.started && self.depth == 0 => {
                    *b = b' ';
                    self.done = true;
                }
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => self.started = true,
            }
        }
        Ok(n)
    }
}

struct Stream<'a, 'o> {
    compiled: &'a mut Compiled,
    out: &'o mut Emitter,
    count: u64,
    stop: Option<DecodeError>,
    found: bool,
}

struct AtPath<'p, 's, 'a, 'o> {
    path: &'p [String],
    state: &'s mut Stream<'a, 'o>,
}

impl<'de> DeserializeSeed<'de> for AtPath<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AtPath<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.path.split_first() else {
            // The records are the top level object itself: one record.
            let mut obj = serde_json::Map::new();
            while let Some((k, v)) = map.next_entry::<String, Json>()? {
                obj.insert(k, v);
            }
            self.state.found = true;
            let v = Json::Object(obj);
            if let Err(e) = self
                .state
                .compiled
                .apply(&Record::Json(&v), "record 1", self.state.out)
            {
                self.state.stop = Some(e);
            }
            return Ok(());
        };
        while let Some(key) = map.next_key::<String>()? {
            if &key == first && !self.state.found {
                map.next_value_seed(AtPath {
                    path: rest,
                    state: &mut *self.state,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if !self.path.is_empty() {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        }
        self.state.found = true;
        while let Some(v) = seq.next_element::<Json>()? {
            self.state.count += 1;
            if self.state.stop.is_some() {
                continue;
            }
            let locator = format!("record {}", self.state.count);
            if let Err(e) = self
                .state
                .compiled
                .apply(&Record::Json(&v), &locator, self.state.out)
            {
                self.state.stop = Some(e);
            }
        }
        Ok(())
    }
}

fn xml_records(c: &mut Compiled, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult {
    use quick_xml::events::Event as XmlEvent;
    let element = c.mapping.element.clone().unwrap_or_default();
    // One record (or, between records, one piece of markup) may not span more than
    // MAX_RECORD bytes: an attribute whose quote never closes would otherwise be read whole.
    let (input, record_start) =
        crate::import::limit::record_limit(input, crate::import::limit::MAX_RECORD);
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    let mut child: Option<String> = None;
    let mut depth = 0usize;
    let mut n = 0u64;
    loop {
        buf.clear();
        if current.is_none() {
            record_start.mark();
        }
        let pos = reader.buffer_position();
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| crate::import::decoders::xmlutil::malformed(&reader, e))?;
        let is_empty = matches!(ev, XmlEvent::Empty(_));
        match ev {
            XmlEvent::Start(e) | XmlEvent::Empty(e)
                if current.is_none() && e.name().as_ref() == element.as_str() =>
            {
                let mut fields = Vec::new();
                for a in e.attributes().with_checks(false).flatten() {
                    if let Ok(v) = crate::import::decoders::xmlutil::attr_value(&a) {
                        fields.push((a.key.as_ref().to_string(), v.into_owned()));
                    }
                }
                n += 1;
                if is_empty {
                    c.apply(&Record::Fields(&fields), &format!("byte {pos}"), out)?;
                } else {
                    current = Some(fields);
                    depth = 0;
                }
            }
            XmlEvent::Start(e) if current.is_some() => {
                depth += 1;
                child = Some(e.name().as_ref().to_string());
            }
            XmlEvent::Text(t) => {
                if let (Some(fields), Some(name)) = (current.as_mut(), child.as_ref()) {
                    fields.push((
                        name.clone(),
                        t.xml_content(quick_xml::XmlVersion::Implicit1_0)
                            .into_owned(),
                    ));
                }
            }
            XmlEvent::End(e) if current.is_some() => {
                if depth == 0 && e.name().as_ref() == element.as_str() {
                    let fields = current.take().unwrap_or_default();
                    c.apply(&Record::Fields(&fields), &format!("record {n}"), out)?;
                } else {
                    depth = depth.saturating_sub(1);
                    child = None;
                }
            }
            XmlEvent::Eof => return Ok(()),
            _ => {}
        }
    }
}
