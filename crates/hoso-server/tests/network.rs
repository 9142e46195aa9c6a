//! A real server on 127.0.0.1: restarts mid-upload, a slow line that is
//! cut twenty times, and fifty uploads at once. Only loopback traffic;
//! every loop is bounded.

mod common;

use common::client::{self, Stats, OCTETS, TUS};
use common::{config, package, sha256, Rng, Server};
use hoso_server::Limits;
use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn id_of(location: &str) -> &str {
    location.trim_start_matches("/files/")
}

fn patch(addr: SocketAddr, at: &str, offset: usize, bytes: &[u8]) -> u64 {
    let off = offset.to_string();
    let r = client::request(addr, "PATCH", at, &[TUS, OCTETS, ("Upload-Offset", &off)], bytes).unwrap();
    assert_eq!(r.status, 204, "{}", String::from_utf8_lossy(&r.body));
    r.offset().unwrap()
}

fn head_offset(addr: SocketAddr, at: &str) -> u64 {
    client::request(addr, "HEAD", at, &[TUS], b"").unwrap().offset().unwrap()
}

fn assert_received_intact(data: &Path, location: &str, original: &[u8]) {
    let stored = std::fs::read(data.join(format!("received/{}.zip", id_of(location)))).unwrap();
    assert_eq!(sha256(&stored), sha256(original), "stored package differs");
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join(format!("received/{}.json", id_of(location)))).unwrap()).unwrap();
    assert_eq!(record["verification"], "intact", "{record}");
}

#[test]
fn restart_mid_upload_resumes_at_the_acknowledged_offset() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cfg = config(&data, dir.path(), Limits::default());
    let pkg = package("HOSO-261122-0007", "Phạm Văn Dũng", 600_000, 7);
    let half = pkg.len() / 2;

    let server = Server::start(cfg.clone());
    let mut stats = Stats::default();
    let at = client::create(server.addr, pkg.len(), "a.zip", &mut stats);
    assert_eq!(patch(server.addr, &at, 0, &pkg[..half / 2]), (half / 2) as u64);
    assert_eq!(patch(server.addr, &at, half / 2, &pkg[half / 2..half]), half as u64);

    // A third PATCH dies with the server: its bytes reach the file but are
    // never acknowledged.
    let mut line = TcpStream::connect(server.addr).unwrap();
    let head = format!(
        "PATCH {at} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: {half}\r\nContent-Length: {}\r\n\r\n",
        pkg.len() - half
    );
    line.write_all(head.as_bytes()).unwrap();
    line.write_all(&pkg[half..half + 100_000]).unwrap();
    let bin = data.join(format!("uploads/{}.bin", id_of(&at)));
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::fs::metadata(&bin).unwrap().len() <= half as u64 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(std::fs::metadata(&bin).unwrap().len() > half as u64, "the unacknowledged tail is on disk");
    server.kill();
    drop(line);

    let server = Server::start(cfg);
    assert_eq!(head_offset(server.addr, &at), half as u64, "resumes at the last acknowledged offset");
    assert_eq!(std::fs::metadata(&bin).unwrap().len(), half as u64, "the tail was cut off");
    client::send(server.addr, &at, &pkg, 128 << 10, &mut stats);
    assert_received_intact(&data, &at, &pkg);
    assert_eq!(stats.failures, 0);
}

/// Client → server bytes are throttled to `rate` bytes/s; when the running
/// total (over all connections) passes the next cut point, both sides of
/// that connection are closed.
async fn flaky_line(
    listener: tokio::net::TcpListener,
    server: SocketAddr,
    rate: u64,
    cut_points: Vec<u64>,
    cuts: Arc<AtomicUsize>,
) {
    let forwarded = Arc::new(AtomicU64::new(0));
    let cut_points = Arc::new(cut_points);
    loop {
        let Ok((client, _)) = listener.accept().await else { return };
        let (forwarded, cut_points, cuts) = (forwarded.clone(), cut_points.clone(), cuts.clone());
        tokio::spawn(async move {
            let Ok(upstream) = tokio::net::TcpStream::connect(server).await else { return };
            let (mut client_rx, mut client_tx) = client.into_split();
            let (mut server_rx, mut server_tx) = upstream.into_split();
            let up = async {
                let mut buf = [0u8; 1024];
                let start = tokio::time::Instant::now();
                let mut sent = 0u64;
                loop {
                    let n = match client_rx.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n as u64,
                    };
                    let before = forwarded.fetch_add(n, Ordering::SeqCst);
                    let next_cut = cut_points.get(cuts.load(Ordering::SeqCst)).copied().unwrap_or(u64::MAX);
                    if before + n >= next_cut {
                        let keep = next_cut.saturating_sub(before) as usize;
                        let _ = server_tx.write_all(&buf[..keep]).await;
                        cuts.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    if server_tx.write_all(&buf[..n as usize]).await.is_err() {
                        return;
                    }
                    sent += n;
                    tokio::time::sleep_until(start + Duration::from_micros(sent * 1_000_000 / rate)).await;
                }
            };
            let down = async {
                let _ = tokio::io::copy(&mut server_rx, &mut client_tx).await;
            };
            // Whichever ends first ends the connection: a cut drops both sides.
            tokio::select! {
                _ = up => {},
                _ = down => {},
            }
        });
    }
}

#[test]
fn twenty_cuts_on_a_slow_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(config(&data, dir.path(), Limits::default()));
    let pkg = package("HOSO-261122-0020", "Đỗ Thị Hoa", 240_000, 20);

    // 256 kbit/s = 32 000 bytes/s; 20 cut points spread over the package.
    let mut rng = Rng(0x5eed_2026);
    let mut cut_points: Vec<u64> = (0..20).map(|_| 1 + rng.below(pkg.len() as u64)).collect();
    cut_points.sort();
    let cuts = Arc::new(AtomicUsize::new(0));
    let listener = server.runtime().block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let line = listener.local_addr().unwrap();
    server.runtime().spawn(flaky_line(listener, server.addr, 32_000, cut_points, cuts.clone()));

    let started = Instant::now();
    let mut stats = Stats::default();
    let at = client::create(line, pkg.len(), "hoso.zip", &mut stats);
    client::send(line, &at, &pkg, 64 << 10, &mut stats);
    let took = started.elapsed();
    println!(
        "flaky line: {} bytes at 256 kbit/s, {} cuts, {} failed requests, {} PATCHes, {} offset conflicts, {:.1} s",
        pkg.len(),
        cuts.load(Ordering::SeqCst),
        stats.failures,
        stats.patches,
        stats.conflicts,
        took.as_secs_f64()
    );
    assert_eq!(cuts.load(Ordering::SeqCst), 20, "every cut happened");
    assert!(stats.failures >= 20, "{stats:?}");
    assert_received_intact(&data, &at, &pkg);
}

#[test]
fn fifty_concurrent_uploads_stay_intact() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(config(&data, dir.path(), Limits::default()));
    let addr = server.addr;
    let packages: Vec<Vec<u8>> =
        (0..50).map(|i| package(&format!("HOSO-261122-{:04}", 100 + i), "Vũ Văn Long", 2_000_000, 1000 + i as u64)).collect();
    let started = Instant::now();
    let uploads = client::upload_all(addr, &packages, 512 << 10);
    let took = started.elapsed();
    for ((at, stats), pkg) in uploads.iter().zip(&packages) {
        assert_eq!(stats.failures, 0, "{stats:?}");
        assert_received_intact(&data, at, pkg);
    }
    let list = server.state.received();
    assert_eq!(list.len(), 50);
    assert!(list.iter().all(|r| r.intact));
    println!(
        "load: 50 concurrent uploads of {:.1} MB in {:.1} s; peak RSS of this process (server and clients): {} kB",
        packages[0].len() as f64 / 1e6,
        took.as_secs_f64(),
        common::peak_rss_kb().unwrap_or(0)
    );
}
