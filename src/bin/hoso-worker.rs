//! The background decoder's binary, run by the page in a web worker
//! (`platform::worker`). It links only what `serve` reaches: the QR decoder,
//! not the app.

fn main() {
    #[cfg(target_arch = "wasm32")]
    hoso_app::platform::worker::serve();
}
