//! Where the time of one page goes: `scan_stages FILE…` runs each photo or
//! scan through the pipeline's stages one by one (decode, corner search,
//! warp, resize, luma, deskew, classification, each profile's encoding)
//! and prints the median milliseconds per stage, then the whole public
//! `flatten` + `process` per profile as a cross-check, and bytes per page.
//! CPU time of the thread is the figure to compare on a busy machine.
//! `REPS=n` repeats each file (default 3). Release build:
//! `cargo run --release -p hoso-image --example scan_stages -- photo/*.jpg`.

use hoso_image::binarize::binarize;
use hoso_image::{deskew, detect, g4, mrc, profile, raster, warp, PageSetup, Profile, ScanOptions};
use std::collections::BTreeMap;
use std::time::Instant;

struct Timer {
    /// Per stage: wall and CPU milliseconds of each run.
    ms: BTreeMap<(usize, &'static str), Vec<(f64, f64)>>,
    order: usize,
}

/// CPU time of this thread: what a stage costs, whatever else the machine runs.
fn cpu_ms() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1000.0 + t.tv_nsec as f64 / 1e6
}

impl Timer {
    fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (start, cpu) = (Instant::now(), cpu_ms());
        let out = f();
        let ms = (start.elapsed().as_secs_f64() * 1000.0, cpu_ms() - cpu);
        let key = self.ms.keys().find(|k| k.1 == name).copied().unwrap_or((self.order, name));
        self.order += 1;
        self.ms.entry(key).or_default().push(ms);
        out
    }
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    assert!(!files.is_empty(), "usage: scan_stages FILE…");
    let reps: usize = std::env::var("REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let mut t = Timer { ms: BTreeMap::new(), order: 0 };
    let mut sizes: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut skews = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for _ in 0..reps {
            let rgb = t.time("decode (image crate), upright", || hoso_image::decode_file(&bytes).unwrap());
            // What the EXIF turn of a photo taken sideways adds to the decode.
            t.time("  decode: pixels alone, no EXIF turn", || image::load_from_memory(&bytes).unwrap());
            let corners = t.time("find_corners", || detect::find_corners(&rgb));
            let setup = PageSetup::default();
            // The warp as `flatten` makes it (same size rule), timed alone.
            let flat = t.time("flatten (corners + warp)", || detect::flatten(rgb.clone(), &setup));
            if let Some(c) = corners {
                let (w, h) = (flat.rgb.width, flat.rgb.height);
                t.time("  warp alone", || warp::warp(&rgb, c, w, h, [255; 3]));
            }
            if let Some(c) = corners {
                // Deskew folded into the warp (what `scan` does with corners):
                // the skew measured on a small warp, then one turned warp.
                let (w, h) = (flat.rgb.width, flat.rgb.height);
                let f = (w / 500).clamp(1, 3);
                let small = t.time("fold: small warp (nearest)", || warp::warp_sampled(&rgb, c, w / f, h / f, [255; 3]).unwrap());
                let bits = t.time("fold: sauvola (small)", || binarize(&small.luma(), flat.dpi / f as f32));
                let angle = t.time("fold: estimate", || deskew::estimate(&bits));
                t.time("fold: turned warp", || warp::warp_turned(&rgb, c, w, h, -angle, [255; 3]));
                t.time("fold: flatten_straight (all of it)", || detect::flatten_straight(rgb.clone(), &setup, 0));
            }
            let page = flat.rgb;
            let dpi = flat.dpi;
            let gray = t.time("luma", || page.luma());
            let small = t.time("deskew: halve", || deskew::halve(&gray));
            let bits = t.time("deskew: sauvola (half)", || binarize(&small, dpi / 2.0));
            let angle = t.time("deskew: estimate", || deskew::estimate(&bits));
            let paper = deskew::paper_colour_sampled(&page, &bits, 2);
            let rotated = t.time("deskew: rotate", || deskew::rotate(&page, -angle, paper));
            let gray = t.time("luma", || rotated.luma());
            t.time("features (auto)", || profile::features(&rotated, &gray));
            let text = t.time("text: sauvola", || binarize(&gray, dpi));
            t.time("text: g4", || g4::encode(&text));
            t.time("color: jpeg", || profile::encode_jpeg(&rotated, profile::COLOR_QUALITY, dpi).unwrap());
            let min = t.time("mixed: min channel", || rotated.min_channel());
            let mask = t.time("mixed: sauvola", || binarize(&min, dpi));
            let layers = t.time("mixed: split", || mrc::split(&rotated, &mask, mrc::LAYER_FACTOR));
            let sums = t.time("  split: cell sums", || mrc::cell_sums(&rotated, &mask, mrc::LAYER_FACTOR));
            t.time("  split: fill + even out", || mrc::layers(&sums));
            t.time("mixed: g4", || g4::encode(&mask));
            t.time("mixed: jpeg layers", || {
                profile::encode_jpeg(&layers.background, 40, dpi / 3.0).unwrap();
                profile::encode_jpeg(&layers.foreground, 50, dpi / 3.0).unwrap();
            });
            let _ = raster::resize;
            for p in [Profile::Text, Profile::Color, Profile::Mixed, Profile::Auto] {
                let name = match p {
                    Profile::Text => "TOTAL flatten+process text",
                    Profile::Color => "TOTAL flatten+process color",
                    Profile::Mixed => "TOTAL flatten+process mixed",
                    Profile::Auto => "TOTAL flatten+process auto",
                };
                let out = t.time(name, || {
                    let flat = detect::flatten(rgb.clone(), &setup);
                    hoso_image::process(&flat.rgb, flat.dpi, &ScanOptions { profile: p, ..ScanOptions::default() }).unwrap()
                });
                sizes.entry(p.name()).or_default().push(out.bytes() as f64 / 1024.0);
                let name = match p {
                    Profile::Text => "TOTAL scan() text",
                    Profile::Color => "TOTAL scan() color",
                    Profile::Mixed => "TOTAL scan() mixed",
                    Profile::Auto => "TOTAL scan() auto",
                };
                let options = ScanOptions { profile: p, ..ScanOptions::default() };
                let request = hoso_image::ScanRequest { options, ..hoso_image::ScanRequest::default() };
                let scanned = t.time(name, || hoso_image::scan(rgb.clone(), &request, |_| ()).unwrap());
                sizes.entry(name).or_default().push(scanned.page.bytes() as f64 / 1024.0);
                skews.push((p.name(), scanned.page.skew_degrees));
                if let hoso_image::EncodedPage::Mrc { mask_g4, background, foreground } = &out.encoded {
                    sizes.entry("mixed: mask").or_default().push(mask_g4.len() as f64 / 1024.0);
                    sizes.entry("mixed: background").or_default().push(background.jpeg.len() as f64 / 1024.0);
                    sizes.entry("mixed: foreground").or_default().push(foreground.jpeg.len() as f64 / 1024.0);
                    if let Ok(dir) = std::env::var("DUMP") {
                        let stem = std::path::Path::new(file).file_stem().unwrap().to_string_lossy().to_string();
                        std::fs::write(format!("{dir}/{stem}-bg.jpg"), &background.jpeg).unwrap();
                        std::fs::write(format!("{dir}/{stem}-fg.jpg"), &foreground.jpeg).unwrap();
                    }
                }
            }
        }
    }
    println!("| stage | CPU ms (median of {} runs) | wall ms |", files.len() * reps);
    println!("|---|---:|---:|");
    for ((_, name), v) in &t.ms {
        let (wall, cpu): (Vec<f64>, Vec<f64>) = v.iter().copied().unzip();
        println!("| {name} | {:.1} | {:.1} |", median(&cpu), median(&wall));
    }
    println!("load average: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
    let text: Vec<String> = skews.iter().filter(|s| s.0 == "text").map(|s| format!("{:.2}", s.1)).collect();
    println!("skew found by scan() (text), degrees: {}", text.join(" "));
    for (p, kb) in &sizes {
        println!("KB/page {p}: median {:.1}, max {:.1}", median(kb), kb.iter().copied().fold(0.0, f64::max));
    }
}
