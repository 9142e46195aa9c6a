//! `hoso serve`: a practice portal and drop-box (hộp nhận hồ sơ) for
//! dossier packages, built to survive bad lines.
//!
//! Packages arrive over the tus 1.0 resumable upload protocol under
//! `/files/` (core, creation, checksum, termination, expiration): a line
//! that drops mid-upload costs only the unacknowledged tail, and a server
//! restart resumes at the last acknowledged offset because every chunk is
//! `fsync`ed before its offset is acknowledged. A completed upload is
//! checked with the same verifier as `hoso verify` and listed at
//! `/received`. Everything else is the built web app, served from a folder.
//!
//! Stack: axum on tokio with HTTP/1.1 only and no default features; static
//! files, CORS and tus are a few hundred lines here rather than tower-http,
//! because the cache policy and the same-origin rule are ours to state.

mod received;
mod static_files;
mod store;
mod tus;
mod zip_entry;

use axum::routing::{get, options};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use received::ReceivedRecord;

/// Limits that keep one machine at a commune serving many counters.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest package accepted (`Upload-Length`).
    pub max_upload: u64,
    /// Uploads created and not yet complete, at once.
    pub max_in_progress: usize,
    /// Bytes the data folder may hold: received packages plus the declared
    /// length of every upload in progress.
    pub max_disk: u64,
    /// Largest body of one PATCH.
    pub max_chunk: u64,
    /// An upload with no progress for this long expires.
    pub expire_after: Duration,
    /// How often expired uploads are removed.
    pub sweep_every: Duration,
    /// A PATCH whose body stalls this long is ended (what arrived is kept
    /// unless the chunk carries a checksum).
    pub idle_timeout: Duration,
    /// How long a PATCH waits for another request on the same upload.
    pub lock_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_upload: 200_000_000,
            max_in_progress: 64,
            max_disk: 20_000_000_000,
            max_chunk: 32 << 20,
            expire_after: Duration::from_secs(24 * 3600),
            sweep_every: Duration::from_secs(600),
            idle_timeout: Duration::from_secs(60),
            lock_wait: Duration::from_secs(15),
        }
    }
}

#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Loopback by default: a counter PC should not expose it by accident.
    pub addr: SocketAddr,
    /// Uploads in progress and received packages.
    pub data_dir: PathBuf,
    /// The built web app (Trunk's `dist/`).
    pub app_dir: PathBuf,
    pub limits: Limits,
}

impl Default for ServerConfig {
    fn default() -> ServerConfig {
        ServerConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("hoso-data"),
            app_dir: PathBuf::from("dist"),
            limits: Limits::default(),
        }
    }
}

/// Shared state of one server: the upload store and the received list.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<store::Store>,
}

impl AppState {
    /// Opens (or creates) the data folder and recovers uploads left by a
    /// previous run: each resumes at its last acknowledged offset.
    pub fn open(config: &ServerConfig) -> std::io::Result<AppState> {
        Ok(AppState { inner: Arc::new(store::Store::open(config)?) })
    }

    /// Removes expired uploads now; returns how many.
    pub fn sweep(&self) -> usize {
        self.inner.sweep()
    }

    /// Received dossiers, newest first.
    pub fn received(&self) -> Vec<ReceivedRecord> {
        self.inner.received_list()
    }
}

/// The whole HTTP surface, for tests and for [`serve`].
pub fn router(state: AppState) -> Router {
    let files = Router::new()
        .route("/files", options(tus::options).post(tus::create))
        .route("/files/", options(tus::options).post(tus::create))
        .route("/files/{id}", options(tus::options).head(tus::head).patch(tus::patch).delete(tus::delete))
        .layer(axum::middleware::from_fn(tus::protocol_layer));
    Router::new()
        .merge(files)
        .route("/received", get(received::page))
        .route("/received.json", get(received::json))
        .route("/received/{id}", get(received::download))
        .fallback(static_files::serve)
        .with_state(state)
}

/// Serves on `listener` until `shutdown` resolves, sweeping expired uploads
/// in the background.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = {
        let state = state.clone();
        let every = state.inner.limits().sweep_every;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.tick().await;
            loop {
                tick.tick().await;
                let s = state.clone();
                // File removal blocks; keep it off the async workers.
                let _ = tokio::task::spawn_blocking(move || s.sweep()).await;
            }
        })
    };
    let result = axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await;
    sweeper.abort();
    result
}

/// Binds `config.addr` and serves until Ctrl+C.
pub async fn serve(config: ServerConfig) -> std::io::Result<()> {
    let state = AppState::open(&config)?;
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    eprintln!("hoso serve: http://{addr}/ (ứng dụng: {}, dữ liệu: {})", config.app_dir.display(), config.data_dir.display());
    serve_on(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
