use hoso_core::i18n::{ui, Msg};
use hoso_core::settings::{valid_pin, Settings, MAX_AUTO_DELETE_DAYS};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub settings: Settings,
    pub on_change: Callback<Settings>,
    pub on_set_pin: Callback<String>,
    pub on_remove_pin: Callback<()>,
    pub on_lock: Callback<()>,
    pub busy: bool,
    pub error: Option<Msg>,
}

/// Cài đặt — privacy on shared counter PCs: auto-delete, citizen mode, PIN lock.
#[function_component(SettingsPanel)]
pub fn settings_panel(props: &Props) -> Html {
    let (pin, again) = (use_node_ref(), use_node_ref());
    let local_error = use_state(|| None::<Msg>);
    let s = &props.settings;
    let on_days = {
        let (s, cb) = (s.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            if let Ok(days) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<u32>() {
                cb.emit(Settings { auto_delete_days: days.clamp(1, MAX_AUTO_DELETE_DAYS), ..s.clone() });
            }
        })
    };
    let on_text = |set: fn(&mut Settings, String)| {
        let (s, cb) = (s.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let mut next = s.clone();
            set(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            cb.emit(next);
        })
    };
    let on_unit = on_text(|s, v| s.unit_name = hoso_core::text::clean(&v));
    let on_clerk = on_text(|s, v| s.clerk = hoso_core::text::person_name(&v));
    let on_unit_id = on_text(|s, v| s.unit_id = hoso_core::text::clean(&v));
    let on_code_format = on_text(|s, v| s.code_format = hoso_core::text::clean(&v));
    // Shown with today's date and sequence 1, or what is wrong with the pattern.
    let code_example = hoso_core::dossier::format_code(
        &s.code_format,
        &s.unit_id,
        hoso_calendar::LocalDateTime::from_unix(crate::platform::clock::now_ms().div_euclid(1000)).date,
        1,
    );
    let on_citizen = {
        let (s, cb) = (s.clone(), props.on_change.clone());
        Callback::from(move |e: Event| cb.emit(Settings { citizen_mode: e.target_unchecked_into::<HtmlInputElement>().checked(), ..s.clone() }))
    };
    let set_pin = {
        let (pin, again, cb, local_error) = (pin.clone(), again.clone(), props.on_set_pin.clone(), local_error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            let (a, b) = (value(&pin), value(&again));
            local_error.set(if !valid_pin(&a) {
                Some(Msg::PinInvalid)
            } else if a != b {
                Some(Msg::PinMismatch)
            } else {
                cb.emit(a);
                None
            });
        })
    };
    let remove_pin = {
        let cb = props.on_remove_pin.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let lock = {
        let cb = props.on_lock.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let error = (*local_error).clone().or_else(|| props.error.clone());
    html! {
        <details class="card settings">
            <summary><strong>{ ui::SETTINGS }</strong></summary>
            <div class="field">
                <label for="auto-delete">{ ui::AUTO_DELETE }</label>
                <input id="auto-delete" type="number" min="1" max={MAX_AUTO_DELETE_DAYS.to_string()} value={s.auto_delete_days.to_string()} onchange={on_days} />
            </div>
            <div class="field">
                <label for="unit-name">{ ui::UNIT_NAME }</label>
                <input id="unit-name" value={s.unit_name.clone()} onchange={on_unit} />
            </div>
            <div class="field">
                <label for="clerk-name">{ ui::CLERK_NAME }</label>
                <input id="clerk-name" value={s.clerk.clone()} onchange={on_clerk} />
            </div>
            <div class="field">
                <label for="unit-id">{ hoso_core::i18n::package::UNIT_ID }</label>
                <input id="unit-id" value={s.unit_id.clone()} onchange={on_unit_id} autocomplete="off" />
            </div>
            <div class="field">
                <label for="code-format">{ hoso_core::i18n::package::CODE_FORMAT }</label>
                <input id="code-format" value={s.code_format.clone()} onchange={on_code_format} autocomplete="off"
                    aria-describedby="code-format-example" aria-invalid={code_example.is_err().to_string()} />
                { match &code_example {
                    Ok(code) => html! { <p class="help" id="code-format-example">{ hoso_core::i18n::package::CODE_EXAMPLE }{ " " }<code>{ code }</code></p> },
                    Err(m) => html! { <p class="problem" id="code-format-example" role="alert">{ m.vi() }</p> },
                } }
            </div>
            <label class="check"><input id="citizen-mode" type="checkbox" checked={s.citizen_mode} onchange={on_citizen} />{ " " }{ ui::CITIZEN_MODE }</label>
            if s.pin.is_some() {
                <p class="ok">{ ui::PIN_ON }</p>
                <button id="lock-now" class="primary" onclick={lock}>{ ui::LOCK_NOW }</button>{ " " }
                <button id="remove-pin" class="link" onclick={remove_pin} disabled={props.busy}>{ ui::PIN_REMOVE }</button>
            } else {
                <form class="pin-form" onsubmit={set_pin}>
                    <div class="field"><label for="new-pin">{ ui::PIN_NEW }</label>
                        <input id="new-pin" ref={pin} type="password" inputmode="numeric" autocomplete="off" /></div>
                    <div class="field"><label for="new-pin-again">{ ui::PIN_AGAIN }</label>
                        <input id="new-pin-again" ref={again} type="password" inputmode="numeric" autocomplete="off" /></div>
                    <button id="set-pin" class="primary" disabled={props.busy}>{ if props.busy { ui::WORKING } else { ui::PIN_SET } }</button>
                </form>
            }
            if let Some(m) = error { <p class="problem" role="alert">{ m.vi() }</p> }
        </details>
    }
}
