use hoso_core::form::{FormData, FormDefinition};
use hoso_core::i18n::{intake, ui};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub form: FormDefinition,
    /// Answers as normalized (what the PDF will print).
    pub answers: FormData,
    pub place: String,
    /// A "Sửa" link chosen: the key of the field to go back to ("place" for the place).
    pub on_edit: Callback<String>,
}

/// "Kiểm tra lại": every answer grouped as on the form, each with a "Sửa"
/// link back to its field; both modes end on it, before "Tạo tờ khai".
#[function_component(ReviewSummary)]
pub fn review_summary(props: &Props) -> Html {
    let edit = |key: &str, what: String| {
        let (cb, k) = (props.on_edit.clone(), key.to_string());
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            cb.emit(k.clone());
        });
        html! {
            <a class="edit" id={format!("edit-{}", key.replace('.', "-"))} href={format!("#f-{}", key.replace('.', "-"))}
                {onclick} aria-label={format!("{} {what}", intake::EDIT)}>{ intake::EDIT }</a>
        }
    };
    let shown = |value: Option<&String>, required: bool| match value {
        Some(v) => html! { <span class="value">{ v }</span> },
        None if required => html! { <span class="value missing">{ intake::MISSING }</span> },
        None => html! { <span class="value blank">{ intake::BLANK }</span> },
    };
    html! {
        <section class="review" aria-labelledby="review-title">
            <h3 id="review-title" tabindex="-1">{ intake::REVIEW }</h3>
            <p class="help">{ intake::REVIEW_HINT }</p>
            { for props.form.sections.iter().map(|s| html! {
                <div class="review-group">
                    <h4>{ &s.title }</h4>
                    <dl>
                        { for s.fields.iter().filter(|f| f.is_shown(&props.answers)).map(|f| html! {
                            <div class="review-row" data-key={f.key.clone()}>
                                <dt>{ &f.label }</dt>
                                <dd>{ shown(props.answers.get(&f.key), f.required) }{ edit(&f.key, format!("{} – {}", s.title, f.label)) }</dd>
                            </div>
                        }) }
                    </dl>
                </div>
            }) }
            <div class="review-group">
                <h4>{ intake::SIGNING }</h4>
                <dl>
                    <div class="review-row" data-key="place">
                        <dt>{ ui::PLACE }</dt>
                        <dd>{ shown((!props.place.trim().is_empty()).then_some(&props.place), false) }{ edit("place", ui::PLACE.to_string()) }</dd>
                    </div>
                </dl>
            </div>
        </section>
    }
}
