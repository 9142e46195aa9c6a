use crate::components::field_input::FieldInput;
use crate::components::review_summary::ReviewSummary;
use crate::platform::clock;
use crate::state::{Action, Dossier};
use hoso_core::form::FormDefinition;
use hoso_core::i18n::{intake, ui};
use hoso_core::Catalog;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
    pub form: FormDefinition,
    /// 0..sections: a question group; `sections.len()`: the review.
    pub step: usize,
    pub on_step: Callback<usize>,
    /// "Sửa" on the review: go to that field's screen, focused.
    pub on_edit: Callback<String>,
    /// "Tạo tờ khai": check everything and make the PDF.
    pub on_create: Callback<()>,
}

/// Từng bước — the citizen's way through the same form model: one question
/// group per screen with its plain-language help, Next/Back (Enter goes on),
/// "Bước 2/6", then the "Kiểm tra lại" summary and "Tạo tờ khai". Each step
/// is checked with the same validation as the one-screen form, keeping
/// only the errors of that step's answers.
#[function_component(FormWizard)]
pub fn form_wizard(props: &Props) -> Html {
    let (state, form, step) = (&props.state, &props.form, props.step);
    let last = form.sections.len();
    let total = last + 1;
    let onsubmit = {
        let (state, form, on_step, on_create) = (state.clone(), form.clone(), props.on_step.clone(), props.on_create.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if step >= last {
                return on_create.emit(());
            }
            let answers = form.normalize(&state.answers);
            let errors = form.validate_section(step, &answers, Catalog::embedded(), clock::today());
            let ok = errors.is_empty();
            state.dispatch(Action::StepChecked { answers, errors });
            if ok {
                on_step.emit(step + 1);
            }
        })
    };
    let back = {
        let on_step = props.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(step.saturating_sub(1)))
    };
    let on_change = {
        let state = state.clone();
        Callback::from(move |(k, v): (String, String)| state.dispatch(Action::Answer(k, v)))
    };
    let on_place = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Place(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let error_of = |key: &str| state.errors.iter().find(|e| e.key == key).map(|e| e.msg.clone());
    let title = form.sections.get(step).map_or(intake::REVIEW, |s| s.title.as_str());
    html! {
        <form class="declaration wizard" {onsubmit} novalidate=true>
            <div class="step-head">
                <p class="step-count" id="step-count" aria-live="polite">{ format!("{} {}/{}", intake::STEP, step + 1, total) }</p>
                <progress max={total.to_string()} value={(step + 1).to_string()} aria-hidden="true"></progress>
            </div>
            if let Some(section) = form.sections.get(step) {
                <fieldset class="step" data-step={step.to_string()}>
                    <legend><h3 id="step-title" tabindex="-1">{ title }</h3></legend>
                    if let Some(help) = &section.help { <p class="group-help">{ help }</p> }
                    { for section.fields.iter().filter(|f| f.is_shown(&state.answers)).map(|f| html! {
                        <FieldInput field={f.clone()} value={state.answers.get(&f.key).cloned().unwrap_or_default()}
                            error={error_of(&f.key)} on_change={on_change.clone()} />
                    }) }
                </fieldset>
                <p class="help enter-hint">{ intake::ENTER_HINT }</p>
            } else {
                <div class="field">
                    <label for="f-place">{ ui::PLACE }</label>
                    <input id="f-place" value={state.place.clone()} oninput={on_place} placeholder={intake::PLACE_EXAMPLE} />
                </div>
                <ReviewSummary form={form.clone()} answers={form.normalize(&state.answers)} place={state.place.clone()}
                    on_edit={props.on_edit.clone()} />
            }
            <div class="nav">
                if step > 0 {
                    <button type="button" class="back" id="wizard-back" onclick={back}>{ intake::PREVIOUS }</button>
                }
                if step < last {
                    <button type="submit" class="primary" id="wizard-next">{ intake::NEXT }</button>
                } else {
                    <button type="submit" class="primary" id="create-form">{ ui::CREATE_FORM }</button>
                }
            </div>
        </form>
    }
}
