//! Danh mục thủ tục hành chính — the procedures a counter handles, their
//! papers and their forms. Provinces edit `data/procedures.json`; the build
//! embeds it as the default, and `hoso catalog --file` loads a province's own.

use crate::fee::{self, FeeRule};
use crate::form::{FieldKind, FormDefinition};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

/// Thủ tục hành chính (TTHC) — one administrative procedure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub id: String,
    /// Code in the national TTHC database ("1.001193").
    pub code: String,
    /// Some fact of this entry (code, fee, time limit) needs checking by the province.
    #[serde(default)]
    pub verify: bool,
    pub name: String,
    /// Lĩnh vực — field of administration.
    pub field: String,
    pub legal_basis: String,
    /// Thời hạn giải quyết as the counter shows it.
    pub time_limit: String,
    /// The same time limit, for computing the appointment date.
    pub time_limit_rule: TimeLimit,
    /// Phí, lệ phí as the counter shows it.
    pub fee: String,
    /// The same fee, for computing the amount ([`fee::amount`]).
    pub fee_rule: FeeRule,
    /// Id of the declaration form (tờ khai) in [`Catalog::forms`].
    pub form: String,
    pub components: Vec<Component>,
}

/// Thành phần hồ sơ — one paper of a dossier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub kind: ComponentKind,
    /// Packaging refuses a dossier without it. Conditional papers are not
    /// required and say when they are needed in [`Component::condition`].
    pub required: bool,
    /// Bản chính / bản sao — what the citizen hands in.
    #[serde(default)]
    pub presented_as: Option<PresentedAs>,
    /// When a conditional paper is needed ("Nếu đã ly hôn").
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    /// Produced by hoso from the typed answers.
    Form,
    /// A paper the citizen brings, photographed or scanned.
    Paper,
}

/// The form in which a paper is handed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresentedAs {
    /// Bản chính, kept in the dossier.
    Original,
    /// Bản sao (a photocopy is enough).
    Copy,
    /// Bản sao có chứng thực.
    CertifiedCopy,
    /// Xuất trình bản chính: shown at the counter, handed back.
    Shown,
}

impl PresentedAs {
    pub fn vi(self) -> &'static str {
        match self {
            PresentedAs::Original => "Bản chính",
            PresentedAs::Copy => "Bản sao",
            PresentedAs::CertifiedCopy => "Bản sao có chứng thực",
            PresentedAs::Shown => "Xuất trình bản chính",
        }
    }
}

/// Thời hạn giải quyết as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TimeLimit {
    /// Returned the day it is received; received after the same-day
    /// cut-off, the next working day. The cut-off belongs to the working
    /// hours in `data/calendar.json` (one source; a catalog that still names
    /// a `cutoff` is refused). `extended_days`: the limit when checks are
    /// needed (kết hôn: up to 5 working days).
    SameDay {
        #[serde(default)]
        extended_days: Option<u32>,
    },
    /// Returned within `days` working days after the day of reception.
    WorkingDays { days: u32 },
}

/// A time of day, "15:00" in the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
}

impl TryFrom<String> for ClockTime {
    type Error = String;
    fn try_from(s: String) -> Result<ClockTime, String> {
        let parsed = s.split_once(':').and_then(|(h, m)| {
            let ok = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
            (ok(h) && ok(m)).then(|| (h.parse::<u8>().ok(), m.parse::<u8>().ok()))
        });
        match parsed {
            Some((Some(hour), Some(minute))) if hour < 24 && minute < 60 => Ok(ClockTime { hour, minute }),
            _ => Err(format!("giờ \"{s}\" phải có dạng HH:MM, ví dụ 15:00")),
        }
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.to_string()
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub version: u32,
    /// Free text for the people who edit the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub procedures: Vec<Procedure>,
    pub forms: Vec<FormDefinition>,
    /// Danh mục 54 dân tộc — the official list of ethnic groups.
    pub ethnicities: Vec<String>,
}

/// A catalog file that cannot be used, said precisely enough to fix it:
/// the file, the entry (procedure or form id) and the field.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CatalogError {
    /// Not JSON, or a value of the wrong shape; `path` as in
    /// `procedures[3].fee_rule.amount`, `entry` the id found there.
    #[error("{file}:{line}:{column}: {}{message}", located(entry, path))]
    Syntax { file: String, line: usize, column: usize, entry: Option<String>, path: String, message: String },
    /// Well-formed, but inconsistent (found by the validation pass).
    #[error("{file}: {entry}, trường \"{field}\": {problem}")]
    Invalid { file: String, entry: String, field: String, problem: String },
}

fn located(entry: &Option<String>, path: &str) -> String {
    match (entry, path) {
        (_, "" | ".") => String::new(),
        (Some(e), p) => format!("{e}, trường \"{}\": ", field_of(p)),
        (None, p) => format!("trường \"{p}\": "),
    }
}

/// `procedures[3].fee_rule.amount` → `fee_rule.amount`.
fn field_of(path: &str) -> &str {
    path.split_once("].").map_or(path, |(_, rest)| rest)
}

/// Name of the embedded catalog in error messages.
pub const EMBEDDED_FILE: &str = "data/procedures.json";
const EMBEDDED: &str = include_str!("../../../data/procedures.json");

impl Catalog {
    /// The catalog shipped with this build.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        // Plain serde_json here: field paths in errors (`from_file`) are for
        // catalogs people edit, and tracking them costs the app's wasm about
        // 11 KB gzip. The embedded text's errors are tested through `from_json`.
        CATALOG.get_or_init(|| {
            let catalog: Catalog = serde_json::from_str(EMBEDDED).expect("embedded catalog is checked by tests");
            catalog.validate().expect("embedded catalog is checked by tests");
            catalog
        })
    }

    /// Parses and checks the embedded catalog's text (errors name [`EMBEDDED_FILE`]).
    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        Catalog::from_file(EMBEDDED_FILE, text)
    }

    /// Parses and checks a catalog; `file` names it in errors.
    pub fn from_file(file: &str, text: &str) -> Result<Catalog, CatalogError> {
        let syntax = |path: String, e: serde_json::Error| {
            let shown = e.to_string();
            // serde_json appends the position; we print it in front.
            let message = shown.rfind(" at line ").map_or(shown.as_str(), |i| &shown[..i]).to_string();
            let entry = entry_at(text, &path);
            CatalogError::Syntax { file: file.to_string(), line: e.line(), column: e.column(), entry, path, message }
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let catalog: Catalog =
            serde_path_to_error::deserialize(&mut de).map_err(|e| syntax(e.path().to_string(), e.into_inner()))?;
        de.end().map_err(|e| syntax(String::new(), e))?;
        catalog.validate().map_err(|(entry, field, problem)| CatalogError::Invalid {
            file: file.to_string(),
            entry,
            field,
            problem,
        })?;
        Ok(catalog)
    }

    /// The checks JSON shape cannot express: ids unique and resolvable,
    /// rules well-formed. Err: (entry, field, problem).
    fn validate(&self) -> Result<(), (String, String, String)> {
        let mut seen = BTreeSet::new();
        for p in &self.procedures {
            let at = |field: &str, problem: String| (format!("thủ tục \"{}\"", p.id), field.to_string(), problem);
            if !seen.insert(("p", p.id.as_str())) {
                return Err(at("id", "mã bị trùng".into()));
            }
            if !is_tthc_code(&p.code) {
                return Err(at("code", format!("mã TTHC \"{}\" phải có dạng 1.001193", p.code)));
            }
            if self.form(&p.form).is_none() {
                return Err(at("form", format!("biểu mẫu \"{}\" không có trong danh mục", p.form)));
            }
            if let Some(problem) = fee::problem(&p.fee_rule) {
                return Err(at("fee_rule", problem));
            }
            if p.time_limit_rule == (TimeLimit::WorkingDays { days: 0 }) {
                return Err(at("time_limit_rule.days", "số ngày làm việc phải lớn hơn 0".into()));
            }
            let mut ids = BTreeSet::new();
            for (i, c) in p.components.iter().enumerate() {
                let field = |name: &str| format!("components[{i}].{name}");
                if !ids.insert(c.id.as_str()) {
                    return Err(at(&field("id"), format!("thành phần \"{}\" bị trùng", c.id)));
                }
                if !c.required && c.condition.is_none() {
                    return Err(at(&field("condition"), "thành phần không bắt buộc phải ghi khi nào cần nộp".into()));
                }
            }
            if p.components.iter().filter(|c| c.kind == ComponentKind::Form).count() != 1 {
                return Err(at("components", "cần đúng một thành phần loại \"form\" (tờ khai)".into()));
            }
        }
        for f in &self.forms {
            if !seen.insert(("f", f.id.as_str())) {
                return Err((format!("biểu mẫu \"{}\"", f.id), "id".into(), "mã bị trùng".into()));
            }
            f.check().map_err(|(field, problem)| (format!("biểu mẫu \"{}\"", f.id), field, problem))?;
        }
        Ok(())
    }

    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    pub fn form(&self, id: &str) -> Option<&FormDefinition> {
        self.forms.iter().find(|f| f.id == id)
    }

    pub fn is_ethnicity(&self, s: &str) -> bool {
        self.ethnicities.iter().any(|e| e == s)
    }
}

/// "1.001193": one digit, a dot, six digits.
fn is_tthc_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 8 && b[0].is_ascii_digit() && b[1] == b'.' && b[2..].iter().all(u8::is_ascii_digit)
}

/// The id of the procedure or form a path like `procedures[3].fee` is in,
/// read leniently from the text (which may be broken elsewhere).
fn entry_at(text: &str, path: &str) -> Option<String> {
    let (list, rest) = path.split_once('[')?;
    let index: usize = rest.split(']').next()?.parse().ok()?;
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let id = value.get(list)?.get(index)?.get("id")?.as_str()?.to_string();
    let kind = if list == "forms" { "biểu mẫu" } else { "thủ tục" };
    Some(format!("{kind} \"{id}\""))
}

impl Procedure {
    /// The papers to photograph or scan (everything but the generated form).
    pub fn papers(&self) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(|c| c.kind == ComponentKind::Paper)
    }

    /// The fee for the copies and pages asked for; `None` when the province sets it.
    pub fn fee_amount(&self, pages: u32, copies: u32) -> Option<u64> {
        fee::amount(&self.fee_rule, pages, copies)
    }
}

impl FormDefinition {
    /// Form-level checks; Err: (field, problem).
    fn check(&self) -> Result<(), (String, String)> {
        let mut keys: BTreeSet<&str> = BTreeSet::new();
        for (s, section) in self.sections.iter().enumerate() {
            for (i, f) in section.fields.iter().enumerate() {
                let at = |name: &str, problem: String| Err((format!("sections[{s}].fields[{i}].{name}"), problem));
                if !keys.insert(f.key.as_str()) {
                    return at("key", format!("khóa \"{}\" bị trùng", f.key));
                }
                let has_options = matches!(f.kind, FieldKind::Select | FieldKind::Choice);
                if has_options == f.options.is_empty() {
                    let why = if has_options {
                        "cần danh sách lựa chọn (options)"
                    } else {
                        "chỉ trường lựa chọn mới có options"
                    };
                    return at("options", why.into());
                }
                if f.in_words && f.kind != FieldKind::Date {
                    return at("in_words", "chỉ trường ngày mới ghi thêm bằng chữ".into());
                }
                // A condition looks back: the controlling answer is typed first.
                if let Some(c) = &f.condition {
                    if !keys.contains(c.field.as_str()) || c.field == f.key {
                        return at("condition.field", format!("\"{}\" phải là một trường đứng trước", c.field));
                    }
                }
            }
        }
        for (i, p) in self.people.iter().enumerate() {
            if !keys.contains(format!("{}.full_name", p.prefix).as_str()) {
                return Err((format!("people[{i}].prefix"), format!("không có trường \"{}.full_name\"", p.prefix)));
            }
        }
        for (i, r) in self.same_person.iter().enumerate() {
            if !keys.contains(r.when.as_str()) {
                return Err((format!("same_person[{i}].when"), format!("không có trường \"{}\"", r.when)));
            }
            for (name, group) in [("from", &r.from), ("to", &r.to)] {
                if !keys.contains(format!("{group}.full_name").as_str()) {
                    return Err((format!("same_person[{i}].{name}"), format!("không có trường \"{group}.full_name\"")));
                }
            }
        }
        for (i, o) in self.date_order.iter().enumerate() {
            for (name, key) in [("earlier", &o.earlier), ("later", &o.later)] {
                let kind = self.fields().find(|f| f.key == *key).map(|f| f.kind);
                if !matches!(kind, Some(FieldKind::Date | FieldKind::Year)) {
                    return Err((format!("date_order[{i}].{name}"), format!("\"{key}\" phải là một trường ngày hoặc năm")));
                }
            }
        }
        for s in self.signers() {
            if !keys.contains(s.field.as_str()) {
                return Err(("signers".into(), format!("người ký lấy tên từ trường \"{}\" không có trong biểu mẫu", s.field)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_is_consistent() {
        let c = Catalog::embedded();
        assert!(c.procedures.len() >= 8);
        assert_eq!(c.ethnicities.len(), 54);
        assert!(!c.is_ethnicity("Việt Nam"));
        assert!(c.is_ethnicity("Kinh"));
        let ks = c.procedure("khai-sinh").unwrap();
        assert_eq!(ks.name, "Đăng ký khai sinh");
        assert_eq!(ks.papers().filter(|p| p.required).count(), 1);
        for p in &c.procedures {
            let form = c.form(&p.form).unwrap();
            let texts = [&p.name, &p.fee, &p.time_limit, &form.title, &form.declaration];
            for text in texts.into_iter().chain(form.fields().map(|f| &f.label)) {
                assert_eq!(*text, crate::text::nfc(text), "catalog text must be NFC");
            }
            assert!(!form.template.is_empty(), "{}: say which official template the form follows", form.id);
        }
    }

    #[test]
    fn embedded_parses_the_same_as_the_checked_path() {
        // `embedded()` skips path tracking; `from_json` is what reports errors.
        assert_eq!(&Catalog::from_json(EMBEDDED).unwrap(), Catalog::embedded());
    }

    #[test]
    fn the_counter_procedures_are_there() {
        let c = Catalog::embedded();
        for (id, code) in [
            ("khai-sinh", "1.001193"),
            ("ket-hon", "1.000894"),
            ("khai-tu", "1.000656"),
            ("xac-nhan-tinh-trang-hon-nhan", "1.004873"),
            ("chung-thuc-ban-sao", "2.000815"),
            ("chung-thuc-chu-ky", "2.000884"),
            ("ban-sao-trich-luc", "2.000635"),
            ("dang-ky-lai-khai-sinh", "1.004884"),
        ] {
            assert_eq!(c.procedure(id).map(|p| p.code.as_str()), Some(code), "{id}");
        }
        // Existing keys the web app and the end-to-end tests rely on.
        let ks = c.form("to-khai-khai-sinh").unwrap();
        for key in ["child.full_name", "child.birth_date", "applicant.id_number", "mother.birth_year", "copies"] {
            assert!(ks.fields().any(|f| f.key == key), "{key}");
        }
        let ids: Vec<&str> = c.procedure("khai-sinh").unwrap().components.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids[..2], ["to-khai", "giay-chung-sinh"]);
        // Both parties sign the marriage declaration.
        assert_eq!(c.form(&c.procedure("ket-hon").unwrap().form).unwrap().signers().len(), 2);
    }

    #[test]
    fn fees_and_time_limits_are_computable() {
        let c = Catalog::embedded();
        let fee = |id: &str, pages, copies| c.procedure(id).unwrap().fee_amount(pages, copies);
        assert_eq!(fee("chung-thuc-ban-sao", 4, 2), Some(12_000));
        assert_eq!(fee("chung-thuc-ban-sao", 400, 1), Some(200_000));
        assert_eq!(fee("khai-sinh", 1, 1), Some(0));
        assert_eq!(fee("chung-thuc-chu-ky", 1, 3), Some(10_000));
        // Due dates themselves: hoso-calendar, whose working hours hold the cut-off.
        let limit = |id: &str| c.procedure(id).unwrap().time_limit_rule.clone();
        assert_eq!(limit("chung-thuc-ban-sao"), TimeLimit::SameDay { extended_days: None });
        assert_eq!(limit("ket-hon"), TimeLimit::SameDay { extended_days: Some(5) });
        assert_eq!(limit("xac-nhan-tinh-trang-hon-nhan"), TimeLimit::WorkingDays { days: 3 });
    }

    #[test]
    fn clock_times_are_checked() {
        let parse = |s: &str| ClockTime::try_from(s.to_string());
        assert_eq!(parse("15:00"), Ok(ClockTime { hour: 15, minute: 0 }));
        assert_eq!(parse("07:30").unwrap().to_string(), "07:30");
        for bad in ["24:00", "15:60", "3pm", "15", "1:00", "15:0a"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    fn err(text: &str) -> CatalogError {
        Catalog::from_file("tinh/thu-tuc.json", text).unwrap_err()
    }

    #[test]
    fn missing_form_is_named() {
        let bad = EMBEDDED.replace("\"form\": \"to-khai-khai-tu\"", "\"form\": \"khong-co\"");
        let e = err(&bad);
        assert_eq!(
            e,
            CatalogError::Invalid {
                file: "tinh/thu-tuc.json".into(),
                entry: "thủ tục \"khai-tu\"".into(),
                field: "form".into(),
                problem: "biểu mẫu \"khong-co\" không có trong danh mục".into(),
            }
        );
        assert_eq!(
            e.to_string(),
            "tinh/thu-tuc.json: thủ tục \"khai-tu\", trường \"form\": biểu mẫu \"khong-co\" không có trong danh mục"
        );
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let CatalogError::Syntax { file, line, column, entry, .. } = err("{\n  \"version\": 1,\n  \"procedures\": [,]\n}") else {
            panic!("a syntax error")
        };
        assert_eq!((file.as_str(), line, column, entry), ("tinh/thu-tuc.json", 3, 18, None));
        assert!(matches!(err(""), CatalogError::Syntax { line: 1, .. }));
        assert!(matches!(err("{\"version\": 1} x"), CatalogError::Syntax { .. }), "trailing text");
    }

    #[test]
    fn wrong_shapes_name_the_entry_and_the_field() {
        let bad = EMBEDDED.replacen("\"max_per_copy\": 200000", "\"max_per_copy\": \"200000\"", 1);
        assert_ne!(bad, EMBEDDED);
        let e = err(&bad);
        let CatalogError::Syntax { entry, path, line, .. } = &e else { panic!("{e}") };
        assert_eq!(entry.as_deref(), Some("thủ tục \"chung-thuc-ban-sao\""));
        assert!(path.starts_with("procedures[") && path.ends_with("].fee_rule"), "{path}");
        let expected_line = bad.lines().position(|l| l.contains("\"max_per_copy\": \"200000\"")).unwrap() + 1;
        assert!(*line >= expected_line, "{line} vs {expected_line}");
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("tinh/thu-tuc.json:{line}:")), "{shown}");
        assert!(shown.contains("thủ tục \"chung-thuc-ban-sao\", trường \"fee_rule\""), "{shown}");

        // The same-day cut-off is the calendar's: a catalog naming one is refused.
        let bad = EMBEDDED.replacen("{\"kind\": \"same_day\"", "{\"kind\": \"same_day\", \"cutoff\": \"14:00\"", 1);
        let shown = err(&bad).to_string();
        // Internally tagged enums are buffered: the path ends at the rule.
        assert!(shown.contains("thủ tục \"khai-sinh\", trường \"time_limit_rule\"") && shown.contains("cutoff"), "{shown}");
        let bad = EMBEDDED.replacen("{\"kind\": \"working_days\", \"days\": 3", "{\"kind\": \"working_days\", \"days\": \"ba\"", 1);
        assert!(err(&bad).to_string().contains("trường \"time_limit_rule\""), "{}", err(&bad));

        let bad = EMBEDDED.replacen("\"code\": \"1.000656\"", "\"code\": 1000656", 1);
        let shown = err(&bad).to_string();
        assert!(shown.contains("thủ tục \"khai-tu\", trường \"code\""), "{shown}");
    }

    #[test]
    fn inconsistencies_name_the_entry_and_the_field() {
        let field_of_err = |text: &str| match err(text) {
            CatalogError::Invalid { entry, field, .. } => format!("{entry} {field}"),
            e => panic!("{e}"),
        };
        let bad = EMBEDDED.replacen("\"code\": \"1.000656\"", "\"code\": \"1000656\"", 1);
        assert_eq!(field_of_err(&bad), "thủ tục \"khai-tu\" code");
        let bad = EMBEDDED.replacen("\"id\": \"ket-hon\"", "\"id\": \"khai-sinh\"", 1);
        assert_eq!(field_of_err(&bad), "thủ tục \"khai-sinh\" id");
        let bad = EMBEDDED.replacen("{\"from_page\": 1,", "{\"from_page\": 2,", 1);
        assert_eq!(field_of_err(&bad), "thủ tục \"chung-thuc-ban-sao\" fee_rule");
        let bad = EMBEDDED.replacen("\"field\": \"copies_requested\"", "\"field\": \"khong-co\"", 1);
        assert!(field_of_err(&bad).ends_with("condition.field"), "{}", field_of_err(&bad));
        let bad = EMBEDDED.replacen("\"signer_field\": \"bride.full_name\"", "\"signer_field\": \"bride.name\"", 1);
        assert_eq!(field_of_err(&bad), "biểu mẫu \"to-khai-ket-hon\" signers");
        let bad = EMBEDDED.replacen("{\"prefix\": \"groom\"", "{\"prefix\": \"chong\"", 1);
        assert_eq!(field_of_err(&bad), "biểu mẫu \"to-khai-ket-hon\" people[1].prefix");
        let bad = EMBEDDED.replacen("\"to\": \"subject\"", "\"to\": \"nguoi\"", 1);
        assert_eq!(field_of_err(&bad), "biểu mẫu \"to-khai-cap-ban-sao-trich-luc\" same_person[0].to");
        let bad = EMBEDDED.replacen("\"later\": \"deceased.death_date\"", "\"later\": \"deceased.death_place\"", 1);
        assert_eq!(field_of_err(&bad), "biểu mẫu \"to-khai-khai-tu\" date_order[0].later");
        let bad = EMBEDDED.replacen(
            "\"kind\": \"choice\", \"required\": true, \"options\"",
            "\"kind\": \"text\", \"required\": true, \"options\"",
            1,
        );
        assert!(field_of_err(&bad).ends_with(".options"));
    }
}
