//! Hướng dẫn từng bước: a panel over the real app that highlights one
//! control per step, says what it is for, and can do the step with the
//! sample data ("Làm mẫu") through the same controls a clerk uses.

use crate::platform::{clock, training};
use crate::state::{Action as DossierAction, Dossier};
use hoso_core::i18n::training as t;
use hoso_training::samples;
use hoso_training::tour::{Action, Done, Journey, Step, Tour};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
    pub step: usize,
    pub on_go: Callback<usize>,
    pub on_close: Callback<()>,
}

/// How often the panel looks again for its target: some appear from other
/// components' own state (the card read), not from the dossier.
const POLL_MS: u32 = 400;

#[function_component(TourPanel)]
pub fn tour_panel(props: &Props) -> Html {
    let tour = Tour::embedded();
    let at = props.step.min(tour.len() - 1);
    let step: &'static Step = &tour.steps[at];
    // (target on screen, `done` selector on screen, "Làm mẫu" possible), as last seen.
    let seen = use_state(|| (false, false, false));
    let busy = use_state(|| false);
    let problem = use_state(|| None::<String>);
    {
        let seen = seen.clone();
        let done_selector = match step.done {
            Some(Done::Selector { selector }) => Some(selector),
            _ => None,
        };
        let target = step.target;
        // A step whose target is on another screen may start by going there.
        let first_click = match step.actions.first() {
            Some(Action::Click { selector }) => Some(*selector),
            _ => None,
        };
        use_effect_with(at, move |_| {
            training::set_root_class("tour-open", true);
            let scrolled = Rc::new(Cell::new(false));
            let look = move || {
                let present = training::highlight(target, !scrolled.get());
                if present {
                    scrolled.set(true);
                }
                let done = done_selector.is_some_and(training::exists);
                let can_act = present || first_click.is_some_and(training::exists);
                if *seen != (present, done, can_act) {
                    seen.set((present, done, can_act));
                }
            };
            look();
            let interval = gloo::timers::callback::Interval::new(POLL_MS, look);
            move || {
                drop(interval);
                training::highlight(None, false);
                training::set_root_class("tour-open", false);
            }
        });
    }
    {
        // → next, ← back, Esc hides; never while typing in a field.
        let (go, close) = (props.on_go.clone(), props.on_close.clone());
        use_effect_with(at, move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::document(), "keydown", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() || typing(e) {
                    return;
                }
                match e.key().as_str() {
                    "ArrowRight" => go.emit(tour.next(at)),
                    "ArrowLeft" => go.emit(tour.back(at)),
                    "Escape" => close.emit(()),
                    _ => return,
                }
                e.prevent_default();
            });
            move || drop(listener)
        });
    }
    let (present, selector_done, can_act) = *seen;
    let done = match step.done {
        None => false,
        Some(Done::Selector { .. }) => selector_done,
        Some(d) => is_done(d, &props.state),
    };
    let run = {
        let (state, busy, problem) = (props.state.clone(), busy.clone(), problem.clone());
        Callback::from(move |_| {
            let (state, busy, problem) = (state.clone(), busy.clone(), problem.clone());
            busy.set(true);
            problem.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                for action in step.actions {
                    if let Err(why) = perform(action, &state) {
                        problem.set(Some(format!("{} {why}", t::SAMPLE_FAILED)));
                        break;
                    }
                    // Let the app draw what the action changed before the next one.
                    gloo::timers::future::TimeoutFuture::new(60).await;
                }
                busy.set(false);
                // The presenter goes on with Enter or →, wherever the app put the focus.
                training::focus("#tour-next");
            });
        })
    };
    let back = props.on_go.reform(move |_| tour.back(at));
    let next = props.on_go.reform(move |_| tour.next(at));
    let close = props.on_close.reform(|_| ());
    let missing = step.target.is_some() && !present;
    html! {
        <div class="tour" id="tour" role="dialog" aria-modal="false" aria-labelledby="tour-title" data-step={step.id}>
            <p class="tour-meta">
                <span id="tour-count">{ format!("{} {}{}{}", t::STEP, at + 1, t::OF, tour.len()) }</span>
                { " · " }
                <span class={classes!("journey", matches!(step.journey, Journey::Citizen).then_some("citizen"))}>
                    { match step.journey { Journey::Clerk => t::CLERK, Journey::Citizen => t::CITIZEN } }
                </span>
            </p>
            <div aria-live="polite">
                <h2 id="tour-title">{ step.title }</h2>
                <p id="tour-text">{ step.text }</p>
                if missing {
                    <p class="tour-missing" id="tour-missing">{ step.missing.unwrap_or(t::NOT_ON_SCREEN) }</p>
                }
                if done { <p class="ok" id="tour-done">{ t::DONE }</p> }
                if let Some(p) = &*problem { <p class="problem" role="alert">{ p }</p> }
            </div>
            <div class="tour-buttons">
                <button id="tour-back" onclick={back} disabled={at == 0}>{ "← " }{ t::BACK }</button>
                if !step.actions.is_empty() && can_act && !done {
                    <button id="tour-do" onclick={run} disabled={*busy}>{ if *busy { t::DOING } else { t::DO_IT } }</button>
                }
                <button id="tour-next" class="primary" onclick={next} disabled={at + 1 == tour.len()}>{ t::NEXT }{ " →" }</button>
                <button id="tour-hide" class="link" onclick={close}>{ t::HIDE }</button>
                <small class="tour-keys">{ t::KEYS }</small>
            </div>
        </div>
    }
}

/// Whether the key press belongs to a form field (arrows move the caret there).
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.get_attribute("contenteditable").is_some()
}

fn is_done(done: Done, state: &Dossier) -> bool {
    match done {
        Done::Selector { .. } => false,
        Done::Procedure { id } => state.procedure.as_deref() == Some(id),
        Done::Answer { key } => state.answers.get(key).is_some_and(|v| !v.is_empty()),
        Done::Form => state.form_pdf.is_some(),
        Done::Pages { component } => state.pages_of(component).next().is_some(),
        Done::Packed => state.packed.is_some(),
        Done::Submitted => state.submitted,
        Done::Start => state.procedure.is_none(),
    }
}

/// Does one action of "Làm mẫu" through the app's own controls.
fn perform(action: &Action, state: &UseReducerHandle<Dossier>) -> Result<(), String> {
    match action {
        Action::Click { selector } => training::click(selector).then_some(()).ok_or_else(|| t::NOT_ON_SCREEN.to_string()),
        Action::File { selector, sample } => {
            let sheet = samples::sheet(sample, clock::today()).ok_or_else(|| sample.to_string())?;
            let jpeg = training::render_jpeg(&sheet)?;
            training::give_file(selector, &sheet.file_name(), &jpeg, "image/jpeg")
        }
        Action::Fill => {
            // Like a clerk: only empty fields; what the card filled stays.
            for (key, value) in samples::answers(clock::today()) {
                if state.answers.get(key).is_none_or(|v| v.is_empty()) {
                    state.dispatch(DossierAction::Answer(key.to_string(), value));
                }
            }
            if state.place.is_empty() {
                state.dispatch(DossierAction::Place(samples::PLACE.to_string()));
            }
            Ok(())
        }
    }
}
