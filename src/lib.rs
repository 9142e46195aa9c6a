//! The hoso web app: Yew function components over the hoso-* crates.
//!
//! `components/` draw, `state` holds the dossier being assembled, `hooks/`
//! adapt browser events, and `platform/` is the only place that touches Web
//! APIs (files, canvas, object URLs, service worker, clock).

mod app;
mod components;
mod hooks;
mod persistence;
pub mod platform;
mod state;

/// Mounts the app on `<body>` and turns on offline support.
pub fn run() {
    yew::Renderer::<app::App>::new().render();
    platform::offline::register_service_worker();
}
