//! The one place files (avatars, uploaded imports, export files) are kept, under
//! keys like `avatars/users/7-ab12.png`: on local disk under the data directory by
//! default, or in an S3-compatible bucket that several instances share. Both are
//! `object_store` stores, so every caller reads and writes the same way whichever
//! is configured.

mod blob;
mod image;
mod staged;

pub use blob::{Blob, Ranges};
pub use image::{check_avatar, ImageKind};
pub use staged::Staged;

use crate::{Error, Result};
use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use std::sync::Arc;
use std::time::Duration;

/// An S3-compatible bucket and how to sign in to it. What is left unset here
/// comes from the standard `AWS_*` variables (or the instance's role on AWS).
#[derive(Debug, Clone)]
pub struct S3Config {
    pub bucket: String,
    /// Another provider's address (MinIO, R2, …); `http://` is allowed for one on
    /// a private network.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// Whether other instances see the files this one stores.
    shared: bool,
    /// Public URL prefix where `/files/{key}` is served.
    url_prefix: String,
}

/// A stored file on its way to a client: its size, then its bytes as they come.
pub struct Download {
    pub size: u64,
    pub bytes: BoxStream<'static, std::io::Result<Bytes>>,
}

impl Storage {
    /// Files under `root` on this machine's disk: other instances cannot read them.
    pub fn local(root: &std::path::Path, public_url: &str) -> object_store::Result<Storage> {
        std::fs::create_dir_all(root).map_err(|source| object_store::Error::Generic {
            store: "LocalFileSystem",
            source: Box::new(source),
        })?;
        let store = LocalFileSystem::new_with_prefix(root)?;
        Ok(Storage::of(Arc::new(store), false, public_url))
    }

    /// Files in an S3-compatible bucket, shared by every instance configured so.
    pub fn s3(config: &S3Config, public_url: &str) -> object_store::Result<Storage> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&config.bucket)
            // A store that is down fails a request within seconds, not minutes.
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(15),
                ..RetryConfig::default()
            });
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let Some(region) = &config.region {
            builder = builder.with_region(region);
        }
        if let Some(id) = &config.access_key_id {
            builder = builder.with_access_key_id(id);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        Ok(Storage::of(Arc::new(builder.build()?), true, public_url))
    }

    fn of(store: Arc<dyn ObjectStore>, shared: bool, public_url: &str) -> Storage {
        Storage {
            store,
            shared,
            url_prefix: format!("{}/files", public_url.trim_end_matches('/')),
        }
    }

    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// Writes and removes a file of its own: a wrong key, bucket or permission
    /// says so at start-up, not at a user's first upload.
    pub async fn check(&self) -> object_store::Result<()> {
        let probe = Path::from(format!("probes/{}", crate::secret::generate("")));
        self.store.put(&probe, PutPayload::default()).await?;
        self.store.delete(&probe).await
    }

    fn path(key: &str) -> Result<Path> {
        if key
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(Error::not_found("file"));
        }
        Path::parse(key).map_err(|_| Error::not_found("file"))
    }

    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let payload = PutPayload::from(Bytes::copy_from_slice(bytes));
        self.store
            .put(&Storage::path(key)?, payload)
            .await
            .map_err(failed)?;
        Ok(())
    }

    /// A file written piece by piece (an upload as it streams in), invisible under
    /// its key until committed and thrown away if dropped before.
    pub fn create_staged(&self, key: &str) -> Result<Staged> {
        Ok(Staged::new(self.store.clone(), Storage::path(key)?))
    }

    /// The stored file for reading from a blocking thread, from any offset.
    pub async fn blob(&self, key: &str) -> Result<Blob> {
        let path = Storage::path(key)?;
        let meta = self.store.head(&path).await.map_err(failed)?;
        Ok(Blob::new(self.store.clone(), path, meta.size))
    }

    /// The stored file as a stream, for a response.
    pub async fn download(&self, key: &str) -> Result<Download> {
        let got = self.store.get(&Storage::path(key)?).await.map_err(failed)?;
        Ok(Download {
            size: got.meta.size,
            bytes: got.into_stream().map(|r| r.map_err(io_failed)).boxed(),
        })
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.store.delete(&Storage::path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed(e)),
        }
    }

    pub fn url(&self, key: &str) -> String {
        format!("{}/{key}", self.url_prefix)
    }
}

/// A missing file is the caller's 404; a store that fails is logged and makes
/// the request unavailable for now (the store may be back in a moment).
fn failed(e: object_store::Error) -> Error {
    match e {
        object_store::Error::NotFound { .. } => Error::not_found("file"),
        e => {
            tracing::error!(error = %e, "the file store failed");
            Error::Unavailable
        }
    }
}

fn io_failed(e: object_store::Error) -> std::io::Error {
    tracing::error!(error = %e, "reading from the file store failed");
    std::io::Error::other(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_keys_that_escape_the_root() {
        assert!(Storage::path("../etc/passwd").is_err());
        assert!(Storage::path("avatars//a").is_err());
        assert!(Storage::path("avatars/./a").is_err());
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::local(dir.path(), "http://h").unwrap();
        assert_eq!(s.url("avatars/a.png"), "http://h/files/avatars/a.png");
    }

    #[tokio::test]
    async fn a_staged_file_appears_whole_at_its_commit_and_not_at_all_if_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::local(dir.path(), "http://h").unwrap();
        let mut kept = s.create_staged("imports/1/a.csv").unwrap();
        kept.write(b"name\n").await.unwrap();
        kept.write(b"Ada\n").await.unwrap();
        assert!(
            s.blob("imports/1/a.csv").await.is_err(),
            "not before the commit"
        );
        kept.commit().await.unwrap();
        let blob = s.blob("imports/1/a.csv").await.unwrap();
        let read = tokio::task::spawn_blocking(move || {
            let from = |offset: u64| {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut blob.read_from(offset), &mut text).unwrap();
                text
            };
            (from(0), from(5), from(9), from(100))
        });
        let whole = (
            "name\nAda\n".into(),
            "Ada\n".into(),
            String::new(),
            String::new(),
        );
        assert_eq!(read.await.unwrap(), whole);

        let mut dropped = s.create_staged("imports/1/b.csv").unwrap();
        dropped.write(b"name\n").await.unwrap();
        drop(dropped);
        assert!(matches!(
            s.blob("imports/1/b.csv").await,
            Err(Error::NotFound(_))
        ));
        s.delete("imports/1/b.csv").await.unwrap();
        s.delete("imports/1/a.csv").await.unwrap();
        assert!(s.blob("imports/1/a.csv").await.is_err());
    }
}
