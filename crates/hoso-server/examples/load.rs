//! Load client for `bench/serve-load.sh`: N concurrent tus uploads of
//! packages of about SIZE bytes to a running `hoso serve` on loopback, then
//! checks every received copy byte for byte and its verification.
//!
//! `cargo run -p hoso-server --example load -- 127.0.0.1:8080 50 2000000`

#[path = "../tests/common/mod.rs"]
mod common;

use common::client;
use std::net::SocketAddr;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr: SocketAddr = args.first().and_then(|a| a.parse().ok()).expect("usage: load ADDR:PORT [COUNT] [SIZE]");
    assert!(addr.ip().is_loopback(), "loopback only");
    let count: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let size: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2_000_000);
    let before = list(addr).len();
    let packages: Vec<Vec<u8>> =
        (0..count).map(|i| common::package(&format!("TAI-261122-{:04}", i + 1), "Bùi Thị Lan", size, 7_000 + i as u64)).collect();
    let started = Instant::now();
    let uploads = client::upload_all(addr, &packages, 512 << 10);
    let took = started.elapsed().as_secs_f64();
    let received = list(addr);
    let mut intact = 0;
    for ((at, _), pkg) in uploads.iter().zip(&packages) {
        let id = at.trim_start_matches("/files/");
        let record = received.iter().find(|r| r["id"] == id).expect("listed");
        let copy = client::request(addr, "GET", &format!("/received/{id}"), &[], b"").expect("download").body;
        assert_eq!(common::sha256(&copy), common::sha256(pkg), "{id}: stored copy differs");
        intact += usize::from(record["intact"] == true);
    }
    assert_eq!(received.len() - before, count);
    assert_eq!(intact, count, "every package verified intact");
    let mb = (count * packages[0].len()) as f64 / 1e6;
    println!(
        "{count} uploads × {:.1} MB: {mb:.0} MB in {took:.1} s ({:.0} MB/s), all {count} stored byte for byte and intact",
        packages[0].len() as f64 / 1e6,
        mb / took
    );
}

fn list(addr: SocketAddr) -> Vec<serde_json::Value> {
    let r = client::request(addr, "GET", "/received.json", &[], b"").expect("received.json");
    serde_json::from_slice(&r.body).expect("JSON list")
}
