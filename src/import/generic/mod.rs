//! Generic formats with a declarative mapping: `csv`, `json`, `ndjson`, `js-assignment`, `xml`.
//!
//! A spec rule with `format = "…"` is read by [`GenericDecoder`]: the format yields records
//! (CSV rows with their header, JSON objects at a path, …) and the rule's `[[files.samples]]`
//! and `[[files.events]]` mappings turn each record into samples and events. The mapping
//! language is documented in importers/README.md and parsed into [`Mapping`] here, strictly:
//! an unknown key in a user's spec is an error that names it.
//!
//! Every format streams: CSV row by row, JSON arrays element by element (serde's `SeqAccess`,
//! so a 1 GB `conversations.json` never sits in memory whole), NDJSON line by line.

mod formats;
mod mapping;

pub use mapping::{Mapping, Record as FieldRecord, parse_offset, resolve_zone, walk};

use std::io::{BufRead, Read};

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::pipeline::Decoder;
use crate::import::utf8::AfterBom;

pub const FORMATS: &[&str] = &["csv", "json", "ndjson", "js-assignment", "xml"];

/// Checks a rule's format options and mapping (when the spec is loaded).
pub fn validate(format: &str, table: &toml::Table) -> std::result::Result<(), String> {
    if !FORMATS.contains(&format) {
        return Err(format!(
            "unknown format {format:?} (known: {})",
            FORMATS.join(", ")
        ));
    }
    Mapping::parse(format, table).map(|_| ())
}

pub fn create(format: &str, ctx: &DecodeContext<'_>) -> Result<Box<dyn Decoder>> {
    let mapping = Mapping::parse(format, &ctx.rule.mapping).map_err(|e| Error::BadSpec {
        origin: ctx.spec.origin.clone(),
        detail: format!("files.{}: {e}", ctx.rule.name),
    })?;
    let zone = mapping.zone(ctx)?;
    Ok(Box::new(formats::GenericDecoder::new(
        format, mapping, zone, ctx,
    )))
}

/// The longest header line whose line ending [`csv_start`] looks at.
const MAX_HEADER_LINE: u64 = 1 << 20;

/// Reads a CSV file's header line and returns how much to add to the `csv` crate's record
/// line numbers, with a reader that yields the file again from the header on. With CRLF line
/// endings the crate counts one line fewer than there are (the first line's `\r\n` is not
/// counted), so locators would point one line too early. The header line is read whole (up to
/// 1 MiB) rather than looked for in the first buffer, which a short read can cut before its
/// end.
pub fn csv_start(input: &mut dyn BufRead) -> std::io::Result<(u64, AfterBom<'_>)> {
    let mut head = Vec::new();
    (&mut *input)
        .take(MAX_HEADER_LINE)
        .read_until(b'\n', &mut head)?;
    let crlf = u64::from(head.ends_with(b"\r\n"));
    Ok((crlf, std::io::Cursor::new(head).chain(input)))
}

#[cfg(test)]
mod tests {
    use crate::import::pipeline::DecodeError;
    use crate::model::Record;

    const SPEC: &str = r#"
id = "t"
name = "test"
version = "1.0.0"
reads = "x"
how_to_get = "x"

[[files]]
name = "json"
glob = ["*.json"]
format = "json"

[[files.events]]
kind = "note"
time = "t"
time_format = "epoch_ms"
original_id = "id"

[[files]]
name = "js"
glob = ["*.js"]
format = "js-assignment"

[[files.events]]
kind = "note"
time = "t"
time_format = "epoch_ms"
original_id = "id"
"#;

    /// (events read, whether the file read as complete).
    fn read(rule: usize, text: &str) -> (usize, bool) {
        let spec = crate::import::spec::parse(SPEC, "test").unwrap();
        let (records, end) =
            crate::fuzzing::decode(&spec, rule, "x", &Default::default(), text.as_bytes(), 7)
                .unwrap();
        let events = records
            .iter()
            .filter(|r| matches!(r, Record::Event { .. }))
            .count();
        if let Err(DecodeError::Fatal { message, .. }) = &end {
            assert!(message.starts_with("malformed JSON"), "{message}");
        }
        (events, end.is_ok())
    }

    /// Found by the json and js_assignment fuzz targets: whatever followed the first JSON
    /// value was ignored, so a second document, or a value cut short and glued to the rest of
    /// another, read as a complete file (the rest silently dropped).
    #[test]
    fn json_after_the_value_is_malformed_not_ignored() {
        let one = r#"[{"t": 1, "id": "a"}]"#;
        assert_eq!(read(0, one), (1, true));
        assert_eq!(read(0, &format!("{one}\n \r\n")), (1, true));
        assert_eq!(read(0, &format!("{one} {one}")), (1, false));
        assert_eq!(read(0, r#"{"t": 1, "id": "a"}, {"t": 2}"#), (1, false));
        assert_eq!(read(0, &format!("{one};")), (1, false));

        let js = format!("window.YTD.x.part0 = {one}");
        assert_eq!(read(1, &js), (1, true));
        assert_eq!(read(1, &format!("{js};\n")), (1, true));
        assert_eq!(read(1, &format!("{js} ; ")), (1, true));
        assert_eq!(read(1, &format!("{js};;")), (1, false));
        assert_eq!(read(1, &format!("{js} {one}")), (1, false));
        assert_eq!(read(1, &format!("{js}] }}")), (1, false));
        // A `;` inside a string, or inside the value, is not the statement's end.
        let semi = r#"window.x = [{"t": 1, "id": "a;b"}];"#;
        assert_eq!(read(1, semi), (1, true));
        assert!(!read(1, r#"window.x = [{"t": 1, "id": "a"};]"#).1);
    }
}
