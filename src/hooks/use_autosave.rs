use crate::components::paper_capture::{inbox_key, still_making};
use crate::platform::idb::{InboxMeta, LateOriginal, PageBlob, Store};
use crate::platform::{clock, queue::Line};
use crate::state::Original;
use crate::state::Dossier;
use gloo::timers::callback::Timeout;
use hoso_core::draft::Draft;
use hoso_core::i18n::Msg;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use yew::prelude::*;

/// Where the last autosave stands, for the "Đã lưu" indicator.
#[derive(Clone, PartialEq)]
pub enum SaveState {
    Idle,
    /// A change waits for its debounce or is being written: "Đã lưu" now
    /// would be a lie to a clerk about to close the tab.
    Saving,
    Saved,
    Failed(Msg),
}

/// Pages already in the store, per draft (so switching drafts never
/// deletes the previous draft's pages).
#[derive(Default)]
struct Stored {
    draft_id: String,
    /// Page key → SHA-256 of the blob stored there (a page made again
    /// keeps its key and gets a new blob).
    page_keys: HashMap<String, String>,
    /// Originals the stored pages keep (deleted with their page, or once packaged).
    originals: HashSet<String>,
    /// Originals any state of `seen_draft` has held, saved or not: a page
    /// removed, retaken or packaged before the next save still leaves the
    /// store (else reopening would make its page again from the inbox).
    seen: HashSet<String>,
    seen_draft: String,
    /// Originals kept only in memory when their file was dropped (storage
    /// full), stored since with a save: the bytes (the pages holding them
    /// share them) and their key.
    late: Vec<(Rc<Vec<u8>>, String)>,
}

/// The latest change handed to a save.
#[derive(Default)]
struct Latest {
    /// Its draft (waiting or written); a change undone before its save
    /// still gets one, back to what is shown.
    draft: Option<Draft>,
    /// Bumped by every change: only the latest change's save may say "Đã lưu".
    generation: u64,
}

type SaveFuture = Pin<Box<dyn Future<Output = ()>>>;

/// A save that runs once, whichever comes first: its timer or a flush.
type SaveOnce = Rc<RefCell<Option<SaveFuture>>>;

fn take(save: &SaveOnce) -> SaveFuture {
    let save_now = save.borrow_mut().take();
    save_now.unwrap_or_else(|| Box::pin(async {}))
}

/// A save waiting for its debounce: dropping it cancels it.
struct Pending {
    _timer: Timeout,
    run: SaveOnce,
    /// When the first change it holds was made (ms).
    since: f64,
}

/// Quiet time after a change before it is saved.
const DEBOUNCE_MS: f64 = 250.0;
/// Changes that never pause (pages of a scanner file arriving every 230 ms)
/// are still saved at least this often: the debounce alone, reset by each,
/// would save nothing until the last.
const MAX_WAIT_MS: f64 = 1000.0;

/// How long a change made at `now` waits, the oldest unsaved one made at `since`.
fn save_delay(since: f64, now: f64) -> u32 {
    (since + MAX_WAIT_MS - now).clamp(0.0, DEBOUNCE_MS) as u32
}

/// What the autosave hook gives the app.
pub struct Autosave {
    pub status: SaveState,
    /// Writes a waiting save now, done when the future is: "Hồ sơ mới"
    /// right after a keystroke must not lose it, and the start screen must
    /// list it (a purge, instead, cancels it by clearing the dossier).
    pub flush: Callback<(), SaveFuture>,
}

/// Saves the dossier shortly after every change (debounced), the draft
/// and its new or removed page blobs in one transaction.
#[hook]
pub fn use_autosave(state: UseReducerHandle<Dossier>, store: Option<Rc<Store>>) -> Autosave {
    let status = use_state(|| SaveState::Idle);
    let stored = use_mut_ref(Stored::default);
    let latest = use_mut_ref(Latest::default);
    let pending = use_mut_ref(|| None::<Pending>);
    // One save at a time, in the order of the changes.
    let writing = use_memo((), |_| Line::new());
    let flush: Callback<(), SaveFuture> = {
        let (pending, writing) = (pending.clone(), writing.clone());
        Callback::from(move |()| {
            let waiting = pending.borrow_mut().take().map(|w| take(&w.run));
            let writing = writing.clone();
            Box::pin(async move {
                if let Some(save) = waiting {
                    save.await;
                }
                // One the timer already started counts too.
                writing.idle().await;
            }) as SaveFuture
        })
    };
    {
        let status = status.clone();
        use_effect_with((state, store), move |(state, store)| {
            let (Some(store), Some(draft)) = (store.clone(), state.to_draft()) else {
                // Cleared (new dossier, purge, training reset): a save still
                // waiting would write the old dossier back after the purge.
                let mut latest = latest.borrow_mut();
                if pending.borrow_mut().take().is_some() {
                    latest.generation += 1;
                    status.set(SaveState::Idle);
                }
                latest.draft = None;
                return;
            };
            {
                let mut s = stored.borrow_mut();
                if s.seen_draft != draft.id {
                    s.seen_draft = draft.id.clone();
                    s.seen.clear();
                }
                s.seen.extend(state.pages.iter().filter_map(|p| p.original.as_ref()?.key()).map(str::to_string));
            }
            let generation = {
                let mut latest = latest.borrow_mut();
                if latest.draft.as_ref() == Some(&draft) {
                    return;
                }
                latest.draft = Some(draft.clone());
                latest.generation += 1;
                latest.generation
            };
            status.set(SaveState::Saving);
            let state = state.clone();
            let (stored, latest, writing) = (stored.clone(), latest.clone(), writing.clone());
            let save_now: SaveFuture = Box::pin(async move {
                // One save at a time: an earlier one still sealing its pages
                // (PIN) must not land after this one and undo it.
                let turn = writing.turn().await;
                if latest.borrow().generation != generation {
                    // A later change was made while this one waited: its save
                    // holds the whole newer state and is in line too (or a
                    // purge came): this older one is not written.
                    return;
                }
                let result = save(&store, &state, draft, &stored).await;
                drop(turn);
                let mut latest = latest.borrow_mut();
                if latest.generation != generation {
                    return; // a later change is waiting: still "Đang lưu…"
                }
                status.set(match result {
                    Ok(()) => SaveState::Saved,
                    Err(m) => {
                        latest.draft = None; // the next change tries again
                        SaveState::Failed(m)
                    }
                });
            });
            let run: SaveOnce = Rc::new(RefCell::new(Some(save_now)));
            let now = js_sys::Date::now();
            // The oldest change still waiting (none once its save has started).
            let since = pending.borrow().as_ref().filter(|p| p.run.borrow().is_some()).map_or(now, |p| p.since);
            let timer = {
                let run = run.clone();
                Timeout::new(save_delay(since, now), move || wasm_bindgen_futures::spawn_local(take(&run)))
            };
            *pending.borrow_mut() = Some(Pending { _timer: timer, run, since }); // drops (cancels) the earlier one
        });
    }
    use_flush_when_hidden(flush.clone());
    Autosave { status: (*status).clone(), flush }
}

/// A tab hidden or closed writes its waiting save at once: the debounce
/// must not cost the last keystroke.
#[hook]
fn use_flush_when_hidden(flush: Callback<(), SaveFuture>) {
    use_effect_with((), move |_| {
        let run = move || wasm_bindgen_futures::spawn_local(flush.emit(()));
        let hidden = {
            let run = run.clone();
            gloo::events::EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                if gloo::utils::document().hidden() {
                    run();
                }
            })
        };
        let closing = gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| run());
        move || drop((hidden, closing))
    });
}

async fn save(store: &Store, state: &Dossier, draft: Draft, stored: &Rc<RefCell<Stored>>) -> Result<(), Msg> {
    let (new_pages, removed, dropped, keys, originals) = {
        let mut s = stored.borrow_mut();
        if s.draft_id != draft.id {
            // Another draft: start from what its stored record lists.
            let (seen, seen_draft) = (std::mem::take(&mut s.seen), std::mem::take(&mut s.seen_draft));
            *s = Stored { draft_id: draft.id.clone(), seen, seen_draft, ..Stored::default() };
            s.originals = draft.pages.iter().filter_map(|p| p.scan.as_ref()?.original.clone()).collect();
        }
        let keys: HashMap<String, String> = state.pages.iter().map(|p| (draft.page_key(p.id), p.sha256.clone())).collect();
        let new_pages: Vec<(String, Rc<Vec<u8>>)> = state
            .pages
            .iter()
            .filter(|p| s.page_keys.get(&draft.page_key(p.id)) != Some(&p.sha256))
            .map(|p| (draft.page_key(p.id), p.stored.clone()))
            .collect();
        let removed: Vec<String> = s.page_keys.keys().filter(|k| !keys.contains_key(*k)).cloned().collect();
        let originals: HashSet<String> =
            state.pages.iter().filter_map(|p| p.original.as_ref()?.key()).map(str::to_string).collect();
        let seen = if s.seen_draft == draft.id { s.seen.clone() } else { HashSet::new() };
        // A TIFF or PDF still being made keeps its file even with no page of it on screen yet.
        let dropped: Vec<String> =
            s.originals.union(&seen).filter(|k| !originals.contains(*k) && !still_making(k)).cloned().collect();
        (new_pages, removed, dropped, keys, originals)
    };
    let blobs: Vec<PageBlob> = new_pages.iter().map(|(key, bytes)| PageBlob { key: key.clone(), jpeg: bytes, inbox: None }).collect();
    let mut timestamped = draft.clone();
    timestamped.updated_ms = clock::now_ms();
    // Originals only in memory (storage was full at the drop): kept with
    // this save once there is room, so their pages can still be made again
    // after the tab closes (the record names them).
    let (known, fresh) = late_originals(state, &draft.id, &stored.borrow().late);
    let mut with_late = timestamped.clone();
    name_originals(&mut with_late, state, known.iter().chain(&fresh));
    let late: Vec<LateOriginal> = fresh.iter().map(|(bytes, key, meta)| LateOriginal { key: key.clone(), meta: meta.clone(), bytes }).collect();
    let mut originals = originals;
    let written = match store.save_open(&with_late, &blobs, &removed, &dropped, &late).await {
        Ok(()) => {
            originals.extend(known.iter().chain(&fresh).map(|(_, key, _)| key.clone()));
            let mut s = stored.borrow_mut();
            s.late = known.into_iter().chain(fresh).map(|(bytes, key, _)| (bytes, key)).collect();
            with_late
        }
        // Still no room for them: the dossier itself is saved without them (tried again next time).
        Err(Msg::StorageFull) if !fresh.is_empty() => {
            let mut without = timestamped;
            name_originals(&mut without, state, known.iter());
            store.save_open(&without, &blobs, &removed, &dropped, &[]).await?;
            originals.extend(known.iter().map(|(_, key, _)| key.clone()));
            stored.borrow_mut().late = known.into_iter().map(|(bytes, key, _)| (bytes, key)).collect();
            without
        }
        Err(m) => return Err(m),
    };
    let timestamped = written;
    let mut s = stored.borrow_mut();
    if s.draft_id == draft.id {
        s.page_keys = keys;
        s.originals = originals;
    }
    if s.seen_draft == timestamped.id {
        for key in &dropped {
            s.seen.remove(key);
        }
    }
    Ok(())
}

/// The in-memory originals of the pages on screen, each once (the pages of
/// one TIFF share theirs): those stored by an earlier save, with their
/// key, and those still to store, with a new key and what to keep about them.
#[allow(clippy::type_complexity)]
fn late_originals(
    state: &Dossier,
    draft_id: &str,
    stored: &[(Rc<Vec<u8>>, String)],
) -> (Vec<(Rc<Vec<u8>>, String, InboxMeta)>, Vec<(Rc<Vec<u8>>, String, InboxMeta)>) {
    let (mut known, mut fresh): (Vec<(Rc<Vec<u8>>, String, InboxMeta)>, Vec<_>) = (Vec::new(), Vec::new());
    for p in &state.pages {
        let Some(Original::InMemory(bytes)) = &p.original else { continue };
        if bytes.is_empty() || known.iter().chain(&fresh).any(|(b, _, _)| Rc::ptr_eq(b, bytes)) {
            continue;
        }
        let meta = InboxMeta {
            component: p.component.clone(),
            name: p.source_name.clone(),
            profile: p.asked.name().to_string(),
            paper: p.paper.map(hoso_image::Paper::name).unwrap_or_default().to_string(),
            ..InboxMeta::default()
        };
        match stored.iter().find(|(b, _)| Rc::ptr_eq(b, bytes)) {
            Some((_, key)) => known.push((bytes.clone(), key.clone(), meta)),
            None => fresh.push((bytes.clone(), inbox_key(draft_id), meta)),
        }
    }
    (known, fresh)
}

/// Names in `draft`'s page records the key each in-memory original is kept under.
fn name_originals<'a>(draft: &mut Draft, state: &Dossier, kept: impl Iterator<Item = &'a (Rc<Vec<u8>>, String, InboxMeta)> + Clone) {
    for p in &state.pages {
        let Some(Original::InMemory(bytes)) = &p.original else { continue };
        let Some((_, key, _)) = kept.clone().find(|(b, _, _)| Rc::ptr_eq(b, bytes)) else { continue };
        if let Some(scan) = draft.pages.iter_mut().find(|d| d.id == p.id).and_then(|d| d.scan.as_mut()) {
            scan.original = Some(key.clone());
        }
    }
}
