//! The zip walk of `trove import` (src/import/container.rs): open the archive, list its
//! entries and refuse the unsafe ones, fingerprint and read every member through the bounded
//! member reader, and read the account files of every builtin importer (src/import/account.rs).
//!
//! Invariants: no panic; bounded memory; every listed member is a clean relative path (no
//! `..`, no absolute path, no empty component, no NUL), so it could never name a file
//! outside an extraction directory; a member reader never hands out more than the archive
//! declares nor more than deflate can produce from the compressed size (zip bombs stop
//! early); and walking the same bytes twice gives the same result.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(walk) = trove::fuzzing::walk_zip(data) else {
        return;
    };
    for e in &walk.entries {
        let m = &e.member;
        assert!(
            !m.is_empty()
                && !m.starts_with('/')
                && !m.contains('\0')
                && m.split('/').all(|c| !c.is_empty() && c != "." && c != ".."),
            "unsafe member name listed: {m:?}"
        );
        assert!(
            e.read <= e.declared,
            "{m}: read {} bytes, the archive declares {}",
            e.read,
            e.declared
        );
        assert!(
            e.read <= data.len() as u64 * 1100 + 64 * 1024,
            "{m}: inflated past the ratio cap"
        );
        if let Some(err) = &e.error {
            assert!(!err.is_empty());
        }
    }
    let again = trove::fuzzing::walk_zip(data).expect("the same bytes walk the same way");
    assert_eq!(
        format!("{walk:?}"),
        format!("{again:?}"),
        "the walk is not deterministic"
    );
});
