//! A stored file read from a blocking thread (the import reader), from any byte
//! offset: a file on disk is opened and seeked, a file in a bucket is asked for
//! from the offset on and read as it streams in.

use crate::{Error, Result};
use futures::TryStreamExt;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, GetResultPayload, ObjectStore};
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;
use tokio::runtime::Handle;
use tokio_util::io::{StreamReader, SyncIoBridge};

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

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The file's bytes from `offset` to its end. Blocks: call it from a blocking
    /// thread, never from the runtime's own.
    pub fn read_from(&self, offset: u64) -> Result<Box<dyn Read + Send>> {
        if offset >= self.size {
            return Ok(Box::new(std::io::empty()));
        }
        let options = GetOptions {
            range: Some(GetRange::Offset(offset)),
            ..GetOptions::default()
        };
        let got = self
            .runtime
            .block_on(self.store.get_opts(&self.path, options))
            .map_err(super::failed)?;
        let range = got.range.clone();
        Ok(match got.payload {
            GetResultPayload::File(mut file, _) => {
                file.seek(SeekFrom::Start(range.start))
                    .map_err(Error::internal)?;
                Box::new(file.take(range.end - range.start))
            }
            GetResultPayload::Stream(stream) => {
                let reader = StreamReader::new(stream.map_err(super::io_failed));
                Box::new(SyncIoBridge::new_with_handle(reader, self.runtime.clone()))
            }
        })
    }
}
