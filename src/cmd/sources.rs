//! `trove sources`: the importer catalog.

use serde::Serialize;

use crate::cmd::Ctx;
use crate::error::Result;
use crate::import::{self, spec::Catalog};
use crate::output::JSON_VERSION;

/// Lists every importer (built in, and yours from the config directory): its id for
/// --source, version, what export it reads and how to get that export. Needs no vault.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    reads: &'a str,
    how_to_get: &'a str,
    sensitive: &'a [String],
    files: Vec<String>,
    options: &'a [import::spec::OptionSpec],
    origin: &'a str,
}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let catalog = Catalog::load(import::user_spec_dir().as_deref())?;
    let sources: Vec<Source> = catalog
        .importers
        .iter()
        .map(|i| Source {
            id: &i.spec.id,
            name: &i.spec.name,
            version: &i.spec.version,
            reads: &i.spec.reads,
            how_to_get: &i.spec.how_to_get,
            sensitive: &i.spec.sensitive,
            files: i.spec.files.iter().flat_map(|f| f.glob.clone()).collect(),
            options: &i.spec.options,
            origin: &i.spec.origin,
        })
        .collect();
    if ctx.out.json {
        return ctx
            .out
            .json_doc(&serde_json::json!({ "version": JSON_VERSION, "sources": sources }));
    }
    let mut s = String::new();
    for src in &sources {
        s.push_str(&format!("{} ({} {})\n", src.id, src.name, src.version));
        s.push_str(&format!("  reads       {}\n", src.reads));
        s.push_str(&format!("  how to get  {}\n", src.how_to_get));
        for o in src.options {
            let required = if o.required {
                " (required)".to_string()
            } else if !o.required_for.is_empty() {
                format!(" (required for {} files)", o.required_for.join(", "))
            } else {
                String::new()
            };
            s.push_str(&format!(
                "  option      --{}{}: {}\n",
                o.name.replace('_', "-"),
                required,
                o.help
            ));
        }
        if !src.origin.starts_with("builtin:") {
            s.push_str(&format!("  from        {}\n", src.origin));
        }
    }
    ctx.out.data(s)
}
