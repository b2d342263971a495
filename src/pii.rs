//! Finding personal identifiers in free text: emails, phone numbers, @handles, URLs and
//! (conservatively) street addresses.
//!
//! One scanner, two users: importers call [`scan`] at import time and store what they found as
//! *markers* in the row's `attrs`, and `trove contribute --scrub-pii` replaces the marked spans
//! and then scans the text once more before anything leaves the vault ([`scrub`]).
//!
//! # The marker format (written by importers, read by `contribute`)
//!
//! ```json
//! {"pii": [{"field": "body", "kind": "email", "start": 12, "end": 29}]}
//! ```
//!
//! `pii` is a top-level key of the row's `attrs` object; each marker names the text column it
//! applies to (`title` or `body` for events), its [`PiiKind`] in lower case, and a half-open
//! range of **byte** offsets into that column's UTF-8 value as stored. Markers whose range is
//! out of bounds or not on character boundaries are ignored (the final scan still runs), so a
//! stale marker can never make `contribute` panic or cut a character in half. The `pii` key is
//! never copied into a contribution. docs/CONTRIBUTION-FORMAT.md repeats this.
//!
//! # What is found, and what is deliberately not
//!
//! The patterns lean towards finding too much in text (replacing a harmless number costs a
//! little data; missing a phone number leaks it), with a few precise exclusions where false
//! positives would destroy ordinary data: dates, times, decimals and bare digit runs are not
//! phone numbers; `@` inside an email is not a handle. Street addresses are matched only in
//! the two most common shapes (`123 Main Street`, `Hauptstraße 5`), so an address written any
//! other way is *not* found: free text should be dropped (`--redact text`) when that matters.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// What kind of identifier a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PiiKind {
    Email,
    Phone,
    Handle,
    Url,
    Address,
}

impl PiiKind {
    pub const ALL: [PiiKind; 5] = [
        PiiKind::Email,
        PiiKind::Phone,
        PiiKind::Handle,
        PiiKind::Url,
        PiiKind::Address,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::Handle => "handle",
            PiiKind::Url => "url",
            PiiKind::Address => "address",
        }
    }

    /// What a scrubbed span is replaced with.
    pub fn placeholder(self) -> &'static str {
        match self {
            PiiKind::Email => "[email]",
            PiiKind::Phone => "[phone]",
            PiiKind::Handle => "[handle]",
            PiiKind::Url => "[url]",
            PiiKind::Address => "[address]",
        }
    }
}

/// A found identifier: `text[start..end]` (byte offsets, on character boundaries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// One import-time marker, as stored in `attrs.pii`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub field: String,
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

struct Patterns {
    email: Regex,
    url: Regex,
    handle: Regex,
    phone: Regex,
    address_en: Regex,
    address_de: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| Patterns {
        email: Regex::new(
            r"(?i)[a-z0-9._%+\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}",
        )
        .expect("email pattern"),
        // A scheme or www., or a bare domain under a common TLD followed by a path.
        url: Regex::new(
            r"(?i)\b(?:(?:https?|ftp)://[^\s<>]+|www\.[^\s<>]+|[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.(?:com|org|net|io|co|me|ly|be|gl|gg|app|dev|info|de|uk|fr|nl|social)/[^\s<>]*)",
        )
        .expect("url pattern"),
        // @name, and the fediverse form @name@host.tld.
        handle: Regex::new(r"@[A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?")
            .expect("handle pattern"),
        // Digits with optional separators; filtered further in code.
        phone: Regex::new(r"\+?\(?\d[\d ()./\-]{5,22}\d").expect("phone pattern"),
        address_en: Regex::new(
            r"\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Square|Sq)\b\.?",
        )
        .expect("address pattern"),
        address_de: Regex::new(
            r"\b[A-ZÄÖÜ][a-zäöüß\-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|damm|ring|ufer)\s+\d{1,4}(?:\s?[a-z]\b)?",
        )
        .expect("address pattern"),
    })
}

/// Finds identifiers in `text`. Spans are sorted by start and never overlap (where two
/// candidates overlap, the earlier one wins, and of two starting together the longer).
pub fn scan(text: &str) -> Vec<Span> {
    // Fast path: nearly all text in a vault is short and most of it has none of the
    // characters every pattern needs.
    if !text
        .bytes()
        .any(|b| b.is_ascii_digit() || b == b'@' || b == b'.' || b == b'/')
    {
        return Vec::new();
    }
    let p = patterns();
    let mut spans = Vec::new();
    for m in p.email.find_iter(text) {
        spans.push(Span {
            kind: PiiKind::Email,
            start: m.start(),
            end: m.end(),
        });
    }
    for m in p.url.find_iter(text) {
        let end = m.start() + trim_url_tail(m.as_str());
        spans.push(Span {
            kind: PiiKind::Url,
            start: m.start(),
            end,
        });
    }
    for m in p.handle.find_iter(text) {
        // Not a handle when glued to a word or an email's local part (a@b): the character
        // before the @ must be absent, whitespace or punctuation that starts a mention.
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')) {
            continue;
        }
        spans.push(Span {
            kind: PiiKind::Handle,
            start: m.start(),
            end: m.end(),
        });
    }
    for m in p.phone.find_iter(text) {
        if let Some((start, end)) = phone_candidate(text, m.start(), m.end()) {
            spans.push(Span {
                kind: PiiKind::Phone,
                start,
                end,
            });
        }
    }
    for re in [&p.address_en, &p.address_de] {
        for m in re.find_iter(text) {
            spans.push(Span {
                kind: PiiKind::Address,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    resolve_overlaps(spans)
}

/// URLs often end a sentence: `see https://x.org/a.` — the dot is not part of it.
fn trim_url_tail(url: &str) -> usize {
    let mut end = url.len();
    while let Some(c) = url[..end].chars().next_back() {
        let unbalanced_paren =
            c == ')' && url[..end].matches('(').count() < url[..end].matches(')').count();
        if matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '"' | ']' | '}'
        ) || unbalanced_paren
        {
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Decides whether a digit run is a phone number; returns the trimmed span.
fn phone_candidate(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let s = &text[start..end];
    // Trim separators a greedy match may have taken at the end (e.g. "call 555-1234).").
    let s_trim = s.trim_end_matches(|c: char| !c.is_ascii_digit());
    let mut start = start;
    let mut s = s_trim;
    // A leading "(" belongs only if it is closed.
    if s.starts_with('(') && !s.contains(')') {
        s = &s[1..];
        start += 1;
    }
    let end = start + s.len();
    // Glued to letters or more digits (an id like "A1234567", a longer number): not a phone.
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    if before.is_some_and(|c| c.is_alphanumeric() || c == '_')
        || after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    {
        return None;
    }
    let digits = s.bytes().filter(u8::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return None;
    }
    let plus = s.starts_with('+');
    let body = s.trim_start_matches('+');
    // Decimals and versions: one '.' or ',' only between digit groups is a number, not a phone
    // ("62.5", "3.1415926"); so are dotted dates and IPs with four short groups.
    if is_date_or_time(body) || is_decimal(body) {
        return None;
    }
    let separators = body.chars().filter(|c| !c.is_ascii_digit()).count();
    if !plus && separators == 0 {
        // A bare digit run is usually an id, a count or a timestamp. Accept only the national
        // shape 0xxxxxxxxx (10-11 digits with a trunk zero).
        if !(body.starts_with('0') && (10..=11).contains(&digits)) {
            return None;
        }
    }
    if body.contains('/') && !plus {
        // 12/03/2024-like or fractions; a slash appears in phones too (030/1234567), so
        // accept it only as a single separator after an area code starting with 0.
        let parts: Vec<&str> = body.split('/').collect();
        if parts.len() != 2 || !parts[0].starts_with('0') {
            return None;
        }
    }
    Some((start, end))
}

fn is_decimal(s: &str) -> bool {
    let seps: Vec<char> = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.len() == 1 && (seps[0] == '.' || seps[0] == ',') {
        return true;
    }
    // IPv4 addresses and dotted version strings.
    if !seps.is_empty() && seps.iter().all(|&c| c == '.') {
        let groups: Vec<&str> = s.split('.').collect();
        return groups.len() == 4 && groups.iter().all(|g| g.len() <= 3);
    }
    false
}

fn is_date_or_time(s: &str) -> bool {
    static DATE: OnceLock<Regex> = OnceLock::new();
    let re = DATE.get_or_init(|| {
        Regex::new(
            r"^(?:(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}(?:[ T]\d{1,2}(?::\d\d){1,2})?|\d{1,2}[-./]\d{1,2}[-./](?:19|20)?\d\d(?: \d{1,2}(?::\d\d){1,2})?|\d{1,2}:\d\d(?::\d\d)?(?: ?- ?\d{1,2}:\d\d(?::\d\d)?)?|(?:19|20)\d\d ?- ?(?:19|20)\d\d)$",
        )
        .expect("date pattern")
    });
    re.is_match(s.trim())
}

fn resolve_overlaps(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| s.start < s.end);
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        if out.last().is_some_and(|last| s.start < last.end) {
            continue;
        }
        out.push(s);
    }
    out
}

/// Reads the markers for `field` from a row's `attrs` object, dropping any that do not fit
/// `text` (out of bounds, reversed, or not on character boundaries).
pub fn markers_for(attrs: Option<&serde_json::Value>, field: &str, text: &str) -> Vec<Span> {
    let Some(list) = attrs.and_then(|a| a.get("pii")).and_then(|p| p.as_array()) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|m| serde_json::from_value::<Marker>(m.clone()).ok())
        .filter(|m| m.field == field)
        .filter(|m| {
            m.start < m.end
                && m.end <= text.len()
                && text.is_char_boundary(m.start)
                && text.is_char_boundary(m.end)
        })
        .map(|m| Span {
            kind: m.kind,
            start: m.start,
            end: m.end,
        })
        .collect()
}

/// Replaces `spans` (non-overlapping after resolution) with their placeholders.
pub fn replace(text: &str, spans: &[Span]) -> String {
    let spans = resolve_overlaps(spans.to_vec());
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        out.push_str(&text[at..s.start]);
        out.push_str(s.kind.placeholder());
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Counts of what [`scrub`] replaced, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Hits {
    pub email: u64,
    pub phone: u64,
    pub handle: u64,
    pub url: u64,
    pub address: u64,
}

impl Hits {
    pub fn add(&mut self, kind: PiiKind) {
        match kind {
            PiiKind::Email => self.email += 1,
            PiiKind::Phone => self.phone += 1,
            PiiKind::Handle => self.handle += 1,
            PiiKind::Url => self.url += 1,
            PiiKind::Address => self.address += 1,
        }
    }
    pub fn merge(&mut self, other: &Hits) {
        self.email += other.email;
        self.phone += other.phone;
        self.handle += other.handle;
        self.url += other.url;
        self.address += other.address;
    }
    pub fn total(&self) -> u64 {
        self.email + self.phone + self.handle + self.url + self.address
    }
}

/// Replaces the import-time markers, then everything a final scan finds. Returns the scrubbed
/// text; `hits` counts each replacement.
pub fn scrub(text: &str, markers: &[Span], hits: &mut Hits) -> String {
    let first = if markers.is_empty() {
        std::borrow::Cow::Borrowed(text)
    } else {
        let resolved = resolve_overlaps(markers.to_vec());
        for s in &resolved {
            hits.add(s.kind);
        }
        std::borrow::Cow::Owned(replace(text, &resolved))
    };
    let found = scan(&first);
    if found.is_empty() {
        return first.into_owned();
    }
    for s in &found {
        hits.add(s.kind);
    }
    replace(&first, &found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(PiiKind, &str)> {
        scan(text)
            .into_iter()
            .map(|s| (s.kind, &text[s.start..s.end]))
            .collect()
    }

    #[test]
    fn emails() {
        assert_eq!(
            kinds("write to jane.doe+trove@mail.example.org today"),
            [(PiiKind::Email, "jane.doe+trove@mail.example.org")]
        );
        assert_eq!(
            kinds("A.B_c@Sub-Domain.CO.UK."),
            [(PiiKind::Email, "A.B_c@Sub-Domain.CO.UK")]
        );
        assert!(kinds("user@localhost and a@b").is_empty());
    }

    #[test]
    fn handles_are_not_emails_and_emails_are_not_handles() {
        assert_eq!(
            kinds("thanks @alice_99, and (@Bob)!"),
            [(PiiKind::Handle, "@alice_99"), (PiiKind::Handle, "@Bob")]
        );
        assert_eq!(
            kinds("mail bob@example.com"),
            [(PiiKind::Email, "bob@example.com")]
        );
        assert_eq!(
            kinds("follow @carol@mastodon.social"),
            [(PiiKind::Handle, "@carol@mastodon.social")]
        );
        assert!(kinds("at 5 @ 6 o'clock").is_empty());
    }

    #[test]
    fn urls_with_scheme_www_and_bare_domains_with_paths() {
        assert_eq!(
            kinds("see https://example.com/a?b=c#d. Then"),
            [(PiiKind::Url, "https://example.com/a?b=c#d")]
        );
        assert_eq!(
            kinds("(www.example.net/x)"),
            [(PiiKind::Url, "www.example.net/x")]
        );
        assert_eq!(kinds("t.co/AbC123 rocks"), [(PiiKind::Url, "t.co/AbC123")]);
        assert_eq!(
            kinds("a link: http://en.wikipedia.org/wiki/Foo_(bar)"),
            [(PiiKind::Url, "http://en.wikipedia.org/wiki/Foo_(bar)")]
        );
        // A file name or a sentence end is not a URL.
        assert!(kinds("open report.pdf. e.g. this").is_empty());
    }

    #[test]
    fn phone_numbers_in_common_shapes() {
        for phone in [
            "+49 30 1234567",
            "+1 (555) 123-4567",
            "(555) 123-4567",
            "555-123-4567",
            "030/1234567",
            "0171 2345678",
            "01712345678",
            "+447911123456",
            "555.123.4567",
        ] {
            let text = format!("call {phone} now");
            assert_eq!(kinds(&text), [(PiiKind::Phone, phone)], "{phone}");
        }
    }

    #[test]
    fn numbers_that_are_not_phone_numbers() {
        for text in [
            "2024-03-31",
            "31.03.2024",
            "03/31/2024",
            "at 10:30:15",
            "62.5 bpm",
            "3.14159265",
            "1711848600123 ms",
            "1711848600",
            "192.168.100.200",
            "12345 steps",
            "order A1234567",
            "2019-2024",
            "in 2024 - 2025",
            "10:00 - 11:30",
            "1,234,567",
        ] {
            assert!(kinds(text).is_empty(), "{text}: {:?}", kinds(text));
        }
    }

    #[test]
    fn street_addresses_conservatively() {
        assert_eq!(
            kinds("I live at 221B Baker Street, London"),
            [(PiiKind::Address, "221B Baker Street")]
        );
        assert_eq!(
            kinds("1600 Pennsylvania Ave. NW"),
            [(PiiKind::Address, "1600 Pennsylvania Ave.")]
        );
        assert_eq!(
            kinds("Treffen in der Hauptstraße 5a, Berlin"),
            [(PiiKind::Address, "Hauptstraße 5a")]
        );
        assert_eq!(
            kinds("Am Musterweg 12"),
            [(PiiKind::Address, "Musterweg 12")]
        );
        // Not addresses.
        assert!(kinds("I ran 5 Miles Today").is_empty());
        assert!(kinds("the street was 5 km long").is_empty());
    }

    #[test]
    fn scrub_replaces_markers_then_what_the_scan_finds() {
        let text = "Ping Jane (jane@x.org, +49 30 1234567) and call KEYWORD";
        // An importer marked "KEYWORD" as a handle-like identifier the scan cannot know.
        let start = text.find("KEYWORD").unwrap();
        let markers = [Span {
            kind: PiiKind::Handle,
            start,
            end: start + 7,
        }];
        let mut hits = Hits::default();
        let out = scrub(text, &markers, &mut hits);
        assert_eq!(out, "Ping Jane ([email], [phone]) and call [handle]");
        assert_eq!(
            hits,
            Hits {
                email: 1,
                phone: 1,
                handle: 1,
                url: 0,
                address: 0
            }
        );
        assert_eq!(scrub("nothing here", &[], &mut hits), "nothing here");
        assert_eq!(hits.total(), 3);
    }

    #[test]
    fn markers_out_of_bounds_or_inside_a_character_are_ignored() {
        let text = "héllo @me";
        let attrs = serde_json::json!({"pii": [
            {"field": "body", "kind": "handle", "start": 7, "end": 10},
            {"field": "body", "kind": "email", "start": 0, "end": 99},
            {"field": "body", "kind": "email", "start": 2, "end": 4},
            {"field": "title", "kind": "email", "start": 0, "end": 1},
            {"field": "body", "kind": "nonsense", "start": 0, "end": 1}
        ]});
        let m = markers_for(Some(&attrs), "body", text);
        assert_eq!(
            m,
            [Span {
                kind: PiiKind::Handle,
                start: 7,
                end: 10
            }]
        );
        assert!(markers_for(None, "body", text).is_empty());
        let mut hits = Hits::default();
        assert_eq!(scrub(text, &m, &mut hits), "héllo [handle]");
        assert_eq!(hits.handle, 1);
    }

    #[test]
    fn marker_format_round_trips() {
        let m = Marker {
            field: "body".into(),
            kind: PiiKind::Email,
            start: 3,
            end: 9,
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"field":"body","kind":"email","start":3,"end":9}"#);
        assert_eq!(serde_json::from_str::<Marker>(&json).unwrap(), m);
    }
}
