use crate::components::{
    form_view::FormView, offline_banner::OfflineBanner, package_checker::PackageChecker, package_view::PackageView, paper_capture::PaperCapture,
    procedure_picker::ProcedurePicker, saved_list::SavedList, storage_footer::StorageFooter,
};
use crate::hooks::use_autosave;
use crate::persistence::{self, reopen};
use crate::platform::{clock, download::GeneratedFile, idb, files::read_file};
use crate::state::{Action, Dossier};
use hoso_core::draft::{expired, Draft};
use hoso_core::i18n::{ui, Msg};
use std::rc::Rc;
use yew::prelude::*;

/// Packaged or submitted dossiers are removed from a shared PC after this many days.
const AUTO_DELETE_DAYS: u32 = 7;

/// The counter journey: pick a procedure (or reopen a saved dossier), fill
/// its declaration, capture the papers, package. One screen, top to
/// bottom, so the keyboard order is the work order. Every change is saved
/// on the device.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(Dossier::default);
    let store = use_state(|| None::<Rc<idb::Store>>);
    let drafts = use_state(|| Rc::new(Vec::<Draft>::new()));
    let storage_problems = use_state(Vec::<Msg>::new);
    let revision = use_state(|| 0u32);
    let backup = use_state(|| None::<Rc<GeneratedFile>>);
    let notice = use_state(|| None::<String>);
    let save = use_autosave(state.clone(), (*store).clone());

    // Reads the saved list again (after opening the app, a reset, a delete).
    let refresh = {
        let (drafts, storage_problems, revision) = (drafts.clone(), storage_problems.clone(), revision.clone());
        Callback::from(move |store: Rc<idb::Store>| {
            let (drafts, storage_problems, revision) = (drafts.clone(), storage_problems.clone(), revision.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match store.drafts().await {
                    Ok((list, bad)) => {
                        drafts.set(Rc::new(list));
                        storage_problems.set(bad);
                    }
                    Err(m) => storage_problems.set(vec![m]),
                }
                revision.set(*revision + 1);
            });
        })
    };

    {
        let (state, store, storage_problems, refresh) = (state.clone(), store.clone(), storage_problems.clone(), refresh.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let opened = match idb::Store::open().await {
                    Ok(s) => Rc::new(s),
                    Err(m) => return storage_problems.set(vec![m]),
                };
                idb::request_persistence();
                if let Ok((list, _)) = opened.drafts().await {
                    for id in expired(&list, clock::now_ms(), AUTO_DELETE_DAYS) {
                        let _ = opened.delete(id).await;
                    }
                    // Resume exactly where work stopped.
                    let current = persistence::current();
                    if let Some(draft) = list.into_iter().find(|d| Some(&d.id) == current.as_ref()) {
                        state.dispatch(Action::Resume(Box::new(reopen(&opened, draft).await)));
                    }
                }
                refresh.emit(opened.clone());
                store.set(Some(opened));
            });
        });
    }

    let reset = {
        let (state, store, refresh) = (state.clone(), store.clone(), refresh.clone());
        Callback::from(move |_| {
            persistence::remember_current(None);
            state.dispatch(Action::Reset);
            if let Some(s) = (*store).clone() {
                refresh.emit(s);
            }
        })
    };
    let on_open = {
        let (state, store) = (state.clone(), store.clone());
        Callback::from(move |draft: Draft| {
            let (state, store) = (state.clone(), store.clone());
            if let Some(s) = (*store).clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    persistence::remember_current(Some(&draft.id));
                    state.dispatch(Action::Resume(Box::new(reopen(&s, draft).await)));
                });
            }
        })
    };
    let on_delete = {
        let (store, refresh, storage_problems) = (store.clone(), refresh.clone(), storage_problems.clone());
        Callback::from(move |id: String| {
            let (refresh, storage_problems) = (refresh.clone(), storage_problems.clone());
            if let Some(s) = (*store).clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(m) = s.delete(&id).await {
                        storage_problems.set(vec![m]);
                    }
                    refresh.emit(s);
                });
            }
        })
    };
    let on_purge = {
        let (state, store, refresh) = (state.clone(), store.clone(), refresh.clone());
        Callback::from(move |()| {
            persistence::forget_all();
            state.dispatch(Action::Reset);
            if let Some(s) = (*store).clone() {
                let refresh = refresh.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = s.clear().await;
                    refresh.emit(s);
                });
            }
        })
    };

    let on_export = {
        let (store, drafts, backup, storage_problems) = (store.clone(), drafts.clone(), backup.clone(), storage_problems.clone());
        // `None`: every dossier; `Some(id)`: that one.
        Callback::from(move |only: Option<String>| {
            let (drafts, backup, storage_problems) = ((*drafts).clone(), backup.clone(), storage_problems.clone());
            let Some(s) = (*store).clone() else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let mut items = Vec::new();
                for d in drafts.iter().filter(|d| only.as_ref().is_none_or(|id| *id == d.id)) {
                    match s.with_pages(d).await {
                        Ok(item) => items.push(item),
                        Err(m) => return storage_problems.set(vec![m]),
                    }
                }
                let today = clock::today();
                match hoso_package::backup::export(&items, today) {
                    Ok(zip) => {
                        let who = match (only, items.first()) {
                            (Some(_), Some(item)) => format!("-{}", hoso_core::text::slug(item.draft.person().unwrap_or("ho-so"))),
                            _ => String::new(),
                        };
                        let name = format!("hoso-sao-luu-{:04}{:02}{:02}{who}.zip", today.year, today.month, today.day);
                        backup.set(Some(GeneratedFile::new(name, zip, "application/zip")));
                    }
                    Err(e) => storage_problems.set(vec![e.msg()]),
                }
            });
        })
    };
    let on_import = {
        let (store, refresh, storage_problems, notice) = (store.clone(), refresh.clone(), storage_problems.clone(), notice.clone());
        Callback::from(move |file: web_sys::File| {
            let (refresh, storage_problems, notice) = (refresh.clone(), storage_problems.clone(), notice.clone());
            let Some(s) = (*store).clone() else { return };
            wasm_bindgen_futures::spawn_local(async move {
                let bytes = match read_file(&file).await {
                    Ok(b) => b,
                    Err(why) => return storage_problems.set(vec![Msg::BackupInvalid(why)]),
                };
                // Everything is checked before the first write.
                let items = match hoso_package::backup::import(&bytes) {
                    Ok(items) => items,
                    Err(msgs) => return storage_problems.set(msgs),
                };
                for item in &items {
                    let blobs: Vec<idb::PageBlob> =
                        item.pages.iter().map(|(id, jpeg)| idb::PageBlob { key: item.draft.page_key(*id), jpeg }).collect();
                    if let Err(m) = s.save(&item.draft, &blobs, &[]).await {
                        return storage_problems.set(vec![m]);
                    }
                }
                storage_problems.set(Vec::new());
                notice.set(Some(format!("{} {}", ui::IMPORTED, items.len())));
                refresh.emit(s);
            });
        })
    };

    let chosen = state.procedure();
    html! {
        <>
            <header class="top">
                <h1>{ ui::APP_NAME }</h1>
                <p class="tagline">{ ui::TAGLINE }</p>
                if chosen.is_some() {
                    <button class="link" id="new-dossier" onclick={reset}>{ ui::NEW_DOSSIER }</button>
                }
            </header>
            <OfflineBanner />
            <main>
                { for storage_problems.iter().map(|m| html! { <p class="problem" role="alert">{ m.vi() }</p> }) }
                if let Some(n) = &*notice { <p class="ok notice" role="status">{ n }</p> }
                if let Some(p) = chosen {
                    <p class="chosen">{ ui::STEP_PROCEDURE }{ ": " }<strong id="chosen-procedure">{ &p.name }</strong></p>
                    <FormView state={state.clone()} />
                    <PaperCapture state={state.clone()} />
                    <PackageView state={state.clone()} />
                } else {
                    <ProcedurePicker state={state.clone()} />
                    <SavedList drafts={(*drafts).clone()} {on_open} {on_delete} on_export={on_export.clone()} />
                    <PackageChecker />
                }
            </main>
            <StorageFooter {save} {on_purge} on_export_all={on_export.reform(|()| None)} {on_import} backup={(*backup).clone()} revision={*revision} />
        </>
    }
}
