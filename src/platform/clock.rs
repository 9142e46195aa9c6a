//! The device clock, as the dossier date in Vietnam.

use hoso_core::date::{today_in_vietnam, Date};

pub fn today() -> Date {
    today_in_vietnam((js_sys::Date::now() / 1000.0) as i64)
}
