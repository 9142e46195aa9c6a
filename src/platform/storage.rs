//! Small values kept in localStorage: the daily dossier counter and this
//! device's settings (dossiers themselves live in IndexedDB, see idb.rs).

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

const SETTINGS_KEY: &str = "hoso.settings";

/// This device's settings (defaults when none are stored).
pub fn settings() -> hoso_core::settings::Settings {
    let stored = gloo::utils::window().local_storage().ok().flatten().and_then(|s| s.get_item(SETTINGS_KEY).ok().flatten());
    hoso_core::settings::Settings::from_json(stored.as_deref())
}

pub fn save_settings(settings: &hoso_core::settings::Settings) {
    if let Some(s) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = s.set_item(SETTINGS_KEY, &settings.to_json());
    }
}
