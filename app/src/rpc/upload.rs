//! Reading a multipart form posted by a plain `<form>` (works before the WASM loads).

#[cfg(feature = "ssr")]
use crate::error::AppResult;
#[cfg(feature = "ssr")]
use leptos::server_fn::codec::MultipartData;

/// A form's text parts (ids, names) are short; longer ones are refused, not read.
#[cfg(feature = "ssr")]
const MAX_TEXT_BYTES: usize = 4096;
#[cfg(feature = "ssr")]
const MAX_TEXT_PARTS: usize = 16;

/// One text part of a form, read up to `MAX_TEXT_BYTES`.
#[cfg(feature = "ssr")]
pub(crate) async fn small_text(field: &mut multer::Field<'static>) -> AppResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|e| leadsy::Error::BadRequest(format!("the form did not arrive whole: {e}")))?
    {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_TEXT_BYTES {
            return Err(leadsy::Error::TooLarge(format!(
                "a form field must be at most {MAX_TEXT_BYTES} bytes"
            ))
            .into());
        }
    }
    String::from_utf8(bytes)
        .map_err(|_| leadsy::Error::BadRequest("a form field is not UTF-8 text".into()).into())
}

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
            if fields.len() >= MAX_TEXT_PARTS {
                return Err(
                    leadsy::Error::BadRequest("the form has too many fields".into()).into(),
                );
            }
            fields.insert(name, small_text(&mut field).await?);
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
