//! data/tour.json → static Rust data ($OUT_DIR/tour.rs): the app carries the
//! tour's words, not a JSON parser for them; a broken tour fails the build.

#[path = "src/tour_data.rs"]
#[allow(dead_code)]
mod tour_data;

use std::fmt::Write;
use tour_data::{Action, Done, Journey};

fn main() {
    let path = "../../data/tour.json";
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rerun-if-changed=src/tour_data.rs");
    let json = std::fs::read_to_string(path).expect("data/tour.json");
    let tour = tour_data::parse(&json).unwrap_or_else(|e| panic!("data/tour.json: {e}"));
    let opt = |o: &Option<String>| o.as_ref().map_or("None".to_string(), |s| format!("Some({s:?})"));
    let mut out = format!("pub static TOUR: Tour = Tour {{ version: {}, steps: &[\n", tour.version);
    for s in &tour.steps {
        let journey = match s.journey {
            Journey::Clerk => "Journey::Clerk",
            Journey::Citizen => "Journey::Citizen",
        };
        let actions: Vec<String> = s
            .actions
            .iter()
            .map(|a| match a {
                Action::Click { selector } => format!("Action::Click {{ selector: {selector:?} }}"),
                Action::File { selector, sample } => format!("Action::File {{ selector: {selector:?}, sample: {sample:?} }}"),
                Action::Fill => "Action::Fill".into(),
            })
            .collect();
        let done = match &s.done {
            None => "None".to_string(),
            Some(Done::Selector { selector }) => format!("Some(Done::Selector {{ selector: {selector:?} }})"),
            Some(Done::Procedure { id }) => format!("Some(Done::Procedure {{ id: {id:?} }})"),
            Some(Done::Answer { key }) => format!("Some(Done::Answer {{ key: {key:?} }})"),
            Some(Done::Form) => "Some(Done::Form)".into(),
            Some(Done::Pages { component }) => format!("Some(Done::Pages {{ component: {component:?} }})"),
            Some(Done::Packed) => "Some(Done::Packed)".into(),
            Some(Done::Submitted) => "Some(Done::Submitted)".into(),
            Some(Done::Start) => "Some(Done::Start)".into(),
        };
        writeln!(
            out,
            "Step {{ id: {:?}, journey: {journey}, title: {:?}, text: {:?}, target: {}, actions: &[{}], done: {done}, missing: {} }},",
            s.id,
            s.title,
            s.text,
            opt(&s.target),
            actions.join(", "),
            opt(&s.missing)
        )
        .unwrap();
    }
    out.push_str("] };\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("tour.rs");
    std::fs::write(dest, out).expect("write tour.rs");
}
