// The shape of data/tour.json and its checks. Read by build.rs, which turns
// the steps into static Rust data (no JSON parser in the app for them), and
// by the tests. Keep it free of crate paths: build.rs includes this file.

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Journey {
    Clerk,
    Citizen,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Action {
    Click { selector: String },
    File { selector: String, sample: String },
    Fill,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Done {
    Selector { selector: String },
    Procedure { id: String },
    Answer { key: String },
    Form,
    Pages { component: String },
    Packed,
    Submitted,
    Start,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub journey: Journey,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub actions: Vec<Action>,
    #[serde(default)]
    pub done: Option<Done>,
    #[serde(default)]
    pub missing: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TourFile {
    pub version: u32,
    #[serde(default)]
    pub note: String,
    pub steps: Vec<Step>,
}

/// Parses and checks a tour: at least one step, unique ids, words on every
/// step, nothing done on a step that highlights nothing.
pub fn parse(json: &str) -> Result<TourFile, String> {
    let tour: TourFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
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
