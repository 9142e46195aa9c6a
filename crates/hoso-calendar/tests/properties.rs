//! Properties over the whole supported range.

use hoso_calendar::{lunar::SUPPORTED_YEARS, lunar_to_solar, solar_to_lunar, LocalDateTime, TimeLimit, WorkCalendar};
use hoso_core::date::Date;
use proptest::prelude::*;

fn first_day() -> i64 {
    Date::new(*SUPPORTED_YEARS.start(), 1, 1).unwrap().days_from_epoch()
}

fn last_day() -> i64 {
    Date::new(*SUPPORTED_YEARS.end(), 12, 31).unwrap().days_from_epoch()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn solar_lunar_solar_round_trip(z in first_day()..=last_day()) {
        let date = Date::from_days_from_epoch(z);
        let lunar = solar_to_lunar(date);
        prop_assert!((1..=12).contains(&lunar.month) && (1..=30).contains(&lunar.day));
        prop_assert_eq!(lunar_to_solar(lunar.year, lunar.month, lunar.day, lunar.leap), Some(date));
        // The next day is the next lunar day, or day 1 of the next month.
        let next = solar_to_lunar(Date::from_days_from_epoch(z + 1));
        prop_assert!(next.day == lunar.day + 1 || (next.day == 1 && lunar.day >= 29), "{lunar:?} then {next:?}");
    }

    #[test]
    fn due_dates_are_monotonic_and_on_working_days(
        z in Date::new(2020, 1, 1).unwrap().days_from_epoch()..Date::new(2030, 12, 31).unwrap().days_from_epoch(),
        seconds in 0u32..86_400,
        later in 0i64..200_000,
        days in 0u32..25,
    ) {
        let cal = WorkCalendar::embedded();
        let received = LocalDateTime::from_unix(LocalDateTime::new(Date::from_days_from_epoch(z), hoso_calendar::TimeOfDay::MIDNIGHT).to_unix() + i64::from(seconds));
        let after = LocalDateTime::from_unix(received.to_unix() + later);
        for limit in [TimeLimit::SameDay, TimeLimit::WorkingDays(days)] {
            let due = cal.due(received, limit);
            prop_assert!(due > received, "{received} {limit:?} → {due}");
            prop_assert!(cal.is_working_day(due.date));
            prop_assert!(cal.due(after, limit) >= due, "{after} earlier than {received}");
        }
        let due = cal.due(received, TimeLimit::WorkingDays(days));
        if days > 0 {
            prop_assert_eq!(cal.working_days_between(received.date, due.date), i64::from(days));
        }
        // On a day off, 0 and 1 working days both end on the next working day.
        let one_more = cal.due(received, TimeLimit::WorkingDays(days + 1));
        prop_assert!(one_more > due || days == 0 && one_more == due);
    }
}
