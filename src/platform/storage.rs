//! localStorage, the one way in: small values only (the daily dossier
//! counter, settings, the open draft, upload bookmarks). Dossiers
//! themselves live in IndexedDB (idb.rs). Writes are best effort: a
//! private window or a full quota must not break the work on screen.

use hoso_core::date::Date;

fn local() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// Everything this app keeps in localStorage.
pub fn clear() {
    if let Some(s) = local() {
        let _ = s.clear();
    }
}

/// The next number of the day's sequence in `{unit}-{yyMMdd}-{seq}`.
pub fn next_daily_sequence(day: Date) -> u32 {
    let key = format!("hoso.seq.{:04}{:02}{:02}", day.year, day.month, day.day);
    let next = get(&key).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0) + 1;
    set(&key, &next.to_string());
    next
}

const SETTINGS_KEY: &str = "hoso.settings";

/// This device's settings (defaults when none are stored).
pub fn settings() -> hoso_core::settings::Settings {
    hoso_core::settings::Settings::from_json(get(SETTINGS_KEY).as_deref())
}

pub fn save_settings(settings: &hoso_core::settings::Settings) {
    set(SETTINGS_KEY, &settings.to_json());
}
