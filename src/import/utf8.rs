//! Repairing invalid UTF-8 in text exports, visibly.
//!
//! XML and JSON parsers stop at the first byte sequence that is not UTF-8, which would make a
//! single bad byte cost the rest of a multi-gigabyte export. [`Utf8Repair`] sits between the
//! file and the parser and replaces each invalid sequence with U+FFFD, remembering where it
//! did (the first [`MAX_RECORDED`] offsets, and a count). The decoder reports every repair as
//! an import error with its byte offset, so the substitution is never silent.
//!
//! A repair counts once the parser has consumed it, not when it was read ahead: a parser that
//! stops at a syntax error reports the repairs before that point only, the same ones however
//! the input's reads happened to be cut (the fuzz targets check that a decoder's output does
//! not depend on its read buffer).

use std::io::{self, BufRead, Read};

pub const MAX_RECORDED: usize = 100;
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();
const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Bytes read from the input at a time.
const CHUNK: usize = 64 * 1024;

/// What [`skip_bom`] returns: the bytes it looked at but kept, then the rest of the input.
pub type AfterBom<'a> = io::Chain<io::Cursor<Vec<u8>>, &'a mut dyn BufRead>;

/// Skips a UTF-8 byte order mark at the start of `input`, however the input's reads are cut
/// (a zip member can hand out its first bytes one at a time, so looking for the mark in the
/// first buffer would miss it). Bytes that only begin like a mark are not lost: the returned
/// reader yields them, then the rest of `input`.
pub fn skip_bom(input: &mut dyn BufRead) -> io::Result<AfterBom<'_>> {
    let mut seen = 0;
    while seen < BOM.len() {
        match input.fill_buf()?.first() {
            Some(&b) if b == BOM[seen] => {
                input.consume(1);
                seen += 1;
            }
            _ => break,
        }
    }
    let kept = if seen == BOM.len() {
        Vec::new()
    } else {
        BOM[..seen].to_vec()
    };
    Ok(io::Cursor::new(kept).chain(input))
}

pub struct Utf8Repair<R> {
    inner: R,
    /// Validated output waiting to be read.
    out: Vec<u8>,
    pos: usize,
    /// Bytes of an incomplete sequence at the end of the last chunk.
    carry: Vec<u8>,
    /// The read buffer, allocated once: the carried bytes, then what one read brought.
    chunk: Vec<u8>,
    /// Offset in the original input of the next byte to read from `inner`.
    offset: u64,
    pub repairs: Vec<u64>,
    pub repair_count: u64,
    /// Repairs in `out` not yet consumed: (position in `out`, offset in the input).
    pending: Vec<(usize, u64)>,
    /// How many of `pending` have been consumed (and recorded).
    recorded: usize,
    eof: bool,
}

impl<R: Read> Utf8Repair<R> {
    pub fn new(inner: R) -> Self {
        Utf8Repair {
            inner,
            out: Vec::with_capacity(64 * 1024),
            pos: 0,
            carry: Vec::new(),
            chunk: vec![0; CHUNK + 4],
            offset: 0,
            repairs: Vec::new(),
            repair_count: 0,
            pending: Vec::new(),
            recorded: 0,
            eof: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        // Everything in `out` was consumed, so every pending repair was recorded.
        debug_assert_eq!(self.recorded, self.pending.len());
        self.out.clear();
        self.pending.clear();
        self.recorded = 0;
        self.pos = 0;
        while self.out.is_empty() && !self.eof {
            // A short read must not cost a fresh buffer: the chunk is reused, so reading a
            // file a few bytes at a time stays linear.
            let mut chunk = std::mem::take(&mut self.chunk);
            let result = self.decode_chunk(&mut chunk);
            self.chunk = chunk;
            result?;
        }
        Ok(())
    }

    /// Reads once into `chunk` (after the carried bytes) and appends the repaired text to `out`.
    fn decode_chunk(&mut self, chunk: &mut [u8]) -> io::Result<()> {
        let start = self.carry.len();
        chunk[..start].copy_from_slice(&self.carry);
        self.carry.clear();
        let n = loop {
            match self.inner.read(&mut chunk[start..start + CHUNK]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.carry.extend_from_slice(&chunk[..start]);
                    return Err(e);
                }
            }
        };
        let chunk = &chunk[..start + n];
        if n == 0 {
            self.eof = true;
        }
        // Offset of chunk[0] in the original input.
        let base = self.offset - start as u64;
        self.offset += n as u64;
        let mut i = 0;
        while i < chunk.len() {
            match std::str::from_utf8(&chunk[i..]) {
                Ok(_) => {
                    self.out.extend_from_slice(&chunk[i..]);
                    i = chunk.len();
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    self.out.extend_from_slice(&chunk[i..i + good]);
                    i += good;
                    match e.error_len() {
                        Some(bad) => {
                            self.pending.push((self.out.len(), base + i as u64));
                            self.out.extend_from_slice(REPLACEMENT);
                            i += bad;
                        }
                        None if !self.eof => {
                            // An incomplete sequence at the end: wait for more bytes.
                            self.carry.extend_from_slice(&chunk[i..]);
                            i = chunk.len();
                        }
                        None => {
                            self.pending.push((self.out.len(), base + i as u64));
                            self.out.extend_from_slice(REPLACEMENT);
                            i = chunk.len();
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn record(&mut self, at: u64) {
        self.repair_count += 1;
        if self.repairs.len() < MAX_RECORDED {
            self.repairs.push(at);
        }
    }
}

impl<R: Read> Read for Utf8Repair<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Utf8Repair<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.out.len());
        while let Some(&(at, offset)) = self.pending.get(self.recorded) {
            if at >= self.pos {
                break;
            }
            self.recorded += 1;
            self.record(offset);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair(input: &[u8]) -> (String, Vec<u64>) {
        let mut r = Utf8Repair::new(input);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (s, r.repairs)
    }

    /// Found by the decoder fuzz targets: a mark split across reads was not skipped.
    #[test]
    fn a_byte_order_mark_is_skipped_however_reads_are_cut() {
        for (data, rest) in [
            (&b"\xEF\xBB\xBFid,x\n"[..], &b"id,x\n"[..]),
            (b"id,x\n", b"id,x\n"),
            (b"\xEF\xBBid", b"\xEF\xBBid"),
            (b"\xEF", b"\xEF"),
            (b"", b""),
        ] {
            for n in 1..=4 {
                let mut input = io::BufReader::with_capacity(n, Chunks(data, n));
                let mut out = Vec::new();
                skip_bom(&mut input).unwrap().read_to_end(&mut out).unwrap();
                assert_eq!(out, rest, "{data:?} in reads of {n}");
            }
        }
    }

    #[test]
    fn valid_text_passes_through() {
        assert_eq!(
            repair("héllo 导出 ✓".as_bytes()),
            ("héllo 导出 ✓".to_string(), vec![])
        );
    }

    #[test]
    fn invalid_bytes_are_replaced_and_recorded() {
        assert_eq!(
            repair(b"ab\xffcd\xfe"),
            ("ab\u{fffd}cd\u{fffd}".to_string(), vec![2, 5])
        );
        // A truncated sequence at the very end.
        assert_eq!(repair(b"ok\xe2\x82"), ("ok\u{fffd}".to_string(), vec![2]));
    }

    /// A reader that hands out at most `n` bytes per read.
    struct Chunks<'a>(&'a [u8], usize);

    impl Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    /// Found by the fuzz targets: repairs were recorded when read ahead, so a parser that
    /// stopped early reported repairs past where it stopped, more or fewer depending on how
    /// the input's reads were cut.
    #[test]
    fn only_consumed_repairs_count_however_reads_are_cut() {
        let data = b"ab\xffcd\xe2\x82 <- cut | \xfe\xfe tail \xf0\x9f\x98";
        let (text, all) = repair(data);
        assert_eq!(all, vec![2, 5, 17, 18, 25]);
        for n in 1..data.len() {
            let mut r = Utf8Repair::new(Chunks(data, n));
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            assert_eq!((&s, &r.repairs), (&text, &all), "reads of {n} bytes");
            // A consumer that stops after "cd" has seen the first repair only.
            let mut r = Utf8Repair::new(Chunks(data, n));
            let mut head = [0u8; 7];
            r.read_exact(&mut head).unwrap();
            assert_eq!(&head, "ab\u{fffd}cd".as_bytes());
            assert_eq!((r.repairs.as_slice(), r.repair_count), (&[2][..], 1));
        }
    }

    #[test]
    fn sequences_split_across_chunks_survive() {
        let mut data = vec![b'a'; 64 * 1024 - 1];
        data.extend_from_slice("€".as_bytes()); // 3 bytes straddling the chunk boundary
        data.extend_from_slice(b"z\xff");
        let (s, at) = repair(&data);
        assert!(s.ends_with("a€z\u{fffd}"));
        assert_eq!(at, vec![64 * 1024 + 3]);
    }
}
