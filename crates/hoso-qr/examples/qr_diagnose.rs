//! Why a photo does not decode: for each image, a few preparations
//! (scale × binarization × sharpening) and what rqrr makes of each —
//! no grid at all (finder patterns not grouped), a grid that fails to
//! decode (and rqrr's error: format bits, ECC…), or the text.
//! Usage: `cargo run --release -p hoso-qr --example qr_diagnose -- IMAGE…`

use rqrr::BitGrid;

fn main() {
    for path in std::env::args().skip(1) {
        let img = image::open(&path).unwrap().to_luma8();
        println!("{path} ({}×{})", img.width(), img.height());
        let (w, h) = (img.width() as usize, img.height() as usize);
        for side in [w.max(h), 1024, 2048] {
            let scaled = image::imageops::resize(
                &img,
                (w * side / w.max(h)) as u32,
                (h * side / w.max(h)) as u32,
                image::imageops::FilterType::Triangle,
            );
            for sharpen in [false, true] {
                let g = if sharpen { image::imageops::unsharpen(&scaled, 2.0, 0) } else { scaled.clone() };
                let (gw, gh) = (g.width() as usize, g.height() as usize);
                let otsu = otsu(g.as_raw());
                for (name, mut prepared) in [
                    ("native", rqrr::PreparedImage::prepare_from_greyscale(gw, gh, |x, y| g.get_pixel(x as u32, y as u32)[0])),
                    ("otsu", rqrr::PreparedImage::prepare_from_bitmap(gw, gh, |x, y| g.get_pixel(x as u32, y as u32)[0] <= otsu)),
                ] {
                    let grids = prepared.detect_grids();
                    let outcomes: Vec<String> = grids
                        .iter()
                        .map(|grid| match grid.decode() {
                            Ok((_, text)) => format!("v{} OK {}", (grid.grid.size() - 17) / 4, &text[..12.min(text.len())]),
                            Err(e) => format!("v{} {e:?} at {:?}", (grid.grid.size() - 17) / 4, grid.bounds[0]),
                        })
                        .collect();
                    println!("  {side:>5} sharpen={sharpen:<5} {name:<6} grids={} {}", grids.len(), outcomes.join("; "));
                }
            }
        }
    }
}

fn otsu(px: &[u8]) -> u8 {
    let mut hist = [0f64; 256];
    for &p in px {
        hist[p as usize] += 1.0;
    }
    let total = px.len() as f64;
    let sum_all: f64 = hist.iter().enumerate().map(|(v, c)| v as f64 * c).sum();
    let (mut best, mut best_var, mut wb, mut sb) = (128u8, -1.0, 0.0, 0.0);
    for (v, &c) in hist.iter().enumerate() {
        wb += c;
        sb += v as f64 * c;
        let wf = total - wb;
        if wb == 0.0 || wf == 0.0 {
            continue;
        }
        let d = sb / wb - (sum_all - sb) / wf;
        let var = wb * wf * d * d;
        if var > best_var {
            best_var = var;
            best = v as u8;
        }
    }
    best
}
