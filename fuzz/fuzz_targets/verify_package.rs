//! `trove verify` on an arbitrary package (src/contribute/verify.rs): the input is the zip a
//! DAO finds inside the age encryption, which the contributor fully controls.
//!
//! Invariants: no panic; bounded memory; the zip read directly and the same zip encrypted to
//! the DAO and read through age's seekable decryptor (exactly `trove verify`'s path) give the
//! same verdict and the same report; a package that verifies re-verifies identically, and its
//! report adds up (the files' records make the total).
#![no_main]

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove::contribute::verify::{self, Options};

fn identity() -> &'static age::x25519::Identity {
    static ID: OnceLock<age::x25519::Identity> = OnceLock::new();
    ID.get_or_init(age::x25519::Identity::generate)
}

fn options() -> Options {
    Options {
        identities: vec![Box::new(identity().clone())],
        identity_path: None,
        signer: None,
        max_total: verify::MAX_TOTAL,
    }
}

fn encrypt(plain: &[u8]) -> Vec<u8> {
    let recipient = identity().to_public();
    let e = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .expect("one recipient");
    let mut out = Vec::new();
    let mut w = e.wrap_output(&mut out).expect("in memory");
    w.write_all(plain).expect("in memory");
    w.finish().expect("in memory");
    out
}

fn report(r: &trove::Result<verify::Verified>) -> Result<String, String> {
    match r {
        Ok(v) => Ok(serde_json::to_string(v).expect("a report serializes")),
        Err(e) => Err(e.to_string()),
    }
}

fuzz_target!(|data: &[u8]| {
    let direct = report(&verify::verify_zip(Cursor::new(data), &options()));
    let via_age = report(&verify::verify_reader(
        Cursor::new(encrypt(data)),
        &options(),
    ));
    match (&direct, &via_age) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "age changes the report"),
        (Err(_), Err(_)) => {}
        _ => panic!("age changes the verdict: {direct:?} vs {via_age:?}"),
    }
    if let Ok(first) = direct {
        let again = report(&verify::verify_zip(Cursor::new(data), &options()));
        assert_eq!(
            Ok(first),
            again,
            "a verified package does not re-verify identically"
        );
        let v = verify::verify_zip(Cursor::new(data), &options()).expect("verified above");
        assert_eq!(v.records, v.files.iter().map(|f| f.records).sum::<u64>());
    }
});
