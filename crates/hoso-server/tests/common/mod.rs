//! Shared by the integration tests: packages made like the app makes them,
//! and a real server on 127.0.0.1 that a test can kill and restart.

#![allow(dead_code)]

pub mod client;

use hoso_core::date::Date;
use hoso_core::dossier::ComponentFile;
use hoso_core::form::FormData;
use hoso_core::Catalog;
use hoso_server::{AppState, Limits, ServerConfig};
use sha2::{Digest, Sha256};
use std::net::SocketAddr;
use std::path::Path;

/// A birth-registration package whose paper PDF is `paper_bytes` long.
pub fn package(code: &str, applicant: &str, paper_bytes: usize, seed: u64) -> Vec<u8> {
    let procedure = Catalog::embedded().procedure("khai-sinh").unwrap();
    let answers: FormData = [
        ("child.full_name".to_string(), "Nguyễn Thị Ánh".to_string()),
        ("applicant.full_name".to_string(), applicant.to_string()),
    ]
    .into();
    let mut paper = b"%PDF-1.7 giay chung sinh ".to_vec();
    paper.extend(noise(paper_bytes.saturating_sub(paper.len()), seed));
    let files = [
        ComponentFile { component_id: "to-khai", pages: 1, pdf: b"%PDF-1.7 to khai" },
        ComponentFile { component_id: "giay-chung-sinh", pages: 1, pdf: &paper },
    ];
    hoso_package::pack_dossier(procedure, code, Date::new(2026, 11, 22).unwrap(), &answers, &files).unwrap().zip
}

/// The same package with one byte of the paper PDF changed.
pub fn tampered(mut zip: Vec<u8>) -> Vec<u8> {
    let at = zip.windows(16).position(|w| w == b"giay chung sinh ").expect("stored PDF");
    zip[at] ^= 0x20;
    zip
}

/// Incompressible bytes from a seed (xorshift64*): no RNG crate needed.
pub fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(n);
    out
}

/// A seeded generator, so a failing run can be replayed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub fn config(data: &Path, app: &Path, limits: Limits) -> ServerConfig {
    ServerConfig { addr: SocketAddr::from(([127, 0, 0, 1], 0)), data_dir: data.to_path_buf(), app_dir: app.to_path_buf(), limits }
}

/// A server on its own runtime; dropping it kills it like a crash would
/// (no graceful shutdown, tasks cancelled mid-write).
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    pub fn start(config: ServerConfig) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let state = AppState::open(&config).unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind(config.addr)).unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(hoso_server::serve_on(listener, state.clone(), std::future::pending()));
        Server { addr, state, runtime: Some(runtime) }
    }

    pub fn kill(mut self) {
        self.runtime.take().unwrap().shutdown_background();
    }

    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        self.runtime.as_ref().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// Peak resident memory of this process in kB (Linux), for the record.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}
