//! Tờ khai — declaration forms: a data model of fields that the app renders
//! as inputs, the validator checks and the PDF renderer prints.

use crate::catalog::Catalog;
use crate::date::Date;
use crate::i18n::Msg;
use crate::text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Answers keyed by [`Field::key`]; values are NFC strings.
pub type FormData = BTreeMap<String, String>;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormDefinition {
    pub id: String,
    /// Which official template (mẫu) the layout follows, said honestly:
    /// "Mẫu ... ban hành kèm theo Thông tư 04/2024/TT-BTP" or that hoso made it.
    #[serde(default)]
    pub template: String,
    pub title: String,
    pub addressee: String,
    pub sections: Vec<Section>,
    /// Lời cam đoan — the sworn statement above the signature.
    pub declaration: String,
    pub signer_label: String,
    /// Field whose value is printed under the signature.
    pub signer_field: String,
    /// Further signers side by side with the first (kết hôn: both parties).
    #[serde(default)]
    pub co_signers: Vec<Signer>,
}

/// Người ký — a signature block: its heading and the field naming the signer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Signer {
    pub label: String,
    pub field: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    /// Required when shown (see [`Field::condition`]).
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
    /// Shown, checked and printed only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// A date also written in words ("ghi bằng chữ"), as for dates of birth.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_words: bool,
}

/// Điều kiện — a field depends on an earlier answer: `{"field": "copies_requested",
/// "equals": "Có"}`, or without `equals`, on that answer being given at all.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
}

impl Condition {
    pub fn holds(&self, data: &FormData) -> bool {
        match (data.get(&self.field).map(String::as_str), &self.equals) {
            (None | Some(""), _) => false,
            (Some(_), None) => true,
            (Some(v), Some(want)) => v == want,
        }
    }
}

/// The two answers of a [`FieldKind::Checkbox`].
pub const YES: &str = "Có";
pub const NO: &str = "Không";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    #[default]
    Text,
    /// Free text over several lines; line breaks are kept.
    Multiline,
    /// Có □ Không □: answered [`YES`] or [`NO`].
    Checkbox,
    /// One of `options`, printed as a row of boxes with the chosen one ticked
    /// (tình trạng hôn nhân); [`FieldKind::Select`] prints only the answer.
    Choice,
    /// A person's name: syllables capitalised.
    Name,
    Date,
    Year,
    Select,
    /// Số định danh cá nhân: 12 digits.
    IdNumber,
    Ethnicity,
    Number,
}

/// One problem with one answer.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub key: String,
    pub label: String,
    pub msg: Msg,
}

impl FormDefinition {
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    /// Defaults for a blank form.
    pub fn initial_data(&self) -> FormData {
        self.fields().filter_map(|f| Some((f.key.clone(), f.default.clone()?))).collect()
    }

    /// Every signature block: the first signer, then the co-signers.
    pub fn signers(&self) -> Vec<Signer> {
        let first = Signer { label: self.signer_label.clone(), field: self.signer_field.clone() };
        std::iter::once(first).chain(self.co_signers.iter().cloned()).collect()
    }

    /// NFC, trimmed, names capitalised; unknown keys dropped, blanks removed,
    /// and answers to fields whose condition fails dropped (a toggled-off
    /// question must not leak into the PDF or the dossier).
    pub fn normalize(&self, data: &FormData) -> FormData {
        let mut out: FormData = self
            .fields()
            .filter_map(|f| {
                let raw = data.get(&f.key)?;
                let v = match f.kind {
                    FieldKind::Name => text::person_name(raw),
                    FieldKind::Date => match Date::parse(raw) {
                        Some(d) => d.to_string(),
                        None => text::clean(raw),
                    },
                    FieldKind::Multiline => {
                        let lines: Vec<String> = raw.lines().map(text::clean).collect();
                        lines.join("\n").trim_matches('\n').to_string()
                    }
                    _ => text::clean(raw),
                };
                (!v.is_empty()).then(|| (f.key.clone(), v))
            })
            .collect();
        // Conditions only look back, so one pass in form order settles them.
        for f in self.fields() {
            if !f.is_shown(&out) {
                out.remove(&f.key);
            }
        }
        out
    }

    /// Checks normalized answers; `today` bounds dates (no births in the future).
    pub fn validate(&self, data: &FormData, catalog: &Catalog, today: Date) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for f in self.fields() {
            if !f.is_shown(data) {
                continue;
            }
            let value = data.get(&f.key).map(String::as_str).unwrap_or("");
            let msg = if value.is_empty() {
                f.required.then_some(Msg::Required)
            } else {
                check_value(f, value, catalog, today)
            };
            if let Some(msg) = msg {
                errors.push(FieldError { key: f.key.clone(), label: f.label.clone(), msg });
            }
        }
        errors
    }
}

impl Field {
    /// Whether the field applies, given the answers so far.
    pub fn is_shown(&self, data: &FormData) -> bool {
        self.condition.as_ref().is_none_or(|c| c.holds(data))
    }
}

fn check_value(f: &Field, value: &str, catalog: &Catalog, today: Date) -> Option<Msg> {
    match f.kind {
        FieldKind::Date => match Date::parse(value) {
            None => Some(Msg::BadDate),
            Some(d) if d > today => Some(Msg::FutureDate),
            Some(_) => None,
        },
        FieldKind::Year => match value.parse::<i32>() {
            Ok(y) if value.len() == 4 && y > 1900 && y <= today.year => None,
            _ => Some(Msg::BadYear),
        },
        // The precise reason (length, province code) from the ID rules.
        FieldKind::IdNumber => crate::id_number::parse(value).err().map(|e| e.msg()),
        FieldKind::Select | FieldKind::Choice => (!f.options.iter().any(|o| o == value)).then_some(Msg::NotAnOption),
        FieldKind::Checkbox => (value != YES && value != NO).then_some(Msg::NotAnOption),
        FieldKind::Ethnicity if value == "Việt Nam" => Some(Msg::EthnicityIsNotNationality),
        FieldKind::Ethnicity => (!catalog.is_ethnicity(value)).then_some(Msg::UnknownEthnicity),
        FieldKind::Number => value.parse::<u16>().is_err().then_some(Msg::BadNumber),
        FieldKind::Text | FieldKind::Name | FieldKind::Multiline => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn khai_sinh() -> &'static FormDefinition {
        Catalog::embedded().form("to-khai-khai-sinh").unwrap()
    }

    fn complete() -> FormData {
        [
            ("applicant.full_name", "nguyễn văn bình"),
            ("applicant.id_number", "001090012345"),
            ("applicant.residence", "Thôn Đông, xã Hòa Bình"),
            ("applicant.relation", "Cha"),
            ("child.full_name", "Nguyễn Thị Ánh"),
            ("child.birth_date", "2026-11-01"),
            ("child.sex", "Nữ"),
            ("child.ethnicity", "Kinh"),
            ("child.nationality", "Việt Nam"),
            ("child.birth_place", "Bệnh viện đa khoa tỉnh"),
            ("mother.full_name", "Trần Thị Hoa"),
            ("mother.birth_year", "1995"),
            ("mother.ethnicity", "Tày"),
            ("mother.nationality", "Việt Nam"),
            ("mother.residence", "Thôn Đông, xã Hòa Bình"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    const TODAY: Date = Date { year: 2026, month: 11, day: 22 };

    #[test]
    fn complete_form_passes_and_is_normalized() {
        let data = khai_sinh().normalize(&complete());
        assert_eq!(data["applicant.full_name"], "Nguyễn Văn Bình");
        assert_eq!(data["child.birth_date"], "01/11/2026");
        assert_eq!(khai_sinh().validate(&data, Catalog::embedded(), TODAY), vec![]);
    }

    #[test]
    fn catches_real_mistakes() {
        let mut raw = complete();
        raw.insert("child.ethnicity".into(), "Việt Nam".into());
        raw.insert("child.birth_date".into(), "01/12/2026".into());
        raw.insert("applicant.id_number".into(), "00109001234".into());
        raw.insert("mother.birth_year".into(), "95".into());
        raw.remove("mother.full_name");
        let data = khai_sinh().normalize(&raw);
        let errs: Vec<(String, Msg)> = khai_sinh()
            .validate(&data, Catalog::embedded(), TODAY)
            .into_iter()
            .map(|e| (e.key, e.msg))
            .collect();
        assert_eq!(
            errs,
            vec![
                ("applicant.id_number".into(), Msg::BadIdNumber),
                ("child.birth_date".into(), Msg::FutureDate),
                ("child.ethnicity".into(), Msg::EthnicityIsNotNationality),
                ("mother.full_name".into(), Msg::Required),
                ("mother.birth_year".into(), Msg::BadYear),
            ]
        );
    }

    #[test]
    fn id_number_errors_are_precise() {
        let mut raw = complete();
        raw.insert("applicant.id_number".into(), "099090012345".into());
        let data = khai_sinh().normalize(&raw);
        let errs = khai_sinh().validate(&data, Catalog::embedded(), TODAY);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].msg, Msg::IdUnknownProvince("099".into()));
    }

    #[test]
    fn defaults_fill_nationality() {
        assert_eq!(khai_sinh().initial_data()["child.nationality"], "Việt Nam");
    }

    fn errors_of(form: &FormDefinition, data: &FormData) -> Vec<(String, Msg)> {
        form.validate(data, Catalog::embedded(), TODAY).into_iter().map(|e| (e.key, e.msg)).collect()
    }

    #[test]
    fn a_condition_shows_requires_and_keeps_a_field() {
        let form = khai_sinh();
        let copies = form.fields().find(|f| f.key == "copies").unwrap();
        let mut raw = complete();
        raw.insert("copies".into(), "2".into());
        // Not asked for: the number is not shown, not required, not kept.
        let data = form.normalize(&raw);
        assert!(!copies.is_shown(&data));
        assert!(!data.contains_key("copies"), "a hidden answer must not reach the PDF");
        assert_eq!(errors_of(form, &data), vec![]);
        // Asked for: shown and kept; then required.
        raw.insert("copies_requested".into(), YES.into());
        let data = form.normalize(&raw);
        assert!(copies.is_shown(&data));
        assert_eq!(data["copies"], "2");
        raw.remove("copies");
        assert_eq!(errors_of(form, &form.normalize(&raw)), vec![("copies".into(), Msg::Required)]);
        raw.insert("copies_requested".into(), NO.into());
        assert_eq!(errors_of(form, &form.normalize(&raw)), vec![]);
        // A condition without `equals` holds for any answer.
        let any = Condition { field: "x".into(), equals: None };
        assert!(any.holds(&[("x".to_string(), "1".to_string())].into()));
        assert!(!any.holds(&[("x".to_string(), String::new())].into()));
    }

    #[test]
    fn checkbox_choice_and_multiline_answers() {
        let catalog = Catalog::embedded();
        let form = catalog.form("to-khai-xac-nhan-tinh-trang-hon-nhan").unwrap();
        let mut raw: FormData = [
            ("applicant.full_name", "lê thị mai"),
            ("applicant.id_number", "051190001234"),
            ("applicant.residence", "Thôn Đông, xã Hòa Bình"),
            ("applicant.relation", "Bản thân"),
            ("person.full_name", "Lê Thị Mai"),
            ("person.birth_date", "1990-03-04"),
            ("person.sex", "Nữ"),
            ("person.ethnicity", "Kinh"),
            ("person.nationality", "Việt Nam"),
            ("person.id_number", "051190001234"),
            ("person.residence", "Thôn Đông, xã Hòa Bình"),
            ("person.marital_status", "Đang có vợ/chồng"),
            ("purpose", "  Để  bổ sung hồ sơ \r\n\n vay vốn ngân hàng  \n"),
            ("copies", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let data = form.normalize(&raw);
        assert_eq!(data["purpose"], "Để bổ sung hồ sơ\n\nvay vốn ngân hàng", "lines kept, each cleaned");
        // The spouse's name is asked only of married people.
        assert_eq!(errors_of(form, &data), vec![("person.spouse".into(), Msg::Required)]);
        raw.insert("person.marital_status".into(), "Độc thân".into());
        assert_eq!(errors_of(form, &form.normalize(&raw)), vec![("person.marital_status".into(), Msg::NotAnOption)]);
        raw.insert("person.marital_status".into(), "Chưa đăng ký kết hôn với ai".into());
        assert_eq!(errors_of(form, &form.normalize(&raw)), vec![]);
        // A checkbox takes "Có" or "Không" only.
        let mut ks = complete();
        ks.insert("copies_requested".into(), "x".into());
        assert_eq!(errors_of(khai_sinh(), &khai_sinh().normalize(&ks)), vec![("copies_requested".into(), Msg::NotAnOption)]);
    }
}
