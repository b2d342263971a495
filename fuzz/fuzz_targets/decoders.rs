//! Every other Rust decoder of the builtin importers (Fitbit, Oura, Google Fit, FHIR, ChatGPT,
//! Facebook/Instagram, TeslaFi, Torque…; Apple Health and X have their own targets), each
//! with its spec's tables and a member name its rule matches: no panic, bounded memory, and
//! the same records whatever the read buffer (trove_fuzz::check_decode).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove_fuzz::{Input, Rules};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        Rules::new(|_, rule| {
            rule.decoder
                .as_deref()
                .is_some_and(|d| !matches!(d, "apple_health" | "apple_ecg" | "gpx" | "twitter"))
        })
    })
}

fuzz_target!(|data: &[u8]| {
    if let Some(input) = Input::parse(data) {
        input.check(rules());
    }
});
