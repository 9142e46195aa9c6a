//! Offline support: the service worker (static/sw.js) and connectivity.

use wasm_bindgen_futures::JsFuture;

/// Registers the service worker that precaches this build. Failures only
/// mean no offline support (e.g. a private window), so they are logged.
pub fn register_service_worker() {
    let navigator = gloo::utils::window().navigator();
    let container = navigator.service_worker();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(container.register("./sw.js")).await {
            gloo::console::warn!("service worker:", e);
        }
    });
}

pub fn is_online() -> bool {
    gloo::utils::window().navigator().on_line()
}
