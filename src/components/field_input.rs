use crate::components::address_picker::AddressPicker;
use hoso_core::form::{Field, FieldKind, NO, YES};
use hoso_core::i18n::{ui, Msg};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub field: Field,
    pub value: String,
    pub error: Option<Msg>,
    pub on_change: Callback<(String, String)>,
}

/// One answer of a form: label, input of the right kind, help, inline error.
#[function_component(FieldInput)]
pub fn field_input(props: &Props) -> Html {
    let f = &props.field;
    let id = format!("f-{}", f.key.replace('.', "-"));
    let err_id = format!("{id}-err");
    let oninput = {
        let key = f.key.clone();
        let cb = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit((key.clone(), input.value()));
        })
    };
    let onchange_select = {
        let key = f.key.clone();
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            cb.emit((key.clone(), select.value()));
        })
    };
    let invalid = props.error.is_some().then_some("true");
    let described = props.error.is_some().then(|| err_id.clone());
    let input = match f.kind {
        FieldKind::Checkbox => {
            let key = f.key.clone();
            let cb = props.on_change.clone();
            let onchange = Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                cb.emit((key.clone(), if input.checked() { YES } else { NO }.to_string()));
            });
            html! {
                <input id={id.clone()} name={f.key.clone()} type="checkbox" checked={props.value == YES} {onchange}
                    aria-invalid={invalid} aria-describedby={described.clone()} />
            }
        }
        FieldKind::Multiline => {
            let key = f.key.clone();
            let cb = props.on_change.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                // Read `value` by name: web-sys's HtmlTextAreaElement feature is not enabled.
                let value = e.target().and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok()).and_then(|v| v.as_string());
                cb.emit((key.clone(), value.unwrap_or_default()));
            });
            html! {
                <textarea id={id.clone()} name={f.key.clone()} rows="3" value={props.value.clone()} {oninput}
                    aria-invalid={invalid} aria-describedby={described.clone()} />
            }
        }
        FieldKind::Address => {
            let (key, cb) = (f.key.clone(), props.on_change.clone());
            let on_change = Callback::from(move |v: String| cb.emit((key.clone(), v)));
            html! {
                <AddressPicker id={id.clone()} name={f.key.clone()} value={props.value.clone()} invalid={props.error.is_some()}
                    described={described.clone()} {on_change} />
            }
        }
        FieldKind::Select | FieldKind::Choice => html! {
            <select id={id.clone()} name={f.key.clone()} onchange={onchange_select} aria-invalid={invalid} aria-describedby={described}>
                <option value="" selected={props.value.is_empty()}>{ "—" }</option>
                { for f.options.iter().map(|o| html! { <option value={o.clone()} selected={*o == props.value}>{ o }</option> }) }
            </select>
        },
        kind => {
            let (input_type, mode, placeholder, list) = match kind {
                FieldKind::Date => ("text", Some("numeric"), Some("dd/mm/yyyy"), None),
                FieldKind::Year => ("text", Some("numeric"), Some("yyyy"), None),
                FieldKind::IdNumber => ("text", Some("numeric"), Some("12 chữ số"), None),
                FieldKind::Number => ("number", Some("numeric"), None, None),
                FieldKind::Ethnicity => ("text", None, None, Some("ethnicities")),
                _ => ("text", None, None, None),
            };
            html! {
                <input id={id.clone()} name={f.key.clone()} type={input_type} inputmode={mode} placeholder={placeholder}
                    list={list} value={props.value.clone()} {oninput} autocomplete="off"
                    aria-invalid={invalid} aria-describedby={described} />
            }
        }
    };
    html! {
        <div class={classes!("field", props.error.is_some().then_some("has-error"))}>
            <label for={id.clone()}>
                { &f.label }
                if f.required { <span class="req" title={ui::REQUIRED_MARK}>{ " *" }</span> }
            </label>
            { input }
            if let Some(help) = &f.help { <small class="help">{ help }</small> }
            if let Some(msg) = &props.error { <small class="error" id={err_id}>{ msg.vi() }</small> }
        </div>
    }
}
