use hoso_core::date::vietnam_time_label;
use hoso_core::draft::Draft;
use hoso_core::i18n::ui;
use hoso_core::text::person_name;
use hoso_core::Catalog;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub drafts: Rc<Vec<Draft>>,
    pub on_open: Callback<Draft>,
    pub on_delete: Callback<String>,
    pub on_export: Callback<Option<String>>,
}

/// Hồ sơ đã lưu — dossiers kept on this device, newest first, searchable
/// by name or ID number with or without diacritics.
#[function_component(SavedList)]
pub fn saved_list(props: &Props) -> Html {
    let query = use_state(String::new);
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let catalog = Catalog::embedded();
    let shown: Vec<&Draft> = props.drafts.iter().filter(|d| d.matches(&query)).collect();
    html! {
        <section aria-labelledby="saved-title" class="saved">
            <h2 id="saved-title">{ ui::SAVED_DOSSIERS }</h2>
            if props.drafts.is_empty() {
                <p class="help">{ ui::NO_SAVED }</p>
            } else {
                <input type="search" id="saved-search" placeholder={ui::SEARCH} aria-label={ui::SEARCH} {oninput} />
                if shown.is_empty() { <p class="help">{ ui::NO_MATCH }</p> }
                <table class="saved-list">
                    <tbody>
                    { for shown.into_iter().map(|d| {
                        let open = { let cb = props.on_open.clone(); let d = d.clone(); Callback::from(move |_| cb.emit(d.clone())) };
                        let delete = {
                            let cb = props.on_delete.clone();
                            let id = d.id.clone();
                            Callback::from(move |_| {
                                if gloo::dialogs::confirm(ui::DELETE_CONFIRM) { cb.emit(id.clone()) }
                            })
                        };
                        let export = { let cb = props.on_export.clone(); let id = d.id.clone(); Callback::from(move |_| cb.emit(Some(id.clone()))) };
                        let procedure = catalog.procedure(&d.procedure).map(|p| p.name.as_str()).unwrap_or(&d.procedure);
                        html! {
                            <tr data-draft={d.id.clone()}>
                                <td><strong>{ d.person().map(person_name).unwrap_or_else(|| "—".into()) }</strong><br /><small>{ procedure }</small></td>
                                <td><span class="status">{ d.status(catalog).label() }</span></td>
                                <td><small>{ ui::LAST_CHANGE }{ " " }{ vietnam_time_label(d.updated_ms) }</small></td>
                                <td class="row-actions">
                                    <button class="primary open" onclick={open}>{ ui::OPEN }</button>
                                    <button class="link export" onclick={export}>{ ui::EXPORT_ONE }</button>
                                    <button class="link delete" onclick={delete}>{ ui::DELETE_DOSSIER }</button>
                                </td>
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
            }
        </section>
    }
}
