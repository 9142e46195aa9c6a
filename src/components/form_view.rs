use crate::components::field_input::FieldInput;
use crate::components::id_card_reader::IdCardReader;
use crate::components::people_picker::PeoplePicker;
use crate::platform::{clock, download::GeneratedFile};
use crate::state::{Action, Dossier};
use hoso_core::i18n::ui;
use hoso_core::form::{FormData, FormDefinition};
use hoso_core::{text, Catalog};
use std::rc::Rc;
use hoso_pdf::{render_form, FormMeta};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Step 2: the declaration (tờ khai). Enter submits; errors are listed on
/// top with links to each field and repeated beside it.
#[function_component(FormView)]
pub fn form_view(props: &Props) -> Html {
    let state = &props.state;
    let catalog = Catalog::embedded();
    let summary = use_node_ref();
    {
        let summary = summary.clone();
        use_effect_with(state.failed_attempts, move |_| {
            if let Some(el) = summary.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let Some(form) = state.procedure().and_then(|p| catalog.form(&p.form)) else {
        return html! {};
    };
    let on_change = {
        let state = state.clone();
        Callback::from(move |(k, v): (String, String)| state.dispatch(Action::Answer(k, v)))
    };
    let on_place = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Place(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let onsubmit = {
        let state = state.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let today = clock::today();
            let answers = form.normalize(&state.answers);
            let errors = form.validate(&answers, catalog, today);
            let result = if errors.is_empty() {
                Ok(form_pdf(form, &answers, &state.place))
            } else {
                Err(errors)
            };
            state.dispatch(Action::FormChecked { answers, result });
        })
    };
    let error_of = |key: &str| state.errors.iter().find(|e| e.key == key).map(|e| e.msg.clone());
    html! {
        <section aria-labelledby="step-form">
            <h2 id="step-form">{ ui::STEP_FORM }{ ": " }{ &form.title }</h2>
            if !state.errors.is_empty() {
                <div class="error-summary" role="alert" tabindex="-1" ref={summary}>
                    <p>{ ui::FIX_ERRORS }</p>
                    <ul>
                        { for state.errors.iter().map(|e| html! {
                            <li><a href={format!("#f-{}", e.key.replace('.', "-"))}>{ format!("{}: {}", e.label, e.msg.vi()) }</a></li>
                        }) }
                    </ul>
                </div>
            }
            <IdCardReader state={state.clone()} form={form.clone()} />
            <PeoplePicker state={state.clone()} form={form.clone()} />
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
                    <input id="f-place" value={state.place.clone()} oninput={on_place} placeholder="Ví dụ: Hòa Bình" />
                </div>
                <datalist id="ethnicities">
                    { for catalog.ethnicities.iter().map(|e| html! { <option value={e.clone()} /> }) }
                </datalist>
                <div class="actions">
                    <button type="submit" class="primary" id="create-form">{ ui::CREATE_FORM }</button>
                    if let Some(pdf) = &state.form_pdf {
                        <span class="ok" role="status">{ ui::FORM_READY }{ " · " }
                            <a href={pdf.href()} target="_blank" rel="noopener" id="form-pdf">{ ui::OPEN_PDF }</a>
                            { format!(" ({})", human_bytes(pdf.bytes.len() as u64)) }
                        </span>
                    }
                </div>
            </form>
        </section>
    }
}

/// The declaration PDF, dated today (also re-made when a draft is reopened).
pub fn form_pdf(form: &FormDefinition, answers: &FormData, place: &str) -> Rc<GeneratedFile> {
    let pdf = render_form(form, answers, &FormMeta { place: text::clean(place), date: clock::today() });
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
