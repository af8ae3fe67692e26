//! The stylesheet and scripts, compiled into the binary (nothing to deploy beside it) and served at
//! `/assets/*` with a content hash as ETag, so browsers revalidate cheaply.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::AppState;

/// Files under `crates/web/assets/`.
#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// Browsers may use an asset for an hour before asking again; file names are not fingerprinted,
/// so a longer lifetime would keep stale styles after an upgrade.
const CACHE_CONTROL: &str = "public, max-age=3600, must-revalidate";

/// `GET /assets/{*path}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{*path}", get(asset))
}

/// Whether an embedded asset exists at `path` (relative to the assets folder).
pub fn exists(path: &str) -> bool {
    Assets::get(path).is_some()
}

async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(file) = Assets::get(&path) else {
        return (StatusCode::NOT_FOUND, "no such asset").into_response();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..16]));
    let cache_headers = [(header::ETAG, etag.clone()), (header::CACHE_CONTROL, CACHE_CONTROL.to_owned())];

    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|candidate| candidate.trim() == etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, cache_headers).into_response();
    }

    let mime = file.metadata.mimetype();
    let content_type = if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_owned()
    };
    let content_type =
        HeaderValue::from_str(&content_type).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    (cache_headers, [(header::CONTENT_TYPE, content_type)], file.data.into_owned()).into_response()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
