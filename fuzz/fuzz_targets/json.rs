//! The generic `json` reader (records streamed element by element from the array at a path)
//! and `ndjson`, with every builtin rule of those formats and the fuzzing spec's
//! (fuzz/specs/fuzz.toml): no panic, bounded memory, the same records whatever the read
//! buffer (trove_fuzz::check_decode), and a `json` file that is not one JSON document (cut
//! short, trailing bytes, two documents) never reads as complete: the file's end is an error,
//! so the import reports it partial instead of silently dropping what it could not read.
//! The streaming splitter of the Rust decoders has its own target (jsonstream.rs).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove_fuzz::{Input, Rules, is_json};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        Rules::new(|_, rule| matches!(rule.format.as_deref(), Some("json" | "ndjson")))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let Some((spec, rule, (_, end))) = input.check_with(rules()) else {
        return;
    };
    if spec.files[rule].format.as_deref() == Some("json") && is_json(input.bytes) == Some(false) {
        assert!(
            end.is_err(),
            "{}/{}: a file that is not one JSON document read as complete",
            spec.id,
            spec.files[rule].name
        );
    }
});
