//! The device clock, as the dossier date in Vietnam.

use hoso_core::date::{today_in_vietnam, Date};

pub fn today() -> Date {
    today_in_vietnam((js_sys::Date::now() / 1000.0) as i64)
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A new draft key: creation time plus randomness, unique per device.
pub fn new_draft_id() -> String {
    format!("{:011x}-{:06x}", now_ms(), (js_sys::Math::random() * f64::from(1u32 << 24)) as u32)
}
