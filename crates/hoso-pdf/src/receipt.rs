//! Giấy tiếp nhận hồ sơ và hẹn trả kết quả — the receipt the citizen takes
//! home (TT 01/2018/TT-VPCP, Mẫu 01): unit and national motto, a QR code in
//! the top-left corner (TT 01/2023/TT-VPCP), the dossier code, applicant,
//! request, papers received, time limit, reception and appointment times,
//! delivery, book number and two signature blocks. The page is printed
//! twice: one copy for the citizen, one kept at the counter.
//!
//! ## QR payload, version `HOSO1`
//! One line of UTF-8 text, eight fields separated by `|`:
//!
//! `HOSO1|dossier code|procedure code|applicant ID|document name|source system|issued|due`
//!
//! e.g. `HOSO1|HOSO-261123-0001|1.001193|051090012345|Giấy tiếp nhận hồ sơ và hẹn trả kết quả|hoso|2026-11-23T14:00:00+07:00|2026-11-23T17:00:00+07:00`.
//! Times are ISO 8601 with the Vietnam offset; "issued" is the time of
//! reception. Inside a field `|` and line breaks become spaces and each
//! field is cut to 64 characters, so the code always fits and always splits
//! into eight fields. A reader must check the first field; an incompatible
//! change gets a new version tag (`HOSO2`), never a new meaning for a field.

use crate::font::Style;
use crate::form::{write, Align, Layout, Op, BODY, LEADING, LEFT, MM, MOTTO, RIGHT, SUBMOTTO};
use hoso_calendar::{LocalDateTime, Weekday, WorkCalendar};
use hoso_core::catalog::{Catalog, ComponentKind, PresentedAs, Procedure};
use hoso_core::date::Date;
use hoso_core::form::FormData;
use hoso_core::i18n::ui;
use hoso_core::text;
use crate::qr::QrMatrix;

/// Version tag, the first field of the QR payload.
pub const QR_FORMAT: &str = "HOSO1";
/// Source system named in the QR payload.
pub const SOURCE_SYSTEM: &str = "hoso";
pub const RECEIPT_TITLE: &str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ";
/// The two copies (liên), one page each.
pub const COPIES: [&str; 2] = ["Liên 1: Giao người nộp hồ sơ", "Liên 2: Lưu tại Bộ phận Một cửa"];
/// Printed side of the QR code: 0.5 mm modules for a typical payload,
/// well above what phone cameras and 150 dpi scans resolve.
pub const QR_SIDE_MM: f32 = 26.0;

const SIGN_HINT: &str = "(Ký và ghi rõ họ tên)";
const FIELD_MAX: usize = 64;
/// Width of the unit's column, left of the motto.
const UNIT_COL: f32 = 62.0 * MM;

/// A point in time as the receipt prints it; the caller computes it
/// (Vietnam time) and the weekday from its calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiptTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    /// "thứ Hai" … "Chủ nhật".
    pub weekday: String,
}

impl ReceiptTime {
    /// "2026-11-23T14:00:00+07:00".
    pub fn iso(&self) -> String {
        let d = self.date;
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:00+07:00", d.year, d.month, d.day, self.hour, self.minute)
    }

    /// "14 giờ 00 phút, thứ Hai, ngày 23 tháng 11 năm 2026".
    pub fn vietnamese(&self) -> String {
        format!("{:02} giờ {:02} phút, {}, {}", self.hour, self.minute, self.weekday, self.date.official())
    }
}

/// One paper received (thành phần hồ sơ).
#[derive(Clone, Debug, PartialEq)]
pub struct ReceiptLine {
    pub name: String,
    /// "Bản chính", "Bản sao", …
    pub presented_as: String,
    pub count: u32,
}

/// Everything printed on the receipt, as plain data.
#[derive(Clone, Debug, PartialEq)]
pub struct Receipt {
    /// The receiving unit, "UBND xã Hòa Bình".
    pub unit_name: String,
    /// Place before the date ("Hòa Bình, ngày …"); may be empty.
    pub place: String,
    pub dossier_code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant_name: String,
    pub applicant_id: String,
    pub address: String,
    /// Empty: a dotted line to fill by hand.
    pub phone: String,
    pub email: String,
    pub components: Vec<ReceiptLine>,
    /// Số lượng hồ sơ (bộ).
    pub sets: u32,
    /// Thời hạn giải quyết as the catalog words it.
    pub time_limit: String,
    pub received: ReceiptTime,
    pub due: ReceiptTime,
    /// Hình thức nhận kết quả, e.g. [`ui::DELIVERY_COUNTER`].
    pub delivery: String,
    /// The clerk who received the dossier; empty to write by hand.
    pub clerk: String,
    /// Quyển số / số thứ tự in the counter's book.
    pub book_number: Option<String>,
}

impl Receipt {
    /// A receipt for a dossier of `procedure`: applicant from the answers
    /// (`applicant.full_name`, `.id_number`, `.residence`, `.phone`,
    /// `.email`), papers from the ids in `received_ids` in catalog order.
    /// Unit, place, clerk and book number are left empty for the caller;
    /// delivery defaults to the counter, one set.
    pub fn for_dossier(
        procedure: &Procedure,
        dossier_code: &str,
        answers: &FormData,
        received_ids: &[&str],
        received: ReceiptTime,
        due: ReceiptTime,
    ) -> Receipt {
        // Kết hôn has no "applicant" group: the first signer files the dossier.
        let answers = &Catalog::embedded().form(&procedure.form).map_or_else(|| answers.clone(), |f| f.with_applicant(answers));
        let answer = |key: &str| answers.get(key).map(|v| text::nfc(v.trim())).unwrap_or_default();
        Receipt {
            unit_name: String::new(),
            place: String::new(),
            dossier_code: dossier_code.to_string(),
            procedure_code: procedure.code.clone(),
            procedure_name: procedure.name.clone(),
            applicant_name: answer("applicant.full_name"),
            applicant_id: answer("applicant.id_number"),
            address: answer("applicant.residence"),
            phone: answer("applicant.phone"),
            email: answer("applicant.email"),
            components: receipt_lines(procedure, received_ids),
            sets: 1,
            time_limit: procedure.time_limit.clone(),
            received,
            due,
            delivery: ui::DELIVERY_COUNTER.to_string(),
            clerk: String::new(),
            book_number: None,
        }
    }

    /// [`Receipt::for_dossier`] for a dossier received at `received`, with
    /// the appointment from the working-day calendar and the procedure's
    /// time limit (also returned). The app and the CLI both come here.
    pub fn received_at(
        procedure: &Procedure,
        dossier_code: &str,
        answers: &FormData,
        received_ids: &[&str],
        received: LocalDateTime,
    ) -> (Receipt, LocalDateTime) {
        let due = WorkCalendar::embedded().due_for(received, &procedure.time_limit_rule);
        (Receipt::for_dossier(procedure, dossier_code, answers, received_ids, received.into(), due.into()), due)
    }
}

/// A calendar time as the receipt prints it.
impl From<LocalDateTime> for ReceiptTime {
    fn from(t: LocalDateTime) -> ReceiptTime {
        ReceiptTime { date: t.date, hour: t.time.hour(), minute: t.time.minute(), weekday: Weekday::of(t.date).vi().to_string() }
    }
}

/// The papers of `procedure` whose ids are in `received_ids`, in catalog
/// order, one each; the declaration is an original.
pub fn receipt_lines(procedure: &Procedure, received_ids: &[&str]) -> Vec<ReceiptLine> {
    procedure
        .components
        .iter()
        .filter(|c| received_ids.contains(&c.id.as_str()))
        .map(|c| {
            let presented = match (c.presented_as, c.kind) {
                (Some(p), _) => p.vi(),
                (None, ComponentKind::Form) => PresentedAs::Original.vi(),
                (None, ComponentKind::Paper) => "",
            };
            ReceiptLine { name: c.name.clone(), presented_as: presented.to_string(), count: 1 }
        })
        .collect()
}

/// The text in the QR code (format [`QR_FORMAT`], see the module docs).
pub fn receipt_qr_payload(r: &Receipt) -> String {
    let field = |s: &str| -> String {
        text::nfc(s).chars().map(|c| if c == '|' || c.is_control() { ' ' } else { c }).take(FIELD_MAX).collect::<String>()
    };
    [
        QR_FORMAT.to_string(),
        field(&r.dossier_code),
        field(&r.procedure_code),
        field(&r.applicant_id),
        ui::RECEIPT.to_string(),
        SOURCE_SYSTEM.to_string(),
        r.received.iso(),
        r.due.iso(),
    ]
    .join("|")
}

/// The receipt as an A4 PDF: the same page for each of [`COPIES`].
pub fn render_receipt(r: &Receipt) -> Vec<u8> {
    let payload = receipt_qr_payload(r);
    // Medium error correction: survives a fold or a stain on the paper.
    // Fields are bounded, so the payload always fits a code.
    let qr = QrMatrix::encode(&payload).expect("bounded payload fits a QR code");
    let mut l = Layout::new();
    for (i, copy) in COPIES.iter().enumerate() {
        if i > 0 {
            l.new_page();
        }
        page(&mut l, r, &qr, copy);
    }
    write(l, &format!("{} {}", ui::RECEIPT, text::nfc(&r.dossier_code)))
}

/// Text centred on `centre` on the current line, then down one line.
pub(crate) fn centred(l: &mut Layout, style: Style, size: f32, text: &str, centre: f32) {
    l.line(style, size, text, Align::Center(centre));
}

/// The heading of the counter's papers (Mẫu 01, 02): the receiving unit and
/// "BỘ PHẬN MỘT CỬA" over a short rule at the left; quốc hiệu, tiêu ngữ and
/// "place, ngày … tháng … năm …" at the right. Leaves `l.y` under the date
/// line and returns the y under the unit's rule.
pub(crate) fn heading(l: &mut Layout, unit_name: &str, place: &str, date: Date) -> f32 {
    let nfc = |s: &str| text::nfc(s.trim());
    let top = l.y;
    let unit_centre = LEFT + UNIT_COL / 2.0;
    let unit = hoso_core::text::upper(&nfc(unit_name));
    for line in l.wrap(Style::Bold, 12.0, &unit, UNIT_COL) {
        centred(l, Style::Bold, 12.0, &line, unit_centre);
    }
    centred(l, Style::Bold, 12.0, "BỘ PHẬN MỘT CỬA", unit_centre);
    let rule = 18.0 * MM;
    l.push(Op::Rule { x0: unit_centre - rule, x1: unit_centre + rule, y: l.y - 1.0 });
    let unit_bottom = l.y;

    l.y = top;
    let motto_centre = (LEFT + UNIT_COL + RIGHT) / 2.0;
    centred(l, Style::Bold, 12.0, MOTTO, motto_centre);
    centred(l, Style::Bold, BODY, SUBMOTTO, motto_centre);
    let half = l.width(Style::Bold, BODY, SUBMOTTO) / 2.0;
    l.push(Op::Rule { x0: motto_centre - half, x1: motto_centre + half, y: l.y - 1.0 });
    l.space(6.0);
    let place = nfc(place);
    let dated = if place.is_empty() { date.official() } else { format!("{place}, {}", date.official()) };
    centred(l, Style::Regular, BODY, &dated, motto_centre);
    unit_bottom
}

/// Signature blocks side by side, each a heading, "(Ký và ghi rõ họ
/// tên)", room to sign and the name (empty: written by hand); names line
/// up whatever the headings.
pub(crate) fn signatures(l: &mut Layout, blocks: [(&str, &str); 2]) {
    let width = RIGHT - LEFT;
    let col_w = width / 2.0 - 6.0;
    let block = |heading: &str, name: &str| -> Vec<(Style, String)> {
        let mut lines = vec![(Style::Bold, heading.to_string()), (Style::Regular, SIGN_HINT.to_string())];
        lines.resize(6, (Style::Regular, String::new()));
        lines.extend(l.wrap(Style::Bold, BODY, &text::nfc(name.trim()), col_w).into_iter().map(|s| (Style::Bold, s)));
        lines
    };
    let cols = [(LEFT + width / 4.0, block(blocks[0].0, blocks[0].1)), (LEFT + width * 0.75, block(blocks[1].0, blocks[1].1))];
    let rows = cols.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
    l.space(BODY * 0.6);
    l.keep(BODY * LEADING * rows as f32);
    l.columns(&cols);
}

fn page(l: &mut Layout, r: &Receipt, qr: &QrMatrix, copy: &str) {
    let nfc = |s: &str| text::nfc(s.trim());
    let width = RIGHT - LEFT;

    // The heading, then the QR code under the unit, top left.
    let unit_bottom = heading(l, &r.unit_name, &r.place, r.received.date);
    let qr_top = unit_bottom - 4.0 * MM;
    let side = QR_SIDE_MM * MM;
    l.push(Op::Fill(qr.rects(LEFT, qr_top, side)));
    let left_bottom = qr_top - side;

    l.y = l.y.min(left_bottom) - 4.0 * MM;
    let centre = Align::Center((LEFT + RIGHT) / 2.0);
    l.paragraph(Style::Bold, 14.0, RECEIPT_TITLE, centre, width);
    l.paragraph(Style::Bold, BODY, &format!("Mã hồ sơ: {}", nfc(&r.dossier_code)), centre, width);
    l.paragraph(Style::Regular, BODY, &format!("({copy})"), centre, width);
    l.space(BODY * 0.5);

    let opt = |s: &str| Some(nfc(s)).filter(|v| !v.is_empty());
    let unit = [" ", &nfc(&r.unit_name)].concat();
    let unit = if unit.trim().is_empty() { "" } else { &unit };
    l.paragraph(Style::Regular, BODY, &format!("Bộ phận Một cửa{unit} tiếp nhận hồ sơ của:"), Align::Left(LEFT), width);
    l.field("Ông/bà", opt(&r.applicant_name).as_deref());
    l.field("Số định danh cá nhân", opt(&r.applicant_id).as_deref());
    l.field("Địa chỉ", opt(&r.address).as_deref());
    l.field("Số điện thoại", opt(&r.phone).as_deref());
    l.field("Thư điện tử", opt(&r.email).as_deref());
    let request = format!("{} (mã thủ tục {})", nfc(&r.procedure_name), nfc(&r.procedure_code));
    l.field("Nội dung yêu cầu giải quyết", Some(&request));

    l.field("1. Thành phần hồ sơ nộp gồm", Some(""));
    let indent = 6.0 * MM;
    for (i, c) in r.components.iter().enumerate() {
        let presented = nfc(&c.presented_as);
        let form = if presented.is_empty() { String::new() } else { format!(" ({presented})") };
        let line = format!("{}. {}{form}: {:02} bản", i + 1, nfc(&c.name), c.count);
        l.paragraph(Style::Regular, BODY, &line, Align::Left(LEFT + indent), width - indent);
    }
    l.field("2. Số lượng hồ sơ", Some(&format!("{:02} bộ", r.sets)));
    l.field("3. Thời gian giải quyết hồ sơ theo quy định", opt(&r.time_limit).as_deref());
    l.field("4. Thời gian nhận hồ sơ", Some(&r.received.vietnamese()));
    l.field("5. Thời gian trả kết quả giải quyết hồ sơ", Some(&r.due.vietnamese()));
    l.field("6. Đăng ký nhận kết quả", opt(&r.delivery).as_deref());
    l.field("Vào Sổ theo dõi hồ sơ, quyển số/số thứ tự", r.book_number.as_deref().and_then(opt).as_deref());

    signatures(l, [("NGƯỜI NỘP HỒ SƠ", &r.applicant_name), ("NGƯỜI TIẾP NHẬN HỒ SƠ", &r.clerk)]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_core::Catalog;

    fn time(day: u8, hour: u8, weekday: &str) -> ReceiptTime {
        ReceiptTime { date: Date::new(2026, 11, day).unwrap(), hour, minute: 0, weekday: weekday.into() }
    }

    pub(crate) fn sample() -> Receipt {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let answers: FormData = [
            ("applicant.full_name", "Nguyễn Văn Bình"),
            ("applicant.id_number", "051090012345"),
            ("applicant.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut r = Receipt::for_dossier(
            p,
            "HOSO-261123-0001",
            &answers,
            &["to-khai", "giay-chung-sinh"],
            time(23, 14, "thứ Hai"),
            time(23, 17, "thứ Hai"),
        );
        r.unit_name = "UBND xã Hòa Bình".into();
        r.place = "Hòa Bình".into();
        r
    }

    #[test]
    fn a_marriage_receipt_names_the_bride_who_signs_first() {
        let p = Catalog::embedded().procedure("ket-hon").unwrap();
        let answers: FormData = [
            ("bride.full_name", "Phạm Thị Thu Hương"),
            ("bride.id_number", "051198004321"),
            ("bride.residence", "Thôn Đông"),
            ("groom.full_name", "Vũ Văn Nam"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let r = Receipt::for_dossier(p, "HOSO-261123-0002", &answers, &["to-khai"], time(23, 9, "thứ Hai"), time(23, 17, "thứ Hai"));
        assert_eq!(
            (r.applicant_name.as_str(), r.applicant_id.as_str(), r.address.as_str()),
            ("Phạm Thị Thu Hương", "051198004321", "Thôn Đông")
        );
    }

    #[test]
    fn payload_has_eight_fields_and_is_sanitized() {
        let mut r = sample();
        assert_eq!(
            receipt_qr_payload(&r),
            "HOSO1|HOSO-261123-0001|1.001193|051090012345|Giấy tiếp nhận hồ sơ và hẹn trả kết quả|hoso|2026-11-23T14:00:00+07:00|2026-11-23T17:00:00+07:00"
        );
        r.applicant_id = "0510|9\n0".into();
        r.dossier_code = "X".repeat(500);
        let payload = receipt_qr_payload(&r);
        let fields: Vec<&str> = payload.split('|').collect();
        assert_eq!(fields.len(), 8);
        assert_eq!(fields[3], "0510 9 0");
        assert_eq!(fields[1].len(), FIELD_MAX);
        // The longest possible payload still renders.
        assert!(render_receipt(&r).starts_with(b"%PDF"));
    }

    #[test]
    fn lines_follow_the_catalog() {
        let r = sample();
        let names: Vec<(&str, &str)> = r.components.iter().map(|c| (c.name.as_str(), c.presented_as.as_str())).collect();
        assert_eq!(names, [("Tờ khai đăng ký khai sinh", "Bản chính"), ("Giấy chứng sinh", "Bản chính")]);
        assert_eq!(r.procedure_code, "1.001193");
        assert_eq!(r.received.vietnamese(), "14 giờ 00 phút, thứ Hai, ngày 23 tháng 11 năm 2026");
    }

    #[test]
    fn two_pages_deterministic_inside_the_margins() {
        let r = sample();
        let a = render_receipt(&r);
        assert_eq!(a, render_receipt(&r));
        let mut l = Layout::new();
        let qr = QrMatrix::encode(&receipt_qr_payload(&r)).unwrap();
        page(&mut l, &r, &qr, COPIES[0]);
        assert_eq!(l.pages.len(), 1, "one copy fits one page");
        for op in l.pages.iter().flatten() {
            if let Op::Text { style, size, x, text, .. } = op {
                assert!(*x >= LEFT - 0.01 && *x + l.width(*style, *size, text) <= RIGHT + 0.01, "{text}");
            }
        }
    }
}
