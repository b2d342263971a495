//! A cap on how much of a file one record may span.
//!
//! Decoders stream, so memory follows the largest record, not the file. But where a record
//! ends is up to the file: a CSV cell or an XML attribute whose quote never closes runs to the
//! end of the file, and the csv crate and quick-xml hold such a record whole, so one broken
//! quote early in a multi-gigabyte export would take as much memory as the export is large.
//! [`RecordLimit`] sits between the input and such a parser; the decoder marks where each
//! record starts ([`RecordStart::mark`]), and a read that takes the current record past the
//! limit fails with an error that says so, which the decoder reports as the end of the file.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

/// Bytes one CSV row or XML element may span: far above any real one (a marathon's inline
/// route in an Apple Health `Workout` is a few MB).
pub const MAX_RECORD: u64 = 64 << 20;

pub struct RecordLimit<R> {
    inner: R,
    used: Rc<Cell<u64>>,
    limit: u64,
}

/// The handle a decoder marks record starts with.
pub struct RecordStart(Rc<Cell<u64>>);

impl RecordStart {
    /// The next bytes read belong to a new record.
    pub fn mark(&self) {
        self.0.set(0);
    }
}

/// Wraps `inner` so that no record spans more than `limit` bytes.
pub fn record_limit<R>(inner: R, limit: u64) -> (RecordLimit<R>, RecordStart) {
    let used = Rc::new(Cell::new(0));
    (
        RecordLimit {
            inner,
            used: Rc::clone(&used),
            limit,
        },
        RecordStart(used),
    )
}

impl<R> RecordLimit<R> {
    fn check(&self) -> io::Result<()> {
        if self.used.get() > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a single record spans more than {} MiB (a quote that never closes?); \
                     refusing to hold it in memory",
                    self.limit >> 20
                ),
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for RecordLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        let n = self.inner.read(buf)?;
        self.used.set(self.used.get() + n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for RecordLimit<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.check()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.used.set(self.used.get() + amt as u64);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_past_the_limit_fails_and_a_mark_starts_anew() {
        let data = [b'x'; 100];
        let (mut r, start) = record_limit(&data[..], 30);
        let mut buf = [0u8; 20];
        r.read_exact(&mut buf).unwrap();
        start.mark();
        r.read_exact(&mut buf).unwrap();
        r.read_exact(&mut buf[..11]).unwrap();
        let err = r.read(&mut buf).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a single record spans more than"),
            "{err}"
        );
        start.mark();
        assert_eq!(r.read(&mut buf).unwrap(), 20);
    }
}
