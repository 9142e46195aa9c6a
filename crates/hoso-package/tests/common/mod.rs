//! Shared by the integration tests: sample dossiers and zip surgery done with
//! the `zip` crate, an implementation independent of ours.
#![allow(dead_code)]

use hoso_core::date::Date;
use hoso_package::{BagInfo, PackageFile};
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

pub fn info() -> BagInfo {
    BagInfo {
        source_organization: "UBND xã Tân Phú, huyện Định Quán, tỉnh Đồng Nai".into(),
        external_identifier: "HS-2026-000123".into(),
        bagging_date: Date::new(2026, 2, 5).unwrap(),
    }
}

/// Deterministic pseudo-random bytes (xorshift), incompressible.
pub fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

pub fn fake_pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\nstream\n".to_vec();
    v.extend(noise(3000, 7));
    v.extend_from_slice(b"\nendstream\n%%EOF\n");
    v
}

pub fn sample_files() -> Vec<PackageFile> {
    vec![
        PackageFile { path: "01-to-khai.pdf".into(), bytes: fake_pdf() },
        PackageFile {
            path: "02-du-lieu.json".into(),
            bytes: br#"{"thu_tuc":"dang-ky-khai-sinh","ho_ten":"Nguyen Van A","ngay_sinh":"2026-01-30"}"#.repeat(20),
        },
        PackageFile { path: "giay-to/03-anh.bin".into(), bytes: noise(5000, 42) },
    ]
}

pub fn sample_zip() -> Vec<u8> {
    hoso_package::pack(&sample_files(), &info()).unwrap()
}

/// (name, content) of every entry, in order.
pub fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

/// Writes a fresh zip with the zip crate (stored entries).
pub fn rebuild(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (name, content) in entries {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b).iter().map(|b| format!("{b:02x}")).collect()
}

/// Rewrites `tagmanifest-sha256.txt` for the tag files as they now are,
/// so that a test can change one thing only.
pub fn refresh_tag_manifest(entries: &mut [(String, Vec<u8>)]) {
    let hash = |name: &str| sha256_hex(&entries.iter().find(|(n, _)| n == name).unwrap().1);
    let tm = format!(
        "{}  bag-info.txt\n{}  bagit.txt\n{}  manifest-sha256.txt\n",
        hash("bag-info.txt"),
        hash("bagit.txt"),
        hash("manifest-sha256.txt")
    );
    entries.iter_mut().find(|(n, _)| n == "tagmanifest-sha256.txt").unwrap().1 = tm.into_bytes();
}

/// Replaces every occurrence of `from` by `to` (same length) in the raw bytes.
pub fn replace_bytes(zip: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= zip.len() {
        if &zip[i..i + from.len()] == from {
            zip[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    n
}
