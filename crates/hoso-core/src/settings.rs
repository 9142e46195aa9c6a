//! Cài đặt — per-device settings for shared counter PCs. Plain data; the
//! app keeps it in localStorage as JSON.

use serde::{Deserialize, Serialize};

pub const DEFAULT_AUTO_DELETE_DAYS: u32 = 7;
pub const MAX_AUTO_DELETE_DAYS: u32 = 365;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Packaged or submitted dossiers are deleted after this many days.
    pub auto_delete_days: u32,
    /// Chế độ công dân: nothing is written to the device.
    pub citizen_mode: bool,
    /// Set when a PIN protects stored personal data.
    pub pin: Option<PinLock>,
    /// Cơ quan tiếp nhận — printed at the top of receipts.
    pub unit_name: String,
    /// Người tiếp nhận — the clerk signing receipts.
    pub clerk: String,
    /// The receiving office's id in dossier codes (`{unit}`).
    pub unit_id: String,
    /// Mẫu mã hồ sơ, see [`crate::dossier::format_code`].
    pub code_format: String,
}

/// What is needed to check a PIN and re-derive its key: never the PIN or the key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PinLock {
    /// PBKDF2 salt, base64.
    pub salt: String,
    pub iterations: u32,
    /// A known text encrypted with the PIN's key (AES-GCM), base64: a wrong
    /// PIN fails to decrypt it.
    pub check: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            auto_delete_days: DEFAULT_AUTO_DELETE_DAYS,
            citizen_mode: false,
            pin: None,
            unit_name: "UỶ BAN NHÂN DÂN XÃ".into(),
            clerk: String::new(),
            unit_id: crate::dossier::DEFAULT_UNIT.into(),
            code_format: crate::dossier::DEFAULT_CODE_FORMAT.into(),
        }
    }
}

impl Settings {
    /// Unreadable settings fall back to defaults (with the PIN kept if it
    /// can still be read, so a damaged file never unlocks data).
    pub fn from_json(text: Option<&str>) -> Settings {
        let mut s: Settings = text.and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
        s.auto_delete_days = s.auto_delete_days.clamp(1, MAX_AUTO_DELETE_DAYS);
        s
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serializes")
    }
}

/// A PIN must be 4 to 12 digits: typed fast at a counter, hard to guess
/// from across the desk.
pub fn valid_pin(pin: &str) -> bool {
    (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_clamping() {
        assert_eq!(Settings::from_json(None), Settings::default());
        assert_eq!(Settings::from_json(Some("{oops")).auto_delete_days, 7);
        assert_eq!(Settings::from_json(Some(r#"{"auto_delete_days":0}"#)).auto_delete_days, 1);
        assert_eq!(Settings::from_json(Some(r#"{"auto_delete_days":9999}"#)).auto_delete_days, 365);
        let s = Settings { auto_delete_days: 3, citizen_mode: true, unit_name: "UBND xã Hòa Bình".into(), ..Settings::default() };
        assert_eq!(Settings::from_json(Some(&s.to_json())), s);
        // Settings saved before the code pattern existed get the default one.
        let old = Settings::from_json(Some(r#"{"auto_delete_days":3,"unit_name":"UBND xã A"}"#));
        assert_eq!((old.unit_id.as_str(), old.code_format.as_str()), ("HOSO", "{unit}-{yyMMdd}-{seq}"));
    }

    #[test]
    fn pins_are_short_digit_strings() {
        assert!(valid_pin("2468"));
        assert!(!valid_pin("123"));
        assert!(!valid_pin("12a4"));
        assert!(!valid_pin("1234567890123"));
    }
}
