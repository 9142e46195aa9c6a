//! `data/calendar.json`: the holiday rules of the Labour Code, the working
//! hours, and each year's decisions (days off, make-up working Saturdays).
//! Provinces and yearly notices change this file, not code.

use crate::time::TimeOfDay;
use hoso_core::date::Date;
use hoso_core::i18n::Msg;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// The whole calendar file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarData {
    pub version: u32,
    #[serde(default)]
    pub notes: Vec<String>,
    /// Giờ làm việc — opening intervals of a working day, in order.
    pub working_hours: Vec<Interval>,
    /// A same-day dossier received after this time is due the next working day.
    pub same_day_cutoff: TimeOfDay,
    pub holidays: Vec<HolidayRule>,
    /// Decisions per Gregorian year ("2025": …).
    #[serde(default)]
    pub years: BTreeMap<String, YearDecisions>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

/// Ngày lễ — one statutory holiday (Labour Code 2019 Art. 112).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayRule {
    pub id: String,
    pub name: String,
    /// "MM-DD" of the Gregorian calendar …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solar: Option<MonthDay>,
    /// … or of the lunar calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lunar: Option<MonthDay>,
    /// Days off before and after the date (Tết: 1 before lunar 1/1, 3 after).
    #[serde(default)]
    pub days_before: u8,
    #[serde(default)]
    pub days_after: u8,
    /// One more day next to it, the day before or after (2/9): chosen by a
    /// year's `adjacent_days`, else the weekday rule in `holidays.rs`.
    #[serde(default)]
    pub adjacent_day: Option<YearRange>,
    #[serde(default)]
    pub from: Option<i32>,
    #[serde(default)]
    pub until: Option<i32>,
    #[serde(default)]
    pub compensation: Compensation,
    #[serde(default)]
    pub verify: bool,
    #[serde(default)]
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    pub from: i32,
}

/// Nghỉ bù — where the day off goes when a holiday falls on a weekend.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Compensation {
    /// Labour Code 2019 Art. 111(3): the next working day.
    #[default]
    NextWorkingDay,
    /// What the Tết notices of 2023–2025 did: a Saturday's day off moves to
    /// the working day before the holiday, a Sunday's to the one after, so
    /// the break stays in one piece.
    SaturdayBeforeSundayAfter,
}

/// One year's notices.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearDecisions {
    /// Holiday id → the adjacent day chosen that year (e.g. "national_day": "2025-09-01").
    #[serde(default)]
    pub adjacent_days: BTreeMap<String, IsoDate>,
    /// Days off beyond the statutory holidays and computed compensation.
    #[serde(default)]
    pub extra_days_off: Vec<DayNote>,
    /// Days that are working days although the rules say otherwise (make-up Saturdays).
    #[serde(default)]
    pub working_days: Vec<DayNote>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub verify: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayNote {
    pub date: IsoDate,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub verify: bool,
}

/// A `Date` written "YYYY-MM-DD" in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct IsoDate(pub Date);

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        (s.len() == 10)
            .then(|| Date::parse(&s))
            .flatten()
            .map(IsoDate)
            .ok_or_else(|| serde::de::Error::custom(format!("\"{s}\" không phải ngày YYYY-MM-DD")))
    }
}

/// "MM-DD" of a holiday, Gregorian or lunar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthDay {
    pub month: u8,
    pub day: u8,
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:02}-{:02}", self.month, self.day))
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let parsed =
            s.split_once('-').and_then(|(m, d)| Some(MonthDay { month: m.parse().ok()?, day: d.parse().ok()? }));
        parsed
            .filter(|md| (1..=12).contains(&md.month) && (1..=31).contains(&md.day))
            .ok_or_else(|| serde::de::Error::custom(format!("\"{s}\" không phải dạng MM-DD")))
    }
}

/// Why a calendar file was refused: which year and field, for the clerk who edits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// Not JSON, or a field of the wrong shape (serde's words, with line and column).
    Syntax(String),
    /// A value that parses but contradicts the rules.
    Invalid { year: Option<i32>, field: String, value: String },
}

impl CalendarError {
    pub fn msg(&self) -> Msg {
        match self {
            CalendarError::Syntax(why) => Msg::CalendarSyntax(why.clone()),
            CalendarError::Invalid { year, field, value } => {
                Msg::CalendarInvalid { year: *year, field: field.clone(), value: value.clone() }
            }
        }
    }
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().vi())
    }
}

impl std::error::Error for CalendarError {}

fn invalid(year: Option<i32>, field: impl Into<String>, value: impl ToString) -> CalendarError {
    CalendarError::Invalid { year, field: field.into(), value: value.to_string() }
}

impl CalendarData {
    pub fn from_json(text: &str) -> Result<CalendarData, CalendarError> {
        let data: CalendarData = serde_json::from_str(text).map_err(|e| CalendarError::Syntax(e.to_string()))?;
        data.check()?;
        Ok(data)
    }

    /// The parsed year keys with their decisions.
    pub fn year_decisions(&self) -> impl Iterator<Item = (i32, &YearDecisions)> {
        self.years.iter().filter_map(|(k, v)| Some((k.parse().ok()?, v)))
    }

    fn check(&self) -> Result<(), CalendarError> {
        if self.version != 1 {
            return Err(invalid(None, "version", self.version));
        }
        let mut previous_end = TimeOfDay::MIDNIGHT;
        for (i, interval) in self.working_hours.iter().enumerate() {
            if interval.start >= interval.end || (i > 0 && interval.start < previous_end) {
                return Err(invalid(
                    None,
                    format!("working_hours[{i}]"),
                    format!("{}–{}", interval.start, interval.end),
                ));
            }
            previous_end = interval.end;
        }
        let (Some(first), Some(last)) = (self.working_hours.first(), self.working_hours.last()) else {
            return Err(invalid(None, "working_hours", "[]"));
        };
        if self.same_day_cutoff < first.start || self.same_day_cutoff > last.end {
            return Err(invalid(None, "same_day_cutoff", self.same_day_cutoff));
        }
        for rule in &self.holidays {
            if rule.solar.is_some() == rule.lunar.is_some() {
                return Err(invalid(None, format!("holidays.{}", rule.id), "cần đúng một trong solar, lunar"));
            }
        }
        for (key, decisions) in &self.years {
            let year: i32 = key.parse().map_err(|_| invalid(None, "years", key))?;
            if !crate::lunar::SUPPORTED_YEARS.contains(&year) {
                return Err(invalid(None, "years", key));
            }
            let all = decisions.extra_days_off.iter().map(|n| ("extra_days_off", n.date));
            let all = all.chain(decisions.working_days.iter().map(|n| ("working_days", n.date)));
            for (field, IsoDate(date)) in all.chain(decisions.adjacent_days.values().map(|d| ("adjacent_days", *d))) {
                if date.year != year {
                    return Err(invalid(Some(year), field, IsoDate(date).to_string()));
                }
            }
            for (id, IsoDate(date)) in &decisions.adjacent_days {
                let rule = self.holidays.iter().find(|r| &r.id == id && r.adjacent_day.is_some() && r.solar.is_some());
                let ok = rule.is_some_and(|r| {
                    let base = r.solar.expect("checked");
                    date.month == base.month && date.day.abs_diff(base.day) == 1
                });
                if !ok {
                    return Err(invalid(Some(year), format!("adjacent_days.{id}"), IsoDate(*date).to_string()));
                }
            }
            let statutory = crate::holidays::statutory(self, year);
            for IsoDate(date) in decisions.working_days.iter().map(|n| n.date) {
                let clash = statutory.iter().any(|h| h.date == date)
                    || decisions.extra_days_off.iter().any(|n| n.date.0 == date);
                if clash {
                    return Err(invalid(Some(year), "working_days", IsoDate(date).to_string()));
                }
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year, self.0.month, self.0.day)
    }
}
