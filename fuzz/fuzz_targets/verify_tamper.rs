//! Tampering with a real signed package (fuzz/seeds/packages/*.zip, written by
//! `trove contribute`; fuzz/make-package-seeds.sh) never yields a package that verifies with
//! different content.
//!
//! The input picks a package and a list of byte edits (flip, insert, delete, overwrite),
//! applied either to the zip as stored, or to one entry's content (manifest.json, its
//! signature, a data file) which is then zipped again with correct checksums, so the
//! signature and hash checks themselves are what must catch it. Whenever the result still
//! verifies, everything the verification vouches for must be exactly the original's: the
//! report, the manifest bytes, every data file, and the signature and trusted comment (only
//! the untrusted comment line, trailing `\r`s and blank lines may differ). A package that
//! verifies re-verifies identically.
#![no_main]

use std::io::{Cursor, Read, Write};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trove::contribute::verify::{self, Options};

const PACKAGES: &[&[u8]] = &[
    include_bytes!("../seeds/packages/jsonl.zip"),
    include_bytes!("../seeds/packages/csv.zip"),
    include_bytes!("../seeds/packages/samples.zip"),
];

struct Base {
    zip: &'static [u8],
    /// (name, content) in archive order.
    entries: Vec<(String, Vec<u8>)>,
    report: String,
}

fn options() -> Options {
    Options {
        identities: Vec::new(),
        identity_path: None,
        signer: None,
        max_total: verify::MAX_TOTAL,
    }
}

fn entries(zip: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip)).ok()?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).ok()?;
        let mut data = Vec::new();
        e.read_to_end(&mut data).ok()?;
        out.push((String::from_utf8_lossy(e.name_raw()).into_owned(), data));
    }
    Some(out)
}

fn bases() -> &'static [Base] {
    static BASES: OnceLock<Vec<Base>> = OnceLock::new();
    BASES.get_or_init(|| {
        PACKAGES
            .iter()
            .map(|zip| {
                let v = verify::verify_zip(Cursor::new(zip), &options())
                    .expect("the seed packages verify");
                Base {
                    zip,
                    entries: entries(zip).expect("the seed packages unzip"),
                    report: serde_json::to_string(&v).expect("a report serializes"),
                }
            })
            .collect()
    })
}

/// Edits of 4 bytes each: kind, position (2 bytes, modulo the length), value.
fn apply(bytes: &mut Vec<u8>, edits: &[u8]) {
    for e in edits.chunks_exact(4) {
        let at = usize::from(u16::from_be_bytes([e[1], e[2]])) % (bytes.len() + 1);
        match e[0] % 4 {
            0 if at < bytes.len() => bytes[at] ^= e[3].max(1),
            1 => bytes.insert(at, e[3]),
            2 if at < bytes.len() => {
                bytes.remove(at);
            }
            3 if at < bytes.len() => bytes[at] = e[3],
            _ => {}
        }
    }
}

fn rezip(entries: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    let method = if deflate {
        zip::CompressionMethod::Deflated
    } else {
        zip::CompressionMethod::Stored
    };
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).expect("in memory");
        w.write_all(data).expect("in memory");
    }
    w.finish().expect("in memory").into_inner()
}

/// The lines of a signature file that carry meaning: the signature, the trusted comment and
/// its signature (what `sign::verify` reads after trimming `\r`).
fn signed_lines(sig: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(sig)
        .split('\n')
        .skip(1)
        .take(3)
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&[pick, mode], edits)) = data.split_first_chunk::<2>() else {
        return;
    };
    let base = &bases()[usize::from(pick) % PACKAGES.len()];
    let tampered = if mode & 1 == 0 {
        let mut zip = base.zip.to_vec();
        apply(&mut zip, edits);
        zip
    } else {
        let mut entries = base.entries.clone();
        let which = usize::from(mode >> 2) % entries.len();
        apply(&mut entries[which].1, edits);
        rezip(&entries, mode & 2 != 0)
    };
    let Ok(v) = verify::verify_zip(Cursor::new(&tampered), &options()) else {
        return;
    };
    let report = serde_json::to_string(&v).expect("a report serializes");
    assert_eq!(
        report, base.report,
        "a tampered package verified with another report"
    );
    let got = entries(&tampered).expect("a verified package unzips");
    for (name, original) in &base.entries {
        let (_, now) = got
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is gone from a package that verified"));
        if name == "manifest.json.minisig" {
            assert_eq!(
                signed_lines(now),
                signed_lines(original),
                "the signature changed and still verified"
            );
        } else {
            assert_eq!(
                now, original,
                "{name} changed and the package still verified"
            );
        }
    }
    assert_eq!(
        got.len(),
        base.entries.len(),
        "an entry was added and still verified"
    );
    let again = verify::verify_zip(Cursor::new(&tampered), &options())
        .map(|v| serde_json::to_string(&v).expect("a report serializes"));
    assert_eq!(
        again.ok().as_ref(),
        Some(&report),
        "does not re-verify identically"
    );
});
