//! Vietnamese text: everything we store, print or hash is NFC.
//!
//! Normalization itself lives in [`unicode`]: the Rust tables natively, the
//! browser's own (ICU) in wasm, where shipping a second copy of the Unicode
//! tables would cost first-load bytes on every counter PC.

/// Unicode NFC with surrounding whitespace trimmed and inner runs of
/// whitespace folded to one space (what a clerk means when typing).
pub fn clean(s: &str) -> String {
    let folded: Vec<&str> = s.split_whitespace().collect();
    unicode::nfc(&folded.join(" "))
}

/// NFC without touching whitespace (multi-line free text).
pub fn nfc(s: &str) -> String {
    unicode::nfc(s)
}

/// Canonical decomposition (NFD): base letters and combining marks apart.
pub fn nfd(s: &str) -> String {
    unicode::nfd(s)
}

/// A personal name as the civil-status books write it: each syllable
/// capitalised ("nguyễn văn an" → "Nguyễn Văn An"), also after an
/// apostrophe or a hyphen as in Ê Đê and Gia Rai names ("h'hen niê" →
/// "H'Hen Niê", "ksor h’luông" → "Ksor H’Luông").
pub fn person_name(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    let mut one = [0; 4];
    for c in lower(&clean(s)).chars() {
        if start {
            out.push_str(&upper(c.encode_utf8(&mut one)));
        } else {
            out.push(c);
        }
        start = matches!(c, ' ' | '\'' | '\u{2019}' | '-');
    }
    unicode::nfc(&out)
}

/// Upper case by Unicode's default mapping, as `str::to_uppercase`
/// ("Ủy ban" → "ỦY BAN"). Use this, not `to_uppercase`: in wasm it is the
/// browser's, so the app carries no case tables of its own.
pub fn upper(s: &str) -> String {
    unicode::upper(s)
}

/// Lower case by Unicode's default mapping, as `str::to_lowercase`.
pub fn lower(s: &str) -> String {
    unicode::lower(s)
}

/// The first letter upper case, the rest as it is ("bên nam" → "Bên nam").
pub fn sentence_case(s: &str) -> String {
    match s.chars().next() {
        Some(c) => upper(&s[..c.len_utf8()]) + &s[c.len_utf8()..],
        None => String::new(),
    }
}

/// Search form: lowercase, no diacritics, đ → d ("Nguyễn Văn Đức" →
/// "nguyen van duc"), so clerks find people typing with or without marks.
pub fn fold(s: &str) -> String {
    lower(&unicode::strip_marks(s)).chars().map(|c| if c == 'đ' { 'd' } else { c }).collect()
}

/// ASCII slug for file names ("Giấy chứng sinh" → "giay-chung-sinh"):
/// package file names must survive every zip tool and portal.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        let c = match c {
            c if c.is_ascii_alphanumeric() => c,
            c if c.is_ascii() => '-',
            _ => continue, // anything non-Latin
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(not(target_arch = "wasm32"))]
mod unicode {
    use unicode_normalization::UnicodeNormalization;

    pub fn nfc(s: &str) -> String {
        s.nfc().collect()
    }

    pub fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    /// NFD without its combining marks ("Đức" → "Đuc").
    pub fn strip_marks(s: &str) -> String {
        s.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect()
    }

    pub fn upper(s: &str) -> String {
        s.to_uppercase()
    }

    pub fn lower(s: &str) -> String {
        s.to_lowercase()
    }
}

#[cfg(target_arch = "wasm32")]
mod unicode {
    use js_sys::{JsString, RegExp};

    fn normalize(s: &str, form: &str) -> String {
        if s.is_ascii() {
            return s.to_string();
        }
        JsString::from(s).normalize(form).into()
    }

    pub fn nfc(s: &str) -> String {
        normalize(s, "NFC")
    }

    pub fn nfd(s: &str) -> String {
        normalize(s, "NFD")
    }

    pub fn strip_marks(s: &str) -> String {
        if s.is_ascii() {
            return s.to_string();
        }
        let marks = RegExp::new("\\p{M}", "gu");
        JsString::from(s).normalize("NFD").replace_by_pattern(&marks, "").into()
    }

    // Rust's own case mapping would link core's case tables (24 KB).
    pub fn upper(s: &str) -> String {
        if s.is_ascii() {
            return s.to_ascii_uppercase();
        }
        JsString::from(s).to_upper_case().into()
    }

    pub fn lower(s: &str) -> String {
        if s.is_ascii() {
            return s.to_ascii_lowercase();
        }
        JsString::from(s).to_lower_case().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_makes_nfc_and_folds_spaces() {
        let nfd = "Nguye\u{0302}\u{0303}n  Va\u{0306}n\tAn ";
        assert_eq!(clean(nfd), "Nguyễn Văn An");
        assert_eq!(clean(nfd).chars().count(), 13);
    }

    #[test]
    fn case_mapping_and_sentence_case() {
        assert_eq!(upper("Ủy ban nhân dân xã Đông Hưng"), "ỦY BAN NHÂN DÂN XÃ ĐÔNG HƯNG");
        assert_eq!(lower("NỮ"), "nữ");
        assert_eq!(sentence_case("ủy quyền"), "Ủy quyền");
        assert_eq!(sentence_case("bên nam"), "Bên nam");
        assert_eq!(sentence_case(""), "");
    }

    #[test]
    fn person_name_capitalises_each_syllable() {
        assert_eq!(person_name("  trần   THỊ bích ngọc"), "Trần Thị Bích Ngọc");
        assert_eq!(person_name("đỗ đức"), "Đỗ Đức");
        assert_eq!(person_name("h'hen NIÊ"), "H'Hen Niê");
        assert_eq!(person_name("ksor h\u{2019}luông"), "Ksor H\u{2019}Luông");
        assert_eq!(person_name("y-bih aleo"), "Y-Bih Aleo");
        assert_eq!(person_name("Nguye\u{0302}\u{0303}n  văn an"), "Nguyễn Văn An");
    }

    #[test]
    fn fold_drops_marks_for_search() {
        assert_eq!(fold("Nguyễn Văn ĐỨC"), "nguyen van duc");
        assert_eq!(fold("Nguye\u{0302}\u{0303}n"), "nguyen");
        assert_eq!(fold("Hòa Bình"), fold("HOA BINH"));
    }

    #[test]
    fn slug_is_ascii() {
        assert_eq!(slug("Giấy chứng sinh"), "giay-chung-sinh");
        assert_eq!(slug("Tờ khai đăng ký khai sinh!"), "to-khai-dang-ky-khai-sinh");
        assert_eq!(slug("Đăng ký"), "dang-ky");
    }
}
