//! Small counters kept in localStorage (dossiers themselves: issue #7).

use hoso_core::date::Date;

/// The next number of the day's sequence in `{unit}-{yyMMdd}-{seq}`.
pub fn next_daily_sequence(day: Date) -> u32 {
    let key = format!("hoso.seq.{:04}{:02}{:02}", day.year, day.month, day.day);
    let storage = gloo::utils::window().local_storage().ok().flatten();
    let last = storage.as_ref().and_then(|s| s.get_item(&key).ok().flatten()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0);
    let next = last + 1;
    if let Some(s) = storage {
        let _ = s.set_item(&key, &next.to_string());
    }
    next
}
