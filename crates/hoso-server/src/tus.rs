//! tus 1.0 under `/files/`: core, creation, checksum, termination and
//! expiration (https://tus.io/protocols/resumable-upload).

use crate::store::{now_ms, Lookup, Refusal, Store, Upload};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hoso_core::i18n::Msg;
use hoso_package::human_size;
use http_body_util::BodyExt;
use sha2::Digest;
use std::io::SeekFrom;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

const VERSION: &str = "1.0.0";
const EXTENSIONS: &str = "creation,checksum,termination,expiration";
const CHECKSUMS: &str = "sha1,sha256";
const OFFSET_STREAM: &str = "application/offset+octet-stream";
/// Status for a checksum mismatch, defined by the tus checksum extension.
const CHECKSUM_MISMATCH: u16 = 460;
const EXPOSED: &str = "Location, Upload-Offset, Upload-Length, Upload-Metadata, Upload-Expires, Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size, Tus-Checksum-Algorithm";
const ALLOWED: &str =
    "Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata, Upload-Checksum, Content-Type, X-HTTP-Method-Override";
const MAX_METADATA: usize = 4096;
const HEAD_WAIT: Duration = Duration::from_secs(2);

fn h(name: &'static str) -> HeaderName {
    HeaderName::from_static(name)
}

/// A refusal as a response: the Vietnamese sentence as plain text.
fn refuse((status, msg): Refusal) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], msg.vi() + "\n").into_response()
}

fn refuse_status(code: u16, msg: Msg) -> Response {
    refuse((StatusCode::from_u16(code).expect("valid status"), msg))
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A non-negative decimal without sign or spaces, as tus requires.
fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_str(headers, name).filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse().ok())
}

fn http_date(unix_ms: u64) -> HeaderValue {
    let t = UNIX_EPOCH + Duration::from_millis(unix_ms);
    HeaderValue::from_str(&httpdate::fmt_http_date(t)).expect("ASCII date")
}

/// Browsers send `Origin` on uploads; only our own is allowed, so a page
/// elsewhere cannot drop files into a counter's server.
fn same_origin(origin: &HeaderValue, headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    origin.to_str().is_ok_and(|o| !host.is_empty() && (o == format!("http://{host}") || o == format!("https://{host}")))
}

/// Around every `/files` request: same-origin rule, `Tus-Resumable`
/// version check, and the headers every tus response carries.
pub(crate) async fn protocol_layer(req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    if let Some(o) = &origin {
        if !same_origin(o, req.headers()) {
            return refuse((StatusCode::FORBIDDEN, Msg::UploadBadHeader("Origin".into())));
        }
    }
    let preflight = req.method() == Method::OPTIONS;
    let mut response = if !preflight && header_str(req.headers(), "tus-resumable") != Some(VERSION) {
        let mut r = refuse((StatusCode::PRECONDITION_FAILED, Msg::UploadVersionUnsupported));
        r.headers_mut().insert(h("tus-version"), HeaderValue::from_static(VERSION));
        r
    } else {
        next.run(req).await
    };
    let hs = response.headers_mut();
    hs.insert(h("tus-resumable"), HeaderValue::from_static(VERSION));
    if let Some(o) = origin {
        hs.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
        hs.insert(header::VARY, HeaderValue::from_static("Origin"));
        hs.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED));
        if preflight {
            hs.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, HEAD, PATCH, DELETE, OPTIONS"));
            hs.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(ALLOWED));
            hs.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        }
    }
    response
}

pub(crate) async fn options(State(state): State<AppState>) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    let hs = r.headers_mut();
    hs.insert(h("tus-version"), HeaderValue::from_static(VERSION));
    hs.insert(h("tus-extension"), HeaderValue::from_static(EXTENSIONS));
    hs.insert(h("tus-checksum-algorithm"), HeaderValue::from_static(CHECKSUMS));
    hs.insert(h("tus-max-size"), HeaderValue::from(state.inner.limits().max_upload));
    r
}

/// `Upload-Metadata`: comma-separated `key base64value` pairs. Returns the
/// decoded `filename`, if any, or `None` when malformed.
fn parse_metadata(raw: &str) -> Option<Option<String>> {
    let mut filename = None;
    let mut keys = std::collections::HashSet::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut parts = pair.split(' ');
        let key = parts.next()?;
        let value = parts.next().unwrap_or("");
        if parts.next().is_some() || key.is_empty() || !key.is_ascii() || !keys.insert(key) {
            return None;
        }
        let decoded = base64::engine::general_purpose::STANDARD.decode(value).ok()?;
        if key == "filename" {
            filename = Some(String::from_utf8_lossy(&decoded).chars().filter(|c| !c.is_control()).take(255).collect());
        }
    }
    Some(filename)
}

pub(crate) async fn create(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let limits = state.inner.limits();
    let Some(length) = header_u64(&headers, "upload-length") else {
        // Deferred length is not offered: a package's size is known before sending.
        return refuse((StatusCode::BAD_REQUEST, Msg::UploadBadHeader("Upload-Length".into())));
    };
    if length > limits.max_upload {
        return refuse((StatusCode::PAYLOAD_TOO_LARGE, Msg::UploadTooLarge { max: human_size(limits.max_upload) }));
    }
    let raw = header_str(&headers, "upload-metadata").map(str::to_string);
    let filename = match raw.as_deref().map(|r| (r.len() <= MAX_METADATA).then(|| parse_metadata(r)).flatten()) {
        None => None,
        Some(Some(name)) => name,
        Some(None) => return refuse((StatusCode::BAD_REQUEST, Msg::UploadBadHeader("Upload-Metadata".into()))),
    };
    let store = state.inner.clone();
    let made = tokio::task::spawn_blocking(move || store.create(length, raw, filename)).await;
    match made {
        Ok(Ok(info)) => {
            let mut r = StatusCode::CREATED.into_response();
            let hs = r.headers_mut();
            hs.insert(header::LOCATION, HeaderValue::from_str(&format!("/files/{}", info.id)).expect("hex id"));
            hs.insert(h("upload-expires"), http_date(info.expires_ms));
            hs.insert(h("upload-offset"), HeaderValue::from(0));
            r
        }
        Ok(Err(refusal)) => refuse(refusal),
        Err(_) => refuse((StatusCode::INTERNAL_SERVER_ERROR, Msg::UploadStorage)),
    }
}

fn find(store: &Store, id: &str) -> Result<Arc<Upload>, Refusal> {
    match store.lookup(id) {
        Lookup::Found(u) => Ok(u),
        Lookup::Gone => Err((StatusCode::GONE, Msg::UploadGone)),
        Lookup::Unknown => Err((StatusCode::NOT_FOUND, Msg::UploadNotFound)),
    }
}

pub(crate) async fn head(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let upload = match find(&state.inner, &id) {
        Ok(u) => u,
        Err(refusal) => return refuse(refusal),
    };
    // After a cut, the client often asks before the server has seen its old
    // connection die; waiting briefly for that PATCH to settle answers with
    // the offset it saved instead of one that is about to be stale (409).
    let _settled = tokio::time::timeout(HEAD_WAIT, upload.writer.lock()).await;
    let info = upload.info().clone();
    let mut r = StatusCode::OK.into_response();
    let hs = r.headers_mut();
    hs.insert(h("upload-offset"), HeaderValue::from(info.offset));
    hs.insert(h("upload-length"), HeaderValue::from(info.length));
    hs.insert(h("upload-expires"), http_date(info.expires_ms));
    hs.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(v) = info.metadata.as_deref().and_then(|m| HeaderValue::from_str(m).ok()) {
        hs.insert(h("upload-metadata"), v);
    }
    r
}

pub(crate) async fn delete(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let upload = match find(&state.inner, &id) {
        Ok(u) => u,
        Err(refusal) => return refuse(refusal),
    };
    let Ok(_guard) = tokio::time::timeout(state.inner.limits().lock_wait, upload.writer.clone().lock_owned()).await else {
        return refuse_status(423, Msg::UploadBusy);
    };
    if upload.removed.load(Ordering::SeqCst) {
        return refuse((StatusCode::GONE, Msg::UploadGone));
    }
    let store = state.inner.clone();
    let u = upload.clone();
    let _ = tokio::task::spawn_blocking(move || store.remove(&u)).await;
    StatusCode::NO_CONTENT.into_response()
}

enum Hasher {
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl Hasher {
    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha1(h) => h.finalize().to_vec(),
            Hasher::Sha256(h) => h.finalize().to_vec(),
        }
    }
}

/// `Upload-Checksum: <algorithm> <base64 digest>`.
fn parse_checksum(raw: &str) -> Option<(Hasher, Vec<u8>)> {
    let (algorithm, digest) = raw.trim().split_once(' ')?;
    let digest = base64::engine::general_purpose::STANDARD.decode(digest.trim()).ok()?;
    let (hasher, len) = match algorithm {
        "sha1" => (Hasher::Sha1(sha1::Sha1::new()), 20),
        "sha256" => (Hasher::Sha256(sha2::Sha256::new()), 32),
        _ => return None,
    };
    (digest.len() == len).then_some((hasher, digest))
}

fn offset_response(offset: u64, expires_ms: u64) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(h("upload-offset"), HeaderValue::from(offset));
    r.headers_mut().insert(h("upload-expires"), http_date(expires_ms));
    r
}

pub(crate) async fn patch(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, body: Body) -> Response {
    let store = state.inner.clone();
    let limits = store.limits().clone();
    if header_str(&headers, "content-type").map(|t| t.split(';').next().unwrap_or("").trim()) != Some(OFFSET_STREAM) {
        return refuse_status(415, Msg::UploadWrongContentType);
    }
    let Some(sent) = header_u64(&headers, "upload-offset") else {
        return refuse((StatusCode::BAD_REQUEST, Msg::UploadBadHeader("Upload-Offset".into())));
    };
    let checksum = match header_str(&headers, "upload-checksum") {
        None if headers.contains_key("upload-checksum") => None.ok_or(()),
        None => Ok(None),
        Some(raw) => parse_checksum(raw).map(Some).ok_or(()),
    };
    let Ok(checksum) = checksum else {
        return refuse((StatusCode::BAD_REQUEST, Msg::UploadBadHeader("Upload-Checksum".into())));
    };
    let upload = match find(&store, &id) {
        Ok(u) => u,
        Err(refusal) => return refuse(refusal),
    };
    let declared = header_u64(&headers, "content-length");
    if declared.is_some_and(|n| n > limits.max_chunk) {
        return refuse((StatusCode::PAYLOAD_TOO_LARGE, Msg::UploadChunkTooLarge { max: human_size(limits.max_chunk) }));
    }
    // One writer per upload: a client resuming after a cut may arrive
    // before the server has noticed the old connection is dead.
    let Ok(guard) = tokio::time::timeout(limits.lock_wait, upload.writer.clone().lock_owned()).await else {
        return refuse_status(423, Msg::UploadBusy);
    };
    if upload.removed.load(Ordering::SeqCst) {
        return refuse((StatusCode::GONE, Msg::UploadGone));
    }
    let info = upload.info().clone();
    if sent != info.offset {
        return refuse((StatusCode::CONFLICT, Msg::UploadOffsetMismatch { held: info.offset, sent }));
    }
    if declared.is_some_and(|n| info.offset + n > info.length) {
        return refuse((StatusCode::PAYLOAD_TOO_LARGE, Msg::UploadTooLarge { max: human_size(info.length) }));
    }
    if info.offset == info.length {
        // A repeat of the last PATCH after a lost answer, or a completion
        // that failed before: finish it, nothing to write.
        if !info.completed {
            let (s, id) = (store.clone(), id.clone());
            if !matches!(tokio::task::spawn_blocking(move || s.complete(&id)).await, Ok(Ok(()))) {
                return refuse((StatusCode::INTERNAL_SERVER_ERROR, Msg::UploadStorage));
            }
        }
        return offset_response(info.length, info.expires_ms);
    }
    // The write runs in its own task: if the connection dies and hyper drops
    // this handler, what arrived is still saved (or discarded) properly.
    let task = tokio::spawn(async move {
        let response = write_chunk(&store, &upload, body, checksum).await;
        drop(guard);
        response
    });
    task.await.unwrap_or_else(|_| refuse((StatusCode::INTERNAL_SERVER_ERROR, Msg::UploadStorage)))
}

/// How reading a PATCH body ended.
enum Ended {
    Complete,
    /// The connection broke or stalled.
    Cut,
    TooLong,
    Io,
}

async fn write_chunk(store: &Arc<Store>, upload: &Upload, mut body: Body, checksum: Option<(Hasher, Vec<u8>)>) -> Response {
    let limits = store.limits();
    let mut info = upload.info().clone();
    let start = info.offset;
    let storage_error = || refuse((StatusCode::INTERNAL_SERVER_ERROR, Msg::UploadStorage));
    let Ok(mut file) = tokio::fs::OpenOptions::new().write(true).open(store.data_path(&info.id)).await else {
        return storage_error();
    };
    // Drop any unacknowledged tail so the chunk lands exactly at `start`.
    if file.set_len(start).await.is_err() || file.seek(SeekFrom::Start(start)).await.is_err() {
        return storage_error();
    }
    let room = limits.max_chunk.min(info.length - start);
    let (mut hasher, expected) = match checksum {
        Some((h, d)) => (Some(h), Some(d)),
        None => (None, None),
    };
    let mut received = 0u64;
    let ended = loop {
        let frame = match tokio::time::timeout(limits.idle_timeout, body.frame()).await {
            Ok(Some(Ok(frame))) => frame,
            Ok(None) => break Ended::Complete,
            Ok(Some(Err(_))) | Err(_) => break Ended::Cut,
        };
        let Ok(data) = frame.into_data() else { continue };
        if received + data.len() as u64 > room {
            break Ended::TooLong;
        }
        if file.write_all(&data).await.is_err() {
            break Ended::Io;
        }
        if let Some(h) = hasher.as_mut() {
            h.update(&data);
        }
        received += data.len() as u64;
    };
    let verified = match (hasher, expected) {
        (Some(h), Some(d)) => matches!(ended, Ended::Complete) && h.finish() == d,
        _ => true,
    };
    let keep = match ended {
        Ended::Complete | Ended::Cut => verified,
        Ended::TooLong | Ended::Io => false,
    };
    // Unverifiable or refused bytes go; the recorded offset never covered them.
    if !keep {
        let _ = file.set_len(start).await;
        return match ended {
            Ended::TooLong if info.length - start <= limits.max_chunk => {
                refuse((StatusCode::PAYLOAD_TOO_LARGE, Msg::UploadTooLarge { max: human_size(info.length) }))
            }
            Ended::TooLong => {
                refuse((StatusCode::PAYLOAD_TOO_LARGE, Msg::UploadChunkTooLarge { max: human_size(limits.max_chunk) }))
            }
            Ended::Complete => refuse_status(CHECKSUM_MISMATCH, Msg::UploadChecksumMismatch),
            Ended::Cut => refuse((StatusCode::BAD_REQUEST, Msg::UploadChecksumMismatch)),
            Ended::Io => storage_error(),
        };
    }
    // Durable before acknowledged: bytes first, then the recorded offset.
    if file.flush().await.is_err() || file.sync_all().await.is_err() {
        let _ = file.set_len(start).await;
        return storage_error();
    }
    drop(file);
    info.offset = start + received;
    info.expires_ms = now_ms() + limits.expire_after.as_millis() as u64;
    let (s, i) = (store.clone(), info.clone());
    if !matches!(tokio::task::spawn_blocking(move || s.persist(&i)).await, Ok(Ok(()))) {
        return storage_error();
    }
    *upload.info() = info.clone();
    if info.offset == info.length {
        let (s, id) = (store.clone(), info.id.clone());
        if !matches!(tokio::task::spawn_blocking(move || s.complete(&id)).await, Ok(Ok(()))) {
            return storage_error();
        }
    }
    offset_response(info.offset, info.expires_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs() {
        assert_eq!(parse_metadata("filename aG9zby56aXA=,is_confidential"), Some(Some("hoso.zip".into())));
        assert_eq!(parse_metadata("type YXBwbGljYXRpb24vemlw"), Some(None));
        assert_eq!(parse_metadata("filename !!!"), None);
        assert_eq!(parse_metadata("a YQ==,a YQ=="), None, "duplicate key");
        assert_eq!(parse_metadata("a YQ== b"), None);
    }

    #[test]
    fn checksum_header() {
        assert!(parse_checksum("sha1 2jmj7l5rSw0yVb/vlWAYkK/YBwk=").is_some());
        assert!(parse_checksum("sha256 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").is_some());
        assert!(parse_checksum("md5 1B2M2Y8AsgTpgAmY7PhCfg==").is_none());
        assert!(parse_checksum("sha1 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").is_none(), "wrong length");
        assert!(parse_checksum("sha256").is_none());
    }
}
