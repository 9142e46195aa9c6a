//! The built web app, served from a folder: right MIME types (browsers
//! refuse to stream-compile wasm served as anything but application/wasm),
//! a cache policy that lets the service worker see updates, and no way out
//! of the folder.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};

fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Trunk names build outputs `name-<16 hex>.ext` (`name-<16 hex>_bg.wasm`
/// for the wasm): their content never changes under that name, so they may
/// be cached for good.
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    let b = stem.strip_suffix("_bg").unwrap_or(stem).as_bytes();
    b.len() > 17 && b[b.len() - 17] == b'-' && b[b.len() - 16..].iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
}

fn cache_control(name: &str) -> &'static str {
    if is_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        // index.html, sw.js, the manifest, icons: always revalidated, so a new
        // build reaches counters on the next visit.
        "no-cache"
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The file under `root` that URL path `path` names, or `None` for any
/// path that could leave it (`..`, encoded or not, backslashes, NUL, drive
/// letters, hidden names).
pub(crate) fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = String::from_utf8(percent_decode(path)?).ok()?;
    let mut out = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', ':', '\0']) {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Không tìm thấy trang này.\n").into_response()
}

pub(crate) async fn serve(State(state): State<AppState>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let root = state.inner.app_dir();
    let Some(mut path) = resolve(root, uri.path()) else { return not_found() };
    if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) {
        path.push("index.html");
    }
    // Symlinks inside dist/ must not lead out of it either.
    let (Ok(real), Ok(real_root)) = (tokio::fs::canonicalize(&path).await, tokio::fs::canonicalize(root).await) else {
        return not_found();
    };
    if !real.starts_with(&real_root) {
        return not_found();
    }
    let Ok(meta) = tokio::fs::metadata(&real).await else { return not_found() };
    if !meta.is_file() {
        return not_found();
    }
    let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    let etag = format!("\"{:x}-{:x}\"", meta.len(), modified);
    let name = real.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut response = if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v.as_bytes() == etag.as_bytes()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match tokio::fs::read(&real).await {
            Ok(bytes) => ([(header::CONTENT_TYPE, content_type(&real))], bytes).into_response(),
            Err(_) => return not_found(),
        }
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(name)));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("hoso-app-609a2d64b1fbd6d0_bg.wasm"));
        assert!(is_hashed("hoso-app-609a2d64b1fbd6d0.js"));
        assert!(is_hashed("app-70b2b19814f4ad14.css"));
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("app-70b2b19814f4ad1.css"));
        assert!(!is_hashed("app-70B2B19814F4AD14.css"));
    }

    #[test]
    fn resolve_refuses_ways_out() {
        let root = Path::new("/srv/dist");
        assert_eq!(resolve(root, "/a/b.js"), Some(PathBuf::from("/srv/dist/a/b.js")));
        assert_eq!(resolve(root, "/caf%C3%A9.png"), Some(PathBuf::from("/srv/dist/café.png")));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/a/%2E%2E/%2e%2e/x",
            "/..%2fx",
            "/a\\..\\x",
            "/%5c..%5cx",
            "/.git/config",
            "/%00",
            "/C:/x",
            "/%zz",
            "/%c3",
        ] {
            assert_eq!(resolve(root, bad), None, "{bad}");
        }
    }
}
