//! Checks the PDFs with the tools a clerk's machine or a portal would use:
//! poppler (pdftotext, pdffonts, pdfinfo, pdfimages) and qpdf. A missing tool
//! fails the test: silently skipping would hide broken output.

use hoso_core::date::Date;
use hoso_core::form::{Field, FieldKind, FormDefinition, Section};
use hoso_core::{Catalog, FormData};
use hoso_pdf::{jpeg_pages, render_form, FormMeta, JpegPage};
use std::path::PathBuf;
use std::process::Command;

/// A PDF written for the tools; removed again unless the test failed, so a
/// failing file can be inspected.
struct TempPdf(PathBuf);

impl std::ops::Deref for TempPdf {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.0);
            let _ = std::fs::remove_dir(self.0.parent().unwrap());
        }
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> TempPdf {
    let dir = std::env::temp_dir().join(format!("hoso-pdf-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    TempPdf(path)
}

/// Runs a tool and returns its stdout; panics if it is missing or fails.
fn run(tool: &str, args: &[&str], pdf: &PathBuf) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} must be installed (poppler-utils, qpdf): {e}"));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(out.status.success(), "{tool} {args:?} failed: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

fn qpdf_check(pdf: &PathBuf) {
    let out = run("qpdf", &["--check"], pdf);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

/// Text with every run of whitespace folded to one space: wrapped values
/// then read back as typed.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn meta() -> FormMeta {
    FormMeta { place: "Hòa Bình".into(), date: Date::new(2026, 11, 22).unwrap() }
}

fn khai_sinh_data() -> FormData {
    [
        ("applicant.full_name", "Nguyễn Văn Bình"),
        ("applicant.id_number", "051090012345"),
        ("applicant.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
        ("applicant.relation", "Cha đẻ"),
        ("child.full_name", "Nguyễn Thị Ánh Dương"),
        ("child.birth_date", "01/11/2026"),
        ("child.sex", "Nữ"),
        ("child.ethnicity", "Kinh"),
        ("child.nationality", "Việt Nam"),
        ("child.birth_place", "Bệnh viện Đa khoa tỉnh Quảng Ngãi"),
        ("child.home_town", "Xã Nghĩa Thắng, tỉnh Quảng Ngãi"),
        ("mother.full_name", "Trần Thị Hoa"),
        ("mother.birth_year", "1995"),
        ("mother.ethnicity", "Tày"),
        ("mother.nationality", "Việt Nam"),
        ("mother.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
        ("father.full_name", "Nguyễn Văn Bình"),
        ("father.birth_year", "1990"),
        ("father.ethnicity", "Kinh"),
        ("father.nationality", "Việt Nam"),
        ("father.residence", "Tổ dân phố Lê Lợi, phường Trần Phú, tỉnh Quảng Ngãi"),
        ("copies", "2"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn khai_sinh() -> &'static FormDefinition {
    Catalog::embedded().form("to-khai-khai-sinh").expect("khai-sinh form in the catalog")
}

#[test]
fn khai_sinh_values_come_back_from_pdftotext() {
    let form = khai_sinh();
    let data = form.normalize(&khai_sinh_data());
    let pdf = temp_file("khai-sinh.pdf", &render_form(form, &data, &meta()));
    qpdf_check(&pdf);

    let plain = run("pdftotext", &["-enc", "UTF-8"], &pdf);
    let layout = run("pdftotext", &["-enc", "UTF-8", "-layout"], &pdf);
    for text in [&plain, &layout] {
        for value in data.values() {
            assert!(text.contains(value.as_str()), "{value:?} missing from:\n{text}");
        }
        for fixed in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "TỜ KHAI ĐĂNG KÝ KHAI SINH",
            "Kính gửi: Ủy ban nhân dân xã, phường",
            "Hòa Bình, ngày 22 tháng 11 năm 2026",
            "Người yêu cầu",
            "(Ký, ghi rõ họ, chữ đệm, tên)",
            "Họ, chữ đệm, tên: Nguyễn Thị Ánh Dương",
        ] {
            assert!(text.contains(fixed), "{fixed:?} missing from:\n{text}");
        }
    }
    // The sworn statement is justified: its words still come back in order.
    assert!(folded(&plain).contains(&folded(&form.declaration)), "{plain}");

    let info = run("pdfinfo", &[], &pdf);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("TỜ KHAI ĐĂNG KÝ KHAI SINH") && info.contains("hoso"), "{info}");
    assert!(info.contains("595.28 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn fonts_are_embedded_subsets_with_unicode_maps() {
    let form = khai_sinh();
    let pdf = temp_file("fonts.pdf", &render_form(form, &form.normalize(&khai_sinh_data()), &meta()));
    let fonts = run("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "regular and bold:\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (2 words), encoding, emb, sub, uni, id, gen
        assert!(cols[0].len() == 20 || cols[0].len() == 17, "{row}");
        assert_eq!(cols[0].as_bytes()[6], b'+', "subset tag: {row}");
        assert_eq!(&cols[1..7], ["CID", "TrueType", "Identity-H", "yes", "yes", "yes"], "{row}");
    }
}

#[test]
fn long_values_wrap_inside_the_margins() {
    let form = khai_sinh();
    let long = "Số nhà 1234/56/78 đường Nguyễn Thị Minh Khai, tổ dân phố số 15, khu phố Phước Hòa Đông, \
                phường Nghĩa Chánh, thành phố Quảng Ngãi, tỉnh Quảng Ngãi, nước Cộng hòa xã hội chủ nghĩa Việt Nam \
                (cạnh Trường Trung học cơ sở Nguyễn Nghiêm, đối diện chợ Nghĩa Lộ)";
    let unbreakable = "Thôn_Đông_Hưng_xã_Hòa_Bình_huyện_Nghĩa_Hành_tỉnh_Quảng_Ngãi_Việt_Nam_không_có_dấu_cách_nào";
    let mut data = form.normalize(&khai_sinh_data());
    data.insert("applicant.residence".into(), long.into());
    data.insert("mother.residence".into(), unbreakable.into());
    let bytes = render_form(form, &data, &meta());
    let pdf = temp_file("long.pdf", &bytes);
    qpdf_check(&pdf);

    let plain = run("pdftotext", &["-enc", "UTF-8"], &pdf);
    // Wrapped: not on one line, but every word in order.
    assert!(!plain.contains(long), "expected the residence to wrap:\n{plain}");
    assert!(folded(&plain).contains(&format!("Nơi cư trú: {long}")), "{plain}");
    // The unbreakable value is cut between characters, pieces in order.
    let joined: String = plain.lines().collect();
    assert!(joined.contains(unbreakable), "{plain}");

    // Nothing drawn past the right margin (15 mm from the edge of A4).
    // Nor before the left one (30 mm).
    let bbox = run("pdftotext", &["-bbox"], &pdf);
    let attr = |line: &str, name: &str| -> f32 {
        line.split(&format!("{name}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    };
    let words: Vec<&str> = bbox.lines().filter(|l| l.trim_start().starts_with("<word")).collect();
    assert!(words.len() > 150, "{bbox}");
    for line in words {
        assert!(attr(line, "xMax") <= 595.28 - 15.0 * 72.0 / 25.4 + 0.5, "overflows the right margin: {line}");
        assert!(attr(line, "xMin") >= 30.0 * 72.0 / 25.4 - 0.5, "overflows the left margin: {line}");
    }
}

#[test]
fn two_hundred_fields_span_several_pages() {
    let fields: Vec<Field> = (1..=200)
        .map(|i| Field {
            key: format!("f{i}"),
            label: format!("Trường thông tin số {i}"),
            kind: FieldKind::Text,
            required: false,
            options: vec![],
            help: None,
            default: None,
            ..Default::default()
        })
        .collect();
    let form = FormDefinition {
        id: "thu-nghiem".into(),
        title: "TỜ KHAI THỬ NGHIỆM NHIỀU TRANG".into(),
        addressee: "Kính gửi: Ủy ban nhân dân xã Hòa Bình".into(),
        sections: fields
            .chunks(50)
            .enumerate()
            .map(|(i, f)| Section { title: format!("Phần {}", i + 1), fields: f.to_vec(), ..Default::default() })
            .collect(),
        declaration: "Tôi cam đoan những nội dung khai trên đây là đúng sự thật.".into(),
        signer_label: "Người khai".into(),
        signer_field: "f1".into(),
        ..Default::default()
    };
    let data: FormData = (1..=200)
        .map(|i| {
            (
                format!("f{i}"),
                format!("Giá trị thứ {i}: Nguyễn Thị Ánh Dương, thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi, Việt Nam"),
            )
        })
        .collect();
    let bytes = render_form(&form, &data, &meta());
    let pdf = temp_file("many.pdf", &bytes);
    qpdf_check(&pdf);
    let info = run("pdfinfo", &[], &pdf);
    let pages: u32 = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages > 5, "{info}");
    assert_eq!(hoso_pdf::page_count(&bytes), pages, "our page count agrees with poppler");
    let text = folded(&run("pdftotext", &["-enc", "UTF-8"], &pdf));
    let mut from = 0;
    for i in 1..=200 {
        let value = &data[&format!("f{i}")];
        let at = text[from..].find(value.as_str()).unwrap_or_else(|| panic!("value {i} missing or out of order"));
        from += at + value.len();
    }
    assert!(text.contains("Người khai"));
}

#[test]
fn blank_form_prints_dotted_leaders() {
    let form = khai_sinh();
    let pdf = temp_file("blank.pdf", &render_form(form, &FormData::new(), &meta()));
    qpdf_check(&pdf);
    let text = run("pdftotext", &["-enc", "UTF-8"], &pdf);
    assert!(text.contains("Họ, chữ đệm, tên người yêu cầu: ……"), "{text}");
    assert!(text.contains("Quê quán: ……"), "{text}");
}

fn jpeg(width: u32, height: u32, gray: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 75);
    if gray {
        let img = image::GrayImage::from_fn(width, height, |x, y| image::Luma([((x / 8 + y / 8) % 2 * 200 + 30) as u8]));
        img.write_with_encoder(encoder).unwrap();
    } else {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        img.write_with_encoder(encoder).unwrap();
    }
    out
}

#[test]
fn jpeg_pages_have_the_physical_size_and_keep_the_jpeg() {
    let a4 = JpegPage { jpeg: jpeg(1654, 2339, true), width_px: 1654, height_px: 2339, dpi: 200.0, gray: true };
    let card = JpegPage { jpeg: jpeg(1012, 638, false), width_px: 1012, height_px: 638, dpi: 300.0, gray: false };
    let bytes = jpeg_pages(&[a4.clone(), card.clone()], "Giấy chứng sinh");
    assert_eq!(bytes, jpeg_pages(&[a4.clone(), card], "Giấy chứng sinh"), "deterministic");
    // The JPEG is embedded byte for byte.
    assert!(bytes.windows(a4.jpeg.len()).any(|w| w == a4.jpeg.as_slice()));
    let pdf = temp_file("scan.pdf", &bytes);
    qpdf_check(&pdf);

    let info = run("pdfinfo", &["-f", "1", "-l", "2"], &pdf);
    let sizes: Vec<(f32, f32)> = info
        .lines()
        .filter_map(|l| l.strip_prefix("Page").filter(|r| r.contains("size:")))
        .map(|l| {
            let nums: Vec<f32> = l.split_whitespace().filter_map(|w| w.parse().ok()).collect();
            (nums[1], nums[2])
        })
        .collect();
    assert_eq!(sizes.len(), 2, "{info}");
    assert!((sizes[0].0 - 595.0).abs() <= 1.0 && (sizes[0].1 - 842.0).abs() <= 1.0, "{info}");
    // 1012 × 638 px at 300 dpi: an ID card, 85.7 × 54 mm.
    assert!((sizes[1].0 - 242.88).abs() <= 0.1 && (sizes[1].1 - 153.12).abs() <= 0.1, "{info}");
    assert!(info.contains("Giấy chứng sinh"), "{info}");

    let list = run("pdfimages", &["-list"], &pdf);
    let rows: Vec<Vec<&str>> = list.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 2, "{list}");
    // page num type width height color comp bpc enc ...
    assert_eq!(&rows[0][3..9], ["1654", "2339", "gray", "1", "8", "jpeg"], "{list}");
    assert_eq!(&rows[1][3..9], ["1012", "638", "rgb", "3", "8", "jpeg"], "{list}");
}
