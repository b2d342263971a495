//! A DAO's request file (`trove dao add --request`, src/contribute/request.rs): the DAO
//! writes it, the contributor's trove reads it to plan what to share. No panic, bounded
//! memory, and a request that parses re-parses to the same request once written back out.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trove::contribute::request;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(req) = request::parse(text) else {
        return;
    };
    let again = serde_json::to_string(&req).expect("a request serializes");
    let back = request::parse(&again).expect("a request written back out parses");
    assert_eq!(req, back);
});
