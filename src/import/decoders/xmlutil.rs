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

/// An attribute's value with entities and character references resolved.
pub fn attr_value<'a>(attr: &Attribute<'a>) -> Result<Cow<'a, str>, String> {
    if !attr.value.contains('&') {
        return Ok(attr.value.clone());
    }
    attr.normalized_value(XmlVersion::Implicit1_0)
        .map_err(|e| format!("attribute {}: {e}", attr.key.as_ref()))
}

/// Collects an element's attributes as (name, value) pairs.
pub fn attrs<'a>(e: &'a BytesStart<'a>) -> Result<Vec<(&'a str, Cow<'a, str>)>, String> {
    let mut out = Vec::with_capacity(12);
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
