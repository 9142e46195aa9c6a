use crate::components::field_input::FieldInput;
use crate::components::form_wizard::FormWizard;
use crate::components::review_summary::ReviewSummary;
use crate::components::id_card_reader::IdCardReader;
use crate::components::people_picker::PeoplePicker;
use crate::platform::{clock, download::GeneratedFile, storage};
use crate::state::{Action, Dossier};
use hoso_core::i18n::{intake, ui};
use hoso_core::date::Date;
use hoso_core::form::{FormData, FormDefinition};
use hoso_core::{text, Catalog};
use std::rc::Rc;
use hoso_pdf::{render_form, FormMeta};
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Một trang / Từng bước — two presentations of one form model.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Keyboard-first, every group on one screen (clerks).
    OnePage,
    /// One question group per screen (citizens on phones).
    Wizard,
}

/// Step 2: the declaration (tờ khai), one screen or step by step, both
/// ending on "Kiểm tra lại" and "Tạo tờ khai". Errors are listed on top
/// with links to each field (in the step-by-step mode: to its screen) and
/// repeated beside it.
#[function_component(FormView)]
pub fn form_view(props: &Props) -> Html {
    let state = &props.state;
    let catalog = Catalog::embedded();
    let summary = use_node_ref();
    // Step by step for citizens and on phone-sized screens; a toggle switches.
    let mode = use_state(|| if storage::settings().citizen_mode || narrow_screen() { Mode::Wizard } else { Mode::OnePage });
    let step = use_state(|| 0usize);
    // Element to focus after the next render; the counter makes a repeated
    // "Sửa" on the same field count. The clerk starts typing at once.
    let focus = use_state(|| {
        let first = state.procedure().and_then(|p| catalog.form(&p.form)).and_then(|f| f.fields().next()).map(|f| field_id(&f.key));
        (0u32, first.filter(|_| *mode == Mode::OnePage))
    });
    {
        let summary = summary.clone();
        use_effect_with(state.failed_attempts, move |_| {
            if let Some(el) = summary.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    use_effect_with((*focus).clone(), |(_, id)| {
        if let Some(el) = id.as_deref().and_then(|id| gloo::utils::document().get_element_by_id(id)) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
    let Some(form) = state.procedure().and_then(|p| catalog.form(&p.form)) else {
        return html! {};
    };
    let sections = form.sections.len();
    let focus_on = {
        let focus = focus.clone();
        move |id: String| focus.set((focus.0 + 1, Some(id)))
    };
    // A "Sửa" or error link: to the field (in the wizard, on its screen).
    let goto = {
        let (mode, step, focus_on) = (mode.clone(), step.clone(), focus_on.clone());
        Callback::from(move |key: String| {
            if *mode == Mode::Wizard {
                step.set(if key == "place" { sections } else { form.section_of(&key).unwrap_or(0) });
            }
            focus_on(field_id(&key));
        })
    };
    let on_step = {
        let (step, state, focus_on) = (step.clone(), state.clone(), focus_on.clone());
        Callback::from(move |next: usize| {
            step.set(next);
            let first = form.sections.get(next).and_then(|s| s.fields.iter().find(|f| f.is_shown(&state.answers)));
            focus_on(first.map_or_else(|| "review-title".to_string(), |f| field_id(&f.key)));
        })
    };
    let on_change = {
        let state = state.clone();
        Callback::from(move |(k, v): (String, String)| state.dispatch(Action::Answer(k, v)))
    };
    let on_place = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Place(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let create = {
        let state = state.clone();
        Callback::from(move |()| {
            let today = clock::today();
            let answers = form.normalize(&state.answers);
            let errors = form.validate(&answers, catalog, today);
            let result = if errors.is_empty() {
                Ok(form_pdf(form, &answers, &state.place, today))
            } else {
                Err(errors)
            };
            state.dispatch(Action::FormChecked { answers, date: today, result });
        })
    };
    let onsubmit = create.reform(|e: SubmitEvent| e.prevent_default());
    let set_mode = |m: Mode| {
        let mode = mode.clone();
        Callback::from(move |_: MouseEvent| mode.set(m))
    };
    let error_of = |key: &str| state.errors.iter().find(|e| e.key == key).map(|e| e.msg.clone());
    let group_of = |key: &str| form.group_label(key);
    let helpers = html! {
        <>
            <IdCardReader state={state.clone()} form={form.clone()} />
            <PeoplePicker state={state.clone()} form={form.clone()} />
        </>
    };
    let pdf_status = html! {
        if let Some(pdf) = &state.form_pdf {
            <span class="ok" role="status">{ ui::FORM_READY }{ " · " }
                <a href={pdf.href()} target="_blank" rel="noopener" id="form-pdf">{ ui::OPEN_PDF }</a>
                { format!(" ({})", human_bytes(pdf.bytes.len() as u64)) }
            </span>
        }
    };
    html! {
        <section aria-labelledby="step-form" class={classes!("form-view", (*mode == Mode::Wizard).then_some("stepwise"))}>
            <h2 id="step-form">{ ui::STEP_FORM }{ ": " }{ &form.title }</h2>
            <div class="mode-toggle" role="group" aria-label={intake::MODE_LABEL}>
                <button type="button" id="mode-wizard" aria-pressed={(*mode == Mode::Wizard).to_string()} onclick={set_mode(Mode::Wizard)}>
                    { intake::MODE_WIZARD }</button>
                <button type="button" id="mode-one-page" aria-pressed={(*mode == Mode::OnePage).to_string()} onclick={set_mode(Mode::OnePage)}>
                    { intake::MODE_ONE_PAGE }</button>
            </div>
            if !state.errors.is_empty() {
                <div class="error-summary" role="alert" tabindex="-1" ref={summary}>
                    <p>{ ui::FIX_ERRORS }</p>
                    <ul>
                        { for state.errors.iter().map(|e| {
                            let (goto, key) = (goto.clone(), e.key.clone());
                            let onclick = Callback::from(move |ev: MouseEvent| { ev.prevent_default(); goto.emit(key.clone()); });
                            html! {
                                <li><a href={format!("#{}", field_id(&e.key))} {onclick} data-key={e.key.clone()}>
                                    { format!("{} · {}: {}", group_of(&e.key), e.label, e.msg.vi()) }</a></li>
                            }
                        }) }
                    </ul>
                </div>
            }
            // The question comes first on a phone; the card reader and the
            // people declared before follow the step.
            if *mode == Mode::OnePage { { helpers.clone() } }
            <datalist id="ethnicities">
                { for catalog.ethnicities.iter().map(|e| html! { <option value={e.clone()} /> }) }
            </datalist>
            if *mode == Mode::Wizard {
                <FormWizard state={state.clone()} form={form.clone()} step={(*step).min(sections)} {on_step}
                    on_edit={goto.clone()} on_create={create.clone()} />
                <div class="actions">{ pdf_status }</div>
                { helpers }
            } else {
                <form class="declaration" {onsubmit} novalidate=true>
                    { for form.sections.iter().map(|s| html! {
                        <fieldset>
                            <legend>{ &s.title }</legend>
                            // Conditional fields appear only once the answer they depend on is given.
                            { for s.fields.iter().filter(|f| f.is_shown(&state.answers)).map(|f| html! {
                                <FieldInput field={f.clone()} value={state.answers.get(&f.key).cloned().unwrap_or_default()}
                                    error={error_of(&f.key)} on_change={on_change.clone()} />
                            }) }
                        </fieldset>
                    }) }
                    <div class="field">
                        <label for="f-place">{ ui::PLACE }</label>
                        <input id="f-place" value={state.place.clone()} oninput={on_place} placeholder={intake::PLACE_EXAMPLE} />
                    </div>
                    <ReviewSummary form={form.clone()} answers={form.normalize(&state.answers)} place={state.place.clone()}
                        on_edit={goto.clone()} />
                    <div class="actions">
                        <button type="submit" class="primary" id="create-form">{ ui::CREATE_FORM }</button>
                        { pdf_status }
                    </div>
                </form>
            }
        </section>
    }
}

/// `f-child-birth_date`: the id of a field's input.
fn field_id(key: &str) -> String {
    format!("f-{}", key.replace('.', "-"))
}

/// Phone-sized screens (the 390 px of a common phone) start step by step.
fn narrow_screen() -> bool {
    gloo::utils::window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w < 700.0)
}

/// The declaration PDF dated `date` (the day it was made; the same day
/// when a draft is reopened later).
pub fn form_pdf(form: &FormDefinition, answers: &FormData, place: &str, date: Date) -> Rc<GeneratedFile> {
    let pdf = render_form(form, answers, &FormMeta { place: text::clean(place), date });
    GeneratedFile::new("to-khai.pdf", pdf, "application/pdf")
}

/// "183 KB" — sizes as clerks read them (decimal units, like phones show).
pub fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9).replace('.', ","),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6).replace('.', ","),
        n if n >= 1_000 => format!("{} KB", (n + 500) / 1000),
        n => format!("{n} B"),
    }
}
