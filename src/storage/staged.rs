//! A file stored as it arrives. It is buffered up to one part; a larger file goes
//! up part by part (a multipart upload on S3), so an upload of any size holds a
//! few parts in memory, never the whole file.

use crate::{Error, Result};
use bytes::Bytes;
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::ObjectStore;
use std::sync::Arc;

/// S3 wants parts of at least 5 MiB; two may be on their way while the next fills.
const PART_BYTES: usize = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT: usize = 2;

pub struct Staged {
    /// `None` once committed.
    writer: Option<BufWriter>,
}

impl Staged {
    pub(super) fn new(store: Arc<dyn ObjectStore>, path: Path) -> Staged {
        let writer =
            BufWriter::with_capacity(store, path, PART_BYTES).with_max_concurrency(PARTS_IN_FLIGHT);
        Staged {
            writer: Some(writer),
        }
    }

    pub async fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let writer = self.writer.as_mut().ok_or(Error::Internal)?;
        writer
            .put(Bytes::copy_from_slice(bytes))
            .await
            .map_err(super::failed)
    }

    /// Stores what was written under the key, all of it at once.
    pub async fn commit(mut self) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        let mut writer = self.writer.take().ok_or(Error::Internal)?;
        writer.shutdown().await.map_err(|e| {
            tracing::error!(error = %e, "storing a file failed");
            Error::Unavailable
        })
    }
}

impl Drop for Staged {
    /// Parts already sent are thrown away (a file on disk is written under a
    /// temporary name, which its own drop removes).
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Err(e) = writer.abort().await {
                        tracing::warn!(error = %e, "a dropped upload's parts were not removed");
                    }
                });
            }
        }
    }
}
