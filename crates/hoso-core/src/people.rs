//! Người đã khai — people already declared on this device, so a person is
//! typed once and reused in later dossiers ("một lần khai – nhiều lần dùng").
//! A person is keyed by the 12-digit ID number.

use crate::form::{FormData, FormDefinition};
use crate::text::fold;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Answer suffixes that describe a person (after the role prefix, e.g. `mother.`).
const PERSON_FIELDS: &[&str] =
    &["full_name", "id_number", "birth_date", "birth_year", "sex", "ethnicity", "nationality", "residence"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id_number: String,
    /// Suffix (`full_name`, `residence`, …) → answer.
    pub fields: BTreeMap<String, String>,
    pub updated_ms: i64,
}

impl Person {
    pub fn full_name(&self) -> &str {
        self.fields.get("full_name").map(String::as_str).unwrap_or("")
    }

    /// Search by name or ID number, with or without diacritics.
    pub fn matches(&self, query: &str) -> bool {
        let haystack = fold(&format!("{} {}", self.full_name(), self.id_number));
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
        !words.is_empty() && words.iter().all(|w| haystack.contains(w.as_str()))
    }

    /// Answers for `role` in `form`, only for fields the form has.
    pub fn answers_for(&self, role: &str, form: &FormDefinition) -> FormData {
        crate::sort::map_of(
            self.fields
                .iter()
                .map(|(suffix, v)| (format!("{role}.{suffix}"), v.clone()))
                .filter(|(k, _)| form.fields().any(|f| f.key == *k)),
        )
    }
}

/// Every person with a valid ID number in a dossier's answers.
pub fn people_in(answers: &FormData, now_ms: i64) -> Vec<Person> {
    let mut by_role: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for (key, value) in answers {
        if let Some((role, suffix)) = key.rsplit_once('.') {
            if PERSON_FIELDS.contains(&suffix) && !value.trim().is_empty() {
                // Reused as the civil-status books write it, whatever was typed.
                let value = if suffix == "full_name" { crate::text::person_name(value) } else { crate::text::clean(value) };
                by_role.entry(role).or_default().insert(suffix.to_string(), value);
            }
        }
    }
    by_role
        .into_values()
        .filter_map(|fields| {
            let id = fields.get("id_number")?.clone();
            crate::id_number::parse(&id).ok()?;
            fields.contains_key("full_name").then_some(Person { id_number: id, fields, updated_ms: now_ms })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    fn answers() -> FormData {
        [
            ("applicant.full_name", "nguyễn  văn bình"),
            ("applicant.id_number", "001090012345"),
            ("applicant.residence", "Thôn Đông"),
            ("mother.full_name", "Trần Thị Hoa"),
            ("mother.birth_year", "1995"),
            ("child.full_name", "Nguyễn Thị Ánh"),
            ("child.id_number", "12345"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    #[test]
    fn only_people_with_a_valid_id_are_kept() {
        let people = people_in(&answers(), 7);
        assert_eq!(people.len(), 1, "mother has no ID, the child's ID is invalid");
        assert_eq!(people[0].full_name(), "Nguyễn Văn Bình");
        assert_eq!(people[0].fields["residence"], "Thôn Đông");
        assert!(people[0].matches("nguyen van binh"));
        assert!(people[0].matches("0010900"));
        assert!(!people[0].matches("tran"));
        assert!(!people[0].matches(" "));
    }

    #[test]
    fn reuse_fills_only_fields_the_form_has() {
        let person = &people_in(&answers(), 7)[0];
        let form = Catalog::embedded().form(&Catalog::embedded().procedure("khai-tu").unwrap().form).unwrap();
        let filled = person.answers_for("applicant", form);
        assert_eq!(filled["applicant.full_name"], "Nguyễn Văn Bình");
        assert_eq!(filled["applicant.residence"], "Thôn Đông");
        assert!(filled.keys().all(|k| form.fields().any(|f| f.key == *k)));
        assert!(person.answers_for("nobody", form).is_empty());
    }
}
