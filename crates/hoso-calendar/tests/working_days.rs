//! Due dates and days off against the published decisions of 2020–2026.

use hoso_calendar::{DayOffKind, LocalDateTime, TimeLimit, WorkCalendar};
use hoso_core::date::Date;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn at(s: &str) -> LocalDateTime {
    LocalDateTime::parse_iso(s).unwrap()
}

fn due(from: &str, limit: TimeLimit) -> String {
    WorkCalendar::embedded().due(at(from), limit).to_iso()
}

/// Weekdays off in [from, to] of the embedded calendar.
fn weekdays_off(from: Date, to: Date) -> Vec<Date> {
    let cal = WorkCalendar::embedded();
    (from.days_from_epoch()..=to.days_from_epoch())
        .map(Date::from_days_from_epoch)
        .filter(|&x| !hoso_calendar::Weekday::of(x).is_weekend() && !cal.is_working_day(x))
        .collect()
}

#[test]
fn embedded_calendar_loads() {
    let cal = WorkCalendar::embedded();
    assert_eq!(cal.data().version, 1);
    assert_eq!(cal.closing_time().to_string(), "17:00");
}

#[test]
fn tet_breaks_as_announced() {
    let cases = [
        (d(2020, 1, 23), d(2020, 1, 29)),
        (d(2021, 2, 10), d(2021, 2, 16)),
        (d(2022, 1, 31), d(2022, 2, 4)),
        (d(2023, 1, 20), d(2023, 1, 26)),
        (d(2024, 2, 8), d(2024, 2, 14)),
        (d(2025, 1, 27), d(2025, 1, 31)),
        (d(2026, 2, 16), d(2026, 2, 20)),
    ];
    for (first, last) in cases {
        let around = weekdays_off(
            Date::from_days_from_epoch(first.days_from_epoch() - 10),
            Date::from_days_from_epoch(last.days_from_epoch() + 10),
        );
        let expected: Vec<Date> = weekdays_off(first, last);
        assert_eq!(around, expected, "Tết {}", first.year);
        assert_eq!(*expected.first().unwrap(), first);
        assert_eq!(*expected.last().unwrap(), last);
        // Every weekday inside the break is off.
        assert_eq!(expected.len() as i64, count_weekdays(first, last));
    }
}

fn count_weekdays(from: Date, to: Date) -> i64 {
    (from.days_from_epoch()..=to.days_from_epoch())
        .filter(|&z| !hoso_calendar::Weekday::of(Date::from_days_from_epoch(z)).is_weekend())
        .count() as i64
}

/// (first, last day looked at, the weekdays off between them) as (y, m, d) triples.
type Span = ((i32, u8, u8), (i32, u8, u8), &'static [(i32, u8, u8)]);

const BREAKS: [Span; 13] = [
    ((2021, 4, 25), (2021, 5, 9), &[(2021, 4, 30), (2021, 5, 3)]),
    ((2022, 4, 25), (2022, 5, 9), &[(2022, 5, 2), (2022, 5, 3)]),
    ((2023, 4, 24), (2023, 5, 9), &[(2023, 5, 1), (2023, 5, 2), (2023, 5, 3)]),
    ((2024, 4, 22), (2024, 5, 9), &[(2024, 4, 29), (2024, 4, 30), (2024, 5, 1)]),
    ((2025, 4, 21), (2025, 5, 9), &[(2025, 4, 30), (2025, 5, 1), (2025, 5, 2)]),
    ((2026, 4, 20), (2026, 5, 9), &[(2026, 4, 27), (2026, 4, 30), (2026, 5, 1)]),
    ((2022, 4, 4), (2022, 4, 15), &[(2022, 4, 11)]),
    ((2023, 8, 28), (2023, 9, 8), &[(2023, 9, 1), (2023, 9, 4)]),
    ((2024, 8, 26), (2024, 9, 6), &[(2024, 9, 2), (2024, 9, 3)]),
    ((2025, 8, 25), (2025, 9, 5), &[(2025, 9, 1), (2025, 9, 2)]),
    ((2026, 8, 24), (2026, 9, 4), &[(2026, 8, 31), (2026, 9, 1), (2026, 9, 2)]),
    ((2026, 11, 16), (2026, 11, 30), &[(2026, 11, 24)]),
    ((2025, 12, 29), (2026, 1, 9), &[(2026, 1, 1), (2026, 1, 2)]),
];

#[test]
fn april_may_september_and_november_breaks() {
    let t = |(y, m, day): (i32, u8, u8)| d(y, m, day);
    for (from, to, off) in BREAKS {
        let expected: Vec<Date> = off.iter().copied().map(t).collect();
        assert_eq!(weekdays_off(t(from), t(to)), expected, "{}", t(from));
    }
}

#[test]
fn make_up_saturdays_are_working_days() {
    let cal = WorkCalendar::embedded();
    for x in [d(2024, 5, 4), d(2025, 4, 26), d(2026, 1, 10), d(2026, 8, 22)] {
        assert!(cal.is_working_day(x), "{x}");
    }
    assert!(!cal.is_working_day(d(2025, 4, 19)));
    assert!(!cal.is_working_day(d(2025, 4, 27)));
    // Received on the make-up Saturday before noon: due that Saturday.
    assert_eq!(due("2025-04-26T09:00:00+07:00", TimeLimit::SameDay), "2025-04-26T17:00:00+07:00");
    // Received Friday 25/4/2025: day 1 is the make-up Saturday, day 2 Monday 28/4.
    assert_eq!(due("2025-04-25T10:00:00+07:00", TimeLimit::WorkingDays(2)), "2025-04-28T17:00:00+07:00");
}

#[test]
fn due_dates_around_tet_2025() {
    // Friday 24/1/2025; Tết break 25/1–2/2; three working days: 3, 4, 5 February.
    assert_eq!(due("2025-01-24T09:00:00+07:00", TimeLimit::WorkingDays(3)), "2025-02-05T17:00:00+07:00");
    assert_eq!(due("2025-01-24T16:00:00+07:00", TimeLimit::SameDay), "2025-02-03T17:00:00+07:00");
    // Received online during Tết: counts from Monday 3/2.
    assert_eq!(due("2025-01-29T10:00:00+07:00", TimeLimit::WorkingDays(1)), "2025-02-03T17:00:00+07:00");
    assert_eq!(due("2025-01-29T10:00:00+07:00", TimeLimit::SameDay), "2025-02-03T17:00:00+07:00");
}

#[test]
fn due_dates_around_30_4_and_1_5_2025() {
    // Tuesday 29/4/2025, 14:00: 30/4–4/5 off, then Monday 5/5, Tuesday 6/5.
    assert_eq!(due("2025-04-29T14:00:00+07:00", TimeLimit::WorkingDays(2)), "2025-05-06T17:00:00+07:00");
    assert_eq!(due("2025-04-29T14:00:00+07:00", TimeLimit::SameDay), "2025-04-29T17:00:00+07:00");
}

#[test]
fn the_15_00_rule_and_office_hours() {
    let same = TimeLimit::SameDay;
    // Wednesday 5/3/2025.
    assert_eq!(due("2025-03-05T15:00:00+07:00", same), "2025-03-05T17:00:00+07:00");
    assert_eq!(due("2025-03-05T15:00:01+07:00", same), "2025-03-06T17:00:00+07:00");
    assert_eq!(due("2025-03-05T12:15:00+07:00", same), "2025-03-05T17:00:00+07:00");
    assert_eq!(due("2025-03-05T06:30:00+07:00", same), "2025-03-05T17:00:00+07:00");
    assert_eq!(due("2025-03-05T18:00:00+07:00", same), "2025-03-06T17:00:00+07:00");
    // Friday after 15:00: Monday. 08:10Z is 15:10 in Hà Nội.
    assert_eq!(due("2025-03-07T08:10:00Z", same), "2025-03-10T17:00:00+07:00");
    // Saturday and Sunday: Monday.
    assert_eq!(due("2025-03-08T09:00:00+07:00", same), "2025-03-10T17:00:00+07:00");
    assert_eq!(due("2025-03-09T09:00:00+07:00", TimeLimit::WorkingDays(3)), "2025-03-12T17:00:00+07:00");
}

#[test]
fn working_days_skip_weekends_and_the_receiving_day() {
    // Thursday 6/3/2025, 3 working days: Fri 7, Mon 10, Tue 11.
    assert_eq!(due("2025-03-06T08:00:00+07:00", TimeLimit::WorkingDays(3)), "2025-03-11T17:00:00+07:00");
    assert_eq!(due("2025-03-06T16:59:00+07:00", TimeLimit::WorkingDays(3)), "2025-03-11T17:00:00+07:00");
    assert_eq!(due("2025-03-06T08:00:00+07:00", TimeLimit::WorkingDays(0)), "2025-03-06T17:00:00+07:00");
    // Monday 23/11/2026 + 3: Tuesday 24/11 is Vietnam Culture Day, so Wed, Thu, Fri.
    let result = WorkCalendar::embedded().due(at("2026-11-23T14:00:00+07:00"), TimeLimit::WorkingDays(3));
    assert_eq!(result.vietnamese(), "17:00, thứ Sáu, ngày 27 tháng 11 năm 2026");
}

#[test]
fn working_days_between_counts_half_open() {
    let cal = WorkCalendar::embedded();
    assert_eq!(cal.working_days_between(d(2025, 3, 3), d(2025, 3, 10)), 5);
    assert_eq!(cal.working_days_between(d(2025, 3, 10), d(2025, 3, 3)), -5);
    assert_eq!(cal.working_days_between(d(2025, 3, 3), d(2025, 3, 3)), 0);
    // January 2025 has 23 weekdays, 5 of them Tết (27–31/1) and 1/1.
    assert_eq!(cal.working_days_between(d(2024, 12, 31), d(2025, 1, 31)), 23 - 6);
}

#[test]
fn day_off_kinds_explain_the_break() {
    let cal = WorkCalendar::embedded();
    let kind = |x: Date| cal.days_off(x.year).into_iter().find(|o| o.date == x).map(|o| (o.kind, o.holiday));
    assert_eq!(kind(d(2025, 1, 27)), Some((DayOffKind::Compensation, "tet".to_string())));
    assert_eq!(kind(d(2025, 2, 1)), Some((DayOffKind::Holiday, "tet".to_string())));
    assert_eq!(kind(d(2025, 5, 2)), Some((DayOffKind::Decided, "decided".to_string())));
    assert_eq!(kind(d(2023, 9, 4)), Some((DayOffKind::Compensation, "national_day".to_string())));
    assert_eq!(kind(d(2025, 4, 26)), None);
}

#[test]
fn bad_calendar_files_name_year_and_field() {
    let good = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/calendar.json")).unwrap();
    let cases = [
        ("\"2025-05-02\", \"note\": \"Nghỉ hoán đổi", "\"2025-13-02\", \"note\": \"Nghỉ hoán đổi", "2025-13-02"),
        (
            "{ \"date\": \"2025-04-26\"",
            "{ \"date\": \"2025-04-30\"",
            "năm 2025, mục working_days: giá trị \"2025-04-30\"",
        ),
        (
            "\"national_day\": \"2024-09-03\"",
            "\"national_day\": \"2024-09-05\"",
            "năm 2024, mục adjacent_days.national_day",
        ),
        ("\"same_day_cutoff\": \"15:00\"", "\"same_day_cutoff\": \"19:00\"", "mục same_day_cutoff: giá trị \"19:00\""),
        ("\"2026\": {", "\"2026x\": {", "mục years: giá trị \"2026x\""),
    ];
    for (from, to, expected) in cases {
        assert!(good.contains(from), "{from}");
        let err = WorkCalendar::from_json(&good.replacen(from, to, 1)).unwrap_err();
        let text = err.msg().vi();
        assert!(text.contains(expected), "{text}");
    }
}
