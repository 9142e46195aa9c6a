//! The dossier code pattern is configurable (`hoso pack --code-format`),
//! default `{unit}-{yyMMdd}-{seq}`; the code reaches bag-info.txt, the
//! receipt (both copies) and its QR payload.

use std::process::Command;

mod common;
use common::{hoso, s, text};

#[test]
fn pack_uses_the_counters_code_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("form.pdf"), b"%PDF-1.7 to khai\n%%EOF\n").unwrap();
    std::fs::write(d.join("data.json"), r#"{"applicant.full_name": "Lò Văn Páo", "applicant.id_number": "011095000123"}"#).unwrap();
    let zip = d.join("pkg.zip");
    let (form, data, out) = (s(&d.join("form.pdf")), s(&d.join("data.json")), s(&zip));
    let pack = |extra: &[&str]| {
        let base = ["pack", "--procedure", "khai-sinh", "--form", &form, "--data", &data,
            "--missing", "giay-chung-sinh=Chưa mang", "--received", "2026-12-07T10:15:00+07:00", "-o", &out];
        hoso(&[&base[..], extra].concat())
    };

    let o = pack(&["--unit", "000.00.01.H01", "--seq", "7"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("000.00.01.H01-261207-0007\t"), "default pattern: {}", text(&o));

    let o = pack(&["--unit", "000.00.01.H01", "--seq", "42", "--code-format", "{unit}.{yyyy}{MM}{dd}.{seq}"]);
    assert!(o.status.success(), "{}", text(&o));
    let code = "000.00.01.H01.20261207.0042";
    assert!(text(&o).starts_with(&format!("{code}\t")), "{}", text(&o));
    let report: serde_json::Value = serde_json::from_slice(&hoso(&["verify", "--json", &s(&zip)]).stdout).unwrap();
    assert_eq!(report["external_identifier"], code);
    let receipt = d.join("receipt.pdf");
    let out = Command::new("unzip").arg("-p").arg(&zip).arg("data/00-giay-tiep-nhan.pdf").output().unwrap();
    std::fs::write(&receipt, out.stdout).unwrap();
    let t = String::from_utf8(Command::new("pdftotext").arg(&receipt).arg("-").output().unwrap().stdout).unwrap();
    assert_eq!(t.matches(&format!("Mã hồ sơ: {code}")).count(), 2, "both copies carry the code:\n{t}");
    // The QR code in the top-left corner carries it too.
    let png = d.join("receipt");
    assert!(Command::new("pdftoppm").args(["-r", "150", "-f", "1", "-l", "1", "-png"]).arg(&receipt).arg(&png).status().unwrap().success());
    let page = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "png")).unwrap();
    let qr = Command::new("zbarimg").args(["--raw", "-q"]).arg(&page).output().expect("zbarimg installed");
    let payload = String::from_utf8(qr.stdout).unwrap();
    let fields: Vec<&str> = payload.trim_end().split('|').collect();
    assert_eq!(fields.len(), 8, "{payload}");
    assert_eq!(&fields[..4], ["HOSO1", code, "1.001193", "011095000123"], "{payload}");
    assert_eq!(fields[6], "2026-12-07T10:15:00+07:00");

    let o = pack(&["--code-format", "{unit}-{ngay}"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("Mẫu mã hồ sơ không dùng được (chỗ sai: {ngay})"), "{}", text(&o));
}
