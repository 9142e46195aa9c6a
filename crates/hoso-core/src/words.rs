//! Số và ngày bằng chữ — numbers and dates written out in Vietnamese words,
//! as civil-status papers print a date of birth next to its digits.
//!
//! Choices (each is one of two accepted spellings; documents must not mix):
//! - a zero tens digit inside a number is "linh" (105 → "một trăm linh
//!   năm"), the northern and administrative usage, not "lẻ";
//! - thousands are "nghìn", not "ngàn";
//! - 1 after a tens word of twenty or more is "mốt" (21 → "hai mươi mốt"),
//!   but "một" after "mười" (11 → "mười một");
//! - 5 after any tens word is "lăm" (15 → "mười lăm", 25 → "hai mươi lăm"),
//!   but "năm" after "linh" (105) or alone;
//! - 4 after a tens word stays "bốn" (24 → "hai mươi bốn"): the colloquial
//!   "tư" is avoided in documents;
//! - a group of three digits after a higher group keeps its zero hundreds
//!   (2026 → "hai nghìn không trăm hai mươi sáu"); all-zero groups are
//!   skipped (1 000 005 → "một triệu không trăm linh năm").

use crate::date::Date;

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// `n` in words: 2026 → "hai nghìn không trăm hai mươi sáu".
pub fn number(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    // Billions repeat ("một nghìn tỷ", "một tỷ tỷ"): the part above a
    // billion is itself a number.
    const BILLION: u64 = 1_000_000_000;
    let (high, low) = (n / BILLION, n % BILLION);
    let mut parts: Vec<String> = Vec::new();
    if high > 0 {
        parts.push(format!("{} tỷ", number(high)));
    }
    let groups = [(low / 1_000_000, "triệu"), (low / 1_000 % 1_000, "nghìn"), (low % 1_000, "")];
    for (group, scale) in groups {
        if group == 0 {
            continue;
        }
        let full = !parts.is_empty();
        let words = hundreds(group as u16, full);
        parts.push(if scale.is_empty() { words } else { format!("{words} {scale}") });
    }
    parts.join(" ")
}

/// 1..=999; `full` when a higher group precedes (then "không trăm", "linh").
fn hundreds(n: u16, full: bool) -> String {
    let (h, t, u) = ((n / 100) as usize, (n / 10 % 10) as usize, (n % 10) as usize);
    let mut out: Vec<&str> = Vec::new();
    if h > 0 || full {
        out.extend([DIGITS[h], "trăm"]);
    }
    match t {
        0 if u > 0 && !out.is_empty() => out.push("linh"),
        0 => {}
        1 => out.push("mười"),
        _ => out.extend([DIGITS[t], "mươi"]),
    }
    let unit = match (t, u) {
        (_, 0) => None,
        (2..=9, 1) => Some("mốt"),
        (1..=9, 5) => Some("lăm"),
        _ => Some(DIGITS[u]),
    };
    out.extend(unit);
    out.join(" ")
}

/// A date in words as on a birth-registration paper:
/// "Ngày mười lăm, tháng tám, năm hai nghìn không trăm hai mươi sáu".
/// Days 1–10 take "mồng" ("Ngày mồng năm"), as dates are read aloud; months
/// are counted (January is "tháng một": "giêng" names the lunar month),
/// except April, whose name is "tháng tư".
pub fn date(d: Date) -> String {
    let day = number(u64::from(d.day));
    let day = if d.day <= 10 { format!("mồng {day}") } else { day };
    let month = match d.month {
        4 => "tư".to_string(),
        m => number(u64::from(m)),
    };
    format!("Ngày {day}, tháng {month}, năm {}", number(d.year.max(0) as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_tens() {
        let expect = [
            (0, "không"),
            (1, "một"),
            (4, "bốn"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi bốn"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
        ];
        for (n, words) in expect {
            assert_eq!(number(n), words, "{n}");
        }
    }

    #[test]
    fn hundreds_use_linh_for_a_zero_ten() {
        assert_eq!(number(100), "một trăm");
        assert_eq!(number(101), "một trăm linh một");
        assert_eq!(number(105), "một trăm linh năm");
        assert_eq!(number(110), "một trăm mười");
        assert_eq!(number(111), "một trăm mười một");
        assert_eq!(number(115), "một trăm mười lăm");
        assert_eq!(number(121), "một trăm hai mươi mốt");
        assert_eq!(number(999), "chín trăm chín mươi chín");
    }

    #[test]
    fn years_keep_zero_hundreds() {
        assert_eq!(number(2026), "hai nghìn không trăm hai mươi sáu");
        assert_eq!(number(2005), "hai nghìn không trăm linh năm");
        assert_eq!(number(2000), "hai nghìn");
        assert_eq!(number(2010), "hai nghìn không trăm mười");
        assert_eq!(number(2015), "hai nghìn không trăm mười lăm");
        assert_eq!(number(2021), "hai nghìn không trăm hai mươi mốt");
        assert_eq!(number(1995), "một nghìn chín trăm chín mươi lăm");
        assert_eq!(number(1900), "một nghìn chín trăm");
    }

    #[test]
    fn large_numbers_and_fees() {
        assert_eq!(number(200_000), "hai trăm nghìn");
        assert_eq!(number(15_000), "mười lăm nghìn");
        assert_eq!(number(1_000_005), "một triệu không trăm linh năm");
        assert_eq!(number(1_005_000), "một triệu không trăm linh năm nghìn");
        assert_eq!(number(21_000_001), "hai mươi mốt triệu không trăm linh một");
        assert_eq!(number(1_000_000_000), "một tỷ");
        assert_eq!(number(2_000_000_150), "hai tỷ một trăm năm mươi");
        assert_eq!(number(2_000_000_050), "hai tỷ không trăm năm mươi");
        assert_eq!(number(1_000_000_000_000), "một nghìn tỷ");
        // Never a double space, never empty, for a spread of values.
        for n in (0..200_000u64).step_by(7).chain([u64::MAX]) {
            let w = number(n);
            assert!(!w.is_empty() && !w.contains("  ") && w == w.trim(), "{n}: {w:?}");
        }
    }

    #[test]
    fn dates_as_birth_papers_write_them() {
        let d = |y, m, day| Date::new(y, m, day).unwrap();
        assert_eq!(date(d(2026, 8, 15)), "Ngày mười lăm, tháng tám, năm hai nghìn không trăm hai mươi sáu");
        assert_eq!(date(d(2026, 2, 5)), "Ngày mồng năm, tháng hai, năm hai nghìn không trăm hai mươi sáu");
        assert_eq!(date(d(2024, 4, 10)), "Ngày mồng mười, tháng tư, năm hai nghìn không trăm hai mươi bốn");
        assert_eq!(date(d(1990, 12, 31)), "Ngày ba mươi mốt, tháng mười hai, năm một nghìn chín trăm chín mươi");
        assert_eq!(date(d(2001, 1, 21)), "Ngày hai mươi mốt, tháng một, năm hai nghìn không trăm linh một");
        assert_eq!(date(d(2025, 11, 25)), "Ngày hai mươi lăm, tháng mười một, năm hai nghìn không trăm hai mươi lăm");
    }
}
