//! `hoso handoff encode|decode`: every sample declaration round-trips
//! through QR images read by an independent decoder (`zbarimg`, Debian
//! zbar-tools) and by ours, through the .hoso file and the printed page;
//! long answers split into several codes read back in any order.

mod common;

use common::{hoso, s, text};
use hoso_core::form::FormData;
use hoso_core::Catalog;
use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples")
}

/// The answers as the app hands them over: the sample normalized.
fn normalized(procedure: &str, data: &Path) -> FormData {
    let catalog = Catalog::embedded();
    let form = catalog.form(&catalog.procedure(procedure).unwrap().form).unwrap();
    let raw: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&std::fs::read(data).unwrap()).unwrap();
    let raw: FormData = raw.into_iter().map(|(k, v)| (k, v.as_str().unwrap().to_string())).collect();
    form.normalize(&raw)
}

/// Files written by `encode`, by extension.
fn encode(procedure: &str, data: &Path, out: &Path) -> (PathBuf, Vec<PathBuf>, PathBuf) {
    let o = hoso(&["handoff", "encode", "--procedure", procedure, "--data", &s(data), "--place", "Xã Hòa Bình", "-o", &s(out)]);
    assert!(o.status.success(), "{}", text(&o));
    let files: Vec<PathBuf> = String::from_utf8(o.stdout).unwrap().lines().map(PathBuf::from).collect();
    let by = |ext: &str| files.iter().filter(|f| f.extension().unwrap() == ext).cloned().collect::<Vec<_>>();
    (by("hoso").remove(0), by("png"), by("pdf").remove(0))
}

fn zbar(image: &Path) -> Vec<String> {
    let o = Command::new("zbarimg").args(["-q", "--raw", "-Sdisable", "-Sqrcode.enable"]).arg(image).output().expect("zbarimg (zbar-tools) is installed");
    assert!(o.status.success(), "zbarimg read nothing in {}", image.display());
    let mut texts: Vec<String> = String::from_utf8(o.stdout).unwrap().lines().map(str::to_string).collect();
    texts.sort();
    texts
}

fn decode_json(inputs: &[PathBuf]) -> serde_json::Value {
    let mut args = vec!["handoff".to_string(), "decode".into(), "--json".into()];
    args.extend(inputs.iter().map(|p| s(p)));
    let o = Command::new(env!("CARGO_BIN_EXE_hoso")).args(&args).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn answers_of(v: &serde_json::Value) -> FormData {
    v["answers"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect()
}

#[test]
fn every_sample_round_trips_through_zbarimg_ours_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for p in &Catalog::embedded().procedures {
        let data = samples().join(format!("{}.json", p.id));
        let out = dir.path().join(&p.id);
        let (file, pngs, _) = encode(&p.id, &data, &out);
        let parts: Vec<String> = std::fs::read_to_string(&file).unwrap().lines().map(str::to_string).collect();
        assert_eq!(pngs.len(), parts.len());
        assert!(file.file_name().unwrap().to_str().unwrap().starts_with(&format!("ho-so-{}", p.id)));
        // The independent decoder reads exactly the parts.
        for (png, part) in pngs.iter().zip(&parts) {
            assert_eq!(zbar(png), vec![part.clone()], "{}", p.id);
        }
        let want = normalized(&p.id, &data);
        for inputs in [pngs.clone(), vec![file.clone()]] {
            let got = decode_json(&inputs);
            assert_eq!(got["procedure"], p.id.as_str());
            assert_eq!(got["place"], "Xã Hòa Bình");
            assert_eq!(answers_of(&got), want, "{}", p.id);
        }
    }
}

/// A long note (varied Vietnamese words, so it does not compress away).
fn long_data(dir: &Path) -> PathBuf {
    let mut data: serde_json::Value = serde_json::from_slice(&std::fs::read(samples().join("chung-thuc-ban-sao.json")).unwrap()).unwrap();
    let words: Vec<&str> = "bản chính còn nguyên vẹn có dấu giáp lai trường trung học phổ thông cần gấp nộp hồ sơ xin việc ở Đà Nẵng người ký điểm chỉ ủy ban nhân dân xã phường tỉnh Quảng Ngãi học bạ bằng tốt nghiệp giấy khai sinh kết hôn chứng thực chữ ký trích lục sổ hộ tịch ngày tháng năm Nguyễn Trần Lê Phạm Huỳnh Hoàng Võ Đặng Bùi Đỗ Hồ Ngô thôn tổ dân phố đường số nhà hẻm kiệt"
        .split(' ')
        .collect();
    let mut s = 11u64;
    let note: Vec<&str> = (0..1500)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            words[(s >> 33) as usize % words.len()]
        })
        .collect();
    data["note"] = note.join(" ").into();
    let path = dir.join("long.json");
    std::fs::write(&path, serde_json::to_vec(&data).unwrap()).unwrap();
    path
}

#[test]
fn a_long_declaration_splits_and_reads_back_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let data = long_data(dir.path());
    let (file, mut pngs, pdf) = encode("chung-thuc-ban-sao", &data, &dir.path().join("out"));
    assert!(pngs.len() >= 3, "{} codes", pngs.len());
    let parts: Vec<String> = std::fs::read_to_string(&file).unwrap().lines().map(str::to_string).collect();
    for (i, (png, part)) in pngs.iter().zip(&parts).enumerate() {
        assert!(part.starts_with(&format!("HS1:{}/{}:", i + 1, parts.len())));
        assert_eq!(zbar(png), vec![part.clone()]);
    }
    let want = normalized("chung-thuc-ban-sao", &data);
    pngs.reverse();
    assert_eq!(answers_of(&decode_json(&pngs)), want);
    // The printed page, rendered at 150 dpi: every code on it reads back.
    let prefix = dir.path().join("page");
    let o = Command::new("pdftoppm").args(["-r", "150", "-gray", "-png"]).arg(&pdf).arg(&prefix).output().expect("pdftoppm (poppler-utils)");
    assert!(o.status.success());
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).filter(|p| s(p).contains("page")).collect();
    pages.sort();
    let mut read: Vec<String> = pages.iter().flat_map(|p| zbar(p)).collect();
    read.sort();
    let mut sorted = parts.clone();
    sorted.sort();
    assert_eq!(read, sorted, "zbarimg reads every code of the printed page");
    assert_eq!(answers_of(&decode_json(&pages)), want, "ours too");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("MÃ HỒ SƠ KHAI TRƯỚC") && text.contains(&format!("Mã 2/{}", parts.len())), "{text}");
    // Missing one part: named.
    let o = hoso(&["handoff", "decode", &s(&pngs[0]), &s(&pngs[1])]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text_of(&o).contains("còn thiếu mã"), "{}", text_of(&o));
}

fn text_of(o: &std::process::Output) -> String {
    text(o)
}

#[test]
fn tampered_newer_and_foreign_inputs_are_refused_in_vietnamese() {
    let dir = tempfile::tempdir().unwrap();
    let (file, _, _) = encode("khai-tu", &samples().join("khai-tu.json"), &dir.path().join("out"));
    let good = std::fs::read_to_string(&file).unwrap();
    let line = good.trim_end();
    // One symbol changed near the end.
    let mut tampered = line.to_string();
    let at = tampered.len() - 5;
    let c = if &tampered[at..at + 1] == "A" { "B" } else { "A" };
    tampered.replace_range(at..at + 1, c);
    let cases = [
        (tampered, "bị hỏng hoặc đã bị sửa"),
        (line.replacen("HS1:", "HS7:", 1), "phiên bản mới hơn"),
        ("xin chào".to_string(), "không phải mã hồ sơ khai trước"),
    ];
    for (content, want) in cases {
        let path = dir.path().join("x.hoso");
        std::fs::write(&path, content).unwrap();
        let o = hoso(&["handoff", "decode", &s(&path)]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        assert!(text(&o).contains(want), "{}", text(&o));
    }
    // Human-readable output: labels of the form.
    let o = hoso(&["handoff", "decode", &s(&file)]);
    assert!(o.status.success());
    assert!(text(&o).starts_with("Đăng ký khai tử (khai-tu)\n"), "{}", text(&o));
}
