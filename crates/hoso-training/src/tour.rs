//! Hướng dẫn từng bước — the guided tour. The steps are data
//! (`data/tour.json`): trainers and provinces change the words without
//! touching code. build.rs checks the file and compiles it into the static
//! [`Tour`] below. Position is a step index, saved by the app so a tour
//! left midway resumes at the same step.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Journey {
    /// Cán bộ một cửa at the counter.
    Clerk,
    /// Công dân at home.
    Citizen,
}

/// What "Làm mẫu" (do it for me) does on a step; each is what a clerk
/// would do by hand, through the same controls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Clicks the element.
    Click { selector: &'static str },
    /// Hands a sample paper to a file input, as if picked.
    File { selector: &'static str, sample: &'static str },
    /// Types the sample family's answers into the declaration (empty fields only).
    Fill,
}

/// The sign that a step's effect happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    /// An element is on screen.
    Selector { selector: &'static str },
    /// This procedure is chosen.
    Procedure { id: &'static str },
    /// The declaration has this answer.
    Answer { key: &'static str },
    /// The declaration PDF was made.
    Form,
    /// This paper has at least one page.
    Pages { component: &'static str },
    Packed,
    /// The server confirmed the package intact.
    Submitted,
    /// Back at the start screen (no procedure chosen).
    Start,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: &'static str,
    pub journey: Journey,
    pub title: &'static str,
    pub text: &'static str,
    /// CSS selector of the element highlighted; none for a plain card.
    pub target: Option<&'static str>,
    pub actions: &'static [Action],
    pub done: Option<Done>,
    /// Said instead of highlighting when the target is not on screen.
    pub missing: Option<&'static str>,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Tour {
    pub version: u32,
    pub steps: &'static [Step],
}

include!(concat!(env!("OUT_DIR"), "/tour.rs"));

impl Tour {
    pub fn embedded() -> &'static Tour {
        &TOUR
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
    use crate::tour_data;

    const TOUR_JSON: &str = include_str!("../../../data/tour.json");

    #[test]
    fn the_compiled_tour_is_the_file() {
        let file = tour_data::parse(TOUR_JSON).unwrap();
        let tour = Tour::embedded();
        assert_eq!(tour.len(), file.steps.len());
        for (s, f) in tour.steps.iter().zip(&file.steps) {
            assert_eq!((s.id, s.title, s.text, s.target, s.missing), (f.id.as_str(), f.title.as_str(), f.text.as_str(), f.target.as_deref(), f.missing.as_deref()));
            assert_eq!(s.actions.len(), f.actions.len(), "{}", s.id);
            assert_eq!(s.done.is_some(), f.done.is_some(), "{}", s.id);
        }
    }

    #[test]
    fn the_embedded_tour_is_valid_vietnamese() {
        let tour = Tour::embedded();
        assert!(tour.len() >= 10);
        assert_eq!(TOUR_JSON, hoso_core::text::nfc(TOUR_JSON), "data/tour.json must be NFC");
        for s in tour.steps {
            // Vietnamese, not placeholders: every text has diacritics.
            assert!(!s.text.is_ascii(), "{}", s.id);
            for a in s.actions {
                if let Action::File { sample, .. } = a {
                    assert!(samples::SHEET_IDS.contains(sample), "{} wants unknown sample {sample}", s.id);
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
            assert_eq!(s.target, Some(target));
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
        assert!(tour_data::parse(r#"{"version":1,"steps":[]}"#).is_err());
        let twice = r#"{"version":1,"steps":[{"id":"a","journey":"clerk","title":"Á","text":"Ố"},{"id":"a","journey":"clerk","title":"Á","text":"Ố"}]}"#;
        assert!(tour_data::parse(twice).unwrap_err().contains("twice"));
        let blind = r#"{"version":1,"steps":[{"id":"a","journey":"clerk","title":"Á","text":"Ố","actions":[{"kind":"fill"}]}]}"#;
        assert!(tour_data::parse(blind).is_err());
        let typo = r##"{"version":1,"steps":[{"id":"a","journey":"clerk","title":"Á","text":"Ố","taget":"#x"}]}"##;
        assert!(tour_data::parse(typo).is_err(), "a misspelt key is an error, not a silent default");
    }
}
