//! localStorage, the one way in: small values only (the daily dossier
//! counter, settings, the open draft, upload bookmarks). Dossiers
//! themselves live in IndexedDB (idb.rs). Writes are best effort: a
//! private window or a full quota must not break the work on screen.
//!
//! A training session (chế độ Tập huấn, `?tap-huan` in the URL) reads and
//! writes the same logical keys under its own prefix, so sample work and
//! real work never see each other's values.

use hoso_core::date::Date;
use hoso_training::mode;
use std::cell::Cell;

fn local() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

thread_local! {
    static TRAINING: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Whether this page load is a training session: decided once, from the
/// URL it was opened with, so nothing can switch stores midway.
pub fn training() -> bool {
    TRAINING.with(|t| {
        t.get().unwrap_or_else(|| {
            let location = gloo::utils::window().location();
            let on = mode::is_training_url(&location.search().unwrap_or_default(), &location.hash().unwrap_or_default());
            t.set(Some(on));
            on
        })
    })
}

pub fn get(key: &str) -> Option<String> {
    local()?.get_item(&mode::storage_key(training(), key)).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(&mode::storage_key(training(), key), value);
    }
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(&mode::storage_key(training(), key));
    }
}

/// Everything this app keeps in localStorage for the current mode (real
/// work or training); the other mode's keys stay.
pub fn clear() {
    let Some(s) = local() else { return };
    let keys: Vec<String> = (0..s.length().unwrap_or(0)).filter_map(|i| s.key(i).ok().flatten()).collect();
    for k in keys.iter().filter(|k| mode::owns_key(training(), k)) {
        let _ = s.remove_item(k);
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
/// A training store starts with the sample unit and clerk, so its receipts
/// say whose they are.
pub fn settings() -> hoso_core::settings::Settings {
    let stored = get(SETTINGS_KEY);
    let settings = hoso_core::settings::Settings::from_json(stored.as_deref());
    if training() && stored.is_none() {
        use hoso_training::samples::{CLERK, UNIT_NAME};
        return hoso_core::settings::Settings { unit_name: UNIT_NAME.into(), clerk: CLERK.into(), ..settings };
    }
    settings
}

pub fn save_settings(settings: &hoso_core::settings::Settings) {
    set(SETTINGS_KEY, &settings.to_json());
}
