//! Makes the benchmark's captured pages from clean rendered pages:
//! `scan_corpus DIR` reads DIR/clean/page-NN.png (A4 at 200 dpi) and writes
//! DIR/scan/page-NN.jpg (flatbed-like: the page fills the image, a slight
//! skew, noise, softness) and DIR/photo/page-NN.jpg (a 12-megapixel phone
//! photo: perspective, a table behind the sheet, uneven light, noise,
//! blur, stored sideways with an EXIF orientation tag, as phones do).
//! Deterministic, so runs are comparable. Used by bench/scan-corpus.sh.

use hoso_image::testpage::{box_blur, photograph, Background, Camera, PAPER};
use hoso_image::Rgb;

fn jpeg(rgb: &Rgb, quality: u8, exif_orientation: Option<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder.encode(&rgb.data, rgb.width as u16, rgb.height as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    let Some(orientation) = exif_orientation else { return out };
    hoso_image::testpage::with_exif_orientation(&out, orientation)
}

struct Lcg(u32);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0 >> 8
    }
    /// Uniform in [-1, 1].
    fn signed(&mut self) -> f32 {
        (self.next() % 2001) as f32 / 1000.0 - 1.0
    }
}

fn noisy(mut rgb: Rgb, amplitude: u32, rng: &mut Lcg) -> Rgb {
    for v in &mut rgb.data {
        let n = (rng.next() % (2 * amplitude + 1)) as i32 - amplitude as i32;
        *v = (i32::from(*v) + n).clamp(0, 255) as u8;
    }
    rgb
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: scan_corpus DIR"));
    std::fs::create_dir_all(dir.join("scan")).unwrap();
    std::fs::create_dir_all(dir.join("photo")).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(dir.join("clean")).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    names.sort();
    let backgrounds = [Background::Dark, Background::Light, Background::Textured];
    for (i, name) in names.iter().enumerate() {
        let stem = std::path::Path::new(name).file_stem().unwrap().to_string_lossy().to_string();
        let page = hoso_image::decode_file(&std::fs::read(dir.join("clean").join(name)).unwrap()).unwrap();
        let mut rng = Lcg(i as u32 * 7 + 3);

        let skew = 0.6 + 0.9 * rng.signed().abs();
        let skew = if i % 2 == 0 { skew } else { -skew };
        let scan = hoso_image::deskew::rotate(&page, skew, PAPER);
        let scan = box_blur(&noisy(scan, 4, &mut rng));
        std::fs::write(dir.join("scan").join(format!("{stem}.jpg")), jpeg(&scan, 88, None)).unwrap();

        let camera = Camera {
            frame: (3000, 4000),
            mm: (210.0, 297.0),
            yaw: 6.0 * rng.signed(),
            pitch: 14.0 * rng.signed(),
            roll: 8.0 * rng.signed(),
            focal: 0.6,
            fill: 0.84,
            offset: (0.03 * rng.signed(), 0.02 * rng.signed()),
        };
        let (photo, _) = photograph(&page, &camera, backgrounds[i % 3], 0.35, 7, i as u32);
        // Phones store the sensor's landscape pixels and a tag saying
        // "turn 90° clockwise to view" (orientation 6).
        let (w, h) = (photo.width, photo.height);
        let mut sideways = Vec::with_capacity(photo.data.len());
        for sy in 0..w {
            for sx in 0..h {
                let (x, y) = (w - 1 - sy, sx);
                let i = ((y * w + x) * 3) as usize;
                sideways.extend_from_slice(&photo.data[i..i + 3]);
            }
        }
        let stored = Rgb { width: h, height: w, data: sideways };
        std::fs::write(dir.join("photo").join(format!("{stem}.jpg")), jpeg(&stored, 90, Some(6))).unwrap();
        println!("{stem}: scan skew {skew:.2}°, photo {:?}", backgrounds[i % 3]);
    }
}
