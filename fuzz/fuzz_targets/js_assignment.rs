//! `window.YTD.… = [ … ]` files: the generic `js-assignment` reader (the fuzzing spec's rules,
//! fuzz/specs/fuzz.toml) and the X archive decoder (its assignment parser and the streaming
//! array splitter of decoders/jsonstream.rs): no panic, bounded memory, the same records
//! whatever the read buffer (trove_fuzz::check_decode), and for the generic reader, a file
//! whose right-hand side is not one JSON value (then at most a `;`) never reads as complete.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove_fuzz::{Input, Rules, is_json};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        Rules::new(|_, rule| {
            rule.format.as_deref() == Some("js-assignment")
                || rule.decoder.as_deref() == Some("twitter")
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let Some((spec, rule, (_, end))) = input.check_with(rules()) else {
        return;
    };
    if spec.files[rule].format.is_none() {
        return;
    }
    // What follows the first `=`, without a final `;`.
    let Some(eq) = input.bytes.iter().position(|&b| b == b'=') else {
        return;
    };
    let rhs = input.bytes[eq + 1..].trim_ascii_end();
    let rhs = rhs.strip_suffix(b";").unwrap_or(rhs);
    if is_json(rhs) == Some(false) {
        assert!(
            end.is_err(),
            "{}/{}: a right-hand side that is not one JSON value read as complete",
            spec.id,
            spec.files[rule].name
        );
    }
});
