//! Tờ khai — a filled declaration typeset like the paper form: national
//! motto, title, "Kính gửi", "Label: value" lines by section (dates of birth
//! also in words, yes/no and choices as ticked boxes), the sworn statement
//! and one signature block per signer, on A4 with the margins of Decree 30/2020.

use crate::font::{Font, Style};
use crate::wrap::{wrap, wrap_indented};
use crate::{finish, Refs};
use hoso_core::date::Date;
use hoso_core::form::{Field, FieldKind, FormData, FormDefinition, NO, YES};
use hoso_core::{text, words};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Str};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Where and when the declaration is signed: "Hòa Bình, ngày 22 tháng 11 năm 2026".
#[derive(Clone, Debug, PartialEq)]
pub struct FormMeta {
    pub place: String,
    pub date: Date,
}

pub(crate) const MM: f32 = 72.0 / 25.4;
pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
pub(crate) const TOP: f32 = PAGE_H - 20.0 * MM;
pub(crate) const BOTTOM: f32 = 20.0 * MM;
pub(crate) const LEFT: f32 = 30.0 * MM;
pub(crate) const RIGHT: f32 = PAGE_W - 15.0 * MM;
pub(crate) const BODY: f32 = 13.0;
/// Line pitch as a multiple of the size: room for stacked Vietnamese marks.
pub(crate) const LEADING: f32 = 1.2;
/// Baseline below the top of a line box, as a multiple of the size.
pub(crate) const BASELINE: f32 = 0.92;

pub(crate) const MOTTO: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub(crate) const SUBMOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
const SIGN_HINT: &str = "(Ký, ghi rõ họ, chữ đệm, tên)";
const LEADER: char = '…';
/// Side of a drawn check box: about the height of a capital, like "□".
const BOX: f32 = BODY * 0.62;

/// What gets drawn; text is laid out first and encoded once the glyph
/// subsets (and so the glyph ids) are known.
pub(crate) enum Op {
    /// `gap`: extra points after each space (justification).
    Text {
        style: Style,
        size: f32,
        x: f32,
        y: f32,
        text: String,
        gap: f32,
    },
    Rule {
        x0: f32,
        x1: f32,
        y: f32,
    },
    /// A check box standing on the baseline `y`; the Tinos subset has no
    /// ☐/☒ glyphs, so boxes and ticks are vector paths.
    CheckBox {
        x: f32,
        y: f32,
        ticked: bool,
    },
    /// Black rectangles `[x, y, w, h]` filled as one path, so adjacent
    /// ones join without hairline seams (QR modules).
    Fill(Vec<[f32; 4]>),
}

#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left(f32),
    Center(f32),
}

/// A cursor moving down the pages.
pub(crate) struct Layout {
    pub(crate) regular: Font,
    pub(crate) bold: Font,
    pub(crate) pages: Vec<Vec<Op>>,
    /// Top of the next line box.
    pub(crate) y: f32,
}

impl Layout {
    pub(crate) fn new() -> Layout {
        Layout { regular: Font::new(Style::Regular), bold: Font::new(Style::Bold), pages: vec![Vec::new()], y: TOP }
    }

    fn font(&self, style: Style) -> &Font {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    pub(crate) fn width(&self, style: Style, size: f32, s: &str) -> f32 {
        self.font(style).width(s, size)
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` more points fit on this one.
    pub(crate) fn keep(&mut self, height: f32) {
        if self.y - height < BOTTOM - 0.01 && self.y < TOP {
            self.new_page();
        }
    }

    pub(crate) fn space(&mut self, dy: f32) {
        self.y -= dy;
    }

    pub(crate) fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page").push(op);
    }

    /// One line that is known to fit the width.
    pub(crate) fn line(&mut self, style: Style, size: f32, text: &str, align: Align) {
        self.keep(size * LEADING);
        let x = match align {
            Align::Left(x) => x,
            Align::Center(c) => c - self.width(style, size, text) / 2.0,
        };
        let y = self.y - size * BASELINE;
        if !text.is_empty() {
            self.push(Op::Text { style, size, x, y, text: text.to_string(), gap: 0.0 });
        }
        self.y -= size * LEADING;
    }

    pub(crate) fn paragraph(&mut self, style: Style, size: f32, text: &str, align: Align, width: f32) {
        for l in self.wrap(style, size, text, width) {
            self.line(style, size, &l, align);
        }
    }

    pub(crate) fn wrap(&self, style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
        wrap(text, width, |s| self.width(style, size, s))
    }

    /// "Label: value", or "Label: ……" to be filled in by hand.
    pub(crate) fn field(&mut self, label: &str, value: Option<&str>) {
        let width = RIGHT - LEFT;
        match value {
            Some(v) => {
                let lines = self.wrap(Style::Regular, BODY, &format!("{label}: {v}"), width);
                // An answer of a few lines is not split across pages.
                let height = lines.len() as f32 * BODY * LEADING;
                if height < (TOP - BOTTOM) / 3.0 {
                    self.keep(height);
                }
                for l in lines {
                    self.line(Style::Regular, BODY, &l, Align::Left(LEFT));
                }
            }
            None => {
                let mut lines = self.wrap(Style::Regular, BODY, &format!("{label}:"), width);
                let last = lines.pop().unwrap_or_default();
                for l in lines {
                    self.line(Style::Regular, BODY, &l, Align::Left(LEFT));
                }
                let leader_w = self.width(Style::Regular, BODY, &LEADER.to_string());
                let room = width - self.width(Style::Regular, BODY, &format!("{last} "));
                if room < 3.0 * leader_w {
                    // Not enough room to write by hand: give a line of its own.
                    self.line(Style::Regular, BODY, &last, Align::Left(LEFT));
                    self.line_with_leader("");
                } else {
                    self.line_with_leader(&last);
                }
            }
        }
    }

    /// "Label: Có □ Không □": every option followed by its box, the chosen
    /// one ticked; options move to the next line as a whole when the line is full.
    fn boxes(&mut self, label: &str, options: &[String], chosen: Option<&str>) {
        let mut lines = self.wrap(Style::Regular, BODY, &format!("{label}:"), RIGHT - LEFT);
        let last = lines.pop().unwrap_or_default();
        for l in lines {
            self.line(Style::Regular, BODY, &l, Align::Left(LEFT));
        }
        let space = self.width(Style::Regular, BODY, " ");
        let mut row = vec![(LEFT, Some(last.clone()), false)];
        let mut x = LEFT + self.width(Style::Regular, BODY, &last);
        for option in options {
            let text_w = self.width(Style::Regular, BODY, option);
            let unit = 2.0 * space + text_w + space + BOX;
            if x + unit > RIGHT && row.len() > 1 {
                self.box_row(std::mem::take(&mut row));
                x = LEFT - 2.0 * space;
            }
            row.push((x + 2.0 * space, Some(option.clone()), false));
            row.push((x + 3.0 * space + text_w, None, chosen == Some(option.as_str())));
            x += unit;
        }
        self.box_row(row);
    }

    /// One line of text pieces (Some) and boxes (None, ticked or not) at their x.
    fn box_row(&mut self, row: Vec<(f32, Option<String>, bool)>) {
        self.keep(BODY * LEADING);
        let y = self.y - BODY * BASELINE;
        for (x, text, ticked) in row {
            match text {
                Some(text) if !text.is_empty() => self.push(Op::Text { style: Style::Regular, size: BODY, x, y, text, gap: 0.0 }),
                Some(_) => {}
                None => self.push(Op::CheckBox { x, y, ticked }),
            }
        }
        self.y -= BODY * LEADING;
    }

    /// Lines set side by side, centred in their columns (signature blocks);
    /// `(centre, width, lines)` per column, lines already wrapped to the width.
    pub(crate) fn columns(&mut self, cols: &[(f32, Vec<(Style, String)>)]) {
        let rows = cols.iter().map(|(_, lines)| lines.len()).max().unwrap_or(0);
        for r in 0..rows {
            self.keep(BODY * LEADING);
            let y = self.y - BODY * BASELINE;
            for (centre, lines) in cols {
                if let Some((style, text)) = lines.get(r).filter(|(_, t)| !t.is_empty()) {
                    let x = centre - self.width(*style, BODY, text) / 2.0;
                    self.push(Op::Text { style: *style, size: BODY, x, y, text: text.clone(), gap: 0.0 });
                }
            }
            self.y -= BODY * LEADING;
        }
    }

    /// `text` then dots up to the right margin; dots end flush with the
    /// margin so that a column of empty fields looks ruled.
    fn line_with_leader(&mut self, text: &str) {
        self.keep(BODY * LEADING);
        let y = self.y - BODY * BASELINE;
        let leader_w = self.width(Style::Regular, BODY, &LEADER.to_string());
        let start = LEFT + if text.is_empty() { 0.0 } else { self.width(Style::Regular, BODY, &format!("{text} ")) };
        let n = ((RIGHT - start) / leader_w) as usize;
        if !text.is_empty() {
            self.push(Op::Text { style: Style::Regular, size: BODY, x: LEFT, y, text: text.to_string(), gap: 0.0 });
        }
        let x = RIGHT - n as f32 * leader_w;
        self.push(Op::Text { style: Style::Regular, size: BODY, x, y, text: leader(n), gap: 0.0 });
        self.y -= BODY * LEADING;
    }
}

fn leader(n: usize) -> String {
    std::iter::repeat_n(LEADER, n).collect()
}

/// Renders a filled declaration (tờ khai) as an A4 PDF.
pub fn render_form(form: &FormDefinition, data: &FormData, meta: &FormMeta) -> Vec<u8> {
    let nfc = |s: &str| text::nfc(s);
    let value = |key: &str| data.get(key).map(|v| nfc(v.trim())).filter(|v| !v.is_empty());
    let mut l = Layout::new();
    let width = RIGHT - LEFT;
    let center = Align::Center((LEFT + RIGHT) / 2.0);

    // Quốc hiệu, tiêu ngữ: the motto, with a rule as long as its second line.
    l.line(Style::Bold, 12.5, MOTTO, center);
    l.line(Style::Bold, BODY, SUBMOTTO, center);
    let half = l.width(Style::Bold, BODY, SUBMOTTO) / 2.0;
    let mid = (LEFT + RIGHT) / 2.0;
    // Just below the descenders, so it reads as a rule, not an underline.
    let rule_y = l.y - 1.0;
    l.push(Op::Rule { x0: mid - half, x1: mid + half, y: rule_y });
    l.space(BODY * 1.2);

    l.paragraph(Style::Bold, 14.0, &nfc(&form.title), center, width);
    l.paragraph(Style::Regular, BODY, &nfc(&form.addressee), center, width);
    l.space(BODY * 0.6);

    // Conditions compare NFC answers, as the validator saw them.
    let answers: FormData = hoso_core::sort::map_of(data.iter().map(|(k, v)| (k.clone(), nfc(v.trim()))));
    for section in &form.sections {
        // Questions that do not apply (their condition fails) are not printed.
        let fields: Vec<&Field> = section.fields.iter().filter(|f| f.is_shown(&answers)).collect();
        if fields.is_empty() {
            continue;
        }
        // A section title never sits alone at the foot of a page.
        l.keep(BODY * LEADING * 2.0 + 3.0);
        l.space(3.0);
        l.paragraph(Style::Bold, BODY, &nfc(&section.title), Align::Left(LEFT), width);
        for field in fields {
            print_field(&mut l, field, value(&field.key).as_deref());
        }
    }

    l.space(BODY * 0.5);
    let declaration = nfc(&form.declaration);
    let block = signatures(&l, form, meta, |key| value(key));
    // The sworn statement stays on the page of the signatures: a signature
    // alone on a page could be put under any text.
    let statement: usize = declaration
        .split('\n')
        .filter(|p| !p.trim().is_empty())
        .map(|p| wrap_indented(p, width - 10.0 * MM, width, |s| l.width(Style::Regular, BODY, s)).len())
        .sum();
    l.keep(BODY * LEADING * (statement + block.rows()) as f32 + BODY * 0.6);
    justified(&mut l, &declaration, width);
    block.print(&mut l);

    number_pages(&mut l);
    write(l, &nfc(&form.title))
}

/// One answer as the paper form shows it.
fn print_field(l: &mut Layout, field: &Field, value: Option<&str>) {
    let label = text::nfc(&field.label);
    match field.kind {
        FieldKind::Checkbox => l.boxes(&label, &[YES.to_string(), NO.to_string()], value),
        FieldKind::Choice => l.boxes(&label, &field.options, value),
        FieldKind::Date if field.in_words => {
            // "01/11/2026, ghi bằng chữ: Ngày mồng một, tháng mười một, năm …"
            let written = value.map(|v| match Date::parse(v) {
                Some(d) => format!("{v}, ghi bằng chữ: {}", words::date(d)),
                None => v.to_string(),
            });
            l.field(&label, written.as_deref());
        }
        _ => l.field(&label, value),
    }
}

/// Place and date, then one block per signer side by side (kết hôn: both
/// parties): heading, "(Ký, ghi rõ họ, chữ đệm, tên)", room to sign, the
/// name. Each block wraps inside its column; the whole stays on one page.
fn signatures(l: &Layout, form: &FormDefinition, meta: &FormMeta, value: impl Fn(&str) -> Option<String>) -> SignatureBlock {
    let width = RIGHT - LEFT;
    let place = text::nfc(meta.place.trim());
    let place = if place.is_empty() { leader(6) } else { place };
    let dated = format!("{place}, {}", meta.date.official());
    let signers = form.signers();
    let n = signers.len();
    // One signer: the right half, as on official forms (moved left if the
    // block is wider); several: equal columns.
    let (centres, col_w): (Vec<f32>, f32) = if n == 1 {
        let head = [(Style::Regular, &dated), (Style::Bold, &signers[0].label), (Style::Regular, &SIGN_HINT.to_string())]
            .iter()
            .map(|(s, t)| l.width(*s, BODY, t))
            .fold(0.0, f32::max)
            .min(width);
        let centre = (LEFT + width * 0.75).min(RIGHT - head / 2.0);
        (vec![centre], 2.0 * (RIGHT - centre))
    } else {
        let w = width / n as f32;
        ((0..n).map(|i| LEFT + w * (i as f32 + 0.5)).collect(), w - 6.0)
    };
    let wrap = |style: Style, t: &str| -> Vec<(Style, String)> {
        l.wrap(style, BODY, t, col_w).into_iter().map(|line| (style, line)).collect()
    };
    let mut heads: Vec<Vec<(Style, String)>> =
        signers.iter().map(|s| [wrap(Style::Bold, &text::nfc(&s.label)), wrap(Style::Regular, SIGN_HINT)].concat()).collect();
    let head_rows = heads.iter().map(Vec::len).max().unwrap_or(0);
    let signing_rows = 4;
    for (head, s) in heads.iter_mut().zip(&signers) {
        // Names line up on the same row whatever the headings' lengths.
        head.resize(head_rows + signing_rows, (Style::Regular, String::new()));
        head.extend(value(&s.field).map(|name| wrap(Style::Bold, &name)).unwrap_or_default());
    }
    let dated = (centres[n - 1], wrap(Style::Regular, &dated));
    SignatureBlock { dated, cols: centres.into_iter().zip(heads).collect() }
}

/// The signature block laid out, to measure before printing it.
struct SignatureBlock {
    /// Place and date over the last column.
    dated: (f32, Vec<(Style, String)>),
    cols: Vec<(f32, Vec<(Style, String)>)>,
}

impl SignatureBlock {
    fn rows(&self) -> usize {
        self.dated.1.len() + self.cols.iter().map(|c| c.1.len()).max().unwrap_or(0)
    }

    fn print(self, l: &mut Layout) {
        l.space(BODY * 0.6);
        l.keep(BODY * LEADING * self.rows() as f32);
        l.columns(&[self.dated]);
        l.columns(&self.cols);
    }
}

/// Page numbers centred in the top margin from the second page on, as
/// Decree 30/2020 asks of multi-page documents.
fn number_pages(l: &mut Layout) {
    let size = 12.0;
    for (i, page) in l.pages.iter_mut().enumerate().skip(1) {
        let n = (i + 1).to_string();
        let x = (LEFT + RIGHT) / 2.0 - l.regular.width(&n, size) / 2.0;
        page.push(Op::Text { style: Style::Regular, size, x, y: PAGE_H - 12.0 * MM, text: n, gap: 0.0 });
    }
}

/// The sworn statement, justified with a first-line indent like body text
/// in official documents. Spaces stay real space glyphs (for copy and
/// search); the extra room is added after each of them.
fn justified(l: &mut Layout, text: &str, width: f32) {
    for para in text.split('\n').filter(|p| !p.trim().is_empty()) {
        justified_paragraph(l, para, width);
    }
}

fn justified_paragraph(l: &mut Layout, text: &str, width: f32) {
    let indent = 10.0 * MM;
    let lines = wrap_indented(text, width - indent, width, |s| l.width(Style::Regular, BODY, s));
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let x = LEFT + if i == 0 { indent } else { 0.0 };
        let gaps = line.matches(' ').count();
        let slack = RIGHT - x - l.width(Style::Regular, BODY, &line);
        // The last line stays ragged, as do lines that would gape.
        let gap = if i + 1 < count && gaps > 0 && slack < width * 0.2 { slack / gaps as f32 } else { 0.0 };
        l.keep(BODY * LEADING);
        let y = l.y - BODY * BASELINE;
        l.push(Op::Text { style: Style::Regular, size: BODY, x, y, text: line, gap });
        l.space(BODY * LEADING);
    }
}

/// Encodes the laid-out pages: fonts subset to the glyphs used.
pub(crate) fn write(layout: Layout, title: &str) -> Vec<u8> {
    let Layout { regular, bold, pages, .. } = layout;
    let font_of = |s: Style| if s == Style::Bold { &bold } else { &regular };

    // Glyphs used per style, with the character each stands for.
    let mut used: BTreeMap<Style, BTreeMap<u16, char>> = BTreeMap::new();
    for op in pages.iter().flatten() {
        if let Op::Text { style, text, .. } = op {
            let set = used.entry(*style).or_default();
            for (g, c) in font_of(*style).glyphs(text) {
                set.entry(g).or_insert(c);
            }
        }
    }

    let mut pdf = Pdf::new();
    let mut refs = Refs::new();
    let mut digest = Sha256::new();
    let mut fonts = BTreeMap::new();
    for (style, set) in &used {
        let (id, map) = font_of(*style).embed(&mut pdf, &mut || refs.next(), set);
        fonts.insert(*style, (id, map));
    }
    let resource_name = |s: Style| Name(if s == Style::Bold { b"F2" } else { b"F1" });

    let mut page_refs = Vec::new();
    for ops in &pages {
        let mut content = Content::new();
        let mut current: Option<(Style, f32)> = None;
        let has_text = ops.iter().any(|op| matches!(op, Op::Text { .. }));
        if has_text {
            content.begin_text();
        }
        for op in ops {
            if let Op::Text { style, size, x, y, text, gap } = op {
                if current != Some((*style, *size)) {
                    content.set_font(resource_name(*style), *size);
                    current = Some((*style, *size));
                }
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                let (font, map) = (font_of(*style), &fonts[style].1);
                let encode = |s: &str| -> Vec<u8> { font.glyphs(s).iter().flat_map(|(g, _)| map[g].to_be_bytes()).collect() };
                if *gap > 0.0 {
                    let mut positioned = content.show_positioned();
                    let mut items = positioned.items();
                    for (i, word) in text.split(' ').enumerate() {
                        if i > 0 {
                            // TJ numbers are thousandths of an em; negative moves right.
                            items.show(Str(&encode(" "))).adjust(-gap * 1000.0 / size);
                        }
                        items.show(Str(&encode(word)));
                    }
                } else {
                    content.show(Str(&encode(text)));
                }
            }
        }
        if has_text {
            content.end_text();
        }
        for op in ops {
            match op {
                Op::Rule { x0, x1, y } => {
                    content.set_line_width(0.6).move_to(*x0, *y).line_to(*x1, *y).stroke();
                }
                Op::CheckBox { x, y, ticked } => {
                    // The box sits a hair below the baseline, like the □ glyph.
                    let bottom = y - BODY * 0.04;
                    content.set_line_width(0.6).rect(*x, bottom, BOX, BOX).stroke();
                    if *ticked {
                        content
                            .set_line_width(1.1)
                            .move_to(x + BOX * 0.18, bottom + BOX * 0.52)
                            .line_to(x + BOX * 0.42, bottom + BOX * 0.2)
                            .line_to(x + BOX * 0.86, bottom + BOX * 0.9)
                            .stroke();
                    }
                }
                Op::Fill(rects) => {
                    for [x, y, w, h] in rects {
                        content.rect(*x, *y, *w, *h);
                    }
                    content.fill_nonzero();
                }
                Op::Text { .. } => {}
            }
        }
        let raw = content.finish();
        digest.update(&raw[..]);
        let packed = crate::deflate(&raw);

        let (page, stream) = (refs.next(), refs.next());
        pdf.stream(stream, &packed).filter(Filter::FlateDecode);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).parent(Refs::PAGE_TREE).contents(stream);
        let mut resources = p.resources();
        let mut font_dict = resources.fonts();
        for (style, (id, _)) in &fonts {
            font_dict.pair(resource_name(*style), *id);
        }
        font_dict.finish();
        resources.finish();
        p.finish();
        page_refs.push(page);
    }
    finish(pdf, &page_refs, title, digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_core::Catalog;

    fn sample() -> (&'static FormDefinition, FormData, FormMeta) {
        let form = Catalog::embedded().form("to-khai-khai-sinh").unwrap();
        let data: FormData = [
            ("applicant.full_name", "Nguyễn Văn Bình"),
            ("applicant.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
            ("child.full_name", "Nguyễn Thị Ánh Dương"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        (form, data, FormMeta { place: "Hòa Bình".into(), date: Date::new(2026, 11, 22).unwrap() })
    }

    #[test]
    fn same_input_same_bytes() {
        let (form, data, meta) = sample();
        let a = render_form(form, &data, &meta);
        assert_eq!(a, render_form(form, &data, &meta));
        assert!(a.starts_with(b"%PDF-1.7"));
        // A different answer changes the document and its /ID.
        let mut other = data.clone();
        other.insert("child.sex".into(), "Nữ".into());
        let b = render_form(form, &other, &meta);
        assert_ne!(a, b);
        let id = |pdf: &[u8]| {
            let s = String::from_utf8_lossy(pdf).into_owned();
            s[s.find("/ID").unwrap()..].lines().next().unwrap().to_string()
        };
        assert_ne!(id(&a), id(&b));
    }

    #[test]
    fn nfd_input_renders_like_nfc() {
        let (form, data, meta) = sample();
        let nfd: FormData = data
            .iter()
            .map(|(k, v)| (k.clone(), hoso_core::text::nfd(v)))
            .collect();
        assert_ne!(nfd, data);
        assert_eq!(render_form(form, &nfd, &meta), render_form(form, &data, &meta));
    }

    #[test]
    fn layout_stays_inside_the_margins() {
        let (form, mut data, _) = sample();
        data.insert("child.birth_place".into(), "Bệnh_viện_Phụ_sản_Nhi_tỉnh_Quảng_Ngãi_".repeat(50));
        let mut l = Layout::new();
        // Lay out through the same code path, then inspect the ops.
        for section in &form.sections {
            for field in &section.fields {
                l.field(&field.label, data.get(&field.key).map(String::as_str));
            }
        }
        assert!(l.pages.len() >= 2, "the long value should push onto a second page");
        for op in l.pages.iter().flatten() {
            if let Op::Text { style, size, x, y, text, .. } = op {
                assert!(*x >= LEFT - 0.01 && *x + l.width(*style, *size, text) <= RIGHT + 0.01, "{text}");
                assert!(*y >= BOTTOM && *y <= TOP, "{text} at {y}");
            }
        }
    }
}
