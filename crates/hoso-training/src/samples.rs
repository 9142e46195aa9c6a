//! Người mẫu và giấy tờ mẫu — fictional people and the papers they bring.
//!
//! Every name carries "Mẫu" (sample) so nobody takes them for real people,
//! yet every number passes the app's checks: the ID numbers' century, sex
//! and year digits agree with the birth dates, and the declaration they
//! fill validates. The child is born a week before the session, so the
//! sample always falls within the 60 days of a free, on-time khai sinh.

use crate::sheet::{qr_ops, qr_side, Align, Op, Rgba, Sheet, INK, PAPER, SEAL, SIGNATURE, WATERMARK};
use hoso_core::cccd::IdCard;
use hoso_core::date::Date;
use hoso_core::id_number::{self, Sex};

pub const RESIDENCE: &str = "Thôn Mẫu, xã Tập Huấn, thành phố Hà Nội";
pub const HOSPITAL: &str = "Bệnh viện Đa khoa Mẫu, thành phố Hà Nội";
/// Unit and clerk names a fresh training store starts with (printed on the receipt).
pub const UNIT_NAME: &str = "UBND xã Tập Huấn (mẫu)";
pub const CLERK: &str = "Phạm Thị Mẫu";
/// Where the declaration is made.
pub const PLACE: &str = "Hà Nội";
/// The procedure the tour walks through.
pub const PROCEDURE: &str = "khai-sinh";

/// The mother, who brings her card and declares the birth.
pub fn mother_card() -> IdCard {
    IdCard {
        id_number: id_number::parse("001196000001").expect("valid sample number"),
        old_id: None,
        full_name: "Lê Thị Mẫu".into(),
        birth_date: Date::new(1996, 3, 15).expect("valid date"),
        sex: Sex::Female,
        address: RESIDENCE.into(),
        issue_date: Date::new(2021, 8, 10),
    }
}

pub const FATHER_NAME: &str = "Trần Văn Mẫu";
pub const FATHER_BIRTH_YEAR: i32 = 1994;
pub const CHILD_NAME: &str = "Trần Thị Bé Mẫu";

/// The child's birth date: a week before `today`.
pub fn child_birth(today: Date) -> Date {
    Date::from_days_from_epoch(today.days_from_epoch() - 7)
}

/// Every answer of the khai-sinh declaration for the sample family, as a
/// clerk would type them (the card fills the applicant's part too).
pub fn answers(today: Date) -> Vec<(&'static str, String)> {
    let mother = mother_card();
    vec![
        ("applicant.full_name", mother.full_name.clone()),
        ("applicant.id_number", mother.id_number.to_string()),
        ("applicant.residence", RESIDENCE.into()),
        ("applicant.relation", "Mẹ".into()),
        ("child.full_name", CHILD_NAME.into()),
        ("child.birth_date", child_birth(today).to_string()),
        ("child.sex", Sex::Female.vi().into()),
        ("child.ethnicity", "Kinh".into()),
        ("child.nationality", "Việt Nam".into()),
        ("child.birth_place", HOSPITAL.into()),
        ("child.home_town", "Xã Tập Huấn, thành phố Hà Nội".into()),
        ("mother.full_name", mother.full_name.clone()),
        ("mother.birth_year", mother.birth_date.year.to_string()),
        ("mother.ethnicity", "Kinh".into()),
        ("mother.nationality", "Việt Nam".into()),
        ("mother.residence", RESIDENCE.into()),
        ("father.full_name", FATHER_NAME.into()),
        ("father.birth_year", FATHER_BIRTH_YEAR.to_string()),
        ("father.ethnicity", "Kinh".into()),
        ("father.nationality", "Việt Nam".into()),
        ("father.residence", RESIDENCE.into()),
    ]
}

/// The sample papers, by id.
pub fn sheet(id: &str, today: Date) -> Option<Sheet> {
    match id {
        "the-can-cuoc" => Some(id_card()),
        "giay-chung-sinh" => Some(birth_certificate(today)),
        _ => None,
    }
}

pub const SHEET_IDS: [&str; 2] = ["the-can-cuoc", "giay-chung-sinh"];

fn text(x: f32, y: f32, size: f32, bold: bool, align: Align, s: impl Into<String>) -> Op {
    Op::Text { x, y, size, bold, serif: false, align, color: INK, text: s.into() }
}

fn serif(x: f32, y: f32, size: f32, bold: bool, align: Align, s: impl Into<String>) -> Op {
    Op::Text { x, y, size, bold, serif: true, align, color: INK, text: s.into() }
}

fn coloured(x: f32, y: f32, size: f32, align: Align, color: Rgba, s: impl Into<String>) -> Op {
    Op::Text { x, y, size, bold: true, serif: false, align, color, text: s.into() }
}

const NOT_VALID: &str = "TÀI LIỆU TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ SỬ DỤNG";

/// Mặt trước thẻ căn cước mẫu, at about 300 dpi (85.6 × 54 mm), with the
/// card's QR code top right as on chip cards.
pub fn id_card() -> Sheet {
    let card = mother_card();
    let (w, h) = (1012.0_f32, 638.0_f32);
    let qr_text = card.to_qr_text();
    let module = 5.0;
    let side = qr_side(&qr_text, module);
    let mut ops = vec![
        Op::Fill { x: 0.0, y: 0.0, w, h, color: [226, 238, 233, 255] },
        Op::Fill { x: 0.0, y: 0.0, w, h: 14.0, color: [190, 40, 40, 255] },
        text(380.0, 62.0, 24.0, true, Align::Center, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        text(380.0, 94.0, 22.0, false, Align::Center, "Độc lập - Tự do - Hạnh phúc"),
        coloured(380.0, 150.0, 44.0, Align::Center, [180, 30, 30, 255], "CĂN CƯỚC (MẪU)"),
        Op::Fill { x: 36.0, y: 200.0, w: 210.0, h: 270.0, color: [200, 208, 214, 255] },
        Op::Circle { cx: 141.0, cy: 290.0, r: 55.0, width: 6.0, color: [140, 150, 160, 255] },
        text(141.0, 445.0, 24.0, true, Align::Center, "ẢNH MẪU"),
        text(280.0, 218.0, 21.0, false, Align::Left, "Số định danh cá nhân:"),
        text(280.0, 262.0, 40.0, true, Align::Left, card.id_number.to_string()),
        text(280.0, 304.0, 21.0, false, Align::Left, "Họ, chữ đệm và tên khai sinh:"),
        text(280.0, 344.0, 34.0, true, Align::Left, hoso_core::text::upper(&card.full_name)),
        text(280.0, 390.0, 22.0, false, Align::Left, format!("Ngày, tháng, năm sinh: {}", card.birth_date)),
        text(280.0, 426.0, 22.0, false, Align::Left, format!("Giới tính: {}     Quốc tịch: Việt Nam", card.sex.vi())),
        text(280.0, 462.0, 22.0, false, Align::Left, "Nơi thường trú:"),
        text(280.0, 494.0, 22.0, false, Align::Left, card.address.clone()),
        text(280.0, 530.0, 20.0, false, Align::Left, format!("Ngày cấp: {}", card.issue_date.map(|d| d.to_string()).unwrap_or_default())),
        coloured(w / 2.0, 608.0, 22.0, Align::Center, [180, 30, 30, 255], NOT_VALID),
        Op::Watermark { text: "MẪU".into(), size: 300.0, color: WATERMARK },
    ];
    // Drawn last, on its own white quiet zone: the watermark must not hide it.
    ops.extend(qr_ops(&qr_text, w - side - 24.0, 24.0, module));
    Sheet { id: "the-can-cuoc", title: "Thẻ căn cước mẫu (có mã QR)".into(), width: w as u32, height: h as u32, ops }
}

/// Giấy chứng sinh mẫu: one A4 page at 150 dpi, with a red seal and a
/// blue signature, as a phone photo of the paper would show.
pub fn birth_certificate(today: Date) -> Sheet {
    let card = mother_card();
    let born = child_birth(today);
    let (w, h) = (1240.0_f32, 1754.0_f32);
    let left = 110.0;
    let mut ops = vec![
        Op::Fill { x: 0.0, y: 0.0, w, h, color: PAPER },
        serif(300.0, 120.0, 26.0, false, Align::Center, "SỞ Y TẾ THÀNH PHỐ HÀ NỘI"),
        serif(300.0, 156.0, 26.0, true, Align::Center, "BỆNH VIỆN ĐA KHOA MẪU"),
        serif(300.0, 200.0, 24.0, false, Align::Center, "Số: 0001/GCS-MẪU"),
        serif(870.0, 120.0, 26.0, true, Align::Center, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        serif(870.0, 156.0, 26.0, true, Align::Center, "Độc lập - Tự do - Hạnh phúc"),
        Op::Fill { x: 740.0, y: 166.0, w: 260.0, h: 2.0, color: INK },
        serif(w / 2.0, 320.0, 60.0, true, Align::Center, "GIẤY CHỨNG SINH"),
    ];
    let lines = [
        format!("Họ và tên mẹ: {}", card.full_name),
        format!("Năm sinh: {}          Dân tộc: Kinh", card.birth_date.year),
        format!("Số định danh cá nhân: {}", card.id_number),
        format!("Nơi thường trú: {}", card.address),
        format!("Họ và tên cha: {FATHER_NAME}"),
        format!("Đã sinh con vào lúc: 08 giờ 30 phút, ngày {:02} tháng {:02} năm {}", born.day, born.month, born.year),
        format!("Tại: {HOSPITAL}"),
        "Số con trong lần sinh này: 01".to_string(),
        format!("Giới tính của con: {}          Cân nặng: 3.200 gam", Sex::Female.vi()),
        format!("Dự định đặt tên con là: {CHILD_NAME}"),
        "Ghi chú: Không".to_string(),
    ];
    for (i, line) in lines.into_iter().enumerate() {
        ops.push(serif(left, 440.0 + i as f32 * 72.0, 32.0, false, Align::Left, line));
    }
    let sign_x = 880.0;
    ops.extend([
        serif(sign_x, 1300.0, 28.0, false, Align::Center, format!("Hà Nội, ngày {:02} tháng {:02} năm {}", born.day, born.month, born.year)),
        serif(sign_x, 1345.0, 30.0, true, Align::Center, "GIÁM ĐỐC"),
        serif(300.0, 1345.0, 30.0, true, Align::Center, "NGƯỜI ĐỠ ĐẺ"),
        Op::Path { points: vec![(230.0, 1470.0), (260.0, 1420.0), (285.0, 1480.0), (320.0, 1425.0), (350.0, 1470.0), (390.0, 1450.0)], width: 4.0, color: SIGNATURE },
        serif(300.0, 1610.0, 28.0, true, Align::Center, "Đỗ Thị Mẫu"),
        Op::Circle { cx: sign_x - 60.0, cy: 1470.0, r: 110.0, width: 8.0, color: SEAL },
        Op::Circle { cx: sign_x - 60.0, cy: 1470.0, r: 80.0, width: 3.0, color: SEAL },
        coloured(sign_x - 60.0, 1460.0, 22.0, Align::Center, SEAL, "BỆNH VIỆN"),
        coloured(sign_x - 60.0, 1492.0, 22.0, Align::Center, SEAL, "ĐA KHOA MẪU"),
        Op::Path { points: vec![(800.0, 1480.0), (840.0, 1410.0), (870.0, 1500.0), (910.0, 1420.0), (950.0, 1490.0), (1010.0, 1440.0)], width: 5.0, color: SIGNATURE },
        serif(sign_x, 1610.0, 28.0, true, Align::Center, "Nguyễn Văn Mẫu"),
        coloured(w / 2.0, 1680.0, 30.0, Align::Center, [180, 30, 30, 255], NOT_VALID),
        Op::Watermark { text: "MẪU".into(), size: 520.0, color: WATERMARK },
    ]);
    Sheet { id: "giay-chung-sinh", title: "Giấy chứng sinh mẫu".into(), width: w as u32, height: h as u32, ops }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_core::{cccd, Catalog};

    const TODAY: Date = Date { year: 2026, month: 11, day: 22 };

    /// Paints the filled rectangles (what a QR is made of) on white.
    fn fills_to_gray(sheet: &Sheet) -> Vec<u8> {
        let (w, h) = (sheet.width as usize, sheet.height as usize);
        let mut gray = vec![255u8; w * h];
        for op in &sheet.ops {
            if let Op::Fill { x, y, w: fw, h: fh, color } = op {
                let level = ((u32::from(color[0]) * 3 + u32::from(color[1]) * 6 + u32::from(color[2])) / 10) as u8;
                for row in (*y as usize)..((y + fh) as usize).min(h) {
                    for col in (*x as usize)..((x + fw) as usize).min(w) {
                        gray[row * w + col] = level;
                    }
                }
            }
        }
        gray
    }

    #[test]
    fn the_card_qr_reads_back_as_the_sample_person() {
        let sheet = id_card();
        let texts = hoso_qr::decode(&fills_to_gray(&sheet), sheet.width, sheet.height).expect("the sample QR decodes");
        let card = cccd::parse(&texts[0]).expect("a valid CCCD text");
        assert_eq!(card, mother_card());
        assert!(card.full_name.contains("Mẫu"));
    }

    #[test]
    fn sample_numbers_agree_with_birth_and_sex() {
        let card = mother_card();
        card.id_number.check_against(card.birth_date, card.sex).unwrap();
        let father = id_number::parse("001094000002").unwrap();
        assert_eq!(father.birth_year(), FATHER_BIRTH_YEAR);
        assert_eq!(father.sex(), Sex::Male);
    }

    #[test]
    fn the_sample_declaration_validates() {
        let catalog = Catalog::embedded();
        let procedure = catalog.procedure(PROCEDURE).unwrap();
        let form = catalog.form(&procedure.form).unwrap();
        let data = answers(TODAY).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let normalized = form.normalize(&data);
        assert_eq!(form.validate(&normalized, catalog, TODAY), vec![]);
        // Every key is a field of the form: nothing the tour fills is lost.
        for (k, _) in answers(TODAY) {
            assert!(form.fields().any(|f| f.key == k), "{k}");
        }
        // What the card fills agrees with the typed answers.
        for (k, v) in cccd::fill(&mother_card(), "applicant") {
            if let Some((_, typed)) = answers(TODAY).into_iter().find(|(key, _)| *key == k) {
                assert_eq!(typed, v, "{k}");
            }
        }
    }

    #[test]
    fn child_is_born_a_week_before_the_session() {
        assert_eq!(child_birth(TODAY), Date { year: 2026, month: 11, day: 15 });
        assert_eq!(child_birth(Date { year: 2027, month: 1, day: 3 }), Date { year: 2026, month: 12, day: 27 });
    }

    #[test]
    fn every_sheet_is_marked_and_names_its_paper() {
        let catalog = Catalog::embedded();
        let papers: Vec<&str> = catalog.procedure(PROCEDURE).unwrap().papers().map(|c| c.id.as_str()).collect();
        for id in SHEET_IDS {
            let s = sheet(id, TODAY).unwrap();
            assert!(s.has_watermark(), "{id} lacks a big MẪU");
            assert!(s.ops.iter().any(|op| matches!(op, Op::Text { text, .. } if text == NOT_VALID)), "{id}");
            assert!(s.file_name().ends_with(".jpg"));
            assert!(id == "the-can-cuoc" || papers.contains(&id), "{id} is not a paper of {PROCEDURE}");
        }
        assert!(sheet("khac", TODAY).is_none());
    }
}
