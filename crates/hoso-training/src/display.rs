//! Hiển thị cho máy chiếu — large text and high contrast, for projectors
//! in training rooms and for clerks who need them at the counter.

use serde::{Deserialize, Serialize};

/// Zoom levels offered, in percent of the normal text size.
pub const ZOOMS: [u16; 4] = [100, 125, 150, 200];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Display {
    /// Percent; one of [`ZOOMS`].
    pub zoom: u16,
    pub high_contrast: bool,
}

impl Default for Display {
    fn default() -> Display {
        Display { zoom: 100, high_contrast: false }
    }
}

impl Display {
    /// Stored settings; anything unreadable or out of range falls back to normal.
    pub fn from_json(json: Option<&str>) -> Display {
        let d: Display = json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
        Display { zoom: if ZOOMS.contains(&d.zoom) { d.zoom } else { 100 }, ..d }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data")
    }

    /// The factor the root font size is multiplied by (every size is in rem).
    pub fn scale(&self) -> String {
        let (whole, hundredths) = (self.zoom / 100, self.zoom % 100);
        match hundredths {
            0 => whole.to_string(),
            h if h % 10 == 0 => format!("{whole}.{}", h / 10),
            h => format!("{whole}.{h:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_fallbacks() {
        let d = Display { zoom: 150, high_contrast: true };
        assert_eq!(Display::from_json(Some(&d.to_json())), d);
        assert_eq!(d.scale(), "1.5");
        assert_eq!(Display { zoom: 125, ..d }.scale(), "1.25");
        assert_eq!(Display { zoom: 200, ..d }.scale(), "2");
        assert_eq!(Display::from_json(Some(r#"{"zoom":175}"#)), Display::default());
        assert_eq!(Display::from_json(Some("not json")), Display::default());
        assert_eq!(Display::from_json(None).scale(), "1");
        assert!(Display::from_json(Some(r#"{"high_contrast":true}"#)).high_contrast);
    }
}
