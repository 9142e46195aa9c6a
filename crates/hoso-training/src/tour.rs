//! Hướng dẫn từng bước — the guided tour. The steps are data
//! (`data/tour.json`, embedded): trainers and provinces change the words
//! without touching code. Position is a step index, saved by the app so a
//! tour left midway resumes at the same step.

use serde::Deserialize;

const TOUR_JSON: &str = include_str!("../../../data/tour.json");

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Journey {
    /// Cán bộ một cửa at the counter.
    Clerk,
    /// Công dân at home.
    Citizen,
}

/// What "Làm mẫu" (do it for me) does on a step; each is what a clerk
/// would do by hand, through the same controls.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Action {
    /// Clicks the element.
    Click { selector: String },
    /// Hands a sample paper to a file input, as if picked.
    File { selector: String, sample: String },
    /// Types the sample family's answers into the declaration (empty fields only).
    Fill,
}

/// The sign that a step's effect happened.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Done {
    /// An element is on screen.
    Selector { selector: String },
    /// This procedure is chosen.
    Procedure { id: String },
    /// The declaration has this answer.
    Answer { key: String },
    /// The declaration PDF was made.
    Form,
    /// This paper has at least one page.
    Pages { component: String },
    Packed,
    /// The server confirmed the package intact.
    Submitted,
    /// Back at the start screen (no procedure chosen).
    Start,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Step {
    pub id: String,
    pub journey: Journey,
    pub title: String,
    pub text: String,
    /// CSS selector of the element highlighted; none for a plain card.
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub done: Option<Done>,
    /// Said instead of highlighting when the target is not on screen.
    #[serde(default)]
    pub missing: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Tour {
    pub version: u32,
    pub steps: Vec<Step>,
}

impl Tour {
    pub fn embedded() -> &'static Tour {
        static TOUR: std::sync::OnceLock<Tour> = std::sync::OnceLock::new();
        TOUR.get_or_init(|| Tour::parse(TOUR_JSON).expect("data/tour.json is checked by tests"))
    }

    pub fn parse(json: &str) -> Result<Tour, String> {
        let tour: Tour = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if tour.steps.is_empty() {
            return Err("no step".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for s in &tour.steps {
            if !seen.insert(s.id.as_str()) {
                return Err(format!("step id twice: {}", s.id));
            }
            if s.title.trim().is_empty() || s.text.trim().is_empty() {
                return Err(format!("step {} has no title or text", s.id));
            }
            if s.target.is_none() && !s.actions.is_empty() {
                return Err(format!("step {} acts but highlights nothing", s.id));
            }
        }
        Ok(tour)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// A saved position, kept inside the tour (a shorter tour after an update
    /// resumes at its last step, garbage at the first).
    pub fn position(&self, saved: Option<&str>) -> usize {
        saved.and_then(|s| s.trim().parse::<usize>().ok()).map_or(0, |i| i.min(self.len() - 1))
    }

    pub fn next(&self, at: usize) -> usize {
        (at + 1).min(self.len() - 1)
    }

    pub fn back(&self, at: usize) -> usize {
        at.saturating_sub(1)
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::samples;

    #[test]
    fn the_embedded_tour_is_valid_vietnamese() {
        let tour = Tour::embedded();
        assert!(tour.len() >= 10);
        assert_eq!(TOUR_JSON, hoso_core::text::nfc(TOUR_JSON), "data/tour.json must be NFC");
        for s in &tour.steps {
            // Vietnamese, not placeholders: every text has diacritics.
            assert!(!s.text.is_ascii(), "{}", s.id);
            for a in &s.actions {
                if let Action::File { sample, .. } = a {
                    assert!(samples::SHEET_IDS.contains(&sample.as_str()), "{} wants unknown sample {sample}", s.id);
                }
            }
        }
    }

    #[test]
    fn the_tour_covers_both_journeys_in_order() {
        let tour = Tour::embedded();
        let at = |id: &str| tour.index_of(id).unwrap_or_else(|| panic!("no step {id}"));
        let clerk = ["chon-thu-tuc", "doc-qr", "dien-to-khai", "tao-to-khai", "chup-giay-to", "dong-goi", "in-giay-tiep-nhan", "gui-ho-so"];
        assert!(clerk.windows(2).all(|w| at(w[0]) < at(w[1])));
        assert!(at("gui-ho-so") < at("trao-qr") && at("trao-qr") < at("nhan-qr"));
        assert_eq!(tour.steps[at("trao-qr")].journey, Journey::Citizen);
        // The hand-over steps name the hand-over controls and explain when absent.
        for (id, target) in [("trao-qr", "#handoff-show"), ("nhan-qr", "#handoff-import")] {
            let s = &tour.steps[at(id)];
            assert_eq!(s.target.as_deref(), Some(target));
            assert!(s.missing.is_some());
        }
    }

    #[test]
    fn navigation_stays_inside() {
        let tour = Tour::embedded();
        let last = tour.len() - 1;
        assert_eq!(tour.back(0), 0);
        assert_eq!(tour.next(last), last);
        assert_eq!(tour.next(0), 1);
        assert_eq!(tour.position(Some("3")), 3);
        assert_eq!(tour.position(Some("999")), last);
        assert_eq!(tour.position(Some("x")), 0);
        assert_eq!(tour.position(None), 0);
    }

    #[test]
    fn bad_tours_are_refused() {
        assert!(Tour::parse(r#"{"version":1,"steps":[]}"#).is_err());
        let twice = r#"{"version":1,"steps":[{"id":"a","journey":"clerk","title":"Á","text":"Ố"},{"id":"a","journey":"clerk","title":"Á","text":"Ố"}]}"#;
        assert!(Tour::parse(twice).unwrap_err().contains("twice"));
        let blind = r#"{"version":1,"steps":[{"id":"a","journey":"clerk","title":"Á","text":"Ố","actions":[{"kind":"fill"}]}]}"#;
        assert!(Tour::parse(blind).is_err());
    }
}
