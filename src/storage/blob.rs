//! A stored file read from a blocking thread (the import reader), from any byte
//! offset. It is fetched in ranges, each its own short request: a small one first
//! (a reader is often dropped after a few bytes: the format sniff, a resume's
//! look back), then larger ones up to 8 MiB. One GET held open for a whole import
//! would outlive the store client's request timeout.

use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};
use std::io::Read;
use std::sync::Arc;
use tokio::runtime::Handle;

const FIRST_RANGE: u64 = 256 * 1024;
const LARGEST_RANGE: u64 = 8 * 1024 * 1024;

#[derive(Clone)]
pub struct Blob {
    store: Arc<dyn ObjectStore>,
    path: Path,
    size: u64,
    runtime: Handle,
}

impl Blob {
    /// Made on the runtime, whose handle the reads use.
    pub(super) fn new(store: Arc<dyn ObjectStore>, path: Path, size: u64) -> Blob {
        Blob {
            store,
            path,
            size,
            runtime: Handle::current(),
        }
    }

    /// The file's bytes from `offset` to its end. Its reads block: read it from a
    /// blocking thread, never from the runtime's own.
    pub fn read_from(&self, offset: u64) -> Ranges {
        Ranges {
            blob: self.clone(),
            at: offset.min(self.size),
            next_range: FIRST_RANGE,
            buffer: bytes::Bytes::new(),
        }
    }
}

/// A reader over a blob, one range at a time.
pub struct Ranges {
    blob: Blob,
    /// Where the next range starts.
    at: u64,
    next_range: u64,
    buffer: bytes::Bytes,
}

impl Read for Ranges {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.buffer.is_empty() && self.at < self.blob.size {
            let end = (self.at + self.next_range).min(self.blob.size);
            let b = &self.blob;
            self.buffer = b
                .runtime
                .block_on(b.store.get_range(&b.path, self.at..end))
                .map_err(super::io_failed)?;
            self.at = end;
            self.next_range = (self.next_range * 2).min(LARGEST_RANGE);
        }
        let n = out.len().min(self.buffer.len());
        out[..n].copy_from_slice(&self.buffer.split_to(n));
        Ok(n)
    }
}
