use crate::components::form_view::human_bytes;
use crate::hooks::SaveState;
use crate::platform::{download::GeneratedFile, idb};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use hoso_core::i18n::ui;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub save: SaveState,
    pub on_purge: Callback<()>,
    pub on_export_all: Callback<()>,
    pub on_import: Callback<web_sys::File>,
    /// The last backup made, offered as a download.
    pub backup: Option<Rc<GeneratedFile>>,
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
    let export_all = {
        let cb = props.on_export_all.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let import = {
        let cb = props.on_import.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                cb.emit(file);
            }
            input.set_value("");
        })
    };
    html! {
        <footer class="storage">
            <span id="save-state" role="status">
                { match &props.save {
                    SaveState::Idle => html! {},
                    SaveState::Saving => html! { <span class="saving">{ ui::SAVING }</span> },
                    SaveState::Saved => html! { <span class="ok">{ ui::SAVED }</span> },
                    SaveState::Failed(m) => html! { <span class="problem">{ m.vi() }</span> },
                } }
            </span>
            if let Some((used, quota)) = *usage {
                <span>{ format!("{}: {} / {}", ui::STORAGE_USE, human_bytes(used as u64), human_bytes(quota as u64)) }</span>
            }
            <button class="link" id="export-all" onclick={export_all}>{ ui::EXPORT_ALL }</button>
            if let Some(b) = &props.backup {
                <a id="backup-download" href={b.href()} download={b.name.clone()}>{ &b.name }</a>
            }
            <label class="link" for="import-file">{ ui::IMPORT }</label>
            <input id="import-file" class="sr" type="file" accept=".zip,application/zip" onchange={import} />
            <button class="link" id="purge-all" onclick={purge}>{ ui::PURGE_ALL }</button>
        </footer>
    }
}
