use crate::components::training::{entry::TrainingEntry, TrainingRoot};
use crate::components::{
    form_view::FormView, offline_banner::OfflineBanner, package_checker::PackageChecker, package_view::PackageView, paper_capture::PaperCapture,
    lock_screen::LockScreen, procedure_picker::ProcedurePicker, saved_list::SavedList, settings_panel::SettingsPanel,
    storage_footer::StorageFooter,
};
use crate::components::handoff_import::HandoffImport;
use crate::components::handoff_show::HandoffShow;
use crate::hooks::{use_autosave, use_update_available};
use crate::persistence::{self, reopen};
use crate::platform::{clock, crypto, download::GeneratedFile, files::read_file, idb, storage};
use crate::state::{Action, Dossier};
use hoso_core::draft::{expired, Draft};
use hoso_core::i18n::{ui, Msg};
use std::rc::Rc;
use yew::prelude::*;

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
    let settings = use_state(storage::settings);
    // Locked from the start when a PIN protects the stored data.
    let locked = use_state(|| settings.pin.is_some());
    let lock_error = use_state(|| None::<Msg>);
    let busy = use_state(|| false);
    let update_ready = use_update_available();
    // Citizen mode writes nothing; a locked workspace has nothing to save.
    let save_to = (*store).clone().filter(|_| !settings.citizen_mode && !*locked);
    let autosave = use_autosave(state.clone(), save_to.clone());
    let save = autosave.status.clone();

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

    // Once the data can be read: auto-delete, resume where work stopped, list.
    let after_unlock = {
        let (state, refresh, settings) = (state.clone(), refresh.clone(), settings.clone());
        Callback::from(move |opened: Rc<idb::Store>| {
            let (state, refresh, days) = (state.clone(), refresh.clone(), settings.auto_delete_days);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok((list, _)) = opened.drafts().await {
                    for id in expired(&list, clock::now_ms(), days) {
                        let _ = opened.delete(id).await;
                    }
                    let current = opened.current().await.or_else(persistence::take_legacy_current);
                    if let Some(draft) = list.into_iter().find(|d| Some(&d.id) == current.as_ref()) {
                        let id = draft.id.clone();
                        state.dispatch(Action::Resume(Box::new(reopen(&opened, draft).await)));
                        persistence::redo_inbox(&opened, &state, &id).await;
                    }
                }
                refresh.emit(opened);
            });
        })
    };

    {
        let (store, storage_problems, after_unlock, locked) = (store.clone(), storage_problems.clone(), after_unlock.clone(), *locked);
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let opened = match idb::Store::open().await {
                    Ok(s) => Rc::new(s),
                    Err(m) => return storage_problems.set(vec![m]),
                };
                idb::request_persistence();
                store.set(Some(opened.clone()));
                if !locked {
                    after_unlock.emit(opened);
                }
            });
        });
    }

    let on_unlock = {
        let (store, settings, locked, lock_error, busy, after_unlock) =
            (store.clone(), settings.clone(), locked.clone(), lock_error.clone(), busy.clone(), after_unlock.clone());
        Callback::from(move |pin: String| {
            let (Some(s), Some(lock)) = ((*store).clone(), settings.pin.clone()) else { return };
            let (locked, lock_error, busy, after_unlock) = (locked.clone(), lock_error.clone(), busy.clone(), after_unlock.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = async {
                    let salt = idb::base64_decode(&lock.salt).ok_or(Msg::PinWrong)?;
                    let key = crypto::derive_key(&pin, &salt, lock.iterations).await?;
                    let check = idb::base64_decode(&lock.check).ok_or(Msg::PinWrong)?;
                    crypto::decrypt(&key, &check).await?;
                    Ok::<_, Msg>(key)
                }
                .await;
                busy.set(false);
                match result {
                    Ok(key) => {
                        s.set_key(Some(key));
                        lock_error.set(None);
                        locked.set(false);
                        after_unlock.emit(s);
                    }
                    Err(m) => lock_error.set(Some(m)),
                }
            });
        })
    };
    let on_settings = {
        let settings = settings.clone();
        Callback::from(move |next: hoso_core::settings::Settings| {
            storage::save_settings(&next);
            settings.set(next);
        })
    };
    let on_set_pin = {
        let (store, settings, lock_error, busy) = (store.clone(), settings.clone(), lock_error.clone(), busy.clone());
        Callback::from(move |pin: String| {
            let Some(s) = (*store).clone() else { return };
            let (settings, lock_error, busy) = (settings.clone(), lock_error.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = async {
                    let salt = crypto::random_bytes(16);
                    let key = crypto::derive_key(&pin, &salt, crypto::PBKDF2_ITERATIONS).await?;
                    let check = crypto::encrypt(&key, b"hoso-pin-ok").await?;
                    s.rewrite_all(Some(key)).await?;
                    Ok::<_, Msg>(hoso_core::settings::PinLock {
                        salt: idb::base64_encode(&salt),
                        iterations: crypto::PBKDF2_ITERATIONS,
                        check: idb::base64_encode(&check),
                    })
                }
                .await;
                busy.set(false);
                match result {
                    Ok(lock) => {
                        let next = hoso_core::settings::Settings { pin: Some(lock), ..(*settings).clone() };
                        storage::save_settings(&next);
                        settings.set(next);
                        lock_error.set(None);
                    }
                    Err(m) => lock_error.set(Some(m)),
                }
            });
        })
    };
    let on_remove_pin = {
        let (store, settings, lock_error, busy) = (store.clone(), settings.clone(), lock_error.clone(), busy.clone());
        Callback::from(move |()| {
            let Some(s) = (*store).clone() else { return };
            let (settings, lock_error, busy) = (settings.clone(), lock_error.clone(), busy.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = s.rewrite_all(None).await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        let next = hoso_core::settings::Settings { pin: None, ..(*settings).clone() };
                        storage::save_settings(&next);
                        settings.set(next);
                        lock_error.set(None);
                    }
                    Err(m) => lock_error.set(Some(m)),
                }
            });
        })
    };
    let on_lock = {
        let (store, state, locked, drafts) = (store.clone(), state.clone(), locked.clone(), drafts.clone());
        Callback::from(move |()| {
            if let Some(s) = (*store).clone() {
                s.set_key(None);
            }
            state.dispatch(Action::Reset);
            drafts.set(Rc::new(Vec::new()));
            locked.set(true);
        })
    };

    let reset = {
        let (state, store, refresh, flush) = (state.clone(), store.clone(), refresh.clone(), autosave.flush.clone());
        Callback::from(move |_| {
            let saved = flush.emit(());
            state.dispatch(Action::Reset);
            if let Some(s) = (*store).clone() {
                let refresh = refresh.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    saved.await;
                    let _ = s.set_current(None).await;
                    refresh.emit(s);
                });
            }
        })
    };
    let on_open = {
        let (state, store, flush) = (state.clone(), store.clone(), autosave.flush.clone());
        Callback::from(move |draft: Draft| {
            let saved = flush.emit(());
            let (state, store) = (state.clone(), store.clone());
            if let Some(s) = (*store).clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    saved.await;
                    let _ = s.set_current(Some(&draft.id)).await;
                    let id = draft.id.clone();
                    state.dispatch(Action::Resume(Box::new(reopen(&s, draft).await)));
                    persistence::redo_inbox(&s, &state, &id).await;
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
        let (settings, locked) = (settings.clone(), locked.clone());
        Callback::from(move |()| {
            storage::clear();
            settings.set(storage::settings());
            locked.set(false);
            if let Some(s) = (*store).clone() {
                s.set_key(None);
            }
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
        let (store, drafts, backup, storage_problems, notice) =
            (store.clone(), drafts.clone(), backup.clone(), storage_problems.clone(), notice.clone());
        // `None`: every dossier; `Some(id)`: that one.
        Callback::from(move |only: Option<String>| {
            let (drafts, backup, storage_problems, notice) = ((*drafts).clone(), backup.clone(), storage_problems.clone(), notice.clone());
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
                    Ok(hoso_package::backup::Backup { zip, originals_left_out }) => {
                        notice.set((originals_left_out > 0).then(|| format!("{originals_left_out} {}", ui::ORIGINALS_LEFT_OUT)));
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
                    // With the originals its pages can be made again from.
                    if let Err(m) = s.restore(item).await {
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
        <ContextProvider<idb::StoreContext> context={idb::StoreContext(save_to)}>
            <header class="top">
                <h1>{ ui::APP_NAME }</h1>
                <p class="tagline">{ ui::TAGLINE }</p>
                if chosen.is_some() {
                    <button class="link" id="new-dossier" onclick={reset}>{ ui::NEW_DOSSIER }</button>
                }
            </header>
            <OfflineBanner />
            <TrainingRoot state={state.clone()} on_reset={on_purge.clone()} />
            if update_ready {
                <p class="banner update" role="status">{ ui::UPDATE_READY }{ " " }
                    <button class="link" id="reload-update" onclick={Callback::from(|_| { let _ = gloo::utils::window().location().reload(); })}>{ ui::RELOAD }</button>
                </p>
            }
            if settings.citizen_mode { <p class="banner citizen" role="status">{ ui::CITIZEN_BANNER }</p> }
            <main>
                { for storage_problems.iter().map(|m| html! { <p class="problem" role="alert">{ m.vi() }</p> }) }
                if let Some(n) = &*notice { <p class="ok notice" role="status">{ n }</p> }
                if *locked {
                    <LockScreen {on_unlock} error={(*lock_error).clone()} busy={*busy} />
                } else if let Some(p) = chosen {
                    <p class="chosen">{ ui::STEP_PROCEDURE }{ ": " }<strong id="chosen-procedure">{ &p.name }</strong></p>
                    if state.handed_over { <p class="ok notice" role="status" id="handoff-opened">{ hoso_core::i18n::handoff::OPENED }</p> }
                    <FormView state={state.clone()} />
                    <HandoffShow state={state.clone()} />
                    <PaperCapture state={state.clone()} />
                    <PackageView state={state.clone()} />
                } else {
                    <ProcedurePicker state={state.clone()} />
                    if !settings.citizen_mode {
                        <HandoffImport state={state.clone()} />
                        <SavedList drafts={(*drafts).clone()} {on_open} {on_delete} on_export={on_export.clone()} />
                    }
                    <PackageChecker />
                    if !storage::training() { <TrainingEntry /> }
                    <SettingsPanel settings={(*settings).clone()} on_change={on_settings} {on_set_pin} {on_remove_pin} {on_lock}
                        busy={*busy} error={(*lock_error).clone()} />
                }
            </main>
            <StorageFooter {save} {on_purge} on_export_all={on_export.reform(|()| None)} {on_import} backup={(*backup).clone()} revision={*revision} />
        </ContextProvider<idb::StoreContext>>
    }
}
