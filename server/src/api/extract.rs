//! Request bodies parsed to the contract's rules: malformed JSON is 400, a wrong type
//! or an unknown field (which could try to set a protected column) is 422 naming
//! the field, and an oversized upload is 413. Nothing is written in any of these cases.

use super::error::ApiError;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{FromRequest, Multipart, Query, Request};
use axum::http::header::CONTENT_TYPE;
use bytes::Bytes;
use leadsy::Error;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json_type);
        if !is_json {
            return Err(Error::BadRequest(
                "the body must be JSON (Content-Type: application/json)".into(),
            )
            .into());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge("the request body is too large".into())
            } else {
                Error::BadRequest("the request body did not arrive whole".into())
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// `application/json`, with parameters (`; charset=utf-8`) or not, and nothing
/// else: a type a browser may send cross-site without asking first, such as
/// `text/plain;x=+json`, is not JSON here.
fn is_json_type(value: &str) -> bool {
    value
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a body. JSON has one number type, and JSON Schema counts `2.0` as the
/// integer 2, so a whole number written with a fraction is read as that integer.
/// Text holding the NUL character is refused here, for every field at once:
/// PostgreSQL cannot store it.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError(Error::BadRequest(format!("malformed JSON: {e}"))))?;
    if let Err(field) = prepare(&mut value, "") {
        let field = if field.is_empty() {
            "body".into()
        } else {
            field
        };
        return Err(Error::field(&field, NO_NUL).into());
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let msg = inner.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            let field = if path == "." {
                unknown_field(&msg).unwrap_or_else(|| "body".into())
            } else {
                path
            };
            ApiError(Error::field(&field, &msg))
        } else {
            ApiError(Error::BadRequest(format!("malformed JSON: {inner}")))
        }
    })
}

const NO_NUL: &str = "must not contain the NUL character";

/// Whole numbers become integers; the path of the first text holding NUL is the error.
fn prepare(value: &mut serde_json::Value, path: &str) -> Result<(), String> {
    use serde_json::Value;
    match value {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64() {
                // Inside ±2^53 every whole f64 is exactly that integer.
                if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
                    *value = Value::from(f as i64);
                }
            }
            Ok(())
        }
        Value::String(text) if text.contains('\0') => Err(path.to_string()),
        Value::Array(items) => items
            .iter_mut()
            .enumerate()
            .try_for_each(|(i, item)| prepare(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter_mut().try_for_each(|(key, item)| {
            if key.contains('\0') {
                return Err(path.to_string());
            }
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            prepare(item, &at)
        }),
        _ => Ok(()),
    }
}

/// serde names the offending key inside its message: "unknown field `role`, expected ...".
fn unknown_field(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("missing field `"))?;
    rest.split('`').next().map(str::to_string)
}

/// Query strings with the envelope's 422 on a bad value instead of axum's plain text.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if query.to_ascii_lowercase().contains("%00") {
            return Err(ApiError(Error::field("query", NO_NUL)));
        }
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError(Error::field("query", &e.body_text())))
    }
}

/// A multipart body that cannot be read: 400.
pub fn malformed(e: MultipartError) -> ApiError {
    ApiError(Error::BadRequest(format!(
        "malformed multipart body: {}",
        e.body_text()
    )))
}

/// The upload's `file` part. The form holds that part alone, as the document says:
/// any other part is refused rather than silently skipped.
pub async fn file_field(multipart: &mut Multipart) -> Result<Field<'_>, ApiError> {
    match multipart.next_field().await.map_err(malformed)? {
        Some(field) if field.name() == Some("file") => Ok(field),
        Some(field) => Err(extra_part(&field)),
        None => Err(Error::field("file", "is required").into()),
    }
}

/// After the `file` part, the form must end.
pub async fn form_ends(multipart: &mut Multipart) -> Result<(), ApiError> {
    match multipart.next_field().await.map_err(malformed)? {
        None => Ok(()),
        Some(field) => Err(extra_part(&field)),
    }
}

fn extra_part(field: &Field<'_>) -> ApiError {
    let name = field
        .name()
        .unwrap_or_default()
        .chars()
        .take(100)
        .collect::<String>();
    Error::field(
        "file",
        &format!("must be the form's only part (found a part named \"{name}\")"),
    )
    .into()
}

/// Reads the `file` part of a multipart upload, refusing more than `max` bytes with 413.
pub async fn file_part(mut multipart: Multipart, max: usize) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        ApiError(Error::TooLarge(format!(
            "the file must be at most {} KiB",
            max / 1024
        )))
    };
    let refuse = |e: MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            malformed(e)
        }
    };
    let mut field = file_field(&mut multipart).await?;
    let mut data = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(refuse)? {
        data.extend_from_slice(&chunk);
        if data.len() > max {
            return Err(too_large());
        }
    }
    drop(field);
    form_ends(&mut multipart).await?;
    Ok(data)
}

/// `If-Match`: the version a write expects to change. Absent or `*`, any version
/// will do; otherwise one entity tag as `ETag` gave it (`"7"`, or weak `W/"7"`),
/// or the bare number some clients send.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(axum::http::header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let refused = || {
            ApiError(Error::BadRequest(
                "If-Match must be one entity tag as ETag gave it, such as \"7\", or *".into(),
            ))
        };
        let text = value.to_str().map_err(|_| refused())?.trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        let tag = text.strip_prefix("W/").unwrap_or(text);
        let digits = tag
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(tag);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refused());
        }
        // A number too long for any version names none: stale, like any other tag
        // no version has (versions start at 1).
        Ok(IfMatch(Some(digits.parse::<i64>().unwrap_or(0))))
    }
}

/// The `ETag` of a version, as `If-Match` names it back.
pub fn etag(version: i64) -> [(axum::http::HeaderName, String); 1] {
    [(axum::http::header::ETAG, format!("\"{version}\""))]
}

/// Ids in paths: anything that is not a positive integer names nothing, so it is 404.
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for Id<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Id(v))
            .map_err(|_| ApiError(Error::not_found("resource")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn nul_is_refused_by_field_and_whole_numbers_are_integers() {
        #[derive(serde::Deserialize, Debug)]
        struct Body {
            n: i64,
        }
        let err =
            super::parse_json::<serde_json::Value>(br#"{"a": [{"b": "x\u0000"}]}"#).unwrap_err();
        assert_eq!(
            err.0.fields().unwrap()["a[0].b"],
            vec![super::NO_NUL.to_string()]
        );
        assert_eq!(super::parse_json::<Body>(br#"{"n": 7.0}"#).unwrap().n, 7);
        assert!(super::parse_json::<Body>(br#"{"n": 7.5}"#).is_err());
    }

    #[test]
    fn json_means_application_json_exactly() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
        ] {
            assert!(super::is_json_type(ok), "{ok}");
        }
        for refused in [
            "text/plain;x=+json",
            "text/plain; application/json",
            "application/json5",
            "application/problem+json",
            "",
        ] {
            assert!(!super::is_json_type(refused), "{refused}");
        }
    }
}
