//! The printable page of a home pre-fill handoff (mã hồ sơ khai trước):
//! what it is, for which procedure and person, how to use it, and every
//! code of the message labelled "Mã 1/3", on A4, one code a page.

use crate::font::Style;
use crate::form::{write, Align, Layout, Op, BODY, LEFT, MM, RIGHT};
use crate::qr::QrMatrix;
use hoso_core::i18n::handoff as t;
use hoso_core::text;

/// Printed side of each code: modules of 1.4 mm at version 20, read by any
/// webcam or phone and by our decoder even from a photo of the whole page.
pub const CODE_MM: f32 = 140.0;

/// What the page shows besides the codes.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoffPage {
    pub procedure_name: String,
    /// The applicant (or first person) named in the answers, if any.
    pub person: Option<String>,
    /// The handoff parts (QR texts), in order.
    pub parts: Vec<String>,
}

/// The codes as a PDF, one code a page under the same heading and
/// instruction, so that each photo of a page holds exactly one code. Parts
/// that do not fit a QR code are skipped (`hoso_core::handoff::encode`
/// never makes such parts).
pub fn render_handoff(page: &HandoffPage) -> Vec<u8> {
    let mut l = Layout::new();
    let width = RIGHT - LEFT;
    let centre = (LEFT + RIGHT) / 2.0;
    let n = page.parts.len();
    let codes: Vec<QrMatrix> = page.parts.iter().filter_map(|p| QrMatrix::encode(p)).collect();
    for (i, code) in codes.iter().enumerate() {
        if i > 0 {
            l.new_page();
        }
        l.paragraph(Style::Bold, 16.0, t::PAGE_TITLE, Align::Center(centre), width);
        l.space(BODY * 0.4);
        let procedure = format!("{}: {}", t::PAGE_PROCEDURE, text::nfc(page.procedure_name.trim()));
        l.paragraph(Style::Bold, BODY, &procedure, Align::Center(centre), width);
        if let Some(person) = page.person.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            l.paragraph(Style::Regular, BODY, &format!("{}: {}", t::PAGE_PERSON, text::nfc(person)), Align::Center(centre), width);
        }
        l.space(BODY * 0.6);
        let instruction = if n > 1 { t::INSTRUCTION_MANY } else { t::INSTRUCTION_ONE };
        l.paragraph(Style::Regular, BODY, instruction, Align::Left(LEFT), width);
        l.paragraph(Style::Regular, BODY, t::PRIVACY, Align::Left(LEFT), width);
        l.space(BODY);
        l.line(Style::Bold, 16.0, &format!("{} {}/{n}", t::CODE, i + 1), Align::Center(centre));
        let side = CODE_MM * MM;
        // The quiet zone: four modules of white around the symbol.
        l.space(side / code.width as f32 * 5.0);
        l.push(Op::Fill(code.rects(centre - side / 2.0, l.y, side)));
        l.space(side);
    }
    write(l, t::TITLE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize) -> HandoffPage {
        HandoffPage {
            procedure_name: "Đăng ký khai sinh".into(),
            person: Some("Nguyễn Văn Bình".into()),
            parts: (1..=n).map(|i| format!("HS1:{i}/{n}:ABCDEF{}", "0123456789".repeat(60))).collect(),
        }
    }

    #[test]
    fn codes_stay_inside_the_margins_and_pages() {
        for n in [1, 2, 3, 5] {
            let pdf = render_handoff(&page(n));
            assert!(pdf.starts_with(b"%PDF-1.7"));
            assert_eq!(pdf, render_handoff(&page(n)), "deterministic");
        }
        // The code fits between the margins.
        assert!(CODE_MM * MM <= RIGHT - LEFT);
    }
}
