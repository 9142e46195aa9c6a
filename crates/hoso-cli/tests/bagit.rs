//! Our packages are BagIt bags for an independent implementation too: the
//! Library of Congress' bagit.py (PyPI `bagit`, pinned in `./dev` setup)
//! validates a real package unzipped, and one flipped payload byte makes
//! both bagit.py and `hoso verify` fail. Fails, never skips, when python3,
//! bagit or unzip is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{hoso, s, text};

const PINNED: &str = "1.9.0";

const ANSWERS: &str = r#"{
  "applicant.full_name": "Lê Thị Thu", "applicant.id_number": "079185004321",
  "applicant.residence": "Ấp Phước Lợi, xã Long Hựu", "applicant.relation": "Mẹ",
  "child.full_name": "Phạm Gia Huy", "child.birth_date": "02/11/2026", "child.sex": "Nam",
  "child.ethnicity": "Kinh", "child.nationality": "Việt Nam", "child.birth_place": "Bệnh viện đa khoa tỉnh Long An",
  "mother.full_name": "Lê Thị Thu", "mother.birth_year": 1985, "mother.ethnicity": "Kinh",
  "mother.nationality": "Việt Nam", "mother.residence": "Ấp Phước Lợi, xã Long Hựu"
}"#;

fn photo(dir: &Path) -> PathBuf {
    let (w, h) = (620, 877);
    let rgba: Vec<u8> = (0..w * h)
        .flat_map(|i| if (i / w) % 31 < 3 && (i % w) > 40 { [25, 25, 30, 255] } else { [240, 236, 226, 255] })
        .collect();
    let path = dir.join("giay-chung-sinh.jpg");
    std::fs::write(&path, hoso_image::encode_page(&rgba, w, h, 75.0).unwrap().jpeg).unwrap();
    path
}

fn bagit_validate(bag: &Path) -> Output {
    let script = format!(
        "import sys; from importlib.metadata import version; v = version('bagit'); \
         sys.exit(0 if v == '{PINNED}' else 'bagit ' + v + ' is not the pinned {PINNED}')"
    );
    let pinned = Command::new("python3").args(["-c", &script]).output().expect("python3 is needed; ./dev test installs bagit");
    assert!(pinned.status.success(), "PyPI bagit=={PINNED} is needed (./dev test installs it): {}", text(&pinned));
    Command::new("python3").args(["-m", "bagit", "--validate"]).arg(bag).output().unwrap()
}

fn unzip(zip: &Path, to: &Path) -> Output {
    Command::new("unzip").arg("-qo").arg(zip).arg("-d").arg(to).output().expect("unzip is needed (./dev installs it)")
}

#[test]
fn bagit_py_validates_our_package_and_rejects_a_flipped_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("data.json"), ANSWERS).unwrap();
    let (data, form, zip) = (d.join("data.json"), d.join("form.pdf"), d.join("pkg.zip"));
    let o = hoso(&["form", "--procedure", "khai-sinh", "--data", &s(&data), "--date", "2026-11-23", "-o", &s(&form)]);
    assert!(o.status.success(), "{}", text(&o));
    let paper = format!("giay-chung-sinh={}", s(&photo(d)));
    let o = hoso(&[
        "pack", "--procedure", "khai-sinh", "--form", &s(&form), "--paper", &paper, "--data", &s(&data),
        "--received", "2026-11-23T09:30:00+07:00", "--unit-name", "UBND xã Long Hựu", "-o", &s(&zip),
    ]);
    assert!(o.status.success(), "{}", text(&o));

    let good = d.join("good");
    assert!(unzip(&zip, &good).status.success());
    let o = bagit_validate(&good);
    assert!(o.status.success(), "bagit.py rejects our package:\n{}", text(&o));
    assert!(text(&o).contains("is valid"), "{}", text(&o));

    // One byte inside the stored form PDF (PDFs are stored, not deflated),
    // past the receipt, the first PDF in the zip.
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.windows(5).enumerate().filter(|(_, w)| w == b"%PDF-").nth(1).unwrap().0 + 200;
    bytes[at] ^= 0x01;
    let tampered = d.join("tampered.zip");
    std::fs::write(&tampered, &bytes).unwrap();

    let o = hoso(&["verify", &s(&tampered)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("data/01-to-khai.pdf đã bị thay đổi"), "{}", text(&o));

    // unzip warns about the CRC but writes the file; bagit.py then finds
    // the payload differs from its manifest line.
    let bad = d.join("bad");
    unzip(&tampered, &bad);
    let (was, now) = (std::fs::read(good.join("data/01-to-khai.pdf")).unwrap(), std::fs::read(bad.join("data/01-to-khai.pdf")).unwrap());
    assert_eq!(was.len(), now.len());
    assert_eq!(was.iter().zip(&now).filter(|(a, b)| a != b).count(), 1, "exactly one byte differs");
    let o = bagit_validate(&bad);
    assert!(!o.status.success(), "bagit.py accepts a flipped byte:\n{}", text(&o));
    assert!(text(&o).contains("data/01-to-khai.pdf"), "{}", text(&o));
}
