//! The contract between decoders and the writer.
//!
//! A [`Decoder`] reads one file and emits [`Record`]s through an [`Emitter`], which batches
//! them onto a bounded channel; the writer, on the calling thread, inserts them. So parsing
//! (and inflating) runs on one core while SQLCipher inserts run on the other, and memory stays
//! bounded by the channel's capacity whatever the file's size.

use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;

use crate::model::{
    DeviceInfo, Event, EventRef, Handle, MediaPart, Record, Rejection, Sample, TrackPoint,
};

/// Records per batch sent to the writer.
pub const BATCH: usize = 4096;
/// Heap bytes ([`Record::heap_bytes`]) after which a batch goes to the writer however few
/// records it holds: records differ in size by orders of magnitude (an HRV sample carries its
/// beat-to-beat list, a clinical record its whole FHIR resource), and batches bounded by
/// count alone let the channel hold 4 × 4096 large records at once. So the channel holds at
/// most [`CHANNEL_BATCHES`] × (4096 slots + 256 KiB + one record).
pub const BATCH_BYTES: usize = 256 << 10;
/// A file's first batch: batches start small and double up to [`BATCH`], so the writer starts
/// on a small file (a workout route, a month of Fitbit data) while the decoder is still
/// reading it, instead of receiving the whole file as one batch at its end. An export of
/// hundreds of small files was otherwise decoded and written one after the other.
pub const FIRST_BATCH: usize = 128;
/// Batches in flight between the decoder and the writer. The writer is the slower side, so a
/// few batches keep it busy; more would only hold more memory (4 × 4096 records of up to
/// 216 bytes, plus their attributes).
pub const CHANNEL_BATCHES: usize = 4;
/// Bytes per media chunk (each chunk travels as its own batch).
pub const MEDIA_CHUNK: usize = 1 << 20;

/// Why a decoder stopped early.
#[derive(Debug)]
pub enum DecodeError {
    /// The file cannot be read further (truncated, not the expected format). Records emitted
    /// before it are kept unless `--strict`.
    Fatal { locator: String, message: String },
    /// The writer went away or the user interrupted: stop quietly.
    Stopped,
}

impl DecodeError {
    pub fn fatal(locator: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError::Fatal {
            locator: locator.into(),
            message: message.into(),
        }
    }
}

pub type DecodeResult = std::result::Result<(), DecodeError>;

pub trait Decoder: Send {
    fn decode(&mut self, input: &mut dyn BufRead, out: &mut Emitter) -> DecodeResult;
}

pub struct Emitter {
    batch: Vec<Record>,
    /// The size of the batch being filled (from [`FIRST_BATCH`] up to [`BATCH`]).
    limit: usize,
    /// Heap bytes of the records in `batch`.
    bytes: usize,
    tx: SyncSender<Vec<Record>>,
    interrupted: Arc<AtomicBool>,
    next_handle: Handle,
}

impl Emitter {
    pub fn new(tx: SyncSender<Vec<Record>>, interrupted: Arc<AtomicBool>) -> Self {
        Emitter {
            batch: Vec::with_capacity(FIRST_BATCH),
            limit: FIRST_BATCH,
            bytes: 0,
            tx,
            interrupted,
            next_handle: 0,
        }
    }

    pub fn emit(&mut self, record: Record) -> DecodeResult {
        self.bytes += record.heap_bytes();
        self.batch.push(record);
        if self.batch.len() >= self.limit || self.bytes >= BATCH_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> DecodeResult {
        if self.interrupted.load(Ordering::Relaxed) {
            return Err(DecodeError::Stopped);
        }
        if self.batch.is_empty() {
            return Ok(());
        }
        self.limit = (self.limit * 2).min(BATCH);
        self.bytes = 0;
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(self.limit));
        self.tx.send(batch).map_err(|_| DecodeError::Stopped)
    }

    fn handle(&mut self) -> Handle {
        let h = self.next_handle;
        self.next_handle += 1;
        h
    }

    /// Declares a device; samples and events refer to it by the returned handle.
    pub fn device(&mut self, info: DeviceInfo) -> Result<Handle, DecodeError> {
        let handle = self.handle();
        self.emit(Record::Device { handle, info })?;
        Ok(handle)
    }

    pub fn sample(&mut self, sample: Sample) -> DecodeResult {
        self.emit(Record::Sample(sample))
    }

    /// Emits an event nothing in the file will refer to (a tweet, a message). The writer
    /// keeps a row id for every handle it is given until the file ends, so a file of a
    /// million such events would otherwise hold a million ids in memory.
    pub fn leaf_event(&mut self, event: Event) -> DecodeResult {
        self.emit(Record::Event {
            handle: None,
            event: Box::new(event),
        })
    }

    /// Emits an event; children refer to it by the returned handle.
    pub fn event(&mut self, event: Event) -> Result<Handle, DecodeError> {
        let handle = self.handle();
        self.emit(Record::Event {
            handle: Some(handle),
            event: Box::new(event),
        })?;
        Ok(handle)
    }

    /// A handle for whatever `target` resolves to (see [`Record::Alias`]).
    pub fn alias(&mut self, target: EventRef) -> Result<Handle, DecodeError> {
        let handle = self.handle();
        self.emit(Record::Alias { handle, target })?;
        Ok(handle)
    }

    /// Sets the span and attributes of an event emitted earlier (see [`Record::Extent`]).
    pub fn extent(
        &mut self,
        handle: Handle,
        start_ms: Option<i64>,
        end_ms: Option<i64>,
        attrs: Option<String>,
    ) -> DecodeResult {
        self.emit(Record::Extent {
            handle,
            start_ms,
            end_ms,
            attrs,
        })
    }

    pub fn track_point(&mut self, point: TrackPoint) -> DecodeResult {
        self.emit(Record::TrackPoint(point))
    }

    /// Copies a media file into the vault: reads `input` to its end in chunks, each sent to
    /// the writer on its own, so memory stays bounded by the channel whatever the file's size.
    pub fn media(
        &mut self,
        name: String,
        member: String,
        mime: Option<String>,
        size: u64,
        event: Option<EventRef>,
        input: &mut dyn std::io::Read,
    ) -> DecodeResult {
        self.emit(Record::Media(MediaPart::Start {
            name,
            member,
            mime,
            size,
            event,
        }))?;
        let mut buf = vec![0u8; MEDIA_CHUNK];
        loop {
            let mut filled = 0;
            while filled < buf.len() {
                match input.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        // The writer drops a file that ends early; say why.
                        self.emit(Record::Media(MediaPart::End))?;
                        return Err(DecodeError::fatal(
                            format!("byte {filled}"),
                            format!("unreadable: {e}"),
                        ));
                    }
                }
            }
            if filled == 0 {
                break;
            }
            self.emit(Record::Media(MediaPart::Chunk(buf[..filled].to_vec())))?;
            self.flush()?;
            if filled < buf.len() {
                break;
            }
        }
        self.emit(Record::Media(MediaPart::End))
    }

    pub fn reject(
        &mut self,
        locator: impl Into<String>,
        message: impl Into<String>,
        excerpt: Option<String>,
    ) -> DecodeResult {
        self.emit(Record::Reject(Rejection {
            locator: locator.into(),
            message: message.into(),
            excerpt: excerpt.map(|e| truncate(&e, 200)),
        }))
    }

    /// A problem worth recording that is not a rejected record (e.g. a repaired byte).
    pub fn warn(&mut self, locator: impl Into<String>, message: impl Into<String>) -> DecodeResult {
        self.emit(Record::Warn(Rejection {
            locator: locator.into(),
            message: message.into(),
            excerpt: None,
        }))
    }

    /// Reports the repairs a [`crate::import::utf8::Utf8Repair`] made.
    pub fn report_repairs(&mut self, repairs: &[u64], count: u64) -> DecodeResult {
        for at in repairs {
            self.warn(format!("byte {at}"), "invalid UTF-8 replaced with U+FFFD")?;
        }
        if count > repairs.len() as u64 {
            self.warn(
                "file",
                format!(
                    "{} more invalid UTF-8 sequences replaced with U+FFFD",
                    count - repairs.len() as u64
                ),
            )?;
        }
        Ok(())
    }

    /// Counts a record that was read and deliberately not imported.
    pub fn skip(&mut self) -> DecodeResult {
        self.emit(Record::Skip)
    }

    /// Attaches a note to the file's report (not a record, not an error).
    pub fn note(&mut self, message: impl Into<String>) -> DecodeResult {
        self.emit(Record::Note(truncate(&message.into(), 300)))
    }
}

/// Shortens text for error excerpts, on a character boundary.
pub fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_start_small_and_double_up_to_the_full_size() {
        let (tx, rx) = std::sync::mpsc::sync_channel(64);
        let mut out = Emitter::new(tx, Arc::new(AtomicBool::new(false)));
        for _ in 0..20_000 {
            out.skip().unwrap();
        }
        out.flush().unwrap();
        drop(out);
        let sizes: Vec<usize> = rx.iter().map(|b| b.len()).collect();
        // 128 + 256 + … + 2048 = 3968; then 4096 each; the rest at the end.
        assert_eq!(
            sizes,
            [128, 256, 512, 1024, 2048, 4096, 4096, 4096, 3744],
            "{sizes:?}"
        );
        assert_eq!(sizes.iter().sum::<usize>(), 20_000);
    }

    /// Large records (an HRV sample's beat list) end a batch by bytes, long before 4096 of
    /// them: the channel's memory is bounded whatever the records hold.
    #[test]
    fn batches_of_large_records_end_by_bytes() {
        let (tx, rx) = std::sync::mpsc::sync_channel(64);
        let mut out = Emitter::new(tx, Arc::new(AtomicBool::new(false)));
        for _ in 0..8000 {
            out.emit(Record::Note("x".repeat(1000))).unwrap();
        }
        out.flush().unwrap();
        drop(out);
        let batches: Vec<Vec<Record>> = rx.iter().collect();
        let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
        // 128 notes of 1000 bytes are 128,000 bytes; the 263rd crosses 256 KiB.
        assert_eq!(&sizes[..3], [128, 256, 263], "{sizes:?}");
        assert!(
            sizes[2..sizes.len() - 1].iter().all(|&n| n == 263),
            "{sizes:?}"
        );
        assert_eq!(sizes.iter().sum::<usize>(), 8000);
        for b in &batches {
            let bytes: usize = b.iter().map(Record::heap_bytes).sum();
            assert!(bytes < BATCH_BYTES + 1000, "{bytes}");
        }
    }
}
