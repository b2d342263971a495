//! Reading a large file on a helper thread, a few buffers ahead of its decoder.
//!
//! Why: for a large member (an Apple Health `export.xml` of hundreds of megabytes) the decoder
//! thread did three jobs in turn: inflating the zip member, hashing the content (SHA-256, the
//! file's identity in `source_files`), and parsing. Parsing and the writer's inserts take
//! about the same time, so both cores were busy, but not all the time: whenever one waited for
//! the other the core sat idle. Inflating and hashing on a third thread lets that work fill the
//! gaps (1M-record export: figures in docs/BENCHMARKS.md). Small files (workout routes) are
//! read in place: a thread per file would cost more than it saves.
//!
//! Memory stays bounded: at most [`BUFFERS`] buffers of [`BUFFER_SIZE`] bytes exist, handed back
//! and forth between the two threads. An error from the inner reader reaches the decoder after
//! the bytes read before it, as it would without the helper.

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

/// Buffers in flight between the helper and the decoder.
pub const BUFFERS: usize = 4;
/// Bytes per buffer (the size of the decoder's own read buffer before).
pub const BUFFER_SIZE: usize = 256 * 1024;
/// Files smaller than this are read on the decoder's thread.
pub const MIN_SIZE: u64 = 4 << 20;

/// The decoder's end: a `BufRead` over what the helper thread read.
pub struct ReadAhead {
    full: Receiver<io::Result<Vec<u8>>>,
    empty: SyncSender<Vec<u8>>,
    buf: Vec<u8>,
    pos: usize,
}

/// Starts reading `inner` on a thread of `scope`. The thread ends at the end of `inner`, at its
/// first error, or when the [`ReadAhead`] is dropped, and returns `inner`.
pub fn spawn<'scope, 'env, R: Read + Send + 'scope>(
    scope: &'scope Scope<'scope, 'env>,
    mut inner: R,
) -> io::Result<(ReadAhead, ScopedJoinHandle<'scope, R>)> {
    let (full_tx, full) = sync_channel::<io::Result<Vec<u8>>>(BUFFERS);
    let (empty, empty_rx) = sync_channel::<Vec<u8>>(BUFFERS);
    let helper = std::thread::Builder::new()
        .name("trove-read".into())
        .spawn_scoped(scope, move || {
            let mut made = 0;
            loop {
                let mut buf = match empty_rx.try_recv() {
                    Ok(b) => b,
                    Err(TryRecvError::Empty) if made < BUFFERS => {
                        made += 1;
                        vec![0; BUFFER_SIZE]
                    }
                    Err(_) => match empty_rx.recv() {
                        Ok(b) => b,
                        // The decoder is gone.
                        Err(_) => return inner,
                    },
                };
                buf.resize(BUFFER_SIZE, 0);
                let mut n = 0;
                let mut failed = None;
                while n < BUFFER_SIZE {
                    match inner.read(&mut buf[n..]) {
                        Ok(0) => break,
                        Ok(k) => n += k,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            failed = Some(e);
                            break;
                        }
                    }
                }
                buf.truncate(n);
                let end = n < BUFFER_SIZE;
                if n > 0 && full_tx.send(Ok(buf)).is_err() {
                    return inner;
                }
                if let Some(e) = failed {
                    let _ = full_tx.send(Err(e));
                    return inner;
                }
                if end {
                    // Dropping the sender tells the decoder the file ended.
                    return inner;
                }
            }
        })?;
    Ok((
        ReadAhead {
            full,
            empty,
            buf: Vec::new(),
            pos: 0,
        },
        helper,
    ))
}

impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos == self.buf.len() {
            let used = std::mem::take(&mut self.buf);
            if used.capacity() > 0 {
                // The helper may have finished; then the buffer is simply dropped.
                let _ = self.empty.try_send(used);
            }
            self.pos = 0;
            match self.full.recv() {
                Ok(Ok(buf)) => self.buf = buf,
                Ok(Err(e)) => return Err(e),
                // The helper ended: the end of the file.
                Err(_) => {}
            }
        }
        Ok(&self.buf[self.pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.buf.len());
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, then fails once if told to.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        fail_at_end: bool,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.at == self.bytes.len() && self.fail_at_end {
                self.fail_at_end = false;
                return Err(io::Error::other("broken"));
            }
            let n = out.len().min(777).min(self.bytes.len() - self.at);
            out[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn input(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 31 % 251) as u8).collect()
    }

    #[test]
    fn reads_everything_in_order_whatever_the_size() {
        for len in [
            0,
            1,
            BUFFER_SIZE - 1,
            BUFFER_SIZE,
            BUFFER_SIZE + 1,
            9 * BUFFER_SIZE + 5,
        ] {
            let bytes = input(len);
            let (got, inner) = std::thread::scope(|s| {
                let trickle = Trickle {
                    bytes: bytes.clone(),
                    at: 0,
                    fail_at_end: false,
                };
                let (mut r, helper) = spawn(s, trickle).unwrap();
                let mut got = Vec::new();
                r.read_to_end(&mut got).unwrap();
                drop(r);
                (got, helper.join().unwrap())
            });
            assert_eq!(got, bytes, "{len} bytes");
            assert_eq!(inner.at, len);
        }
    }

    #[test]
    fn an_error_comes_after_the_bytes_before_it() {
        let bytes = input(3 * BUFFER_SIZE + 10);
        std::thread::scope(|s| {
            let trickle = Trickle {
                bytes: bytes.clone(),
                at: 0,
                fail_at_end: true,
            };
            let (mut r, helper) = spawn(s, trickle).unwrap();
            let mut got = Vec::new();
            let err = r.read_to_end(&mut got).unwrap_err();
            assert_eq!(err.to_string(), "broken");
            assert_eq!(got, bytes);
            drop(r);
            helper.join().unwrap();
        });
    }

    #[test]
    fn dropping_the_reader_stops_the_helper() {
        let bytes = input(64 * BUFFER_SIZE);
        let read = std::thread::scope(|s| {
            let trickle = Trickle {
                bytes,
                at: 0,
                fail_at_end: false,
            };
            let (mut r, helper) = spawn(s, trickle).unwrap();
            let mut first = [0u8; 10];
            r.read_exact(&mut first).unwrap();
            drop(r);
            helper.join().unwrap().at
        });
        // What was read ahead at most, not the whole input.
        assert!(read <= (BUFFERS + 2) * BUFFER_SIZE, "{read}");
    }
}
