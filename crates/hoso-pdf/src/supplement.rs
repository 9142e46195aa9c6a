//! Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (TT 01/2018/TT-VPCP, Mẫu 02):
//! handed to the citizen when a dossier lacks required papers. Same heading,
//! fonts and signature blocks as the receipt: unit and national motto,
//! dossier code, applicant, request, then the numbered list of what is
//! missing and why, and who to ask. One A4 page for a few items.

use crate::font::Style;
use crate::form::{write, Align, Layout, BODY, LEADING, LEFT, MM, RIGHT};
use crate::receipt::{heading, signatures};
use hoso_core::catalog::{Catalog, Procedure};
use hoso_core::date::Date;
use hoso_core::dossier::MissingRecord;
use hoso_core::form::FormData;
use hoso_core::text;

pub const SUPPLEMENT_TITLE: &str = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ";

/// One paper to bring, and why it is asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct SupplementItem {
    pub name: String,
    pub reason: String,
}

/// Everything printed on the phiếu, as plain data.
#[derive(Clone, Debug, PartialEq)]
pub struct Supplement {
    /// The receiving unit, "UBND xã Hòa Bình".
    pub unit_name: String,
    /// Place before the date; may be empty.
    pub place: String,
    /// Day the phiếu is issued.
    pub date: Date,
    pub dossier_code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_id: String,
    pub address: String,
    /// Empty: a dotted line to fill by hand.
    pub phone: String,
    pub items: Vec<SupplementItem>,
    /// The clerk giving guidance (người hướng dẫn); empty to write by hand.
    pub clerk: String,
}

impl Supplement {
    /// The phiếu for a dossier of `procedure` lacking `missing` (as
    /// [`hoso_core::dossier::missing_with_reasons`] gives it): applicant
    /// from the answers, like the receipt. Unit, place and clerk are left
    /// empty for the caller.
    pub fn for_dossier(
        procedure: &Procedure,
        dossier_code: &str,
        answers: &FormData,
        missing: &[MissingRecord],
        date: Date,
    ) -> Supplement {
        // Kết hôn has no "applicant" group: the first signer files the dossier.
        let answers = &Catalog::embedded().form(&procedure.form).map_or_else(|| answers.clone(), |f| f.with_applicant(answers));
        let answer = |key: &str| answers.get(key).map(|v| text::clean(v)).unwrap_or_default();
        Supplement {
            unit_name: String::new(),
            place: String::new(),
            date,
            dossier_code: dossier_code.to_string(),
            procedure_code: procedure.code.clone(),
            procedure_name: procedure.name.clone(),
            applicant_name: answer("applicant.full_name"),
            applicant_id: answer("applicant.id_number"),
            address: answer("applicant.residence"),
            phone: answer("applicant.phone"),
            items: missing.iter().map(|m| SupplementItem { name: m.name.clone(), reason: m.reason.clone() }).collect(),
            clerk: String::new(),
        }
    }
}

/// The phiếu as an A4 PDF (more pages only for a very long list).
pub fn render_supplement(s: &Supplement) -> Vec<u8> {
    write(layout(s), &format!("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ {}", text::clean(&s.dossier_code)))
}

fn layout(s: &Supplement) -> Layout {
    let nfc = |v: &str| text::clean(v);
    let opt = |v: &str| Some(nfc(v)).filter(|v| !v.is_empty());
    let width = RIGHT - LEFT;
    let mut l = Layout::new();

    heading(&mut l, &s.unit_name, &s.place, s.date);
    l.space(8.0 * MM);
    let centre = Align::Center((LEFT + RIGHT) / 2.0);
    l.paragraph(Style::Bold, 14.0, SUPPLEMENT_TITLE, centre, width);
    // Printed before packaging, a dossier has no code yet.
    if let Some(code) = opt(&s.dossier_code) {
        l.paragraph(Style::Bold, BODY, &format!("Mã hồ sơ: {code}"), centre, width);
    }
    l.space(BODY * 0.5);

    l.field("Hồ sơ của", opt(&s.applicant_name).as_deref());
    l.field("Số định danh cá nhân", opt(&s.applicant_id).as_deref());
    l.field("Địa chỉ", opt(&s.address).as_deref());
    l.field("Số điện thoại", opt(&s.phone).as_deref());
    let request = format!("{} (mã thủ tục {})", nfc(&s.procedure_name), nfc(&s.procedure_code));
    l.field("Nội dung yêu cầu giải quyết", Some(&request));
    l.space(BODY * 0.3);
    l.paragraph(Style::Regular, BODY, "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", Align::Left(LEFT), width);
    let indent = 6.0 * MM;
    for (i, item) in s.items.iter().enumerate() {
        let number = format!("{}. ", i + 1);
        let hang = l.width(Style::Regular, BODY, &number);
        // The number hangs; the name and reason wrap under the text.
        let body = l.wrap(Style::Bold, BODY, &nfc(&item.name), width - indent - hang);
        for (j, line) in body.iter().enumerate() {
            if j == 0 {
                l.keep(BODY * LEADING);
                l.push(crate::form::Op::Text {
                    style: Style::Regular,
                    size: BODY,
                    x: LEFT + indent,
                    y: l.y - BODY * crate::form::BASELINE,
                    text: number.clone(),
                    gap: 0.0,
                });
            }
            l.line(Style::Bold, BODY, line, Align::Left(LEFT + indent + hang));
        }
        let reason = format!("Lý do: {}", nfc(&item.reason));
        l.paragraph(Style::Regular, BODY, &reason, Align::Left(LEFT + indent + hang), width - indent - hang);
    }
    l.space(BODY * 0.3);
    l.paragraph(
        Style::Regular,
        BODY,
        "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ Bộ phận Một cửa để được hướng dẫn.",
        Align::Left(LEFT),
        width,
    );
    signatures(&mut l, [("NGƯỜI NỘP HỒ SƠ", &s.applicant_name), ("NGƯỜI HƯỚNG DẪN", &s.clerk)]);
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::Op;
    use hoso_core::Catalog;

    fn sample() -> Supplement {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let answers: FormData =
            [("applicant.full_name", "Nguyễn Văn Bình"), ("applicant.id_number", "051090012345")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let missing = [MissingRecord { id: "giay-chung-sinh".into(), name: "Giấy chứng sinh".into(), reason: "Sinh tại nhà".into() }];
        let mut s = Supplement::for_dossier(p, "HOSO-261123-0001", &answers, &missing, Date::new(2026, 11, 23).unwrap());
        s.unit_name = "UBND xã Hòa Bình".into();
        s
    }

    #[test]
    fn from_the_dossier() {
        let s = sample();
        assert_eq!(s.applicant_name, "Nguyễn Văn Bình");
        assert_eq!(s.procedure_code, "1.001193");
        assert_eq!(s.items, [SupplementItem { name: "Giấy chứng sinh".into(), reason: "Sinh tại nhà".into() }]);
    }

    #[test]
    fn deterministic_and_inside_the_margins() {
        let mut s = sample();
        let long = "Bản sao giấy tờ chứng minh nơi cư trú có chứng thực của cơ quan có thẩm quyền theo quy định";
        s.items.push(SupplementItem { name: long.into(), reason: long.into() });
        let pdf = render_supplement(&s);
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(pdf, render_supplement(&s));
        assert_ne!(pdf, render_supplement(&sample()));
        let mut uncoded = sample();
        uncoded.dossier_code.clear();
        assert!(render_supplement(&uncoded).starts_with(b"%PDF"));
        let l = layout(&s);
        assert_eq!(l.pages.len(), 1, "two items fit one page");
        for op in l.pages.iter().flatten() {
            if let Op::Text { style, size, x, text, .. } = op {
                assert!(*x >= LEFT - 0.01 && *x + l.width(*style, *size, text) <= RIGHT + 0.01, "{text}");
            }
        }
    }
}
