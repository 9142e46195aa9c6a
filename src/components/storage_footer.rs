use crate::components::form_view::human_bytes;
use crate::hooks::SaveState;
use crate::platform::idb;
use hoso_core::i18n::ui;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub save: SaveState,
    pub on_purge: Callback<()>,
    /// Bumped after writes so the usage figure is refreshed.
    pub revision: u32,
}

/// Save indicator, storage used, and the purge button for shared PCs.
#[function_component(StorageFooter)]
pub fn storage_footer(props: &Props) -> Html {
    let usage = use_state(|| None::<(f64, f64)>);
    {
        let usage = usage.clone();
        use_effect_with((props.revision, props.save.clone()), move |_| {
            wasm_bindgen_futures::spawn_local(async move { usage.set(idb::usage().await) });
        });
    }
    let purge = {
        let cb = props.on_purge.clone();
        Callback::from(move |_| {
            if gloo::dialogs::confirm(ui::PURGE_CONFIRM) {
                cb.emit(())
            }
        })
    };
    html! {
        <footer class="storage">
            <span id="save-state" role="status">
                { match &props.save {
                    SaveState::Idle => html! {},
                    SaveState::Saving => html! { ui::SAVING },
                    SaveState::Saved => html! { <span class="ok">{ ui::SAVED }</span> },
                    SaveState::Failed(m) => html! { <span class="problem">{ m.vi() }</span> },
                } }
            </span>
            if let Some((used, quota)) = *usage {
                <span>{ format!("{}: {} / {}", ui::STORAGE_USE, human_bytes(used as u64), human_bytes(quota as u64)) }</span>
            }
            <button class="link" id="purge-all" onclick={purge}>{ ui::PURGE_ALL }</button>
        </footer>
    }
}
