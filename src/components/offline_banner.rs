use crate::hooks::use_online;
use hoso_core::i18n::ui;
use yew::prelude::*;

#[function_component(OfflineBanner)]
pub fn offline_banner() -> Html {
    if use_online() {
        return html! {};
    }
    html! { <p class="banner offline" role="status">{ ui::OFFLINE_NOW }</p> }
}
