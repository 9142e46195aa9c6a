//! A deliberately plain blocking HTTP/1.1 client over `std::net` (one
//! request per connection) and a tus uploader that resumes after any
//! failure: what a counter PC does on a bad line, with nothing hidden.

#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn offset(&self) -> Option<u64> {
        self.header("upload-offset")?.parse().ok()
    }
}

pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> io::Result<Reply> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    s.set_write_timeout(Some(Duration::from_secs(20)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        head += &format!("{k}: {v}\r\n");
    }
    head += "\r\n";
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse(&raw, method == "HEAD")
}

fn parse(raw: &[u8], head_only: bool) -> io::Result<Reply> {
    let cut = || io::Error::new(io::ErrorKind::UnexpectedEof, "response cut short");
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(cut)?;
    let text = String::from_utf8_lossy(&raw[..end]);
    let mut lines = text.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).ok_or_else(cut)?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    let mut body = raw[end + 4..].to_vec();
    let declared =
        headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-length")).and_then(|(_, v)| v.parse::<usize>().ok());
    if !head_only {
        if let Some(n) = declared {
            if body.len() < n {
                return Err(cut());
            }
            body.truncate(n);
        }
    }
    Ok(Reply { status, headers, body })
}

pub const TUS: (&str, &str) = ("Tus-Resumable", "1.0.0");
pub const OCTETS: (&str, &str) = ("Content-Type", "application/offset+octet-stream");

/// How an upload went.
#[derive(Debug, Default)]
pub struct Stats {
    pub failures: usize,
    pub patches: usize,
    pub conflicts: usize,
}

/// Creates an upload (retrying on failure) and returns its path.
pub fn create(addr: SocketAddr, length: usize, filename: &str, stats: &mut Stats) -> String {
    let meta = format!("filename {}", base64(filename.as_bytes()));
    let len = length.to_string();
    for _ in 0..200 {
        match request(addr, "POST", "/files/", &[TUS, ("Upload-Length", &len), ("Upload-Metadata", &meta)], b"") {
            Ok(r) if r.status == 201 => return r.header("location").expect("Location").to_string(),
            Ok(r) => panic!("creation refused: {} {}", r.status, String::from_utf8_lossy(&r.body)),
            Err(_) => stats.failures += 1,
        }
    }
    panic!("could not create an upload");
}

/// Sends `bytes` to `location` in `chunk`-sized PATCHes, starting where
/// HEAD says; after any failure asks again and goes on from there. Bounded.
pub fn send(addr: SocketAddr, location: &str, bytes: &[u8], chunk: usize, stats: &mut Stats) {
    let mut offset: Option<u64> = None;
    for _ in 0..2_000 {
        let at = match offset {
            Some(at) => at,
            None => match request(addr, "HEAD", location, &[TUS], b"") {
                Ok(r) if r.status == 200 => r.offset().expect("Upload-Offset"),
                Ok(r) => panic!("HEAD refused: {}", r.status),
                Err(_) => {
                    stats.failures += 1;
                    continue;
                }
            },
        };
        if at as usize == bytes.len() {
            return;
        }
        let end = (at as usize + chunk).min(bytes.len());
        let at_s = at.to_string();
        stats.patches += 1;
        match request(addr, "PATCH", location, &[TUS, OCTETS, ("Upload-Offset", &at_s)], &bytes[at as usize..end]) {
            Ok(r) if r.status == 204 => offset = r.offset(),
            Ok(r) if r.status == 409 || r.status == 423 => {
                stats.conflicts += 1;
                offset = None;
            }
            Ok(r) => panic!("PATCH refused: {} {}", r.status, String::from_utf8_lossy(&r.body)),
            Err(_) => {
                stats.failures += 1;
                offset = None;
            }
        }
    }
    panic!("upload did not finish: {stats:?}");
}

/// Uploads every package at once, one thread each; their locations and how
/// each went, in order.
pub fn upload_all(addr: SocketAddr, packages: &[Vec<u8>], chunk: usize) -> Vec<(String, Stats)> {
    std::thread::scope(|s| {
        let handles: Vec<_> = packages
            .iter()
            .enumerate()
            .map(|(i, pkg)| {
                s.spawn(move || {
                    let mut stats = Stats::default();
                    let at = create(addr, pkg.len(), &format!("{i}.zip"), &mut stats);
                    send(addr, &at, pkg, chunk, &mut stats);
                    (at, stats)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("upload thread")).collect()
    })
}

pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
