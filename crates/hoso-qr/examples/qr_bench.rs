//! Native half of `bench/qr-decode.sh`: decodes every photo of a corpus
//! written by `qr_corpus` the way the worker does (RGBA in, full budget)
//! and prints the decode rate and median time, per kind and overall:
//! wall time, and this thread's CPU time (Linux schedstat), which a busy
//! shared machine does not inflate.
//! Usage: `cargo run --release -p hoso-qr --example qr_bench -- DIR`

use std::collections::BTreeMap;
use std::time::Instant;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: qr_bench DIR"));
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest.tsv (run qr_corpus first)");
    let mut by_kind: BTreeMap<String, Stats> = BTreeMap::new();
    let mut all = Stats::default();
    for line in manifest.lines() {
        let mut cols = line.splitn(3, '\t');
        let (file, kind, expected) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().unwrap());
        let img = image::open(dir.join(file)).unwrap().to_rgba8();
        let (start, cpu_start) = (Instant::now(), cpu_ns());
        let result = hoso_qr::decode_rgba(img.as_raw(), img.width(), img.height());
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        let cpu_ms = cpu_start.zip(cpu_ns()).map(|(a, b)| (b - a) as f64 / 1e6).unwrap_or(f64::NAN);
        let ok = result.as_ref().is_ok_and(|texts| texts.iter().any(|t| t == expected));
        if !ok && std::env::var_os("VERBOSE").is_some() {
            eprintln!("{file}: {:?}", result.map(|t| t.len()));
        }
        let entry = by_kind.entry(kind.to_string()).or_default();
        for s in [&mut *entry, &mut all] {
            s.n += 1;
            s.read += usize::from(ok);
            s.wall.push(ms);
            s.cpu.push(cpu_ms);
        }
    }
    println!("{:<14} {:>6} {:>8} {:>9} {:>11} {:>11}", "kind", "images", "decoded", "rate", "median ms", "median cpu");
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let row = |name: &str, s: &mut Stats| {
        let rate = s.read as f64 * 100.0 / s.n as f64;
        let (wall, cpu) = (median(&mut s.wall), median(&mut s.cpu));
        println!("{name:<14} {:>6} {:>8} {rate:>8.1}% {wall:>11.1} {cpu:>11.1}", s.n, s.read);
    };
    for (kind, stats) in &mut by_kind {
        row(kind, stats);
    }
    row("ALL (native)", &mut all);
}

#[derive(Default)]
struct Stats {
    n: usize,
    read: usize,
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

/// Nanoseconds this thread has run on a CPU (first field of schedstat).
fn cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}
