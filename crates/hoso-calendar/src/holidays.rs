//! Ngày nghỉ lễ, tết — the days off of one year: statutory holidays,
//! compensation for those on a weekend, and the year's own decisions.

use crate::data::{CalendarData, Compensation, HolidayRule, IsoDate};
use crate::lunar::lunar_to_solar;
use crate::time::Weekday;
use hoso_core::date::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Why a weekday is not worked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOffKind {
    /// A statutory holiday (Labour Code 2019 Art. 112).
    Holiday,
    /// Nghỉ bù — instead of a holiday that fell on a weekend.
    Compensation,
    /// Nghỉ hoán đổi or other days off decided for the year.
    Decided,
}

/// One day off with the holiday it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayOff {
    #[serde(serialize_with = "iso")]
    pub date: Date,
    pub kind: DayOffKind,
    /// Holiday id, e.g. "tet", "national_day"; "decided" for a year's extra days.
    pub holiday: String,
    pub name: String,
}

fn iso<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&IsoDate(*date), s)
}

/// Holidays in force in `year`, by the rules alone (no yearly decisions
/// except the choice of the adjacent day), in date order.
pub fn statutory(data: &CalendarData, year: i32) -> Vec<DayOff> {
    let decisions = data.years.get(&year.to_string());
    let mut days = Vec::new();
    for rule in data.holidays.iter().filter(|r| r.from.is_none_or(|f| year >= f) && r.until.is_none_or(|u| year <= u)) {
        let Some(base) = base_date(rule, year) else {
            continue;
        };
        let z = base.days_from_epoch();
        let mut add = |date: Date| {
            days.push(DayOff { date, kind: DayOffKind::Holiday, holiday: rule.id.clone(), name: rule.name.clone() })
        };
        for offset in -i64::from(rule.days_before)..=i64::from(rule.days_after) {
            add(Date::from_days_from_epoch(z + offset));
        }
        if rule.adjacent_day.is_some_and(|r| year >= r.from) {
            let chosen = decisions.and_then(|d| d.adjacent_days.get(&rule.id)).map(|d| d.0);
            add(chosen.unwrap_or_else(|| default_adjacent_day(base)));
        }
    }
    hoso_core::sort::sort_by_key(&mut days, |d| d.date);
    days.dedup_by_key(|d| d.date);
    days
}

fn base_date(rule: &HolidayRule, year: i32) -> Option<Date> {
    match (rule.solar, rule.lunar) {
        (Some(md), _) => Date::new(year, md.month, md.day),
        (None, Some(md)) => lunar_to_solar(year, md.month, md.day, false),
        (None, None) => None,
    }
}

/// The adjacent day when no notice chose one: the side that joins the
/// holiday to a weekend. It reproduces every choice of 2021–2026
/// (Thu → Fri 3/9, Fri/Sat → 1/9, Mon → Tue 3/9, Tue/Wed → 1/9).
fn default_adjacent_day(base: Date) -> Date {
    let z = base.days_from_epoch();
    let offset = match Weekday::of(base) {
        Weekday::Monday | Weekday::Thursday | Weekday::Sunday => 1,
        _ => -1,
    };
    Date::from_days_from_epoch(z + offset)
}

/// All days off of `year` that are not on a weekend anyway, plus the
/// working days decided for the year (make-up Saturdays).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearDaysOff {
    pub days_off: BTreeMap<Date, DayOff>,
    pub working_days: BTreeSet<Date>,
}

impl YearDaysOff {
    pub fn compute(data: &CalendarData, year: i32) -> YearDaysOff {
        let holidays = statutory(data, year);
        let rule_of = |id: &str| {
            data.holidays.iter().find(|r| r.id == id).map_or(Compensation::NextWorkingDay, |r| r.compensation)
        };
        let mut days_off: BTreeMap<Date, DayOff> = hoso_core::sort::map_of(holidays.iter().map(|h| (h.date, h.clone())));
        // A weekday that is not yet off can take a compensation day.
        let free = |days_off: &BTreeMap<Date, DayOff>, z: i64| {
            let d = Date::from_days_from_epoch(z);
            (!Weekday::of(d).is_weekend() && !days_off.contains_key(&d)).then_some(d)
        };
        for h in holidays.iter().filter(|h| Weekday::of(h.date).is_weekend()) {
            let z = h.date.days_from_epoch();
            let backwards = rule_of(&h.holiday) == Compensation::SaturdayBeforeSundayAfter
                && Weekday::of(h.date) == Weekday::Saturday;
            let step = if backwards { -1 } else { 1 };
            let target = (1..).find_map(|i| free(&days_off, z + step * i)).expect("a weekday comes within a week");
            days_off.insert(target, DayOff { kind: DayOffKind::Compensation, ..h.clone() }.at(target));
        }
        let mut working_days = BTreeSet::new();
        if let Some(decisions) = data.years.get(&year.to_string()) {
            for note in &decisions.extra_days_off {
                let name = if note.note.is_empty() {
                    "Ngày nghỉ theo quyết định".to_string()
                } else {
                    note.note.clone()
                };
                days_off.insert(
                    note.date.0,
                    DayOff { date: note.date.0, kind: DayOffKind::Decided, holiday: "decided".into(), name },
                );
            }
            for note in &decisions.working_days {
                days_off.remove(&note.date.0);
                working_days.insert(note.date.0);
            }
        }
        YearDaysOff { days_off, working_days }
    }

    /// Ngày làm việc — whether `date` (of this year) is worked.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.working_days.contains(&date) || !(Weekday::of(date).is_weekend() || self.days_off.contains_key(&date))
    }
}

impl DayOff {
    fn at(mut self, date: Date) -> DayOff {
        self.date = date;
        self
    }
}
