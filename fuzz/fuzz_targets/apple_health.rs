//! The Apple Health importer's decoders: `export.xml` (and its localized names), the GPX
//! workout routes and the ECG CSVs, with the builtin spec's tables: no panic, bounded memory,
//! and the same records whatever the read buffer (trove_fuzz::check_decode).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove_fuzz::{Input, Rules};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::new(|spec, _| spec.id == "apple-health"))
}

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        input.check(rules());
    }
});
