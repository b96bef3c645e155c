//! What an avatar may be: an image recognised by its first bytes, never by its name.

use crate::{Error, Result};

/// Image kinds accepted for avatars.
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

    /// The kind a stored avatar's key names by its extension (the key was made
    /// from the sniffed kind, so this is the content's own).
    pub fn of_key(key: &str) -> Option<ImageKind> {
        match key.rsplit_once('.')?.1 {
            "png" => Some(ImageKind::Png),
            "jpg" => Some(ImageKind::Jpeg),
            "webp" => Some(ImageKind::Webp),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
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
        for kind in [ImageKind::Png, ImageKind::Jpeg, ImageKind::Webp] {
            let key = format!("avatars/users/7-ab.{}", kind.extension());
            assert_eq!(ImageKind::of_key(&key), Some(kind));
        }
        assert_eq!(ImageKind::of_key("avatars/users/7-ab.svg"), None);
        assert!(matches!(
            check_avatar(&[0u8; 10], 5),
            Err(Error::TooLarge(_))
        ));
        assert!(matches!(
            check_avatar(b"<svg/>", 100),
            Err(Error::Validation { .. })
        ));
    }
}
