//! Tờ khai — declaration forms: a data model of fields that the app renders
//! as inputs, the validator checks and the PDF renderer prints.

use crate::catalog::Catalog;
use crate::date::Date;
use crate::i18n::Msg;
use crate::id_number::{self, Sex};
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
    /// Who the person groups of the form are (keys `prefix.…`), for the
    /// checks that must name them or know their sex and minimum age.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonRole>,
    /// Dates that cannot come before others (death after birth).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub date_order: Vec<DateOrder>,
    /// Groups that are one person when an answer says so, so nobody is
    /// asked the same thing twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_person: Vec<SamePerson>,
}

/// Cùng một người — when the answer to `when` is one of `is` ("Bản thân",
/// "Cha"), the group `to` is the person of group `from`: its blank answers
/// are filled from the ones with the same name (`from.full_name` →
/// `to.full_name`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SamePerson {
    pub when: String,
    /// Compared without case, diacritics or extra spaces.
    pub is: Vec<String>,
    pub from: String,
    pub to: String,
}

/// Vai trò — one person group of a form: the answers keyed `prefix.…`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonRole {
    pub prefix: String,
    /// How messages name the role, lower case ("bên nam", "người yêu cầu").
    pub role: String,
    /// Sex fixed by the role (bên nữ, người mẹ) when the form asks no sex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Full years of age the law requires on the registration date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// The rule behind `min_age`, quoted in the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age_basis: Option<String>,
}

/// `later` may not be before `earlier` (dates or years); the names are the
/// nouns messages use ("ngày chết", "ngày sinh").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DateOrder {
    pub earlier: String,
    pub earlier_name: String,
    pub later: String,
    pub later_name: String,
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
    /// Plain-language explanation shown above the group in the step-by-step
    /// mode (citizens on phones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
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
    /// Địa chỉ: "detail, commune, province" with the commune and province
    /// picked from the post-07/2025 units (crate hoso-units); printed as is.
    Address,
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
        crate::sort::map_of(self.fields().filter_map(|f| Some((f.key.clone(), f.default.clone()?))))
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
        let mut out: FormData = crate::sort::map_of(self.fields().filter_map(|f| {
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
        }));
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
        // Checks across answers, only on answers that are fine on their own
        // (a year 2027 is wrong by itself, not "after the child").
        let sound: FormData = crate::sort::map_of(
            data.iter().filter(|(k, _)| errors.iter().all(|e| &e.key != *k)).map(|(k, v)| (k.clone(), v.clone())),
        );
        for (key, msg) in self.cross_checks(&sound, today) {
            if errors.iter().all(|e| e.key != key) {
                if let Some(f) = self.field(&key) {
                    errors.push(FieldError { key, label: f.label.clone(), msg });
                }
            }
        }
        let order = |k: &str| self.fields().position(|f| f.key == k);
        crate::sort::sort_by_key(&mut errors, |e| order(&e.key));
        errors
    }

    /// The errors of one question group (a step of the step-by-step mode),
    /// from the same checks as the whole form: a mistake across groups
    /// shows on the group holding the answer to fix.
    pub fn validate_section(&self, section: usize, data: &FormData, catalog: &Catalog, today: Date) -> Vec<FieldError> {
        let mut errors = self.validate(data, catalog, today);
        errors.retain(|e| self.section_of(&e.key) == Some(section));
        errors
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields().find(|f| f.key == key)
    }

    /// Index of the section (question group) holding `key`.
    pub fn section_of(&self, key: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.fields.iter().any(|f| f.key == key))
    }

    /// The person groups of the form, in order: every `prefix` of a
    /// `prefix.full_name` field, with its role from [`FormDefinition::people`].
    pub fn person_groups(&self) -> Vec<PersonRole> {
        self.fields()
            .filter_map(|f| f.key.strip_suffix(".full_name"))
            .map(|prefix| {
                self.people.iter().find(|p| p.prefix == prefix).cloned().unwrap_or_else(|| PersonRole {
                    prefix: prefix.to_string(),
                    role: prefix.to_string(),
                    ..PersonRole::default()
                })
            })
            .collect()
    }

    /// Một lần khai: answers to fill because the answer to `changed` says
    /// two groups are one person ([`SamePerson`]). Only blanks are filled;
    /// nothing typed is replaced.
    pub fn same_person_fill(&self, data: &FormData, changed: &str) -> FormData {
        let said = data.get(changed).map(|v| text::fold(&text::clean(v))).unwrap_or_default();
        let mut out = FormData::new();
        for rule in self.same_person.iter().filter(|r| r.when == changed) {
            if said.is_empty() || !rule.is.iter().any(|v| text::fold(&text::clean(v)) == said) {
                continue;
            }
            for f in self.fields() {
                let Some(name) = f.key.strip_prefix(&rule.to).and_then(|k| k.strip_prefix('.')) else { continue };
                let source = data.get(&format!("{}.{name}", rule.from)).filter(|v| !v.trim().is_empty());
                let blank = data.get(&f.key).is_none_or(|v| v.trim().is_empty());
                if let (Some(v), true) = (source, blank) {
                    out.insert(f.key.clone(), v.clone());
                }
            }
        }
        out
    }

    /// Người nộp hồ sơ — the group whose name, ID number and address the
    /// receipt and the phiếu bổ sung carry: `applicant` when the form has
    /// one, else the first signer's (kết hôn: bên nữ).
    pub fn applicant_group(&self) -> &str {
        if self.fields().any(|f| f.key == "applicant.full_name") {
            return "applicant";
        }
        self.signer_field.split_once('.').map_or("applicant", |(group, _)| group)
    }

    /// The answers, with the applicant's also under `applicant.*` when the
    /// form calls that group otherwise, so what was declared once for the
    /// form reaches the receipt too.
    pub fn with_applicant(&self, data: &FormData) -> FormData {
        let mut out = data.clone();
        let group = self.applicant_group();
        if group != "applicant" {
            for (k, v) in data {
                if let Some(name) = k.strip_prefix(group).and_then(|k| k.strip_prefix('.')) {
                    out.entry(format!("applicant.{name}")).or_insert_with(|| v.clone());
                }
            }
        }
        out
    }

    /// Who or what an answer is about, short enough to start an error
    /// line: the person's role ("Người đã chết") when the key belongs to a
    /// person group with a role, else the section's title ("Bản sao").
    pub fn group_label(&self, key: &str) -> String {
        let role = key.split_once('.').and_then(|(p, _)| self.people.iter().find(|r| r.prefix == p));
        match role {
            Some(r) => crate::text::sentence_case(&r.role),
            None => self.section_of(key).map(|i| self.sections[i].title.clone()).unwrap_or_default(),
        }
    }

    /// "bên nam Nguyễn Văn An": the role, and the name when given.
    fn who(&self, prefix: &str, data: &FormData) -> String {
        let role = self.people.iter().find(|p| p.prefix == prefix).map_or(prefix, |p| p.role.as_str());
        match data.get(&format!("{prefix}.full_name")) {
            Some(name) if !name.is_empty() => format!("{role} {name}"),
            _ => role.to_string(),
        }
    }

    /// Mistakes that only show when answers are read together, keyed by
    /// the answer to fix: the ID number against the same person's birth
    /// date and sex, ages the law requires on `today` (the registration
    /// date), and dates in the wrong order.
    pub fn cross_checks(&self, data: &FormData, today: Date) -> Vec<(String, Msg)> {
        let get = |k: &str| data.get(k).map(String::as_str).filter(|v| !v.is_empty());
        let mut out = Vec::new();
        for person in self.person_groups() {
            let p = &person.prefix;
            let birth_date = get(&format!("{p}.birth_date")).and_then(Date::parse);
            let birth_year = birth_date.map(|d| d.year).or_else(|| get(&format!("{p}.birth_year"))?.parse().ok());
            let sex = person.sex.or_else(|| Sex::from_vi(get(&format!("{p}.sex"))?));
            let id_key = format!("{p}.id_number");
            let id = get(&id_key).and_then(|v| id_number::parse(v).ok());
            if let Some(Err(e)) = id.as_ref().map(|id| id.check_known(birth_year, sex)) {
                out.push((id_key.clone(), e.msg()));
            }
            let Some(min) = person.min_age else { continue };
            let basis = person.min_age_basis.clone();
            if let Some(birth) = birth_date.filter(|b| *b <= today) {
                let age = full_years(birth, today);
                if age < min as i32 {
                    let who = self.who(p, data);
                    out.push((format!("{p}.birth_date"), Msg::UnderAge { who, min, age, on: today.to_string(), basis }));
                }
            } else if let (None, Some(id)) = (birth_year, &id) {
                // Only the ID's birth year is known: under age for sure when
                // even a birthday on 1 January would not make `min` years.
                if today.year - id.birth_year() < min as i32 {
                    let who = self.who(p, data);
                    out.push((id_key, Msg::UnderAgeByIdYear { who, min, year: id.birth_year(), basis }));
                }
            }
        }
        for rule in &self.date_order {
            let (Some(earlier), Some(later)) = (get(&rule.earlier), get(&rule.later)) else { continue };
            let year_of = |v: &str| Date::parse(v).map(|d| d.year).or_else(|| v.parse::<i32>().ok());
            let wrong = match (Date::parse(earlier), Date::parse(later)) {
                (Some(e), Some(l)) => l < e,
                // A year on either side: the later one must be in a later year.
                _ => matches!((year_of(earlier), year_of(later)), (Some(e), Some(l)) if l <= e),
            };
            if wrong {
                let prefix = rule.later.split_once('.').map_or("", |(p, _)| p);
                let who = self.person_groups().iter().any(|g| g.prefix == prefix).then(|| self.who(prefix, data));
                out.push((
                    rule.later.clone(),
                    Msg::DateOrder {
                        later: rule.later_name.clone(),
                        later_value: later.to_string(),
                        earlier: rule.earlier_name.clone(),
                        earlier_value: earlier.to_string(),
                        who,
                    },
                ));
            }
        }
        out
    }
}

/// Tuổi tròn — full years of age on `on` (a 29 February birthday comes of
/// age on 1 March in common years).
pub fn full_years(birth: Date, on: Date) -> i32 {
    on.year - birth.year - i32::from((on.month, on.day) < (birth.month, birth.day))
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
            Some(d) if d.year < 1900 => Some(Msg::DateTooOld),
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
        FieldKind::Text | FieldKind::Name | FieldKind::Multiline | FieldKind::Address => None,
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
    fn answers(pairs: &[(&str, &str)]) -> FormData {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn ket_hon(bride_birth: &str, groom_birth: &str) -> FormData {
        answers(&[
            ("bride.full_name", "phạm thị hương"),
            ("bride.birth_date", bride_birth),
            ("bride.ethnicity", "Kinh"),
            ("bride.nationality", "Việt Nam"),
            ("bride.residence", "Thôn Đông"),
            ("bride.id_number", "051198004321"),
            ("bride.marriage_count", "1"),
            ("groom.full_name", "nguyễn văn an"),
            ("groom.birth_date", groom_birth),
            ("groom.ethnicity", "Kinh"),
            ("groom.nationality", "Việt Nam"),
            ("groom.residence", "Thôn Đông"),
            ("groom.id_number", "001206012345"),
            ("groom.marriage_count", "1"),
        ])
    }

    #[test]
    fn marriage_ages_are_counted_in_full_years_on_the_registration_day() {
        let catalog = Catalog::embedded();
        let form = catalog.form("to-khai-ket-hon").unwrap();
        // Groom born 23/11/2006: 19 on 22/11/2026, 20 the next day.
        let raw = ket_hon("04/03/1998", "23/11/2006");
        let data = form.normalize(&raw);
        let errs = form.validate(&data, catalog, TODAY);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].key, "groom.birth_date");
        let msg = errs[0].msg.vi();
        assert!(msg.starts_with("Bên nam Nguyễn Văn An mới 19 tuổi vào ngày đăng ký 22/11/2026, chưa đủ 20 tuổi"), "{msg}");
        assert!(msg.contains("Luật Hôn nhân và gia đình"), "{msg}");
        let next_day = Date { day: 23, ..TODAY };
        assert_eq!(form.validate(&data, catalog, next_day), vec![]);
        // A bride of 18 is of age, of 17 is not.
        let mut raw = ket_hon("22/11/2008", "01/01/2006");
        raw.insert("bride.id_number".into(), "051308004321".into());
        raw.insert("groom.id_number".into(), "001206012345".into());
        assert_eq!(errors_of(form, &form.normalize(&raw)), vec![]);
        raw.insert("bride.birth_date".into(), "23/11/2008".into());
        assert_eq!(
            errors_of(form, &form.normalize(&raw)),
            vec![(
                "bride.birth_date".into(),
                Msg::UnderAge {
                    who: "bên nữ Phạm Thị Hương".into(),
                    min: 18,
                    age: 17,
                    on: "22/11/2026".into(),
                    basis: form.people[0].min_age_basis.clone(),
                }
            )]
        );
    }

    #[test]
    fn full_years_handle_birthdays_and_leap_days() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(full_years(d(2006, 11, 22), d(2026, 11, 22)), 20);
        assert_eq!(full_years(d(2006, 11, 23), d(2026, 11, 22)), 19);
        assert_eq!(full_years(d(2006, 12, 1), d(2026, 11, 30)), 19);
        assert_eq!(full_years(d(2004, 2, 29), d(2022, 2, 28)), 17);
        assert_eq!(full_years(d(2004, 2, 29), d(2022, 3, 1)), 18);
    }

    #[test]
    fn the_id_number_must_agree_with_the_same_persons_birth_and_sex() {
        let catalog = Catalog::embedded();
        let form = catalog.form("to-khai-ket-hon").unwrap();
        // Bride's ID says a man born 1998; the groom's is fine.
        let mut raw = ket_hon("04/03/1998", "01/01/2006");
        raw.insert("bride.id_number".into(), "051098004321".into());
        assert_eq!(
            errors_of(form, &form.normalize(&raw)),
            vec![("bride.id_number".into(), Msg::IdSexMismatch { id_sex: "Nam".into() })]
        );
        // The groom's ID says 2006, his date of birth 2005: his field, not hers.
        let raw = ket_hon("04/03/1998", "01/01/2005");
        assert_eq!(
            errors_of(form, &form.normalize(&raw)),
            vec![("groom.id_number".into(), Msg::IdBirthYearMismatch { id_year: 2006, birth_year: 2005 })]
        );
        // Declared sex (khai tử) and a birth year only (người mẹ) count too.
        let kt = catalog.form("to-khai-khai-tu").unwrap();
        let mut raw = sample_of("khai-tu");
        raw.insert("deceased.sex".into(), "Nữ".into());
        assert_eq!(errors_of(kt, &kt.normalize(&raw)), vec![("deceased.id_number".into(), Msg::IdSexMismatch { id_sex: "Nam".into() })]);
        let ks = khai_sinh();
        let mut raw = complete();
        raw.insert("applicant.id_number".into(), "001190012345".into());
        assert_eq!(errors_of(ks, &ks.normalize(&raw)), vec![], "no birth date or sex for the applicant: nothing to compare");
        let groups: Vec<String> = ks.person_groups().into_iter().map(|p| p.prefix).collect();
        assert_eq!(groups, ["applicant", "child", "mother", "father"]);
    }

    #[test]
    fn an_applicant_under_age_by_the_id_number_is_named() {
        let catalog = Catalog::embedded();
        let kt = catalog.form("to-khai-khai-tu").unwrap();
        let mut raw = sample_of("khai-tu");
        raw.insert("applicant.id_number".into(), "001210012345".into()); // a boy born 2010
        let errs = kt.validate(&kt.normalize(&raw), catalog, TODAY);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].key, "applicant.id_number");
        let name = kt.normalize(&raw)["applicant.full_name"].clone();
        assert_eq!(
            errs[0].msg.vi(),
            format!("Người yêu cầu {name} sinh năm 2010 (theo số định danh cá nhân), chưa đủ 18 tuổi theo Điều 20 Bộ luật Dân sự 2015 (người thành niên).")
        );
        // Born 2008: 18 or still 17 on 22/11/2026 — not provably under age.
        raw.insert("applicant.id_number".into(), "001208012345".into());
        assert_eq!(errors_of(kt, &kt.normalize(&raw)), vec![]);
    }

    #[test]
    fn a_young_parent_may_register_the_birth() {
        // Điều 15 Luật Hộ tịch puts the duty on the parents, whatever their age:
        // a 16-year-old mother is not refused.
        let form = khai_sinh();
        let mut raw = complete();
        raw.insert("applicant.id_number".into(), "001310012345".into()); // a girl born 2010
        assert_eq!(errors_of(form, &form.normalize(&raw)), vec![]);
    }

    #[test]
    fn dates_in_the_wrong_order_and_impossible_dates() {
        let catalog = Catalog::embedded();
        let kt = catalog.form("to-khai-khai-tu").unwrap();
        let mut raw = sample_of("khai-tu");
        raw.insert("deceased.death_date".into(), "09/04/1940".into());
        let errs = kt.validate(&kt.normalize(&raw), catalog, TODAY);
        assert_eq!(errs.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["deceased.death_date"]);
        assert_eq!(
            errs[0].msg.vi(),
            "Ngày chết (09/04/1940) không thể trước ngày sinh (10/04/1940) của người đã chết Lê Văn Tư. Kiểm tra lại hai ngày này."
        );
        raw.insert("deceased.death_date".into(), "10/04/1940".into());
        assert_eq!(errors_of(kt, &kt.normalize(&raw)), vec![], "died the day of birth");
        // A mother born after her child.
        let mut raw = complete();
        raw.insert("mother.birth_year".into(), "2026".into());
        raw.insert("child.birth_date".into(), "01/01/2025".into());
        assert_eq!(errors_of(khai_sinh(), &khai_sinh().normalize(&raw)).len(), 1);
        // 30 February, a year typed short, a year before 1900.
        for (bad, msg) in [("30/02/2024", Msg::BadDate), ("01/02/26", Msg::BadDate), ("01/02/0202", Msg::DateTooOld)] {
            let mut raw = complete();
            raw.insert("child.birth_date".into(), bad.into());
            assert_eq!(errors_of(khai_sinh(), &khai_sinh().normalize(&raw)), vec![("child.birth_date".into(), msg)], "{bad}");
        }
    }

    #[test]
    fn one_person_is_declared_once() {
        let catalog = Catalog::embedded();
        let tthn = catalog.form("to-khai-xac-nhan-tinh-trang-hon-nhan").unwrap();
        let mut data = answers(&[
            ("applicant.full_name", "Lê Thị Mai"),
            ("applicant.id_number", "051190001234"),
            ("applicant.residence", "Thôn Đông"),
            ("person.residence", "Thôn Tây"),
            ("applicant.relation", " bản  THÂN "),
        ]);
        let fill = tthn.same_person_fill(&data, "applicant.relation");
        assert_eq!(
            fill,
            answers(&[("person.full_name", "Lê Thị Mai"), ("person.id_number", "051190001234")]),
            "blanks filled, the typed residence kept"
        );
        assert_eq!(tthn.same_person_fill(&data, "applicant.full_name"), FormData::new(), "only the relation decides");
        data.insert("applicant.relation".into(), "Con".into());
        assert_eq!(tthn.same_person_fill(&data, "applicant.relation"), FormData::new());
        // Khai sinh: the father or the mother who comes to the counter.
        let ks = khai_sinh();
        let mut data = complete();
        data.insert("applicant.relation".into(), "cha".into());
        let fill = ks.same_person_fill(&data, "applicant.relation");
        assert_eq!(fill.keys().collect::<Vec<_>>(), ["father.full_name", "father.residence"]);
        assert_eq!(fill["father.full_name"], "nguyễn văn bình");
        data.insert("applicant.relation".into(), "Mẹ".into());
        assert_eq!(ks.same_person_fill(&data, "applicant.relation"), FormData::new(), "the mother is typed already");
        // Every form that names the same person twice says so.
        for id in ["to-khai-xac-nhan-tinh-trang-hon-nhan", "to-khai-cap-ban-sao-trich-luc", "to-khai-dang-ky-lai-khai-sinh"] {
            assert!(catalog.form(id).unwrap().same_person.iter().any(|r| r.is.contains(&"Bản thân".to_string())), "{id}");
        }
    }

    #[test]
    fn a_step_is_checked_alone() {
        let form = khai_sinh();
        let mut raw = complete();
        raw.remove("mother.full_name");
        raw.insert("mother.birth_year".into(), "2027".into());
        raw.insert("child.birth_date".into(), "01/01/2026".into());
        let data = form.normalize(&raw);
        let keys = |s: usize| -> Vec<String> {
            form.validate_section(s, &data, Catalog::embedded(), TODAY).into_iter().map(|e| e.key).collect()
        };
        assert_eq!(keys(0), Vec::<String>::new(), "the applicant's step is fine");
        assert_eq!(keys(1), Vec::<String>::new());
        assert_eq!(keys(2), ["mother.full_name", "mother.birth_year"]);
        // 2027 is wrong on its own (above: no order error on the child); a
        // mother born the child's year breaks the order, on the child's date.
        raw.insert("mother.birth_year".into(), "2026".into());
        raw.insert("mother.full_name".into(), "Trần Thị Hoa".into());
        let data = form.normalize(&raw);
        assert_eq!(form.validate_section(2, &data, Catalog::embedded(), TODAY), vec![]);
        let errs = form.validate_section(1, &data, Catalog::embedded(), TODAY);
        assert_eq!(errs.len(), 1);
        assert!(matches!(&errs[0].msg, Msg::DateOrder { .. }), "{errs:?}");
    }

    #[test]
    fn error_lines_name_the_person_or_the_section() {
        let kt = Catalog::embedded().form("to-khai-khai-tu").unwrap();
        assert_eq!(kt.group_label("deceased.death_date"), "Người đã chết");
        assert_eq!(kt.group_label("applicant.id_number"), "Người yêu cầu");
        assert_eq!(kt.group_label("copies"), "Bản sao");
        assert_eq!(kt.group_label("nothing"), "");
    }

    #[test]
    fn the_applicant_of_a_marriage_is_the_first_signer() {
        let catalog = Catalog::embedded();
        let kh = catalog.form("to-khai-ket-hon").unwrap();
        assert_eq!(kh.applicant_group(), "bride");
        let data = kh.with_applicant(&sample_of("ket-hon"));
        assert_eq!(data["applicant.full_name"], "Phạm Thị Thu Hương");
        assert_eq!(data["applicant.id_number"], "051198004321");
        assert_eq!(data["applicant.residence"], "Tổ dân phố 3, phường Trần Phú, tỉnh Quảng Ngãi");
        assert_eq!(data["groom.full_name"], "Đinh Công Thái Sơn Nguyên Vũ Hoàng Minh Trường");
        // Forms with an applicant group are left as they are.
        assert_eq!(khai_sinh().applicant_group(), "applicant");
        assert_eq!(khai_sinh().with_applicant(&complete()), complete());
    }

    fn sample_of(id: &str) -> FormData {
        let path = format!("{}/../../data/samples/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        value.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string))).collect()
    }

    #[test]
    fn every_sample_passes_every_check() {
        let catalog = Catalog::embedded();
        for p in &catalog.procedures {
            let form = catalog.form(&p.form).unwrap();
            let data = form.normalize(&sample_of(&p.id));
            assert_eq!(form.validate(&data, catalog, TODAY), vec![], "{}", p.id);
        }
    }
}
