//! Writes the benchmark corpus of ID-card photos (see `tests/synth`):
//! `card-KIND-NN.jpg` and `manifest.tsv` (file, kind, expected QR text).
//! Usage: `cargo run --release -p hoso-qr --example qr_corpus -- DIR [PER_KIND]`

#[path = "../tests/synth/mod.rs"]
mod synth;

use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("usage: qr_corpus DIR [PER_KIND]"));
    let per_kind: u64 = args.next().map(|n| n.parse().expect("PER_KIND is a number")).unwrap_or(20);
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = std::fs::File::create(dir.join("manifest.tsv")).unwrap();
    for kind in synth::KINDS {
        for i in 0..per_kind {
            let shot = synth::shot(kind, i);
            let img = synth::photo(&shot);
            let name = format!("card-{kind}-{i:02}.jpg");
            // Phones save JPEG; quality varies with the app.
            let quality = 70 + (i % 4) as u8 * 8;
            let file = std::fs::File::create(dir.join(&name)).unwrap();
            let mut encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), quality);
            encoder.encode_image(&img).unwrap();
            writeln!(manifest, "{name}\t{kind}\t{}", shot.text).unwrap();
        }
    }
    eprintln!("{} photos in {}", per_kind * synth::KINDS.len() as u64, dir.display());
}
