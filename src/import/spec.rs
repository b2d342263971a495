//! Importer specs: the declarative catalog in `importers/*.toml` (format: importers/README.md).
//!
//! A spec names an importer (id, version, what export it reads and how to get it) and lists
//! the files it reads: glob patterns (case-insensitive, relative to the container root), an
//! optional content sniff, and either a generic `format` with a field mapping or a Rust
//! `decoder` for structure a mapping cannot express. Specs are embedded in the binary at build
//! time; users add their own in `<config dir>/importers/*.toml`, which `trove sources` lists
//! beside the built-in ones. Every spec is validated when loaded, so a typo in a user's spec
//! is an error naming the file and field, not a silent no-op.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The built-in specs, embedded at build time. A test checks every file in importers/ is here.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "apple-health.toml",
        include_str!("../../importers/apple-health.toml"),
    ),
    ("teslafi.toml", include_str!("../../importers/teslafi.toml")),
    ("torque.toml", include_str!("../../importers/torque.toml")),
    ("oura.toml", include_str!("../../importers/oura.toml")),
    ("fhir.toml", include_str!("../../importers/fhir.toml")),
    ("fitbit.toml", include_str!("../../importers/fitbit.toml")),
    (
        "google-fit.toml",
        include_str!("../../importers/google-fit.toml"),
    ),
    (
        "samsung-health.toml",
        include_str!("../../importers/samsung-health.toml"),
    ),
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Short stable id used by `--source` and in the vault (`apple-health`).
    pub id: String,
    pub name: String,
    /// Semantic version; the major part decides whether an already imported file is re-read.
    pub version: String,
    /// What export it reads.
    pub reads: String,
    /// How a user obtains that export.
    pub how_to_get: String,
    /// Which sensitive classes its data carries (health, location, free_text, identifiers, …).
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// Options the importer accepts on the command line (e.g. `timezone`).
    #[serde(default)]
    pub options: Vec<OptionSpec>,
    pub files: Vec<FileRule>,
    /// Lookup tables for the decoders (e.g. HealthKit identifier → metric).
    #[serde(default)]
    pub tables: BTreeMap<String, toml::Table>,
    /// What a day-level value (a daily score, a day's steps) does to an earlier value of the
    /// same metric, day and device from this source: `keep` it beside (default), or replace
    /// it (`latest`), for sources that revise days (today's steps so far, a rescored night).
    #[serde(default)]
    pub day_values: DayValues,
    /// Where this spec came from (`builtin:apple-health.toml` or a path).
    #[serde(skip)]
    pub origin: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DayValues {
    /// Every distinct value is kept (deduplicated by natural key as usual).
    #[default]
    Keep,
    /// The day-level value written last replaces earlier ones of the same metric, day and
    /// device (import order decides: a sync or a newer export revises a partial day).
    Latest,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    pub name: String,
    pub help: String,
    #[serde(default)]
    pub required: bool,
    /// Required only when files of these rules are imported (Fitbit's weight unit is needed
    /// by weight files alone).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_for: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct FileRule {
    /// Name of the rule, for messages (`export`, `route`).
    pub name: String,
    /// Glob patterns for member paths, matched case-insensitively.
    pub glob: Vec<String>,
    /// A content check on the first bytes.
    #[serde(default)]
    pub sniff: Option<Sniff>,
    /// A Rust decoder (src/import/decoders/) …
    #[serde(default)]
    pub decoder: Option<String>,
    /// … or a generic format (`csv`, `json`, `ndjson`, `js-assignment`, `xml`) with a mapping.
    #[serde(default)]
    pub format: Option<String>,
    /// Files are imported in ascending `order` (then by path), so that, e.g., workouts exist
    /// before the route files that attach to them.
    #[serde(default)]
    pub order: i32,
    /// Everything else: the generic format's options and mapping, validated by that format.
    #[serde(flatten)]
    pub mapping: toml::Table,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sniff {
    /// The first `within` bytes must contain this text (after an optional UTF-8 BOM)…
    #[serde(default)]
    pub contains: Option<String>,
    /// … or start with it.
    #[serde(default)]
    pub starts_with: Option<String>,
    /// … and contain at least one of these (for formats whose distinguishing field depends
    /// on the record type, like one Oura API collection per file).
    #[serde(default)]
    pub contains_any: Vec<String>,
    #[serde(default = "default_within")]
    pub within: usize,
}

fn default_within() -> usize {
    64 * 1024
}

impl Sniff {
    pub fn matches(&self, head: &[u8]) -> bool {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let head = &head[..head.len().min(self.within)];
        if let Some(prefix) = &self.starts_with
            && !head.starts_with(prefix.as_bytes())
        {
            return false;
        }
        if let Some(needle) = &self.contains
            && memchr::memmem::find(head, needle.as_bytes()).is_none()
        {
            return false;
        }
        if !self.contains_any.is_empty()
            && !self
                .contains_any
                .iter()
                .any(|n| memchr::memmem::find(head, n.as_bytes()).is_some())
        {
            return false;
        }
        true
    }

    pub fn describe(&self) -> String {
        let mut s = match (&self.starts_with, &self.contains) {
            (Some(p), Some(c)) => format!("starting with {p:?} and containing {c:?}"),
            (Some(p), None) => format!("starting with {p:?}"),
            (None, Some(c)) => format!("containing {c:?}"),
            (None, None) => String::new(),
        };
        if !self.contains_any.is_empty() {
            if !s.is_empty() {
                s.push_str(" and ");
            }
            s.push_str(&format!("containing one of {:?}", self.contains_any));
        }
        s
    }
}

impl Spec {
    pub fn major(&self) -> i64 {
        self.version
            .split('.')
            .next()
            .and_then(|m| m.parse().ok())
            .unwrap_or(0)
    }

    pub fn option(&self, name: &str) -> Option<&OptionSpec> {
        self.options.iter().find(|o| o.name == name)
    }
}

/// A loaded, validated spec with its compiled globs.
pub struct Importer {
    pub spec: Spec,
    pub rules: Vec<CompiledRule>,
}

pub struct CompiledRule {
    pub index: usize,
    pub globs: GlobSet,
}

impl Importer {
    pub fn rule(&self, index: usize) -> &FileRule {
        &self.spec.files[index]
    }

    /// The rules whose globs match `member`.
    pub fn matching_rules<'a>(&'a self, member: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.rules
            .iter()
            .filter(move |r| r.globs.is_match(member))
            .map(|r| r.index)
    }

    /// What this importer looks for, for "unknown input" messages.
    pub fn describe_files(&self) -> String {
        self.spec
            .files
            .iter()
            .map(|f| {
                let sniff = f
                    .sniff
                    .as_ref()
                    .map(|s| format!(" {}", s.describe()))
                    .unwrap_or_default();
                format!("{}{}", f.glob.join(" or "), sniff)
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub struct Catalog {
    pub importers: Vec<Importer>,
}

impl Catalog {
    /// The built-in specs plus `*.toml` in `user_dir` (if it exists). A user spec with the id
    /// of a built-in one replaces it.
    pub fn load(user_dir: Option<&Path>) -> Result<Catalog> {
        let mut specs = Vec::new();
        for (name, text) in BUILTIN {
            specs.push(parse(text, &format!("builtin:{name}"))?);
        }
        if let Some(dir) = user_dir
            && dir.is_dir()
        {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Error::io(format!("reading {}", dir.display()), e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
                let spec = parse(&text, &path.display().to_string())?;
                specs.retain(|s: &Spec| s.id != spec.id);
                specs.push(spec);
            }
        }
        let mut importers = Vec::new();
        for spec in specs {
            importers.push(compile(spec)?);
        }
        importers.sort_by(|a, b| a.spec.id.cmp(&b.spec.id));
        Ok(Catalog { importers })
    }

    pub fn get(&self, id: &str) -> Option<&Importer> {
        self.importers.iter().find(|i| i.spec.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.importers.iter().map(|i| i.spec.id.as_str()).collect()
    }
}

fn bad(origin: &str, detail: impl Into<String>) -> Error {
    Error::BadSpec {
        origin: origin.to_string(),
        detail: detail.into(),
    }
}

pub fn parse(text: &str, origin: &str) -> Result<Spec> {
    let mut spec: Spec = toml::from_str(text).map_err(|e| bad(origin, e.to_string()))?;
    spec.origin = origin.to_string();
    let id_ok = !spec.id.is_empty()
        && spec.id.len() <= 32
        && spec
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        return Err(bad(
            origin,
            format!(
                "id {:?} must be 1-32 characters from a-z, 0-9 and -",
                spec.id
            ),
        ));
    }
    if spec
        .version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .is_none()
    {
        return Err(bad(
            origin,
            format!("version {:?} is not a semantic version", spec.version),
        ));
    }
    if spec.files.is_empty() {
        return Err(bad(origin, "a spec needs at least one [[files]] rule"));
    }
    for o in &spec.options {
        if let Some(r) = o
            .required_for
            .iter()
            .find(|r| !spec.files.iter().any(|f| &f.name == *r))
        {
            return Err(bad(
                origin,
                format!(
                    "options.{}: required_for names no [[files]] rule {r:?}",
                    o.name
                ),
            ));
        }
    }
    for rule in &spec.files {
        match (&rule.decoder, &rule.format) {
            (Some(d), None) => {
                if !crate::import::decoders::exists(d) {
                    return Err(bad(
                        origin,
                        format!(
                            "files.{}: unknown decoder {d:?} (known: {})",
                            rule.name,
                            crate::import::decoders::names().join(", ")
                        ),
                    ));
                }
                if !rule.mapping.is_empty() {
                    let keys: Vec<&String> = rule.mapping.keys().collect();
                    return Err(bad(
                        origin,
                        format!(
                            "files.{}: unknown fields {keys:?} (a decoder rule takes no mapping)",
                            rule.name
                        ),
                    ));
                }
            }
            (None, Some(f)) => {
                crate::import::generic::validate(f, &rule.mapping)
                    .map_err(|e| bad(origin, format!("files.{}: {e}", rule.name)))?;
            }
            _ => {
                return Err(bad(
                    origin,
                    format!(
                        "files.{}: give exactly one of `decoder` or `format`",
                        rule.name
                    ),
                ));
            }
        }
        if rule.glob.is_empty() {
            return Err(bad(origin, format!("files.{}: glob is empty", rule.name)));
        }
    }
    Ok(spec)
}

fn compile(spec: Spec) -> Result<Importer> {
    let mut rules = Vec::new();
    for (index, rule) in spec.files.iter().enumerate() {
        let mut builder = GlobSetBuilder::new();
        for pattern in &rule.glob {
            let glob = globset::GlobBuilder::new(pattern)
                .case_insensitive(true)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    bad(
                        &spec.origin,
                        format!("files.{}: bad glob {pattern:?}: {e}", rule.name),
                    )
                })?;
            builder.add(glob);
        }
        let globs = builder
            .build()
            .map_err(|e| bad(&spec.origin, format!("files.{}: {e}", rule.name)))?;
        rules.push(CompiledRule { index, globs });
    }
    Ok(Importer { spec, rules })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_specs_load() {
        let cat = Catalog::load(None).unwrap();
        assert!(cat.get("apple-health").is_some());
        assert!(cat.get("oura").is_some());
    }

    /// Every importers/*.toml is embedded (a forgotten file would silently not ship).
    #[test]
    fn every_spec_file_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("importers");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        for (name, text) in BUILTIN {
            let spec = parse(text, name).unwrap();
            assert_eq!(format!("{}.toml", spec.id), *name);
        }
    }

    #[test]
    fn sniff_contains_any_needs_one_of_them() {
        let sniff = Sniff {
            contains: Some("\"data\"".into()),
            starts_with: None,
            contains_any: vec!["bedtime_start".into(), "\"bpm\"".into()],
            within: 64,
        };
        assert!(sniff.matches(b"{\"data\":[{\"bpm\":60}]}"));
        assert!(sniff.matches(b"\xEF\xBB\xBF{\"data\": [{\"bedtime_start\": 1}]}"));
        assert!(!sniff.matches(b"{\"data\":[{\"steps\":1}]}"));
        assert!(!sniff.matches(b"{\"items\":[{\"bpm\":60}]}"));
        assert!(sniff.describe().contains("one of"));
    }

    #[test]
    fn spec_errors_name_the_problem() {
        let base =
            "id = \"x\"\nname = \"X\"\nversion = \"1.0.0\"\nreads = \"r\"\nhow_to_get = \"h\"\n";
        let err = parse(
            &format!("{base}[[files]]\nname = \"a\"\nglob = [\"*.x\"]\ndecoder = \"nope\"\n"),
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown decoder \"nope\""), "{err}");
        let err = parse(
            &format!("{base}[[files]]\nname = \"a\"\nglob = [\"*.x\"]\n"),
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("exactly one of `decoder` or `format`"),
            "{err}"
        );
        let err = parse("id = \"Bad Id\"\nname = \"X\"\nversion = \"1\"\nreads = \"r\"\nhow_to_get = \"h\"\nfiles = []\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("must be 1-32 characters"), "{err}");
        let err = parse(&format!("{base}colour = 1\n[[files]]\nname = \"a\"\nglob = [\"*.x\"]\ndecoder = \"apple_health\"\n"), "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `colour`"), "{err}");
    }
}
