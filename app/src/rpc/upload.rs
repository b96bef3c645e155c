//! Reading a multipart form posted by a plain `<form>` (works before the WASM loads).

#[cfg(feature = "ssr")]
use crate::error::AppResult;
#[cfg(feature = "ssr")]
use leptos::server_fn::codec::MultipartData;

/// The form's uploaded `file` part, refused past `max` bytes while it streams in,
/// and its text fields by name.
#[cfg(feature = "ssr")]
pub(crate) async fn read_form(
    data: MultipartData,
    max: usize,
) -> AppResult<(Vec<u8>, std::collections::HashMap<String, String>)> {
    let mut data = data
        .into_inner()
        .ok_or_else(|| leadsy::Error::field("file", "is required"))?;
    let mut bytes = Vec::new();
    let mut fields = std::collections::HashMap::new();
    while let Ok(Some(mut field)) = data.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        if name != "file" {
            if let Ok(text) = field.text().await {
                fields.insert(name, text);
            }
            continue;
        }
        while let Ok(Some(chunk)) = field.chunk().await {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > max {
                return Err(leadsy::Error::TooLarge(format!(
                    "the image must be at most {} KiB",
                    max / 1024
                ))
                .into());
            }
        }
    }
    Ok((bytes, fields))
}
