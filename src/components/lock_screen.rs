use hoso_core::i18n::{ui, Msg};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_unlock: Callback<String>,
    pub error: Option<Msg>,
    pub busy: bool,
}

/// Shown instead of the workspace while stored data is PIN-locked.
#[function_component(LockScreen)]
pub fn lock_screen(props: &Props) -> Html {
    let pin = use_node_ref();
    let onsubmit = {
        let (pin, cb) = (pin.clone(), props.on_unlock.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(input) = pin.cast::<HtmlInputElement>() {
                cb.emit(input.value());
                input.set_value("");
            }
        })
    };
    html! {
        <form class="card lock" {onsubmit}>
            <h2>{ ui::UNLOCK_TITLE }</h2>
            <label for="unlock-pin">{ ui::PIN_LABEL }</label>
            <input id="unlock-pin" ref={pin} type="password" inputmode="numeric" autocomplete="off" autofocus=true />
            <button class="primary" id="unlock" disabled={props.busy}>{ if props.busy { ui::WORKING } else { ui::UNLOCK } }</button>
            if let Some(m) = &props.error { <p class="problem" role="alert">{ m.vi() }</p> }
        </form>
    }
}
