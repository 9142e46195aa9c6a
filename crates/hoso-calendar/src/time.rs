//! Local date-times at the counter (UTC+7, no daylight saving) and
//! weekdays, with the Vietnamese way of writing them.

use hoso_core::date::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Seconds east of UTC for Vietnam.
pub const VIETNAM_OFFSET_SECONDS: i64 = 7 * 3600;

/// A time of day, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u32);

impl TimeOfDay {
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);

    pub fn new(hour: u8, minute: u8, second: u8) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60 && second < 60)
            .then(|| TimeOfDay(u32::from(hour) * 3600 + u32::from(minute) * 60 + u32::from(second)))
    }

    pub fn hour(self) -> u8 {
        (self.0 / 3600) as u8
    }

    pub fn minute(self) -> u8 {
        (self.0 / 60 % 60) as u8
    }

    pub fn second(self) -> u8 {
        (self.0 % 60) as u8
    }

    pub fn seconds(self) -> u32 {
        self.0
    }

    /// "HH:MM" or "HH:MM:SS".
    pub fn parse(s: &str) -> Option<TimeOfDay> {
        let mut parts = s.split(':');
        let mut field = || -> Option<u8> {
            let p = parts.next()?;
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
        };
        let (hour, minute) = (field()?, field()?);
        let second = if s.len() > 5 { field()? } else { 0 };
        (s.len() == 5 || s.len() == 8).then_some(())?;
        TimeOfDay::new(hour, minute, second)
    }
}

impl fmt::Display for TimeOfDay {
    /// "17:00", or "17:00:05" when seconds matter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())?;
        if self.second() != 0 {
            write!(f, ":{:02}", self.second())?;
        }
        Ok(())
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TimeOfDay::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("\"{s}\" không phải giờ HH:MM")))
    }
}

/// Thứ — day of the week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl Weekday {
    pub fn of(date: Date) -> Weekday {
        // 1970-01-01 was a Thursday.
        const ORDER: [Weekday; 7] = [
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
        ];
        ORDER[date.days_from_epoch().rem_euclid(7) as usize]
    }

    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Saturday | Weekday::Sunday)
    }

    /// "thứ Hai" … "thứ Bảy", "Chủ nhật", as written inside a sentence.
    pub fn vi(self) -> &'static str {
        match self {
            Weekday::Monday => "thứ Hai",
            Weekday::Tuesday => "thứ Ba",
            Weekday::Wednesday => "thứ Tư",
            Weekday::Thursday => "thứ Năm",
            Weekday::Friday => "thứ Sáu",
            Weekday::Saturday => "thứ Bảy",
            Weekday::Sunday => "Chủ nhật",
        }
    }
}

/// A wall-clock time in Vietnam (UTC+7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    pub date: Date,
    pub time: TimeOfDay,
}

impl LocalDateTime {
    pub fn new(date: Date, time: TimeOfDay) -> LocalDateTime {
        LocalDateTime { date, time }
    }

    /// From seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix(seconds: i64) -> LocalDateTime {
        let local = seconds + VIETNAM_OFFSET_SECONDS;
        LocalDateTime {
            date: Date::from_days_from_epoch(local.div_euclid(86_400)),
            time: TimeOfDay(local.rem_euclid(86_400) as u32),
        }
    }

    pub fn to_unix(self) -> i64 {
        self.date.days_from_epoch() * 86_400 + i64::from(self.time.0) - VIETNAM_OFFSET_SECONDS
    }

    /// ISO 8601 `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]`; other offsets are
    /// converted to Vietnam time, no offset means Vietnam time already.
    pub fn parse_iso(s: &str) -> Option<LocalDateTime> {
        let s = s.trim();
        let (date, rest) = s.split_once(['T', ' '])?;
        let date = (date.len() == 10).then(|| Date::parse(date)).flatten()?;
        let (clock, offset) = if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
            (clock, Some(0))
        } else if let Some(i) = rest.rfind(['+', '-']) {
            let (clock, zone) = rest.split_at(i);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let zone = &zone[1..];
            let (h, m) = zone.split_once(':').unwrap_or((zone.get(..2)?, zone.get(2..)?));
            let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 14 && m < 60 && zone.len() >= 4).then_some(())?;
            (clock, Some(sign * (h * 3600 + m * 60)))
        } else {
            (rest, None)
        };
        let time = TimeOfDay::parse(clock)?;
        let as_written = LocalDateTime { date, time };
        Some(match offset {
            Some(offset) => LocalDateTime::from_unix(as_written.to_unix() + VIETNAM_OFFSET_SECONDS - offset),
            None => as_written,
        })
    }

    /// "2026-11-26T17:00:00+07:00".
    pub fn to_iso(self) -> String {
        let (d, t) = (self.date, self.time);
        format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00", d.year, d.month, d.day, t.hour(), t.minute(), t.second())
    }

    /// "17:00, thứ Năm, ngày 26 tháng 11 năm 2026" — as a receipt writes an appointment.
    pub fn vietnamese(self) -> String {
        format!("{}, {}, {}", self.time, Weekday::of(self.date).vi(), self.date.official())
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> LocalDateTime {
        LocalDateTime::parse_iso(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn weekdays() {
        assert_eq!(Weekday::of(Date::new(2026, 11, 26).unwrap()), Weekday::Thursday);
        assert_eq!(Weekday::of(Date::new(2025, 4, 26).unwrap()), Weekday::Saturday);
        assert_eq!(Weekday::of(Date::new(1900, 1, 1).unwrap()), Weekday::Monday);
    }

    #[test]
    fn parses_offsets_into_vietnam_time() {
        let local = at("2026-11-23T14:00:00+07:00");
        assert_eq!(local.to_iso(), "2026-11-23T14:00:00+07:00");
        assert_eq!(at("2026-11-23T07:00:00Z"), local);
        assert_eq!(at("2026-11-23T15:00:00+08:00"), local);
        assert_eq!(at("2026-11-22T23:00:00-08:00"), local);
        assert_eq!(at("2026-11-23T14:00"), local);
        assert_eq!(at("2026-11-23T12:30:00+0530").to_iso(), "2026-11-23T14:00:00+07:00");
        // 20:00 UTC on 31 December is already New Year's Day in Hà Nội.
        assert_eq!(at("2025-12-31T20:00:00Z").to_iso(), "2026-01-01T03:00:00+07:00");
        for bad in [
            "2026-11-23",
            "2026-13-01T10:00",
            "2026-11-23T24:00",
            "2026-11-23T10:00+25:00",
            "hôm nay",
            "2026-11-23T1:00",
        ] {
            assert_eq!(LocalDateTime::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn vietnamese_form() {
        assert_eq!(at("2026-11-26T17:00:00+07:00").vietnamese(), "17:00, thứ Năm, ngày 26 tháng 11 năm 2026");
        assert_eq!(at("2026-02-01T07:30:00+07:00").vietnamese(), "07:30, Chủ nhật, ngày 01 tháng 02 năm 2026");
    }
}
