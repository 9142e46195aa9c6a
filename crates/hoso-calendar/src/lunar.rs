//! Âm lịch — the Vietnamese lunisolar calendar.
//!
//! Rules (the traditional Chinese rules, evaluated for UTC+7 as Vietnam has
//! done since 1968): a month starts on the local day of a new moon; month 11
//! contains the winter solstice; when 13 months lie between two months 11,
//! the first of them without a major solar term (Sun longitude a multiple of
//! 30°) is the leap month and repeats the number before it. Because days are
//! cut at UTC+7 rather than UTC+8, some years differ from China's calendar
//! (Tết 1985 on 21 January, Tết 2007 on 17 February).

use crate::astro;
use hoso_core::date::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Vietnam's offset from UTC, in hours (no daylight saving).
pub const VIETNAM_OFFSET_HOURS: f64 = 7.0;

/// Ngày âm lịch — a date of the lunar calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    /// The lunar year, named by the Gregorian year in which its month 1 starts.
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Tháng nhuận — this month repeats the number of the month before it.
    pub leap: bool,
}

impl fmt::Display for LunarDate {
    /// "10/3 âm lịch", "15/4 nhuận âm lịch" (year left to the caller).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let leap = if self.leap { " nhuận" } else { "" };
        write!(f, "{}/{}{leap} âm lịch năm {}", self.day, self.month, self.year)
    }
}

/// The years the conversions are checked for (tests cover them all).
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Local day (days since 1970-01-01, UTC+7) of new moon number `k`.
fn new_moon_day(k: i64) -> i64 {
    astro::local_day(astro::new_moon(k), VIETNAM_OFFSET_HOURS)
}

/// Which 30° sector of longitude the Sun is in at local midnight opening `day`.
fn sun_sector(day: i64) -> i64 {
    (astro::sun_longitude(astro::local_midnight_jde(day, VIETNAM_OFFSET_HOURS)) / 30.0).floor() as i64
}

/// Lunation number and local start day of month 11 of the lunar year that
/// contains December of Gregorian `year`: the month holding the solstice.
fn month_eleven(year: i32) -> (i64, i64) {
    let guess = astro::JD_EPOCH + Date::new(year, 12, 21).expect("valid").days_from_epoch() as f64;
    let solstice = astro::sun_reaches(270.0, guess);
    let solstice_day = astro::local_day(solstice, VIETNAM_OFFSET_HOURS);
    let mut k = astro::lunation_before(solstice);
    while new_moon_day(k) > solstice_day {
        k -= 1;
    }
    while new_moon_day(k + 1) <= solstice_day {
        k += 1;
    }
    (k, new_moon_day(k))
}

/// The months from month 11 of lunar year `year - 1` to (excluding) month
/// 11 of lunar year `year`: 12 months, or 13 with a leap month.
#[derive(Debug)]
struct Span {
    /// Start days of each month plus the start of the next month 11.
    starts: Vec<i64>,
    /// Index in `starts` of the leap month, if any.
    leap: Option<usize>,
}

impl Span {
    /// `year` names the Gregorian year whose December closes the span.
    fn new(year: i32) -> Span {
        let (k_begin, _) = month_eleven(year - 1);
        let (k_end, _) = month_eleven(year);
        let starts: Vec<i64> = (k_begin..=k_end).map(new_moon_day).collect();
        let leap = (starts.len() == 14)
            .then(|| (1..13).find(|&i| sun_sector(starts[i]) == sun_sector(starts[i + 1])))
            .flatten();
        Span { starts, leap }
    }

    /// Month number, leap flag and lunar year of the month at `index`.
    fn label(&self, index: usize, year: i32) -> (u8, bool, i32) {
        let shift = usize::from(self.leap.is_some_and(|l| index >= l));
        let number = (10 + index - shift) % 12 + 1;
        let lunar_year = if number >= 11 && index < 3 { year - 1 } else { year };
        (number as u8, self.leap == Some(index), lunar_year)
    }
}

/// Converts a Gregorian date to the Vietnamese lunar calendar.
pub fn solar_to_lunar(date: Date) -> LunarDate {
    let day = date.days_from_epoch();
    let mut span = Span::new(date.year);
    let mut year = date.year;
    if day >= *span.starts.last().expect("non-empty") {
        span = Span::new(date.year + 1);
        year += 1;
    }
    let index = span.starts.iter().rposition(|&s| s <= day).expect("the span starts before December");
    let (month, leap, year) = span.label(index, year);
    LunarDate { year, month, day: (day - span.starts[index] + 1) as u8, leap }
}

/// Converts a lunar date to the Gregorian calendar; `None` when that month
/// is not leap that year or the day is past the month's 29 or 30 days.
pub fn lunar_to_solar(year: i32, month: u8, day: u8, leap: bool) -> Option<Date> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let span_year = if month >= 11 { year + 1 } else { year };
    let span = Span::new(span_year);
    let index = (0..span.starts.len() - 1).find(|&i| {
        let (m, l, y) = span.label(i, span_year);
        m == month && l == leap && y == year
    })?;
    let length = span.starts[index + 1] - span.starts[index];
    (i64::from(day) <= length).then(|| Date::from_days_from_epoch(span.starts[index] + i64::from(day) - 1))
}

/// Tết Nguyên đán — the first day of lunar year `year`.
pub fn lunar_new_year(year: i32) -> Date {
    lunar_to_solar(year, 1, 1, false).expect("month 1 always exists")
}

/// The leap month of lunar year `year`, if it has one.
pub fn leap_month(year: i32) -> Option<u8> {
    // Leap months 11 and 12 sit in the span closed by the next December.
    [Span::new(year), Span::new(year + 1)].iter().zip([year, year + 1]).find_map(|(span, span_year)| {
        let index = span.leap?;
        let (month, _, y) = span.label(index, span_year);
        (y == year).then_some(month)
    })
}

/// Days in lunar month `month` (leap or not) of `year`: 29 or 30.
pub fn month_length(year: i32, month: u8, leap: bool) -> Option<u8> {
    let first = lunar_to_solar(year, month, 1, leap)?;
    let next = solar_to_lunar(Date::from_days_from_epoch(first.days_from_epoch() + 29));
    Some(if next.day == 1 { 29 } else { 30 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    /// Tết dates as published in Vietnamese calendars (UTC+7).
    const TET: [(i32, u8, u8); 40] = [
        (1900, 1, 31),
        (1910, 2, 10),
        (1920, 2, 20),
        (1930, 1, 30),
        (1945, 2, 13),
        (1954, 2, 3),
        (1968, 1, 29),
        (1975, 2, 11),
        (1979, 1, 28),
        (1984, 2, 2),
        (1985, 1, 21),
        (1986, 2, 9),
        (1990, 1, 27),
        (1995, 1, 31),
        (2000, 2, 5),
        (2001, 1, 24),
        (2002, 2, 12),
        (2003, 2, 1),
        (2004, 1, 22),
        (2005, 2, 9),
        (2006, 1, 29),
        (2007, 2, 17),
        (2008, 2, 7),
        (2009, 1, 26),
        (2010, 2, 14),
        (2011, 2, 3),
        (2012, 1, 23),
        (2013, 2, 10),
        (2014, 1, 31),
        (2015, 2, 19),
        (2016, 2, 8),
        (2017, 1, 28),
        (2018, 2, 16),
        (2019, 2, 5),
        (2020, 1, 25),
        (2021, 2, 12),
        (2022, 2, 1),
        (2023, 1, 22),
        (2024, 2, 10),
        (2025, 1, 29),
    ];

    #[test]
    fn lunar_new_year_matches_published_dates() {
        for (y, m, day) in TET.iter().copied().chain([
            (2026, 2, 17),
            (2027, 2, 6),
            (2028, 1, 26),
            (2029, 2, 13),
            (2050, 1, 23),
            (2100, 2, 9),
        ]) {
            assert_eq!(lunar_new_year(y), d(y, m, day), "Tết {y}");
        }
    }

    #[test]
    fn vietnam_differs_from_china_where_utc7_moves_a_new_moon() {
        // Years whose Tết differs from China's (UTC+8) date, in brackets.
        for (y, m, day) in [
            (1903, 1, 28), // [29/1]
            (1916, 2, 3),  // [4/2]
            (1935, 2, 3),  // [4/2]
            (1965, 2, 1),  // [2/2]
            (1968, 1, 29), // [30/1], the Tết Mậu Thân offensive
            (1969, 2, 16), // [17/2]
            (1985, 1, 21), // [20/2]: a whole month apart
            (2007, 2, 17), // [18/2]
            (2030, 2, 2),  // [3/2]
            (2053, 2, 18), // [19/2]
        ] {
            assert_eq!(lunar_new_year(y), d(y, m, day), "Tết {y}");
        }
        let eve = solar_to_lunar(d(1985, 1, 20));
        assert_eq!((eve.year, eve.month, eve.leap), (1984, 12, false));
    }

    #[test]
    fn hung_kings_day_is_10_3_lunar() {
        for (y, m, day) in [
            (2019, 4, 14),
            (2020, 4, 2),
            (2021, 4, 21),
            (2022, 4, 10),
            (2023, 4, 29),
            (2024, 4, 18),
            (2025, 4, 7),
            (2026, 4, 26),
        ] {
            assert_eq!(lunar_to_solar(y, 3, 10, false), Some(d(y, m, day)), "Giỗ Tổ {y}");
        }
    }

    #[test]
    fn leap_months_of_recent_years() {
        for (y, m) in [
            (2001, Some(4)),
            (2004, Some(2)),
            (2006, Some(7)),
            (2009, Some(5)),
            (2012, Some(4)),
            (2014, Some(9)),
            (2017, Some(6)),
            (2020, Some(4)),
            (2023, Some(2)),
            (2025, Some(6)),
            (2024, None),
            (2026, None),
            (2028, Some(5)),
        ] {
            assert_eq!(leap_month(y), m, "leap month of {y}");
        }
        // Leap 4th month of 2020 began 23/5/2020.
        assert_eq!(lunar_to_solar(2020, 4, 1, true), Some(d(2020, 5, 23)));
        assert_eq!(lunar_to_solar(2021, 4, 1, true), None);
    }

    #[test]
    fn month_lengths_and_invalid_days() {
        // The last month of Giáp Thìn (2024) had 29 days: Tết Ất Tỵ came after 29 Chạp.
        assert_eq!(month_length(2024, 12, false), Some(29));
        assert_eq!(lunar_to_solar(2024, 12, 30, false), None);
        assert_eq!(lunar_to_solar(2024, 12, 29, false), Some(d(2025, 1, 28)));
        assert_eq!(month_length(2023, 12, false), Some(30));
        assert_eq!(lunar_to_solar(2025, 13, 1, false), None);
    }

    #[test]
    fn known_conversions_both_ways() {
        let cases = [
            (d(2025, 9, 6), LunarDate { year: 2025, month: 7, day: 15, leap: false }),
            (d(2025, 7, 25), LunarDate { year: 2025, month: 6, day: 1, leap: true }),
            (d(2024, 2, 9), LunarDate { year: 2023, month: 12, day: 30, leap: false }),
            (d(2000, 1, 1), LunarDate { year: 1999, month: 11, day: 25, leap: false }),
        ];
        for (solar, lunar) in cases {
            assert_eq!(solar_to_lunar(solar), lunar, "{solar}");
            assert_eq!(lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap), Some(solar));
        }
    }

    #[test]
    fn every_year_has_twelve_or_thirteen_months_of_29_or_30_days() {
        for y in SUPPORTED_YEARS {
            let span = Span::new(y);
            let n = span.starts.len() - 1;
            assert!(n == 12 || n == 13, "{y}: {n} months");
            assert_eq!(span.leap.is_some(), n == 13, "{y}");
            for w in span.starts.windows(2) {
                assert!(matches!(w[1] - w[0], 29 | 30), "{y}");
            }
        }
    }
}
