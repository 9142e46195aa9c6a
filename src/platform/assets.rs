//! Static data files shipped beside the app (copied into the build by Trunk
//! and precached by the service worker, so they load offline too), fetched
//! only when a feature first needs them to keep them out of the main wasm.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

/// Text of a file of the build, e.g. `/units/new.txt`. The error is for
/// the console; the caller shows its own Vietnamese message.
pub async fn fetch_text(path: &str) -> Result<String, String> {
    let promise = gloo::utils::window().fetch_with_str(path);
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(|e| format!("{path}: {e:?}"))?
        .dyn_into()
        .map_err(|_| format!("{path}: not a response"))?;
    if !response.ok() {
        return Err(format!("{path}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{path}: {e:?}"))?;
    text.as_string().ok_or_else(|| format!("{path}: not text"))
}
