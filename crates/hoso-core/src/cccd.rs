//! Mã QR thẻ căn cước — the text in the QR code of a chip ID card (CCCD,
//! thẻ căn cước), so that "the citizen only shows the card" fills the form.
//!
//! The text is `ID12|OLDID9|Full name|ddmmyyyy|Nam or Nữ|Address|ddmmyyyy`
//! (number, old 9-digit ID or empty, name, birth date, sex, address, issue
//! date). Cards from 2024 append empty fields, so extra fields are ignored.
//! Phone scanner apps and keyboards add BOMs, NFD text, CR/LF and spaces;
//! those are tolerated. What a clerk relies on is strict: the number's
//! century, sex and year digits must agree with the birth date and sex.

use crate::date::Date;
use crate::form::FormData;
use crate::i18n::Msg;
use crate::id_number::{self, IdError, IdNumber, Sex};
use crate::text;
use serde::{Serialize, Serializer};

/// What the QR of one ID card says, normalized (NFC, names capitalised).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdCard {
    pub id_number: IdNumber,
    /// Số CMND cũ — the 9-digit ID this card replaced, when there was one.
    pub old_id: Option<String>,
    pub full_name: String,
    #[serde(serialize_with = "as_display")]
    pub birth_date: Date,
    pub sex: Sex,
    /// Nơi thường trú — as printed, often with pre-07/2025 district and commune.
    pub address: String,
    #[serde(serialize_with = "opt_as_display")]
    pub issue_date: Option<Date>,
}

/// Why a QR text is not a usable ID card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardError {
    /// Some other QR code (a URL, a bank transfer, a product label).
    NotCccd,
    /// Starts like a card but fields are missing: a partial read.
    Truncated,
    /// The number is malformed or disagrees with birth date and sex.
    Id(IdError),
    /// A field that is present but unreadable: (Vietnamese field name, value).
    BadField(&'static str, String),
}

impl CardError {
    pub fn msg(&self) -> Msg {
        match self {
            CardError::NotCccd => Msg::CardNotCccd,
            CardError::Truncated => Msg::CardTruncated,
            CardError::Id(e) => e.msg(),
            CardError::BadField(field, value) => Msg::CardBadField { field: (*field).to_string(), value: value.clone() },
        }
    }
}

const FIELDS: usize = 7;

/// Parses the QR text of an ID card.
pub fn parse(raw: &str) -> Result<IdCard, CardError> {
    // BOMs and surrounding whitespace come from scanner apps; NFC first so
    // "Nữ" and names compare whatever the source's normalization.
    let nfc = text::nfc(raw.trim_start_matches('\u{feff}').trim());
    let fields: Vec<&str> = nfc.split('|').map(str::trim).collect();
    let looks_like_id = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if fields.len() < 2 || !looks_like_id(fields[0]) {
        return Err(CardError::NotCccd);
    }
    if fields.len() < FIELDS {
        return Err(CardError::Truncated);
    }
    let id = id_number::parse(fields[0]).map_err(CardError::Id)?;
    let old_id = match fields[1] {
        "" => None,
        s if (s.len() == 9 || s.len() == 12) && s.bytes().all(|b| b.is_ascii_digit()) => Some(s.to_string()),
        s => return Err(CardError::BadField("số CMND cũ", s.to_string())),
    };
    let full_name = text::person_name(fields[2]);
    if full_name.is_empty() || full_name.chars().any(|c| c.is_ascii_digit() || c.is_control()) {
        return Err(CardError::BadField("họ và tên", fields[2].to_string()));
    }
    let birth_date = card_date(fields[3]).ok_or_else(|| CardError::BadField("ngày sinh", fields[3].to_string()))?;
    let sex = Sex::from_vi(fields[4]).ok_or_else(|| CardError::BadField("giới tính", fields[4].to_string()))?;
    let address = text::clean(fields[5]);
    let issue_date = match fields[6] {
        "" => None,
        s => Some(card_date(s).filter(|d| *d >= birth_date).ok_or_else(|| CardError::BadField("ngày cấp", s.to_string()))?),
    };
    id.check_against(birth_date, sex).map_err(CardError::Id)?;
    Ok(IdCard { id_number: id, old_id, full_name, birth_date, sex, address, issue_date })
}

/// Exactly `ddmmyyyy`: the card never writes other spellings, so anything
/// else is a misread.
fn card_date(s: &str) -> Option<Date> {
    (s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())).then(|| Date::parse(s)).flatten()
}

impl IdCard {
    /// The QR text as cards carry it (7 fields), e.g. to print a test code.
    pub fn to_qr_text(&self) -> String {
        let date = |d: Date| format!("{:02}{:02}{:04}", d.day, d.month, d.year);
        [
            self.id_number.to_string(),
            self.old_id.clone().unwrap_or_default(),
            self.full_name.clone(),
            date(self.birth_date),
            self.sex.vi().to_string(),
            self.address.clone(),
            self.issue_date.map(date).unwrap_or_default(),
        ]
        .join("|")
    }
}

/// Form answers for one person of a form (`role` is the key prefix, e.g.
/// "applicant" or "deceased"). Only the answers: which of them a form has
/// and whether to apply them after the clerk confirms is the caller's call.
pub fn fill(card: &IdCard, role: &str) -> FormData {
    crate::sort::map_of(
        [
        ("full_name", card.full_name.clone()),
        ("id_number", card.id_number.to_string()),
        ("residence", card.address.clone()),
        ("birth_date", card.birth_date.to_string()),
        ("sex", card.sex.vi().to_string()),
    ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (format!("{role}.{k}"), v)),
    )
}

fn as_display<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn opt_as_display<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CARD: &str =
        "001090012345|123456789|NGUYỄN VĂN BÌNH|15031990|Nam|Thôn Đông, Xã Hòa Bình, Huyện Kỳ Sơn, Tỉnh Hòa Bình|20042021";

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn reads_a_card() {
        let card = parse(CARD).unwrap();
        assert_eq!(card.id_number.as_str(), "001090012345");
        assert_eq!(card.old_id.as_deref(), Some("123456789"));
        assert_eq!(card.full_name, "Nguyễn Văn Bình");
        assert_eq!(card.birth_date, date(1990, 3, 15));
        assert_eq!(card.sex, Sex::Male);
        assert_eq!(card.address, "Thôn Đông, Xã Hòa Bình, Huyện Kỳ Sơn, Tỉnh Hòa Bình");
        assert_eq!(card.issue_date, Some(date(2021, 4, 20)));
        let json = serde_json::to_value(&card).unwrap();
        assert_eq!(json["id_number"], "001090012345");
        assert_eq!(json["birth_date"], "15/03/1990");
        assert_eq!(json["sex"], "Nam");
        assert_eq!(json["issue_date"], "20/04/2021");
    }

    #[test]
    fn empty_old_id_and_2024_trailing_fields() {
        let card = parse("036300001122||Trần Thị Hoa|01012000|Nữ|Xã Giao Thủy, Tỉnh Nam Định|10052024||||").unwrap();
        assert_eq!(card.old_id, None);
        assert_eq!(card.sex, Sex::Female);
        assert_eq!(card.issue_date, Some(date(2024, 5, 10)));
        // Fields after the seventh are ignored, whatever they hold.
        assert_eq!(parse(&format!("{CARD}|||x|")).unwrap(), parse(CARD).unwrap());
    }

    #[test]
    fn tolerates_nfd_bom_whitespace_and_line_ends() {
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(CARD).collect();
        assert_ne!(nfd, CARD);
        let noisy = format!("\u{feff}  {}\r\n", nfd.replace('|', " | ").replace("VĂN", "VĂN  "));
        let card = parse(&noisy).unwrap();
        assert_eq!(card, parse(CARD).unwrap());
        assert_eq!(card.full_name, "Nguyễn Văn Bình");
        assert!(card.address.starts_with("Thôn Đông"));
        let nu_nfd = "036300001122||Trần Thị Hoa|01012000|Nu\u{031b}\u{0303}|X|";
        assert_eq!(parse(nu_nfd).unwrap().sex, Sex::Female);
        assert_eq!(parse(nu_nfd).unwrap().issue_date, None);
    }

    #[test]
    fn refuses_other_qr_codes_and_partial_reads() {
        for text in [
            "",
            "https://dichvucong.gov.vn/p/home",
            "00020101021238570010A000000727",
            "a|b|c|d|e|f|g",
            "12345678901|x|y",
            "001090012345",
        ] {
            assert_eq!(parse(text), Err(CardError::NotCccd), "{text:?}");
        }
        assert_eq!(CardError::NotCccd.msg().vi(), "Đây không phải mã QR của thẻ căn cước (căn cước công dân).");
        // Wrong field count: cut anywhere before the issue date.
        let fields: Vec<&str> = CARD.split('|').collect();
        for n in 2..FIELDS {
            assert_eq!(parse(&fields[..n].join("|")), Err(CardError::Truncated), "{n} fields");
        }
        // Truncated inside a field.
        assert!(matches!(parse(&CARD[..CARD.len() - 3]), Err(CardError::BadField("ngày cấp", _))));
    }

    #[test]
    fn number_must_agree_with_birth_date_and_sex() {
        let wrong_year = CARD.replace("15031990", "15031991");
        assert_eq!(parse(&wrong_year), Err(CardError::Id(IdError::BirthYearMismatch { id_year: 1990, birth_year: 1991 })));
        let wrong_century = CARD.replace("15031990", "15032090").replace("20042021", "");
        assert!(matches!(parse(&wrong_century), Err(CardError::Id(IdError::BirthYearMismatch { .. }))));
        let wrong_sex = CARD.replace("|Nam|", "|Nữ|");
        assert_eq!(parse(&wrong_sex), Err(CardError::Id(IdError::SexMismatch { id_sex: Sex::Male })));
        let born_2000s = "036203001122||Lê Văn An|02092003|Nam|Nam Định|02092023";
        assert_eq!(parse(born_2000s).unwrap().id_number.birth_year(), 2003);
        assert_eq!(parse(&CARD.replacen("001", "003", 1)), Err(CardError::Id(IdError::UnknownProvince("003".into()))));
    }

    #[test]
    fn malformed_fields_are_named() {
        let cases = [
            (CARD.replace("123456789", "12345"), "số CMND cũ"),
            (CARD.replace("NGUYỄN VĂN BÌNH", " "), "họ và tên"),
            (CARD.replace("15031990", "31021990"), "ngày sinh"),
            (CARD.replace("15031990", "15/03/1990"), "ngày sinh"),
            (CARD.replace("|Nam|", "|M|"), "giới tính"),
            (CARD.replace("20042021", "20041980"), "ngày cấp"),
        ];
        for (text, field) in cases {
            match parse(&text) {
                Err(CardError::BadField(f, _)) => assert_eq!(f, field, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        let msg = parse(&CARD.replace("|Nam|", "|M|")).unwrap_err().msg().vi();
        assert!(msg.contains("giới tính") && msg.contains("\"M\""), "{msg}");
    }

    #[test]
    fn fills_form_answers_for_a_role() {
        let data = fill(&parse(CARD).unwrap(), "applicant");
        let keys: Vec<&str> = data.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["applicant.birth_date", "applicant.full_name", "applicant.id_number", "applicant.residence", "applicant.sex"]
        );
        assert_eq!(data["applicant.birth_date"], "15/03/1990");
        assert_eq!(data["applicant.sex"], "Nam");
        // What we fill passes the form's own checks.
        let form = crate::Catalog::embedded().form("to-khai-khai-sinh").unwrap();
        let normalized = form.normalize(&data);
        assert_eq!(normalized["applicant.full_name"], "Nguyễn Văn Bình");
        let errors = form.validate(&normalized, crate::Catalog::embedded(), date(2026, 1, 1));
        assert!(errors.iter().all(|e| !e.key.starts_with("applicant.") || e.key == "applicant.relation"), "{errors:?}");
    }

    fn card_strategy() -> impl Strategy<Value = IdCard> {
        let provinces: Vec<String> = id_number::provinces().keys().cloned().collect();
        (
            proptest::sample::select(provinces),
            (1900i32..2100, 1u8..=12, 1u8..=28, any::<bool>()),
            0u32..1_000_000,
            proptest::option::of("[0-9]{9}"),
            "[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]{1,7}( [a-zđơưăâêô]{1,6}){1,3}",
            "[A-Za-z0-9ĐđÀ-ỹ ,./-]{0,60}",
            proptest::option::of(0i64..30_000),
        )
            .prop_map(|(code, (y, m, d, female), serial, old_id, name, address, issued_after)| {
                let birth_date = date(y, m, d);
                let sex = if female { Sex::Female } else { Sex::Male };
                let digit4 = 2 * ((y - 1900) / 100) + i32::from(female);
                let id = format!("{code}{digit4}{:02}{serial:06}", y % 100);
                IdCard {
                    id_number: id_number::parse(&id).unwrap(),
                    old_id,
                    full_name: text::person_name(&name),
                    birth_date,
                    sex,
                    address: text::clean(&address),
                    issue_date: issued_after.map(|n| Date::from_days_from_epoch(birth_date.days_from_epoch() + n)),
                }
            })
    }

    proptest! {
        #[test]
        fn random_text_never_panics(s in "\\PC{0,200}", t in "[0-9|NamNữ \u{feff}\r\n]{0,80}") {
            let _ = parse(&s).map_err(|e| e.msg().vi());
            let _ = parse(&t).map_err(|e| e.msg().vi());
        }

        #[test]
        fn valid_cards_round_trip(card in card_strategy(), extra in 0usize..5) {
            let text = card.to_qr_text() + &"|".repeat(extra);
            prop_assert_eq!(parse(&text), Ok(card.clone()));
            let nfd: String = unicode_normalization::UnicodeNormalization::nfd(text.as_str()).collect();
            prop_assert_eq!(parse(&nfd), Ok(card));
        }
    }
}
