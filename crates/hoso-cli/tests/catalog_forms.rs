//! Every procedure of the catalog renders its form from its sample answers
//! (`data/samples/<id>.json`) through the built `hoso` binary, and the PDF
//! passes `qpdf --check` and gives back every answer to `pdftotext`; a bad
//! province catalog is refused with the file, entry and field named.

use hoso_core::form::{FieldKind, FormData};
use hoso_core::{date::Date, words, Catalog};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn hoso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoso")).args(args).output().expect("hoso runs")
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// Runs a poppler/qpdf tool; a missing tool fails the test, never skips it.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| panic!("{name} must be installed: {e}"));
    assert!(out.status.success(), "{name} {args:?}: {}", said(&out));
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sample answers as the CLI reads them: strings and numbers.
fn sample(id: &str) -> (PathBuf, FormData) {
    let path = repo().join("data/samples").join(format!("{id}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{id}: sample {} missing: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let answers = value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
        .collect();
    (path, answers)
}

#[test]
fn every_procedure_renders_its_sample_and_gives_every_answer_back() {
    let catalog = Catalog::embedded();
    let dir = tempfile::tempdir().unwrap();
    let right_margin = 595.28 - 15.0 * 72.0 / 25.4 + 0.5;
    let left_margin = 30.0 * 72.0 / 25.4 - 0.5;
    for p in &catalog.procedures {
        let form = catalog.form(&p.form).unwrap();
        let (path, raw) = sample(&p.id);
        let answers = form.normalize(&raw);
        assert!(answers.len() >= 5, "{}: a sample should fill the form", p.id);
        let out = dir.path().join(format!("{}.pdf", p.id));
        let o = hoso(&[
            "form",
            "--procedure",
            &p.id,
            "--data",
            path.to_str().unwrap(),
            "--place",
            "Hòa Bình",
            "--date",
            "2026-11-22",
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}: {}", p.id, said(&o));
        let pdf = out.to_str().unwrap();
        let check = tool("qpdf", &["--check", pdf]);
        assert!(check.contains("No syntax or stream encoding errors"), "{}: {check}", p.id);

        let text = tool("pdftotext", &["-enc", "UTF-8", pdf, "-"]);
        // The sworn statement, place and date and the signers' names share
        // the last page: a signature alone on a page could go under anything.
        let last_page = folded(text.split('\x0c').filter(|p| !p.trim().is_empty()).last().unwrap());
        let mut together = vec![folded(&form.declaration), "Hòa Bình, ngày 22 tháng 11 năm 2026".into()];
        together.extend(form.signers().iter().filter_map(|s| answers.get(&s.field)).map(|v| folded(v)));
        for value in &together {
            // Long names wrap inside their column: compare word by word.
            let words: Vec<&str> = value.split(' ').collect();
            assert!(
                last_page.contains(value.as_str()) || words.iter().all(|w| last_page.contains(w)),
                "{}: {value:?} not on the last page:\n{last_page}",
                p.id
            );
        }
        let plain = folded(&text);
        let mut expected: Vec<String> = answers.values().map(|v| folded(v)).collect();
        expected.extend([form.title.clone(), form.addressee.clone(), "Hòa Bình, ngày 22 tháng 11 năm 2026".into()]);
        expected.extend(form.signers().into_iter().map(|s| s.label));
        for f in form.fields().filter(|f| f.in_words && answers.contains_key(&f.key)) {
            expected.push(words::date(Date::parse(&answers[&f.key]).unwrap()));
        }
        for value in &expected {
            assert!(plain.contains(value.as_str()), "{}: {value:?} missing from:\n{plain}", p.id);
        }
        // Answers to questions that do not apply are not printed.
        for f in form.fields().filter(|f| !f.is_shown(&answers)) {
            assert!(!plain.contains(&format!("{}:", f.label)), "{}: {} should be hidden", p.id, f.label);
        }
        // Nothing outside the margins, long names included.
        let bbox = tool("pdftotext", &["-bbox", pdf, "-"]);
        for word in bbox.lines().filter(|l| l.trim_start().starts_with("<word")) {
            let attr = |name: &str| -> f32 {
                word.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
            };
            assert!(attr("xMax") <= right_margin && attr("xMin") >= left_margin, "{}: outside the margins: {word}", p.id);
        }
        let size = std::fs::metadata(&out).unwrap().len();
        eprintln!("{:<30} {:>6} bytes", p.id, size);
        assert!(size < 80_000, "{}: {size} bytes is too big for a slow line", p.id);
    }
}

#[test]
fn yes_no_and_choices_print_every_option_and_both_parties_sign() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ket-hon.pdf");
    let (path, raw) = sample("ket-hon");
    let o = hoso(&[
        "form",
        "--procedure",
        "ket-hon",
        "--data",
        path.to_str().unwrap(),
        "--date",
        "2026-11-22",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", said(&o));
    let layout = tool("pdftotext", &["-layout", out.to_str().unwrap(), "-"]);
    assert!(folded(&layout).contains("Đề nghị cấp bản sao: Có Không"), "{layout}");
    // The two signers' blocks stand side by side on one line.
    assert!(layout.lines().any(|l| l.contains("Bên nữ") && l.contains("Bên nam")), "{layout}");
    let bride = &raw["bride.full_name"];
    assert!(layout.lines().any(|l| l.contains(bride.as_str())), "{layout}");

    let catalog = Catalog::embedded();
    let form = catalog.form("to-khai-xac-nhan-tinh-trang-hon-nhan").unwrap();
    let choice = form.fields().find(|f| f.kind == FieldKind::Choice).unwrap();
    let (path, _) = sample("xac-nhan-tinh-trang-hon-nhan");
    let out = dir.path().join("tthn.pdf");
    let o = hoso(&[
        "form",
        "--procedure",
        "xac-nhan-tinh-trang-hon-nhan",
        "--data",
        path.to_str().unwrap(),
        "--date",
        "2026-11-22",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", said(&o));
    let plain = folded(&tool("pdftotext", &[out.to_str().unwrap(), "-"]));
    for option in &choice.options {
        assert!(plain.contains(option.as_str()), "{option:?} missing:\n{plain}");
    }
}

#[test]
fn a_province_catalog_is_loaded_or_refused_precisely() {
    let dir = tempfile::tempdir().unwrap();
    let embedded = std::fs::read_to_string(repo().join("data/procedures.json")).unwrap();
    let good = dir.path().join("tinh.json");
    std::fs::write(&good, embedded.replace("\"name\": \"Đăng ký kết hôn\"", "\"name\": \"Đăng ký kết hôn (tỉnh)\"")).unwrap();
    let o = hoso(&["catalog", "--file", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", said(&o));
    assert!(said(&o).contains("Đăng ký kết hôn (tỉnh)"), "{}", said(&o));

    let bad = dir.path().join("sai.json");
    std::fs::write(&bad, embedded.replacen("\"kind\": \"per_page\"", "\"kind\": \"theo_trang\"", 1)).unwrap();
    let o = hoso(&["catalog", "--file", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", said(&o));
    let line = embedded.lines().position(|l| l.contains("\"kind\": \"per_page\"")).unwrap() + 1;
    let msg = said(&o);
    assert!(msg.contains(&format!("{}:{line}:", bad.display())), "names the file and line {line}: {msg}");
    assert!(msg.contains("thủ tục \"chung-thuc-ban-sao\", trường \"fee_rule.kind\"") && msg.contains("theo_trang"), "{msg}");

    let o = hoso(&["catalog", "--file", dir.path().join("khong-co.json").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", said(&o));
}
