//! Số định danh cá nhân — the 12-digit personal ID number printed on every
//! chip ID card (CCCD, thẻ căn cước) and used by every civil-status form.
//!
//! Layout (Thông tư 59/2021/TT-BCA): digits 1–3 the province where the birth
//! was registered (old 63-province codes, `data/id-province-codes.json`),
//! digit 4 the century of birth and sex, digits 5–6 the last two digits of
//! the birth year, then six serial digits. Only the first six carry meaning,
//! so that is all we can check; there is no check digit.

use crate::date::Date;
use crate::i18n::Msg;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// Giới tính — sex as ID cards and forms write it ("Nam", "Nữ").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "Nam")]
    Male,
    #[serde(rename = "Nữ")]
    Female,
}

impl Sex {
    /// The word on the card and in form options.
    pub fn vi(self) -> &'static str {
        match self {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        }
    }

    /// "Nam" / "Nữ" in any case, NFC or NFD, with stray spaces.
    pub fn from_vi(s: &str) -> Option<Sex> {
        let s = crate::text::lower(&crate::text::nfc(s.trim()));
        match s.as_str() {
            "nam" => Some(Sex::Male),
            "nữ" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// A syntactically valid personal ID number with a known province code.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

/// Why a string is not a plausible ID number for this person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    /// Not exactly 12 ASCII digits.
    Format,
    /// Digits 1–3 are no province code.
    UnknownProvince(String),
    /// Digits 4–6 give another birth year than the date of birth.
    BirthYearMismatch { id_year: i32, birth_year: i32 },
    /// Digit 4 gives another sex than the one declared.
    SexMismatch { id_sex: Sex },
}

impl IdError {
    pub fn msg(&self) -> Msg {
        match self {
            IdError::Format => Msg::BadIdNumber,
            IdError::UnknownProvince(code) => Msg::IdUnknownProvince(code.clone()),
            IdError::BirthYearMismatch { id_year, birth_year } => {
                Msg::IdBirthYearMismatch { id_year: *id_year, birth_year: *birth_year }
            }
            IdError::SexMismatch { id_sex } => Msg::IdSexMismatch { id_sex: id_sex.vi().to_string() },
        }
    }
}

#[derive(Deserialize)]
struct ProvinceFile {
    codes: BTreeMap<String, String>,
}

const PROVINCE_CODES: &str = include_str!("../../../data/id-province-codes.json");

/// Province code → name, from the embedded data file.
pub fn provinces() -> &'static BTreeMap<String, String> {
    static CODES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    CODES.get_or_init(|| {
        let file: ProvinceFile = serde_json::from_str(PROVINCE_CODES).expect("id-province-codes.json is checked by tests");
        file.codes
    })
}

/// Parses an ID number as typed or read from a QR code: surrounding
/// whitespace is ignored, anything else must be the 12 digits.
pub fn parse(s: &str) -> Result<IdNumber, IdError> {
    let s = s.trim();
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::Format);
    }
    if !provinces().contains_key(&s[..3]) {
        return Err(IdError::UnknownProvince(s[..3].to_string()));
    }
    Ok(IdNumber(s.to_string()))
}

impl IdNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn digit(&self, i: usize) -> i32 {
        i32::from(self.0.as_bytes()[i] - b'0')
    }

    /// Digits 1–3: where the birth was registered.
    pub fn province_code(&self) -> &str {
        &self.0[..3]
    }

    pub fn province_name(&self) -> &'static str {
        provinces().get(self.province_code()).map(String::as_str).expect("checked by parse")
    }

    /// Digit 4: even for men, odd for women.
    pub fn sex(&self) -> Sex {
        if self.digit(3) % 2 == 0 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Digits 4–6: 0/1 → 19xx, 2/3 → 20xx, 4/5 → 21xx, and so on.
    pub fn birth_year(&self) -> i32 {
        1900 + 100 * (self.digit(3) / 2) + 10 * self.digit(4) + self.digit(5)
    }

    /// Whether digits 4–6 agree with the date of birth and sex declared
    /// or printed elsewhere; a mismatch is a misread or a wrong person.
    pub fn check_against(&self, birth: Date, sex: Sex) -> Result<(), IdError> {
        self.check_known(Some(birth.year), Some(sex))
    }

    /// [`IdNumber::check_against`] with what a form knows: forms ask a
    /// year of birth only (người mẹ) or no sex (kết hôn: fixed by the role).
    pub fn check_known(&self, birth_year: Option<i32>, sex: Option<Sex>) -> Result<(), IdError> {
        if let Some(year) = birth_year.filter(|y| *y != self.birth_year()) {
            return Err(IdError::BirthYearMismatch { id_year: self.birth_year(), birth_year: year });
        }
        if sex.is_some_and(|s| s != self.sex()) {
            return Err(IdError::SexMismatch { id_sex: self.sex() });
        }
        Ok(())
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Serialized as the plain 12-digit string forms and records use.
impl Serialize for IdNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn data_file_has_the_63_old_provinces() {
        let p = provinces();
        assert_eq!(p.len(), 63);
        assert_eq!(p["001"], "Hà Nội");
        assert_eq!(p["079"], "Hồ Chí Minh");
        assert_eq!(p["096"], "Cà Mau");
        for (code, name) in p {
            assert!(code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");
            assert_eq!(*name, crate::text::clean(name), "{code}: NFC, no stray spaces");
        }
    }

    #[test]
    fn parses_valid_numbers() {
        let id = parse(" 001090012345\n").unwrap();
        assert_eq!(id.as_str(), "001090012345");
        assert_eq!(id.province_code(), "001");
        assert_eq!(id.province_name(), "Hà Nội");
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_year(), 1990);

        let id = parse("079305000123").unwrap();
        assert_eq!((id.province_name(), id.sex(), id.birth_year()), ("Hồ Chí Minh", Sex::Female, 2005));
        assert_eq!(parse("096401000001").unwrap().birth_year(), 2101);
        assert_eq!(parse("096501000001").unwrap().sex(), Sex::Female);
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"079305000123\"");
    }

    #[test]
    fn rejects_every_format_error() {
        for bad in
            ["", "00109001234", "0010900123456", "00109001234a", "001 090 012 345", "００１０９００１２３４５", "001090012345x"]
        {
            assert_eq!(parse(bad), Err(IdError::Format), "{bad:?}");
        }
        assert_eq!(parse("003090012345"), Err(IdError::UnknownProvince("003".into())));
        assert_eq!(parse("099090012345"), Err(IdError::UnknownProvince("099".into())));
        assert_eq!(parse("000090012345").unwrap_err().msg(), Msg::IdUnknownProvince("000".into()));
        assert_eq!(IdError::Format.msg(), Msg::BadIdNumber);
    }

    #[test]
    fn agrees_with_birth_date_and_sex() {
        let man_1990 = parse("001090012345").unwrap();
        assert_eq!(man_1990.check_against(date(1990, 12, 31), Sex::Male), Ok(()));
        assert_eq!(
            man_1990.check_against(date(1991, 1, 1), Sex::Male),
            Err(IdError::BirthYearMismatch { id_year: 1990, birth_year: 1991 })
        );
        assert_eq!(man_1990.check_against(date(1990, 1, 1), Sex::Female), Err(IdError::SexMismatch { id_sex: Sex::Male }));
        // Same two year digits, wrong century.
        assert_eq!(
            man_1990.check_against(date(2090, 1, 1), Sex::Male),
            Err(IdError::BirthYearMismatch { id_year: 1990, birth_year: 2090 })
        );

        // Born in the 2000s: digit 4 is 2 (male) or 3 (female).
        let boy_2003 = parse("036203001122").unwrap();
        assert_eq!(boy_2003.check_against(date(2003, 6, 1), Sex::Male), Ok(()));
        assert_eq!(
            boy_2003.check_against(date(1903, 6, 1), Sex::Male),
            Err(IdError::BirthYearMismatch { id_year: 2003, birth_year: 1903 })
        );
        let girl_2000 = parse("036300001122").unwrap();
        assert_eq!(girl_2000.check_against(date(2000, 1, 1), Sex::Female), Ok(()));
        assert_eq!(
            girl_2000.check_against(date(2000, 1, 1), Sex::Male).unwrap_err().msg(),
            Msg::IdSexMismatch { id_sex: "Nữ".into() }
        );
        let woman_1975 = parse("038175000001").unwrap();
        assert_eq!(woman_1975.check_against(date(1975, 4, 30), Sex::Female), Ok(()));
    }

    #[test]
    fn checks_what_is_known() {
        let woman_1975 = parse("038175000001").unwrap();
        assert_eq!(woman_1975.check_known(None, None), Ok(()));
        assert_eq!(woman_1975.check_known(Some(1975), None), Ok(()));
        assert_eq!(woman_1975.check_known(None, Some(Sex::Male)), Err(IdError::SexMismatch { id_sex: Sex::Female }));
        assert_eq!(
            woman_1975.check_known(Some(1976), Some(Sex::Male)),
            Err(IdError::BirthYearMismatch { id_year: 1975, birth_year: 1976 }),
            "the year is reported first"
        );
    }

    #[test]
    fn sex_reads_card_spellings() {
        assert_eq!(Sex::from_vi("Nam"), Some(Sex::Male));
        assert_eq!(Sex::from_vi(" NỮ "), Some(Sex::Female));
        assert_eq!(Sex::from_vi("Nu\u{031b}\u{0303}"), Some(Sex::Female));
        assert_eq!(Sex::from_vi("Nu"), None);
        assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"Nữ\"");
    }
}
