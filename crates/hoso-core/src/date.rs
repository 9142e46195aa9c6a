//! Calendar dates as Vietnamese documents write them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date (proleptic Gregorian), no time zone: dossiers live in UTC+7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Parses `dd/mm/yyyy` (what clerks type), `ddmmyyyy` (ID-card QR) or
    /// ISO `yyyy-mm-dd` (HTML date inputs).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let num = |a: &str| a.parse::<u32>().ok();
        if let [y, m, d] = s.split('-').collect::<Vec<_>>()[..] {
            if y.len() == 4 {
                return Date::new(num(y)? as i32, num(m)? as u8, num(d)? as u8);
            }
        }
        if let [d, m, y] = s.split('/').collect::<Vec<_>>()[..] {
            if y.len() == 4 {
                return Date::new(num(y)? as i32, num(m)? as u8, num(d)? as u8);
            }
        }
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Date::new(num(&s[4..])? as i32, num(&s[2..4])? as u8, num(&s[..2])? as u8);
        }
        None
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_from_epoch(self) -> i64 {
        // Howard Hinnant's civil-from-days inverse.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_from_epoch(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The official way of writing a date in a document body:
    /// "ngày 05 tháng 02 năm 2026" (Decree 30/2020).
    pub fn official(self) -> String {
        format!("ngày {:02} tháng {:02} năm {}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_spellings() {
        let d = Date::new(2026, 2, 5).unwrap();
        assert_eq!(Date::parse("05/02/2026"), Some(d));
        assert_eq!(Date::parse("05022026"), Some(d));
        assert_eq!(Date::parse("2026-02-05"), Some(d));
        assert_eq!(Date::parse("30/02/2026"), None);
        assert_eq!(Date::parse("29/02/2024").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("hôm qua"), None);
    }

    #[test]
    fn official_form_pads_day_and_month() {
        assert_eq!(Date::new(2026, 2, 5).unwrap().official(), "ngày 05 tháng 02 năm 2026");
    }

    #[test]
    fn epoch_days_round_trip_over_centuries() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_from_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().days_from_epoch(), 11_017);
        let mut prev = Date::from_days_from_epoch(-50_000);
        for z in -49_999..60_000 {
            let d = Date::from_days_from_epoch(z);
            assert_eq!(d.days_from_epoch(), z);
            assert!(d > prev, "{d} after {prev}");
            assert!(Date::new(d.year, d.month, d.day).is_some());
            prev = d;
        }
    }
}

/// Today's date at the counter: Vietnam is UTC+7 all year (no DST), so a
/// dossier received at 06:30 local time is dated today, not yesterday (UTC).
pub fn today_in_vietnam(unix_seconds: i64) -> Date {
    Date::from_days_from_epoch((unix_seconds + 7 * 3600).div_euclid(86_400))
}

#[cfg(test)]
mod vietnam_tests {
    use super::*;

    #[test]
    fn today_uses_utc_plus_7() {
        // 2026-11-22T23:30:00Z is already 23/11 in Hà Nội.
        assert_eq!(today_in_vietnam(1_795_390_200), Date::new(2026, 11, 23).unwrap());
        // Local midnight is 17:00Z the day before.
        assert_eq!(today_in_vietnam(1_795_390_200 - 23_400), Date::new(2026, 11, 23).unwrap());
        assert_eq!(today_in_vietnam(1_795_390_200 - 23_401), Date::new(2026, 11, 22).unwrap());
    }
}

/// "14:05 22/11/2026" in Vietnam time, for "last changed" columns.
pub fn vietnam_time_label(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000) + 7 * 3600;
    let minute_of_day = secs.rem_euclid(86_400) / 60;
    format!("{:02}:{:02} {}", minute_of_day / 60, minute_of_day % 60, today_in_vietnam(unix_ms.div_euclid(1000)))
}

#[cfg(test)]
mod label_tests {
    #[test]
    fn label_is_local_time() {
        // 2026-11-22T23:30:00Z → 06:30 on 23/11 in Hà Nội.
        assert_eq!(super::vietnam_time_label(1_795_390_200_000), "06:30 23/11/2026");
    }
}
