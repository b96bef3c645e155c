//! The site's static files: the WASM, its JS and the stylesheet that cargo-leptos
//! writes to `pkg/`, and the public files beside them. They are read once, at
//! start-up, and named by one content hash for the whole build, so a browser keeps
//! them for a year and a new build is new names. Each text file is compressed once
//! (brotli and gzip, on first use or by `warm`), never per request.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The files cargo-leptos builds, named `leadsy.<build>.<ext>` when served.
const BUILT: [&str; 3] = ["js", "wasm", "css"];
const YEAR: &str = "public, max-age=31536000, immutable";
const DAY: &str = "public, max-age=86400";

#[derive(Default)]
pub struct Assets {
    /// The hash of the built files, or none when the site has not been built (tests).
    build: Option<String>,
    files: HashMap<String, Arc<Asset>>,
}

struct Asset {
    bytes: Bytes,
    content_type: &'static str,
    cache: &'static str,
    encoded: OnceLock<Encoded>,
}

/// The compressed copies, kept only where they are smaller.
struct Encoded {
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Assets {
    /// Reads `site_root`: `pkg/leadsy.{js,wasm,css}` and the public files at its top.
    pub fn load(site_root: &Path) -> Assets {
        let built: Vec<(&str, Vec<u8>)> = BUILT
            .iter()
            .filter_map(|ext| {
                let bytes = std::fs::read(site_root.join(format!("pkg/leadsy.{ext}"))).ok()?;
                Some((*ext, bytes))
            })
            .collect();
        if built.len() < BUILT.len() {
            return Assets::default();
        }
        let mut hash = Sha256::new();
        for (_, bytes) in &built {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        }
        let build = hex::encode(&hash.finalize()[..8]);
        let mut files = HashMap::new();
        for (ext, bytes) in built {
            let asset = Arc::new(Asset::new(bytes, ext, YEAR));
            files.insert(format!("/pkg/leadsy.{build}.{ext}"), asset.clone());
            if ext == "wasm" {
                // Without cargo-leptos's build flags leptos asks for `<name>_bg.wasm`.
                files.insert(format!("/pkg/leadsy.{build}_bg.wasm"), asset);
            }
        }
        for entry in std::fs::read_dir(site_root).into_iter().flatten().flatten() {
            let path = entry.path();
            let (Some(name), Some(ext)) = (
                path.file_name().and_then(|n| n.to_str()),
                path.extension().and_then(|e| e.to_str()),
            ) else {
                continue;
            };
            if let (true, Ok(bytes)) = (path.is_file(), std::fs::read(&path)) {
                files.insert(format!("/{name}"), Arc::new(Asset::new(bytes, ext, DAY)));
            }
        }
        Assets {
            build: Some(build),
            files,
        }
    }

    /// The name leptos gives the JS and WASM it loads: `leadsy.<build>`.
    pub fn output_name(&self) -> String {
        match &self.build {
            Some(build) => format!("leadsy.{build}"),
            None => "leadsy".into(),
        }
    }

    /// Compresses every file now, so that no visitor waits for it.
    pub fn warm(&self) {
        for asset in self.files.values() {
            asset.encoded();
        }
    }

    /// The file at `path`, in the best encoding the request accepts.
    fn respond(asset: &Asset, request: &HeaderMap) -> Response {
        let accept = request
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let encoded = asset.encoded();
        let (body, encoding) = match (&encoded.br, &encoded.gzip) {
            (Some(br), _) if accepts(accept, "br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts(accept, "gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.bytes.clone(), None),
        };
        let mut response = (StatusCode::OK, Body::from(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(asset.cache));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

/// Answers a GET or HEAD of a known file; anything else goes on to the pages.
pub async fn serve(State(assets): State<Arc<Assets>>, req: Request, next: Next) -> Response {
    let found = matches!(*req.method(), Method::GET | Method::HEAD)
        .then(|| assets.files.get(req.uri().path()).cloned())
        .flatten();
    let Some(asset) = found else {
        return next.run(req).await;
    };
    if asset.encoded.get().is_none() {
        let first = asset.clone();
        let _ = tokio::task::spawn_blocking(move || {
            first.encoded();
        })
        .await;
    }
    Assets::respond(&asset, req.headers())
}

impl Asset {
    fn new(bytes: Vec<u8>, ext: &str, cache: &'static str) -> Asset {
        Asset {
            bytes: Bytes::from(bytes),
            content_type: content_type(ext),
            cache,
            encoded: OnceLock::new(),
        }
    }

    fn encoded(&self) -> &Encoded {
        self.encoded.get_or_init(|| {
            if !compressible(self.content_type) {
                return Encoded {
                    br: None,
                    gzip: None,
                };
            }
            let smaller = |v: Vec<u8>| (v.len() < self.bytes.len()).then(|| Bytes::from(v));
            Encoded {
                br: smaller(brotli(&self.bytes)),
                gzip: smaller(gzip(&self.bytes)),
            }
        })
    }
}

/// Brotli at its best for what a release build ships; a debug build's bundle is
/// many megabytes, where the best would take a minute, so it gets a quick level.
fn brotli(bytes: &[u8]) -> Vec<u8> {
    let quality = if bytes.len() <= 4 << 20 { 11 } else { 5 };
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Whether an `Accept-Encoding` value takes `coding`: as it names it, else as
/// its `*` says, and never at `q=0`.
fn accepts(accept: &str, coding: &str) -> bool {
    let weight = |name: &str| {
        accept.split(',').find_map(|part| {
            let mut pieces = part.split(';').map(str::trim);
            if !pieces.next()?.eq_ignore_ascii_case(name) {
                return None;
            }
            let q = pieces
                .find_map(|p| p.strip_prefix("q="))
                .map_or(Some(1.0), |q| q.parse::<f32>().ok())?;
            Some(q)
        })
    };
    weight(coding)
        .or_else(|| weight("*"))
        .is_some_and(|q| q > 0.0)
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "json" | "webmanifest" => "application/json",
        _ => "application/octet-stream",
    }
}

fn compressible(content_type: &str) -> bool {
    content_type.starts_with("text/")
        || content_type.starts_with("application/")
        || content_type == "image/svg+xml"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(accepts("*", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "br"));
        assert!(!accepts("br;q=0, *", "br"), "naming it outweighs the star");
    }

    #[test]
    fn built_files_are_named_by_their_content_and_served_compressed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        for ext in BUILT {
            std::fs::write(
                dir.path().join(format!("pkg/leadsy.{ext}")),
                format!("/* {ext} */ ").repeat(500),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        let assets = Assets::load(dir.path());
        let name = assets.output_name();
        assert_ne!(name, "leadsy");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, br"),
        );
        let get = |path: &str, headers: &HeaderMap| {
            assets.files.get(path).map(|a| Assets::respond(a, headers))
        };
        let wasm = get(&format!("/pkg/{name}.wasm"), &headers).unwrap();
        assert_eq!(wasm.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(wasm.headers()[header::CACHE_CONTROL], YEAR);
        let icon = get("/favicon.svg", &HeaderMap::new()).unwrap();
        assert_eq!(icon.headers()[header::CACHE_CONTROL], DAY);
        assert!(icon.headers().get(header::CONTENT_ENCODING).is_none());
        assert!(get("/pkg/leadsy.wasm", &headers).is_none());

        std::fs::write(dir.path().join("pkg/leadsy.css"), "body{}").unwrap();
        assert_ne!(Assets::load(dir.path()).output_name(), name);
    }
}
