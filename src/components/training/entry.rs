//! The way into training from the start screen, with the display settings.

use super::display::DisplayControls;
use crate::platform::training;
use hoso_core::i18n::training as t;
use yew::prelude::*;

#[function_component(TrainingEntry)]
pub fn training_entry() -> Html {
    let enter = Callback::from(|_| training::switch_mode(true));
    html! {
        <section class="card training-entry" aria-labelledby="training-entry-title">
            <h2 id="training-entry-title">{ t::ENTER_TITLE }</h2>
            <p>{ t::ENTER_TEXT }</p>
            <p><button class="primary" id="training-enter" onclick={enter}>{ t::ENTER }</button></p>
            <DisplayControls />
        </section>
    }
}
