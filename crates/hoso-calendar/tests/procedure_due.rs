//! Appointment dates straight from the catalog's time-limit rules.

use hoso_calendar::{LocalDateTime, TimeLimit, WorkCalendar};
use hoso_core::catalog::{ClockTime, TimeLimit as Rule};
use hoso_core::Catalog;

fn due(procedure: &str, received: &str) -> String {
    let rule = &Catalog::embedded().procedure(procedure).unwrap().time_limit_rule;
    WorkCalendar::embedded().due_for(LocalDateTime::parse_iso(received).unwrap(), rule).to_iso()
}

#[test]
fn khai_sinh_is_same_day_until_the_cutoff() {
    // Monday 23/11/2026, before 15:00: the same day at closing.
    assert_eq!(due("khai-sinh", "2026-11-23T14:00:00+07:00"), "2026-11-23T17:00:00+07:00");
    assert_eq!(due("khai-sinh", "2026-11-23T15:00:00+07:00"), "2026-11-23T17:00:00+07:00");
    // After 15:00: the next working day, and Tuesday 24/11/2026 is Vietnam
    // Culture Day in data/calendar.json, so Wednesday.
    assert!(!hoso_calendar::is_working_day(hoso_core::date::Date::new(2026, 11, 24).unwrap()));
    assert_eq!(due("khai-sinh", "2026-11-23T15:30:00+07:00"), "2026-11-25T17:00:00+07:00");
}

#[test]
fn working_day_procedures_count_from_the_next_day() {
    // Xác nhận tình trạng hôn nhân: 3 working days, 24/11 not counted.
    assert_eq!(due("xac-nhan-tinh-trang-hon-nhan", "2026-11-23T09:00:00+07:00"), "2026-11-27T17:00:00+07:00");
    // Received Friday afternoon: Mon, Tue, Wed.
    assert_eq!(due("xac-nhan-tinh-trang-hon-nhan", "2026-11-27T16:30:00+07:00"), "2026-12-02T17:00:00+07:00");
}

#[test]
fn catalog_rule_maps_and_its_cutoff_is_used() {
    assert_eq!(TimeLimit::from(&Rule::WorkingDays { days: 5 }), TimeLimit::WorkingDays(5));
    let cutoff = ClockTime { hour: 14, minute: 0 };
    let rule = Rule::SameDay { cutoff, extended_days: Some(5) };
    assert_eq!(TimeLimit::from(&rule), TimeLimit::SameDay);
    let cal = WorkCalendar::embedded();
    let at = LocalDateTime::parse_iso("2026-11-23T14:30:00+07:00").unwrap();
    // A province with a 14:00 cut-off: 14:30 is already the next working day,
    // though the calendar's own 15:00 would keep it the same day.
    assert_eq!(cal.due_for(at, &rule).to_iso(), "2026-11-25T17:00:00+07:00");
    assert_eq!(cal.due(at, TimeLimit::SameDay).to_iso(), "2026-11-23T17:00:00+07:00");
}
