//! The printable page of a home pre-fill handoff (mã hồ sơ khai trước):
//! what it is, for which procedure and person, how to use it, and every
//! code of the message labelled "Mã 1/3", on A4.

use crate::font::Style;
use crate::form::{write, Align, Layout, Op, BODY, LEADING, LEFT, MM, RIGHT};
use crate::qr::QrMatrix;
use hoso_core::i18n::handoff as t;
use hoso_core::text;

/// Printed side of a code when the message is one code: large enough for a
/// weak webcam at arm's length.
pub const ONE_CODE_MM: f32 = 90.0;
/// Side of each code when there are several, two a row.
pub const CODE_MM: f32 = 74.0;

/// What the page shows besides the codes.
#[derive(Clone, Debug, PartialEq)]
pub struct HandoffPage {
    pub procedure_name: String,
    /// The applicant (or first person) named in the answers, if any.
    pub person: Option<String>,
    /// The handoff parts (QR texts), in order.
    pub parts: Vec<String>,
}

/// The page(s) as a PDF. Parts that do not fit a QR code are skipped
/// (`hoso_core::handoff::encode` never makes such parts).
pub fn render_handoff(page: &HandoffPage) -> Vec<u8> {
    let mut l = Layout::new();
    let width = RIGHT - LEFT;
    let centre = (LEFT + RIGHT) / 2.0;
    l.paragraph(Style::Bold, 16.0, t::PAGE_TITLE, Align::Center(centre), width);
    l.space(BODY * 0.4);
    let procedure = format!("{}: {}", t::PAGE_PROCEDURE, text::nfc(page.procedure_name.trim()));
    l.paragraph(Style::Bold, BODY, &procedure, Align::Center(centre), width);
    if let Some(person) = page.person.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        l.paragraph(Style::Regular, BODY, &format!("{}: {}", t::PAGE_PERSON, text::nfc(person)), Align::Center(centre), width);
    }
    l.space(BODY * 0.6);
    let n = page.parts.len();
    let instruction = if n > 1 { t::INSTRUCTION_MANY } else { t::INSTRUCTION_ONE };
    l.paragraph(Style::Regular, BODY, instruction, Align::Left(LEFT), width);
    l.paragraph(Style::Regular, BODY, t::PRIVACY, Align::Left(LEFT), width);
    l.space(BODY);

    let codes: Vec<QrMatrix> = page.parts.iter().filter_map(|p| QrMatrix::encode(p)).collect();
    let label_h = BODY * LEADING;
    if codes.len() == 1 {
        let side = ONE_CODE_MM * MM;
        l.keep(side + label_h);
        l.push(Op::Fill(codes[0].rects(centre - side / 2.0, l.y, side)));
        l.space(side + 3.0 * MM);
        l.line(Style::Bold, BODY, &format!("{} 1/1", t::CODE), Align::Center(centre));
        return write(l, t::TITLE);
    }
    let side = CODE_MM * MM;
    let columns = [LEFT + width / 4.0, LEFT + width * 0.75];
    for (row, pair) in codes.chunks(2).enumerate() {
        l.keep(label_h + side + 8.0 * MM);
        let top = l.y;
        for (col, code) in pair.iter().enumerate() {
            let i = row * 2 + col + 1;
            l.y = top;
            l.line(Style::Bold, BODY, &format!("{} {i}/{n}", t::CODE), Align::Center(columns[col]));
            l.push(Op::Fill(code.rects(columns[col] - side / 2.0, l.y - 1.0 * MM, side)));
        }
        l.y = top - label_h - side - 8.0 * MM;
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
        // Laid out again to look at the drawing: no module off the paper.
        let mut l = Layout::new();
        l.y = crate::form::TOP;
        let code = QrMatrix::encode(&page(1).parts[0]).unwrap();
        let rects = code.rects(LEFT, l.y, CODE_MM * MM);
        assert!(rects.iter().all(|r| r[0] >= LEFT - 0.01 && r[0] + r[2] <= LEFT + CODE_MM * MM + 0.01));
    }
}
