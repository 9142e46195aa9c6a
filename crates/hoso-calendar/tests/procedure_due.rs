//! Appointment dates straight from the catalog's time-limit rules.

use hoso_calendar::{LocalDateTime, TimeLimit, WorkCalendar};
use hoso_core::catalog::TimeLimit as Rule;
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
fn catalog_rule_maps_and_the_calendar_holds_the_cutoff() {
    assert_eq!(TimeLimit::from(&Rule::WorkingDays { days: 5 }), TimeLimit::WorkingDays(5));
    let rule = Rule::SameDay { extended_days: Some(5) };
    assert_eq!(TimeLimit::from(&rule), TimeLimit::SameDay);
    let at = LocalDateTime::parse_iso("2026-11-23T14:30:00+07:00").unwrap();
    assert_eq!(WorkCalendar::embedded().due_for(at, &rule).to_iso(), "2026-11-23T17:00:00+07:00");
    // A province with a 14:00 cut-off edits its calendar file, and every
    // same-day procedure follows: 14:30 is then the next working day.
    let embedded = include_str!("../../../data/calendar.json");
    let edited = embedded.replacen("\"same_day_cutoff\": \"15:00\"", "\"same_day_cutoff\": \"14:00\"", 1);
    assert_ne!(edited, embedded);
    let province = WorkCalendar::from_json(&edited).unwrap();
    assert_eq!(province.due_for(at, &rule).to_iso(), "2026-11-25T17:00:00+07:00");
    let khai_sinh = &Catalog::embedded().procedure("khai-sinh").unwrap().time_limit_rule;
    assert_eq!(province.due_for(at, khai_sinh).to_iso(), "2026-11-25T17:00:00+07:00");
}

#[test]
fn certified_copies_turn_over_after_the_cutoff_minute() {
    // Chứng thực bản sao, Monday 30/11/2026: 15:00 sharp is still the same day.
    assert_eq!(due("chung-thuc-ban-sao", "2026-11-30T14:59:00+07:00"), "2026-11-30T17:00:00+07:00");
    assert_eq!(due("chung-thuc-ban-sao", "2026-11-30T15:00:00+07:00"), "2026-11-30T17:00:00+07:00");
    assert_eq!(due("chung-thuc-ban-sao", "2026-11-30T15:01:00+07:00"), "2026-12-01T17:00:00+07:00");
}

/// The catalog's words ("nhận sau 15 giờ …") say the calendar's cut-off.
#[test]
fn catalog_wording_matches_the_calendar_cutoff() {
    let cutoff = WorkCalendar::embedded().same_day_cutoff();
    let said = format!("nhận sau {} giờ", cutoff.hour());
    let same_day: Vec<_> =
        Catalog::embedded().procedures.iter().filter(|p| matches!(p.time_limit_rule, Rule::SameDay { .. })).collect();
    assert!(same_day.len() >= 5, "{}", same_day.len());
    for p in same_day {
        assert!(p.time_limit.contains(&said), "{}: \"{}\" does not say {said:?}", p.id, p.time_limit);
    }
}
