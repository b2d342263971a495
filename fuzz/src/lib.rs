//! Shared pieces of trove's fuzz targets (fuzz_targets/*.rs).
//!
//! A decoder target's input is a small header and the file's bytes ([`Input`]):
//!
//! ```text
//! <capacity byte> <flags byte> <member name> \n <file bytes>
//! ```
//!
//! The member name picks the importer rule the way `trove import` does, by the rules' globs
//! (a seed built from `tests/fixtures/x/export/posts.csv` is read by the rule that reads
//! `**/posts.csv`); a name no candidate rule matches picks one by its hash, so mutating the
//! name moves an input between rules. Every decoder target then checks, in [`check_decode`]:
//!
//! * no panic (libfuzzer-sys turns a panic in any thread into a crash) and bounded memory
//!   (`-rss_limit_mb`, `-malloc_limit_mb` in run.sh);
//! * the output does not depend on where the input's buffer boundaries fall: the same bytes
//!   read through a buffer of `capacity` (1-256) bytes and through one that holds them all
//!   give identical records and the same end (a token split across reads shows up here).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use trove::fuzzing;
use trove::import::spec::{Catalog, FileRule, Importer, Spec};

/// The builtin importers plus the fuzzing spec (fuzz/specs/fuzz.toml), loaded the way a
/// user's own spec is: from a spec directory, by trove's catalog loader.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("trove-fuzz-specs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        std::fs::write(dir.join("fuzz.toml"), include_str!("../specs/fuzz.toml"))
            .expect("a temporary file");
        let catalog = Catalog::load(Some(&dir)).expect("fuzz/specs/fuzz.toml is a valid spec");
        let _ = std::fs::remove_dir_all(&dir);
        assert!(catalog.get("fuzz").is_some());
        catalog
    })
}

/// The rules a target reads with.
pub struct Rules {
    rules: Vec<(&'static Importer, usize)>,
}

impl Rules {
    /// Every rule of [`catalog`] that `pick` selects: the builtin importers' in catalog order,
    /// then the fuzzing spec's, whose catch-all globs (`**/*.csv`) must not shadow a builtin
    /// rule's (a Reddit `posts.csv` is read by Reddit's rule).
    pub fn new(pick: impl Fn(&Spec, &FileRule) -> bool) -> Rules {
        let mut rules = Vec::new();
        let importers = catalog().importers.iter();
        let (fuzz, builtin): (Vec<_>, Vec<_>) = importers.partition(|i| i.spec.id == "fuzz");
        for importer in builtin.into_iter().chain(fuzz) {
            for (i, rule) in importer.spec.files.iter().enumerate() {
                if pick(&importer.spec, rule) {
                    rules.push((importer, i));
                }
            }
        }
        assert!(!rules.is_empty(), "no rule selected");
        Rules { rules }
    }

    /// The rule that reads `member`: the first whose globs match it, else one by its hash.
    pub fn for_member(&self, member: &str) -> (&'static Spec, usize) {
        let found = self
            .rules
            .iter()
            .find(|(imp, r)| imp.matching_rules(member).any(|m| m == *r));
        let (imp, r) = match found {
            Some(x) => *x,
            None => {
                let h = member.bytes().fold(0usize, |h, b| {
                    h.wrapping_mul(31).wrapping_add(usize::from(b))
                });
                self.rules[h % self.rules.len()]
            }
        };
        (&imp.spec, r)
    }
}

/// A member name the rule's first glob matches (`**/steps-????-??-??.json` →
/// `export/steps-1111-11-11.json`), for inputs that name no member.
pub fn member_for(rule: &FileRule) -> String {
    let glob = rule.glob.first().map(String::as_str).unwrap_or("file");
    let mut out = String::new();
    let mut chars = glob.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str("export");
            }
            '*' => out.push('x'),
            '?' => out.push('1'),
            '[' => {
                // A class like [0-9]: its first member.
                out.push(chars.next().unwrap_or('0'));
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                }
            }
            '{' => {
                // An alternation {a,b}: its first branch.
                for d in chars.by_ref() {
                    if d == ',' || d == '}' {
                        if d == ',' {
                            chars.by_ref().find(|&e| e == '}');
                        }
                        break;
                    }
                    out.push(d);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The importer options a run gives: every option the specs declare, so that every rule
/// (even `--with-media`'s) can be created; `alt` picks the other value where there are two.
pub fn options(alt: bool) -> BTreeMap<String, String> {
    let mut o = BTreeMap::new();
    o.insert(
        "timezone".into(),
        if alt {
            "Asia/Kolkata"
        } else {
            "America/New_York"
        }
        .into(),
    );
    o.insert("weight_unit".into(), if alt { "lb" } else { "kg" }.into());
    o.insert("with-media".into(), "true".into());
    if alt {
        o.insert("keep-ip".into(), "true".into());
    }
    o
}

/// A decoder target's input (see the module doc).
pub struct Input<'a> {
    /// The small read-buffer capacity (1..=256).
    pub capacity: usize,
    /// Flip option values.
    pub alt: bool,
    pub member: &'a str,
    pub bytes: &'a [u8],
}

impl<'a> Input<'a> {
    pub fn parse(data: &'a [u8]) -> Option<Input<'a>> {
        let (&[cap, flags], rest) = data.split_first_chunk::<2>()?;
        let nl = rest.iter().take(256).position(|&b| b == b'\n')?;
        let member = std::str::from_utf8(&rest[..nl]).ok()?;
        Some(Input {
            capacity: usize::from(cap) + 1,
            alt: flags & 1 != 0,
            member,
            bytes: &rest[nl + 1..],
        })
    }

    /// Reads the input with the rule its member name picks among `rules`.
    pub fn check(&self, rules: &Rules) -> Option<fuzzing::Decoded> {
        self.check_with(rules).map(|(_, _, d)| d)
    }

    /// [`Input::check`], also returning the rule that read the input.
    pub fn check_with(&self, rules: &Rules) -> Option<(&'static Spec, usize, fuzzing::Decoded)> {
        let (spec, rule) = rules.for_member(self.member);
        let member = if self.member.is_empty() {
            member_for(&spec.files[rule])
        } else {
            self.member.to_string()
        };
        check_decode(
            spec,
            rule,
            &member,
            &options(self.alt),
            self.bytes,
            self.capacity,
        )
        .map(|d| (spec, rule, d))
    }
}

/// Whether `text` is one JSON document as serde_json reads it (after a UTF-8 byte order mark
/// and with invalid UTF-8 replaced, as trove's readers do); `None` when serde_json's nesting
/// limit decides, which trove's streaming readers may legitimately count differently.
pub fn is_json(text: &[u8]) -> Option<bool> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let text = String::from_utf8_lossy(text);
    match serde_json::from_str::<serde::de::IgnoredAny>(&text) {
        Ok(_) => Some(true),
        Err(e) if e.to_string().contains("recursion limit exceeded") => None,
        Err(_) => Some(false),
    }
}

/// Decodes `bytes` with the rule through a small and a large read buffer; panics if the two
/// runs disagree. Returns the records and the end of the run.
pub fn check_decode(
    spec: &Spec,
    rule: usize,
    member: &str,
    options: &BTreeMap<String, String>,
    bytes: &[u8],
    capacity: usize,
) -> Option<fuzzing::Decoded> {
    let small = fuzzing::decode(spec, rule, member, options, bytes, capacity);
    // The whole input in one buffer: the other extreme.
    let large = fuzzing::decode(spec, rule, member, options, bytes, bytes.len() + 1);
    let (small, large) = match (small, large) {
        (Ok(s), Ok(l)) => (s, l),
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string());
            return None;
        }
        (a, b) => panic!("decoder creation differs: {:?} vs {:?}", a.err(), b.err()),
    };
    let a = format!("{small:?}");
    let b = format!("{large:?}");
    if a != b {
        panic!(
            "{}/{} ({member}): the output depends on the read buffer ({capacity} bytes vs all):\n{}\n---\n{}",
            spec.id,
            spec.files[rule].name,
            around_difference(&a, &b),
            around_difference(&b, &a),
        );
    }
    Some(small)
}

/// The part of `a` around where it first differs from `b`.
fn around_difference<'s>(a: &'s str, b: &str) -> &'s str {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let mut start = at.saturating_sub(200);
    while !a.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 300).min(a.len());
    while !a.is_char_boundary(end) {
        end += 1;
    }
    &a[start..end]
}
