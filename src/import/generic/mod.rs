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

use crate::error::{Error, Result};
use crate::import::DecodeContext;
use crate::import::pipeline::Decoder;

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

/// How much to add to the `csv` crate's record line numbers. With CRLF line endings it counts
/// one line fewer than there are (the first line's `\r\n` is not counted), so locators would
/// point one line too early. `head` is the start of the file, after any BOM.
pub fn csv_line_correction(head: &[u8]) -> u64 {
    match memchr::memchr(b'\n', head) {
        Some(i) if i > 0 && head[i - 1] == b'\r' => 1,
        _ => 0,
    }
}
