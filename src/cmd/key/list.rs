//! `trove key list`.

use serde::Serialize;

use crate::cmd::Ctx;
use crate::error::Result;
use crate::output::{JSON_VERSION, rfc3339_ms};
use crate::vault::{Access, SlotInfo};

/// Lists key slots: name, kind (passphrase or x25519) and, for x25519 slots, the recipient.
#[derive(Debug, clap::Args)]
pub struct Args {}

#[derive(Serialize)]
struct Report {
    version: u32,
    key_slots: Vec<SlotInfo>,
}

pub fn run(ctx: &Ctx, _args: Args) -> Result<()> {
    let vault = ctx.open_vault(Access::Read)?;
    let slots = vault.slots()?;
    if ctx.out.json {
        return ctx.out.json_doc(&Report {
            version: JSON_VERSION,
            key_slots: slots,
        });
    }
    let mut text = String::new();
    for s in &slots {
        text.push_str(&format!(
            "{:<16} {:<11} {:<24} {}\n",
            s.name,
            s.kind.as_str(),
            s.created_ms.map(rfc3339_ms).unwrap_or_else(|| "-".into()),
            s.recipient.as_deref().unwrap_or("-"),
        ));
    }
    ctx.out.data(text)
}
