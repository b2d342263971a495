//! Repairs for text as exports write it.
//!
//! * **Mojibake** ([`fix_mojibake`]): Meta's "Download your information" JSON writes every
//!   string as its UTF-8 *bytes*, each escaped as a code point (`"Zo\u00c3\u00ab"` for "Zoë").
//!   Read as JSON, that is Latin-1 garbage; taking the code points back as bytes and decoding
//!   them as UTF-8 restores the text. The repair is applied only where it is unambiguous: every
//!   character below U+0100 and the bytes valid UTF-8. Text that was written correctly (a real
//!   "é" is the single byte E9, never valid UTF-8 on its own) or that already contains wider
//!   characters is left exactly as it is, so applying the repair twice changes nothing.
//! * **HTML entities** ([`unescape_html`]): X writes tweet text with `&amp;`, `&lt;` and `&gt;`
//!   escaped, as its API does; only those three are decoded (X escapes nothing else, and a
//!   general decoder would change text like `&copy;` that the author typed literally).

use std::borrow::Cow;

/// Undoes Meta's Latin-1 escaping of UTF-8 bytes (see the module doc).
pub fn fix_mojibake(s: &str) -> Cow<'_, str> {
    // ASCII needs no repair, and anything beyond U+00FF cannot be an escaped byte.
    if s.is_ascii() || s.chars().any(|c| c as u32 > 0xFF) {
        return Cow::Borrowed(s);
    }
    let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => Cow::Owned(fixed),
        Err(_) => Cow::Borrowed(s),
    }
}

/// Repairs every string (and object key) in a JSON value in place.
pub fn fix_mojibake_json(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) => {
            if let Cow::Owned(fixed) = fix_mojibake(s) {
                *s = fixed;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_mojibake_json),
        serde_json::Value::Object(map) => {
            if map.keys().any(|k| !k.is_ascii()) {
                let old = std::mem::take(map);
                for (k, mut v) in old {
                    fix_mojibake_json(&mut v);
                    map.insert(fix_mojibake(&k).into_owned(), v);
                }
            } else {
                map.values_mut().for_each(fix_mojibake_json);
            }
        }
        _ => {}
    }
}

/// Decodes `&amp;`, `&lt;` and `&gt;` (see the module doc).
pub fn unescape_html(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (ch, len) = if tail.starts_with("&amp;") {
            ('&', 5)
        } else if tail.starts_with("&lt;") {
            ('<', 4)
        } else if tail.starts_with("&gt;") {
            ('>', 4)
        } else {
            ('&', 1)
        };
        out.push(ch);
        rest = &tail[len..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired_once_and_only_where_unambiguous() {
        // What json parsing makes of Meta's "Zo\u00c3\u00ab" and "\u00f0\u009f\u0098\u0082".
        assert_eq!(fix_mojibake("Zo\u{c3}\u{ab}"), "Zoë");
        assert_eq!(fix_mojibake("\u{f0}\u{9f}\u{98}\u{82}"), "😂");
        assert_eq!(
            fix_mojibake("Hvorn\u{c3}\u{a5}r \u{e2}\u{80}\u{93} nu"),
            "Hvornår – nu"
        );
        // Already right: left alone (idempotent).
        assert_eq!(fix_mojibake("Zoë"), "Zoë");
        assert_eq!(fix_mojibake("café ☕"), "café ☕");
        assert_eq!(fix_mojibake("plain"), "plain");
        assert!(matches!(fix_mojibake("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn mojibake_in_nested_json() {
        let mut v = serde_json::json!({
            "sender_name": "Zo\u{c3}\u{ab}",
            "reactions": [{"reaction": "\u{e2}\u{9d}\u{a4}", "actor": "Ren\u{c3}\u{a9}"}],
            "n": 1
        });
        fix_mojibake_json(&mut v);
        assert_eq!(
            v,
            serde_json::json!({
                "sender_name": "Zoë",
                "reactions": [{"reaction": "❤", "actor": "René"}],
                "n": 1
            })
        );
    }

    #[test]
    fn html_entities_x_escapes() {
        assert_eq!(unescape_html("a &amp; b &lt;3 &gt;"), "a & b <3 >");
        assert_eq!(unescape_html("&amp;lt;"), "&lt;");
        assert_eq!(unescape_html("AT&T &copy; &"), "AT&T &copy; &");
        assert_eq!(unescape_html("none"), "none");
    }
}
