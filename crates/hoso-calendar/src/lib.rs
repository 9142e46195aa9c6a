//! Lịch làm việc — the working-day calendar of a one-stop counter: the
//! Vietnamese lunar calendar, public holidays, and the appointment (due)
//! date of a dossier.
//!
//! Pure functions on plain data: no I/O, no clock. The caller passes the
//! time a dossier was received; the rules and each year's decisions come
//! from `data/calendar.json` (embedded) or a file the caller read.
//!
//! ## Counting convention
//! * A limit of *n* working days does not count the day of receipt (Civil
//!   Code 2015 Art. 147(2): "ngày đầu tiên của thời hạn không được tính") and
//!   ends at the close of the n-th working day after it (Art. 148(1)). So a
//!   dossier received at 08:00 or at 16:00 counts from the next working
//!   morning, which is also what provincial systems do for afternoon receipts;
//!   one received on a day off or after closing counts from the next working day.
//! * A same-day limit ends at the close of the day of receipt, unless the
//!   dossier came after the cut-off (`same_day_cutoff` in data/calendar.json,
//!   15:00; Decree 23/2015/NĐ-CP Art. 20 for certified copies; the catalog
//!   has none of its own), after closing or on a day off: then it is due at the
//!   close of the next working day. Before opening or over lunch it waits for
//!   the counter to open that same day.

pub mod astro;
pub mod data;
pub mod holidays;
pub mod lunar;
pub mod time;

pub use data::{CalendarData, CalendarError};
pub use holidays::{DayOff, DayOffKind, YearDaysOff};
pub use lunar::{lunar_new_year, lunar_to_solar, solar_to_lunar, LunarDate};
pub use time::{LocalDateTime, TimeOfDay, Weekday};

use hoso_core::date::Date;
use std::cell::RefCell;
use std::sync::OnceLock;

/// Thời hạn giải quyết — a procedure's legal time limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeLimit {
    /// Trong ngày — within the working day of receipt (cut-off rule applies).
    SameDay,
    /// n ngày làm việc — n full working days after the day of receipt.
    WorkingDays(u32),
}

/// The catalog's rule as a limit to count. A same-day procedure's
/// `extended_days` (when checks are needed) is not applied: a receipt
/// promises the normal limit, a later slip (phiếu hẹn lại) the extended one.
impl From<&hoso_core::catalog::TimeLimit> for TimeLimit {
    fn from(rule: &hoso_core::catalog::TimeLimit) -> TimeLimit {
        match rule {
            hoso_core::catalog::TimeLimit::SameDay { .. } => TimeLimit::SameDay,
            hoso_core::catalog::TimeLimit::WorkingDays { days } => TimeLimit::WorkingDays(*days),
        }
    }
}

const EMBEDDED: &str = include_str!("../../../data/calendar.json");

/// The working calendar: rules and decisions, with a per-year cache of days off.
#[derive(Debug)]
pub struct WorkCalendar {
    data: CalendarData,
    // Years already worked out; a due date touches one or two.
    years: RefCell<Vec<(i32, YearDaysOff)>>,
}

impl Clone for WorkCalendar {
    fn clone(&self) -> WorkCalendar {
        WorkCalendar::new(self.data.clone())
    }
}

impl WorkCalendar {
    pub fn new(data: CalendarData) -> WorkCalendar {
        WorkCalendar { data, years: RefCell::new(Vec::new()) }
    }

    /// The calendar shipped with this build (`data/calendar.json`). A fresh
    /// value per call: the year cache is not shared between threads.
    pub fn embedded() -> WorkCalendar {
        static DATA: OnceLock<CalendarData> = OnceLock::new();
        WorkCalendar::new(
            DATA.get_or_init(|| CalendarData::from_json(EMBEDDED).expect("embedded calendar is checked by tests"))
                .clone(),
        )
    }

    pub fn from_json(text: &str) -> Result<WorkCalendar, CalendarError> {
        CalendarData::from_json(text).map(WorkCalendar::new)
    }

    pub fn data(&self) -> &CalendarData {
        &self.data
    }

    fn with_year<T>(&self, year: i32, f: impl FnOnce(&YearDaysOff) -> T) -> T {
        let mut years = self.years.borrow_mut();
        let index = match years.iter().position(|(y, _)| *y == year) {
            Some(i) => i,
            None => {
                years.push((year, YearDaysOff::compute(&self.data, year)));
                years.len() - 1
            }
        };
        f(&years[index].1)
    }

    /// Ngày làm việc — whether the counter works on `date`.
    pub fn is_working_day(&self, date: Date) -> bool {
        self.with_year(date.year, |y| y.is_working_day(date))
    }

    /// Days off of `year` that fall on weekdays, with the holiday each belongs to,
    /// in date order; statutory holidays on a weekend are listed too.
    pub fn days_off(&self, year: i32) -> Vec<DayOff> {
        let mut all: Vec<DayOff> = self.with_year(year, |y| y.days_off.values().cloned().collect());
        for h in holidays::statutory(&self.data, year) {
            if !all.iter().any(|d| d.date == h.date) && !self.with_year(year, |y| y.working_days.contains(&h.date)) {
                all.push(h);
            }
        }
        hoso_core::sort::sort_by_key(&mut all, |d| d.date);
        all
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: Date) -> Date {
        let z = date.days_from_epoch();
        (1..).map(|i| Date::from_days_from_epoch(z + i)).find(|&d| self.is_working_day(d)).expect("working days recur")
    }

    /// Working days `d` with `from < d <= to`; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        let (a, b, sign) = if from <= to { (from, to, 1) } else { (to, from, -1) };
        let count = (a.days_from_epoch() + 1..=b.days_from_epoch())
            .filter(|&z| self.is_working_day(Date::from_days_from_epoch(z)))
            .count() as i64;
        sign * count
    }

    /// Closing time of a working day (end of the last interval).
    pub fn closing_time(&self) -> TimeOfDay {
        self.data.working_hours.last().expect("checked on load").end
    }

    /// Ngày hẹn trả kết quả — when a dossier received at `received` is due.
    pub fn due(&self, received: LocalDateTime, limit: TimeLimit) -> LocalDateTime {
        self.due_with_cutoff(received, limit, self.data.same_day_cutoff)
    }

    /// Appointment for a catalog procedure by its time-limit rule. The
    /// same-day cut-off is this calendar's (`same_day_cutoff`, with the
    /// working hours it belongs to), the only one: a province closing
    /// earlier edits its calendar file.
    pub fn due_for(&self, received: LocalDateTime, rule: &hoso_core::catalog::TimeLimit) -> LocalDateTime {
        self.due(received, TimeLimit::from(rule))
    }

    /// Latest reception time for a same-day result (`same_day_cutoff`).
    pub fn same_day_cutoff(&self) -> TimeOfDay {
        self.data.same_day_cutoff
    }

    fn due_with_cutoff(&self, received: LocalDateTime, limit: TimeLimit, cutoff: TimeOfDay) -> LocalDateTime {
        let close = self.closing_time();
        let day = received.date;
        let open_today = self.is_working_day(day) && received.time < close;
        let date = match limit {
            TimeLimit::SameDay if open_today && received.time <= cutoff => day,
            TimeLimit::SameDay => self.next_working_day(day),
            TimeLimit::WorkingDays(0) if open_today => day,
            TimeLimit::WorkingDays(n) => (0..n.max(1)).fold(day, |d, _| self.next_working_day(d)),
        };
        LocalDateTime::new(date, close)
    }
}

/// [`WorkCalendar::is_working_day`] on the embedded calendar.
pub fn is_working_day(date: Date) -> bool {
    WorkCalendar::embedded().is_working_day(date)
}

/// [`WorkCalendar::due`] on the embedded calendar.
pub fn due(received: LocalDateTime, limit: TimeLimit) -> LocalDateTime {
    WorkCalendar::embedded().due(received, limit)
}

/// [`WorkCalendar::working_days_between`] on the embedded calendar.
pub fn working_days_between(from: Date, to: Date) -> i64 {
    WorkCalendar::embedded().working_days_between(from, to)
}
