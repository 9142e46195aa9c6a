//! Hiển thị — large text and high contrast for projectors, kept per mode
//! on this device.

use crate::platform::{storage, training};
use hoso_core::i18n::training as t;
use hoso_training::display::{Display, ZOOMS};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

const KEY: &str = "hoso.display";

pub fn load() -> Display {
    Display::from_json(storage::get(KEY).as_deref())
}

pub fn save(d: &Display) {
    storage::set(KEY, &d.to_json());
}

/// Zoom and contrast controls; every change applies at once and is kept.
#[function_component(DisplayControls)]
pub fn display_controls() -> Html {
    let display = use_state(load);
    let on_zoom = {
        let display = display.clone();
        Callback::from(move |e: Event| {
            if let Ok(zoom) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u16>() {
                let next = Display { zoom, ..*display };
                save(&next);
                training::apply_display(&next);
                display.set(next);
            }
        })
    };
    let on_contrast = {
        let display = display.clone();
        Callback::from(move |e: Event| {
            let next = Display { high_contrast: e.target_unchecked_into::<HtmlInputElement>().checked(), ..*display };
            save(&next);
            training::apply_display(&next);
            display.set(next);
        })
    };
    html! {
        <fieldset class="display-controls">
            <legend>{ t::DISPLAY }</legend>
            <div class="field">
                <label for="display-zoom">{ t::ZOOM }</label>
                <select id="display-zoom" onchange={on_zoom}>
                    { for ZOOMS.iter().map(|z| html! {
                        <option value={z.to_string()} selected={*z == display.zoom}>
                            { if *z == 100 { format!("{z} % ({})", t::ZOOM_NORMAL) } else { format!("{z} %") } }
                        </option>
                    }) }
                </select>
            </div>
            <label class="check"><input id="display-contrast" type="checkbox" checked={display.high_contrast} onchange={on_contrast} />{ " " }{ t::HIGH_CONTRAST }</label>
        </fieldset>
    }
}
