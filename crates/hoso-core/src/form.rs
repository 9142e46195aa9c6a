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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormDefinition {
    pub id: String,
    pub title: String,
    pub addressee: String,
    pub sections: Vec<Section>,
    /// Lời cam đoan — the sworn statement above the signature.
    pub declaration: String,
    pub signer_label: String,
    /// Field whose value is printed under the signature.
    pub signer_field: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: String,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(default)]
    pub default: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
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

    /// NFC, trimmed, names capitalised; unknown keys dropped, blanks removed.
    pub fn normalize(&self, data: &FormData) -> FormData {
        self.fields()
            .filter_map(|f| {
                let raw = data.get(&f.key)?;
                let v = match f.kind {
                    FieldKind::Name => text::person_name(raw),
                    FieldKind::Date => match Date::parse(raw) {
                        Some(d) => d.to_string(),
                        None => text::clean(raw),
                    },
                    _ => text::clean(raw),
                };
                (!v.is_empty()).then(|| (f.key.clone(), v))
            })
            .collect()
    }

    /// Checks normalized answers; `today` bounds dates (no births in the future).
    pub fn validate(&self, data: &FormData, catalog: &Catalog, today: Date) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for f in self.fields() {
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
        FieldKind::Select => (!f.options.iter().any(|o| o == value)).then_some(Msg::NotAnOption),
        FieldKind::Ethnicity if value == "Việt Nam" => Some(Msg::EthnicityIsNotNationality),
        FieldKind::Ethnicity => (!catalog.is_ethnicity(value)).then_some(Msg::UnknownEthnicity),
        FieldKind::Number => value.parse::<u16>().is_err().then_some(Msg::BadNumber),
        FieldKind::Text | FieldKind::Name => None,
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
}
