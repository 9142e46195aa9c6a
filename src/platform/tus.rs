//! tus 1.0 requests over `fetch`, thinly: each function performs one
//! request and returns the status and the headers that matter. What to
//! send next and what an answer means is `hoso_package::upload`.

use super::storage;
use hoso_package::upload::{checksum_header, metadata_header, Saved};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCache, RequestInit, Response};

const TUS_VERSION: &str = "1.0.0";
const SAVED_PREFIX: &str = "hoso.upload.";
const ENDPOINT_KEY: &str = "hoso.upload-endpoint";

/// The parts of a tus answer the client reads.
pub struct Reply {
    pub status: u16,
    pub offset: Option<u64>,
    pub length: Option<u64>,
    /// `Location`, made absolute against the request URL.
    pub location: Option<String>,
    /// The server's reason (plain Vietnamese text from `hoso serve`).
    pub text: String,
}

/// A request cut off before any answer (line down, aborted, timed out).
#[derive(Debug)]
pub struct NoAnswer;

/// `/files/` on the origin that served the app.
pub fn default_endpoint() -> String {
    let origin = gloo::utils::window()
        .location()
        .origin()
        .unwrap_or_default();
    format!("{origin}/files/")
}

fn headers(pairs: &[(&str, &str)]) -> Result<Headers, NoAnswer> {
    let h = Headers::new().map_err(|_| NoAnswer)?;
    h.set("Tus-Resumable", TUS_VERSION).map_err(|_| NoAnswer)?;
    for (k, v) in pairs {
        h.set(k, v).map_err(|_| NoAnswer)?;
    }
    Ok(h)
}

fn header_u64(r: &Response, name: &str) -> Option<u64> {
    r.headers()
        .get(name)
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok())
}

/// Sends one request; `abort` cuts it (pause, cancel, stalled line).
async fn send(
    url: &str,
    method: &str,
    h: Headers,
    body: Option<&[u8]>,
    abort: Option<&AbortController>,
) -> Result<Reply, NoAnswer> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&h);
    init.set_cache(RequestCache::NoStore);
    if let Some(bytes) = body {
        init.set_body(&Uint8Array::from(bytes));
    }
    if let Some(a) = abort {
        init.set_signal(Some(&a.signal()));
    }
    let promise = gloo::utils::window().fetch_with_str_and_init(url, &init);
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(|_| NoAnswer)?
        .dyn_into()
        .map_err(|_| NoAnswer)?;
    let location = response
        .headers()
        .get("Location")
        .ok()
        .flatten()
        .and_then(|l| web_sys::Url::new_with_base(&l, url).ok())
        .map(|u| u.href());
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok(Reply {
        status: response.status(),
        offset: header_u64(&response, "Upload-Offset"),
        length: header_u64(&response, "Upload-Length"),
        location,
        text: text.trim().to_string(),
    })
}

/// POST: a new upload of `length` bytes.
pub async fn create(
    endpoint: &str,
    length: u64,
    filename: &str,
    dossier_code: &str,
) -> Result<Reply, NoAnswer> {
    let h = headers(&[
        ("Upload-Length", &length.to_string()),
        ("Upload-Metadata", &metadata_header(filename, dossier_code)),
    ])?;
    send(endpoint, "POST", h, None, None).await
}

/// HEAD: where the server stands.
pub async fn head(url: &str) -> Result<Reply, NoAnswer> {
    send(url, "HEAD", headers(&[])?, None, None).await
}

/// PATCH one chunk at `offset`, with its SHA-256.
pub async fn patch(
    url: &str,
    offset: u64,
    chunk: &[u8],
    abort: &AbortController,
) -> Result<Reply, NoAnswer> {
    let h = headers(&[
        ("Upload-Offset", &offset.to_string()),
        ("Content-Type", "application/offset+octet-stream"),
        ("Upload-Checksum", &checksum_header(chunk)),
    ])?;
    send(url, "PATCH", h, Some(chunk), Some(abort)).await
}

/// DELETE: the clerk cancelled; the server may drop what it holds.
pub async fn delete(url: &str) -> Result<Reply, NoAnswer> {
    send(url, "DELETE", headers(&[])?, None, None).await
}

/// The server's list of received packages (`/received.json` next to `/files/`).
pub async fn received_json(endpoint: &str) -> Option<serde_json::Value> {
    let url = web_sys::Url::new_with_base("/received.json", endpoint)
        .ok()?
        .href();
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoStore);
    let response: Response =
        JsFuture::from(gloo::utils::window().fetch_with_str_and_init(&url, &init))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    if !response.ok() {
        return None;
    }
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    serde_json::from_str(&js_sys::JSON::stringify(&json).ok()?.as_string()?).ok()
}

/// The printable list of received packages, for the final link.
pub fn received_page(endpoint: &str) -> String {
    web_sys::Url::new_with_base("/received", endpoint)
        .map(|u| u.href())
        .unwrap_or_else(|_| "/received".into())
}

/// The upload saved for a dossier code, if any.
pub fn load(code: &str) -> Option<Saved> {
    serde_json::from_str(&storage::get(&format!("{SAVED_PREFIX}{code}"))?).ok()
}

pub fn save(code: &str, saved: &Saved) {
    if let Ok(json) = serde_json::to_string(saved) {
        storage::set(&format!("{SAVED_PREFIX}{code}"), &json);
    }
}

pub fn forget(code: &str) {
    storage::remove(&format!("{SAVED_PREFIX}{code}"));
}

/// The endpoint the clerk chose last, or the default.
pub fn endpoint() -> String {
    storage::get(ENDPOINT_KEY).unwrap_or_else(default_endpoint)
}

pub fn remember_endpoint(url: &str) {
    storage::set(ENDPOINT_KEY, url);
}

/// A fresh controller, so one request can be cut without the others.
pub fn controller() -> AbortController {
    AbortController::new().unwrap_or_else(|e: JsValue| wasm_bindgen::throw_val(e))
}
