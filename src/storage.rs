//! The one place files (avatars, uploaded CSVs) are kept: local disk under the data
//! directory by default, addressed by keys like `avatars/users/7-ab12.png`.

use crate::{Error, Result};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Storage {
    root: PathBuf,
    /// Public URL prefix where `/files/{key}` is served.
    url_prefix: String,
}

impl Storage {
    pub fn local(root: PathBuf, public_url: &str) -> Storage {
        Storage {
            root,
            url_prefix: format!("{}/files", public_url.trim_end_matches('/')),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> Result<PathBuf> {
        if key
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(Error::not_found("file"));
        }
        Ok(self.root.join(key))
    }

    /// Where a file for `key` goes, and the temporary name it is written under
    /// first, so that a crash never leaves half a file under the key.
    async fn paths_for(&self, key: &str) -> Result<(PathBuf, PathBuf)> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(Error::internal)?;
        }
        let tmp = path.with_extension("part");
        Ok((path, tmp))
    }

    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let (path, tmp) = self.paths_for(key).await?;
        tokio::fs::write(&tmp, bytes)
            .await
            .map_err(Error::internal)?;
        tokio::fs::rename(&tmp, &path)
            .await
            .map_err(Error::internal)?;
        Ok(())
    }

    /// A file written piece by piece (an upload as it streams in), invisible under
    /// its key until committed and removed if dropped before.
    pub async fn create_staged(&self, key: &str) -> Result<Staged> {
        let (path, tmp) = self.paths_for(key).await?;
        let file = tokio::fs::File::create(&tmp)
            .await
            .map_err(Error::internal)?;
        Ok(Staged {
            file,
            tmp,
            path,
            committed: false,
        })
    }

    /// The stored file for reading from a blocking thread (imports stream it).
    pub fn open(&self, key: &str) -> Result<std::fs::File> {
        std::fs::File::open(self.path(key)?).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::not_found("file"),
            _ => Error::internal(e),
        })
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::internal(e)),
        }
    }

    pub fn url(&self, key: &str) -> String {
        format!("{}/{key}", self.url_prefix)
    }
}

pub struct Staged {
    file: tokio::fs::File,
    tmp: PathBuf,
    path: PathBuf,
    committed: bool,
}

impl Staged {
    pub async fn write(&mut self, bytes: &[u8]) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        self.file.write_all(bytes).await.map_err(Error::internal)
    }

    /// Flushes the file to disk, then gives it its key.
    pub async fn commit(mut self) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        // Tokio hands writes to a blocking thread: the last one may still be in flight.
        self.file.flush().await.map_err(Error::internal)?;
        self.file.sync_all().await.map_err(Error::internal)?;
        tokio::fs::rename(&self.tmp, &self.path)
            .await
            .map_err(Error::internal)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Image kinds accepted for avatars, recognised by their first bytes, never by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Webp => "webp",
        }
    }
}

/// Checks an uploaded avatar and returns its kind: too large is 413, anything that
/// is not a png, jpeg or webp by content is 422.
pub fn check_avatar(bytes: &[u8], max: usize) -> Result<ImageKind> {
    if bytes.len() > max {
        return Err(Error::TooLarge(format!(
            "the image must be at most {} KiB",
            max / 1024
        )));
    }
    if bytes.is_empty() {
        return Err(Error::field("file", "is required"));
    }
    ImageKind::sniff(bytes).ok_or_else(|| Error::field("file", "must be a png, jpeg or webp image"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a"), None);
        assert!(matches!(
            check_avatar(&[0u8; 10], 5),
            Err(Error::TooLarge(_))
        ));
        assert!(matches!(
            check_avatar(b"<svg/>", 100),
            Err(Error::Validation { .. })
        ));
    }

    #[test]
    fn refuses_keys_that_escape_the_root() {
        let s = Storage::local(PathBuf::from("/tmp/x"), "http://h");
        assert!(s.path("../etc/passwd").is_err());
        assert!(s.path("avatars//a").is_err());
        assert_eq!(s.url("avatars/a.png"), "http://h/files/avatars/a.png");
    }
}
