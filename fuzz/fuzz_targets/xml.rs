//! The generic `xml` reader with every builtin rule of that format and the fuzzing spec's
//! (fuzz/specs/fuzz.toml): no panic, bounded memory, and the same records whatever the read
//! buffer (trove_fuzz::check_decode).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove_fuzz::{Input, Rules};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::new(|_, rule| rule.format.as_deref() == Some("xml")))
}

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        input.check(rules());
    }
});
