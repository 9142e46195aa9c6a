use crate::components::form_view::human_bytes;
use crate::components::page_list::{PageList, PageTools};
use crate::platform::idb::{InboxEntry, InboxMeta, Store, StoreContext};
use crate::platform::worker::{self, ScanParams};
use crate::platform::{clock, download::GeneratedFile, files};
use crate::state::{Action, Dossier, Original, PageItem, Problem};
use hoso_core::catalog::Component;
use hoso_core::i18n::{multipage, scan as words, ui, Msg};
use hoso_image::{Paper, Profile};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use web_sys::{DragEvent, FileList, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Step 3: one drop zone per paper of the procedure, with thumbnails.
#[function_component(PaperCapture)]
pub fn paper_capture(props: &Props) -> Html {
    let state = &props.state;
    // Làm nóng: the page worker starts and gets its hot loops compiled while
    // the clerk is still on the form, so the first photo is as quick as the next.
    let papers: Vec<Profile> = state
        .procedure()
        .map(|p| p.papers().map(|c| state.capture.get(&c.id).map_or(Profile::Auto, |c| c.0)).collect())
        .unwrap_or_default();
    use_effect_with(state.procedure.clone(), move |_| {
        let timer = (!papers.is_empty())
            .then(|| gloo::timers::callback::Timeout::new(WARM_UP_DELAY_MS, move || worker::warm_up(warm_profiles(&papers))));
        move || drop(timer)
    });
    let Some(procedure) = state.procedure() else { return html! {} };
    html! {
        <section aria-labelledby="step-papers">
            <h2 id="step-papers">{ ui::STEP_PAPERS }</h2>
            if !state.pages.is_empty() {
                <p class="size-total" data-testid="dossier-size">
                    { size_summary(words::DOSSIER_TOTAL, state.pages.len(), state.pages.iter().map(|p| p.page.bytes() as u64).sum()) }
                </p>
            }
            { for state.problems.iter().map(|p| html! {
                <p class="problem" role="alert"><strong>{ &p.source_name }</strong>{ ": " }{ p.msg.vi() }</p>
            }) }
            { for procedure.papers().map(|c| html! { <PaperSlot state={state.clone()} component={c.clone()} /> }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SlotProps {
    state: UseReducerHandle<Dossier>,
    component: Component,
}

#[function_component(PaperSlot)]
fn paper_slot(props: &SlotProps) -> Html {
    let dragging = use_state(|| false);
    let store = use_context::<StoreContext>().and_then(|c| c.0);
    // Per paper: how its pages are stored and what size the sheets are (kept with the draft).
    let (profile, paper) = props.state.capture.get(&props.component.id).copied().unwrap_or((Profile::Auto, None));
    let take = {
        let (state, store) = (props.state.clone(), store.clone());
        let component = props.component.id.clone();
        let params = ScanParams { profile, paper, ..ScanParams::default() };
        move |files: FileList| {
            let taken = js_sys::Date::now();
            // A real page goes first: any warm-up still to come is dropped.
            worker::page_coming();
            // All shown as pending at once, made one after the other in the order picked.
            let mut queue = Vec::new();
            for i in 0..files.length() {
                let Some(file) = files.get(i) else { continue };
                let mut job = Job::new(component.clone(), file.name(), Original::InMemory(Rc::default()));
                job.params = params;
                queue.push((start(&state, &job), job, file));
            }
            let (state, store) = (state.clone(), store.clone());
            let draft_id = state.draft_id.clone().unwrap_or_default();
            // Its place after the files dropped before, taken now: a batch
            // kept quicker than the one before it still waits for it.
            let turn = worker::files_turn();
            wasm_bindgen_futures::spawn_local(async move {
                // Kept at once, before waiting for their turn: a tab closed
                // meanwhile still has every file, in order, with its choices.
                if let Some(s) = &store {
                    keep_dropped(&state, s, &draft_id, &mut queue).await;
                }
                // One original in memory at a time.
                let _turn = turn.await;
                for (token, job, file) in queue {
                    // The dossier was closed or purged while this waited: its
                    // kept files are made when it is reopened (or went with the purge).
                    if waiting(&state, token) {
                        make_dropped(&state, store.as_ref(), &draft_id, token, job, &file, taken).await;
                    }
                }
            });
        }
    };
    let onchange = {
        let take = take.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files() {
                take(files);
            }
            input.set_value(""); // the same file may be picked again after removal
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                take(files);
            }
        })
    };
    let c = &props.component;
    let input_id = format!("file-{}", c.id);
    let pages: Vec<_> = props.state.pages_of(&c.id).cloned().collect();
    let pending: Vec<_> = props.state.pending.iter().filter(|p| p.component == c.id && p.replaces.is_none()).cloned().collect();
    let on_profile = {
        let (state, component) = (props.state.clone(), c.id.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let profile = Profile::parse(&select.value()).unwrap_or(Profile::Auto);
            state.dispatch(Action::CaptureChoice { component: component.clone(), profile, paper });
        })
    };
    let on_paper = {
        let (state, component) = (props.state.clone(), c.id.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let paper = Paper::parse(&select.value());
            state.dispatch(Action::CaptureChoice { component: component.clone(), profile, paper });
        })
    };
    let profile_id = format!("profile-{}", c.id);
    let paper_id = format!("paper-{}", c.id);
    html! {
        <div class="card paper" data-component={c.id.clone()}>
            <h3>{ &c.name }if c.required { <span class="req">{ " *" }</span> }</h3>
            if let Some(note) = &c.note { <p class="help">{ note }</p> }
            <div class="scan-choices">
                <label for={profile_id.clone()}>{ words::PROFILE_LABEL }</label>
                <select id={profile_id} class="scan-profile" onchange={on_profile}>
                    { for PROFILES.iter().map(|&(p, label)| html! {
                        <option value={p.name()} selected={profile == p}>{ label }</option>
                    }) }
                </select>
                <label for={paper_id.clone()}>{ words::PAPER_LABEL }</label>
                <select id={paper_id} class="scan-paper" onchange={on_paper}>
                    { for PAPERS.iter().map(|&(p, label)| html! {
                        <option value={p.map(Paper::name).unwrap_or("auto")} selected={paper == p}>{ label }</option>
                    }) }
                </select>
            </div>
            <p class="help">{ words::PROFILE_HELP }</p>
            <label for={input_id.clone()} class={classes!("dropzone", dragging.then_some("dragging"))}
                {ondragover} {ondragleave} {ondrop}>
                <span>{ ui::ATTACH_HINT }</span>
                <input id={input_id} type="file" accept={ACCEPT} multiple=true {onchange} />
            </label>
            <PageList state={props.state.clone()} component={c.id.clone()}>
                { for pages.iter().map(|p| {
                    let remove = {
                        let (state, store) = (props.state.clone(), store.clone());
                        let (id, original, source_page) = (p.id, p.original.clone(), p.source_page);
                        Callback::from(move |_| {
                            state.dispatch(Action::RemovePage(id));
                            note_removed(store.clone(), original.as_ref(), source_page);
                        })
                    };
                    html! {
                        <li class="thumb" key={p.id} data-page={p.id.to_string()} data-sha256={p.sha256.clone()} draggable="true"
                            data-profile={p.page.profile.name()} aria-busy={busy(&props.state, p.id).is_some().to_string()}>
                            <img src={p.thumb.href()} alt={p.source_name.clone()} />
                            <span class="page-info">{ page_info(p) }</span>
                            if p.page.dpi < hoso_image::PAGE_DPI - 0.5 {
                                <span class="page-warn" role="note">{ words::low_resolution(p.page.dpi) }</span>
                            }
                            if let Some(done) = busy(&props.state, p.id) { { progress_bar(done) } }
                            <Reprocess state={props.state.clone()} page={p.clone()} />
                            <button class="link" onclick={remove} aria-label={format!("{} {}", ui::REMOVE, p.source_name)}>{ ui::REMOVE }</button>
                            <PageTools state={props.state.clone()} id={p.id} name={p.source_name.clone()} />
                        </li>
                    }
                }) }
            </PageList>
            if !pending.is_empty() {
                <ol class="pending-pages">
                    { for pending.iter().map(|p| html! {
                        <li class="pending-page" key={p.token} data-token={p.token.to_string()}>
                            <span>{ &p.source_name }</span>
                            { progress_bar(p.done) }
                        </li>
                    }) }
                </ol>
            }
            if !pages.is_empty() {
                <p class="size-total" data-testid={format!("size-{}", c.id)}>
                    { size_summary(words::COMPONENT_TOTAL, pages.len(), pages.iter().map(|p| p.page.bytes() as u64).sum()) }
                </p>
            }
        </div>
    }
}

/// How long after the papers appear the worker starts warming up: the
/// screen is drawn first.
const WARM_UP_DELAY_MS: u32 = 800;

/// The profiles to warm up for papers asking for `asked`, each once: a
/// paper on Tự động may come out as any of them.
fn warm_profiles(asked: &[Profile]) -> Vec<Profile> {
    let mut out: Vec<Profile> = Vec::new();
    for &p in asked {
        let these: &[Profile] = if p == Profile::Auto { &[Profile::Auto, Profile::Text, Profile::Mixed, Profile::Color] } else { &[p] };
        for &q in these {
            if !out.contains(&q) {
                out.push(q);
            }
        }
    }
    out
}

/// Photos, and the files flatbed scanners write: TIFF (also multi-page)
/// and PDF. Anything else dropped is refused by the page processor.
pub const ACCEPT: &str = "image/*,.tif,.tiff,image/tiff,.pdf,application/pdf";

const PROFILES: [(Profile, &str); 4] = [
    (Profile::Auto, words::PROFILE_AUTO),
    (Profile::Text, words::PROFILE_TEXT),
    (Profile::Color, words::PROFILE_COLOR),
    (Profile::Mixed, words::PROFILE_MIXED),
];

const PAPERS: [(Option<Paper>, &str); 6] = [
    (None, words::PAPER_AUTO),
    (Some(Paper::A4), words::PAPER_A4),
    (Some(Paper::A5), words::PAPER_A5),
    (Some(Paper::A3), words::PAPER_A3),
    (Some(Paper::Letter), words::PAPER_LETTER),
    (Some(Paper::IdCard), words::PAPER_ID),
];

fn profile_label(p: Profile) -> &'static str {
    PROFILES.iter().find(|(q, _)| *q == p).map(|(_, l)| *l).unwrap_or(words::PROFILE_AUTO)
}

/// "Văn bản · 31 KB · 1654 × 2339 px · 200 dpi".
fn page_info(p: &PageItem) -> String {
    words::page_line(profile_label(p.page.profile), &human_bytes(p.page.bytes() as u64), p.page.width_px, p.page.height_px, p.page.dpi)
}

/// "Giấy này: 2 trang · 84 KB · ≈ 3 giây ở 256 kbit/s".
fn size_summary(label: &str, pages: usize, bytes: u64) -> String {
    format!("{label}: {pages} {} · {} · {}", words::PAGES_UNIT, human_bytes(bytes), words::upload_time(bytes))
}

/// Steps done while page `id` is being made again, if it is.
fn busy(state: &Dossier, id: u32) -> Option<u8> {
    state.pending.iter().find(|p| p.replaces == Some(id)).map(|p| p.done)
}

fn progress_bar(done: u8) -> Html {
    let label = words::STAGES[usize::from(done.min(3))];
    html! {
        <span class="page-progress" role="status">
            <progress max="3" value={done.to_string()} aria-label={label}></progress>{ " " }{ label }
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct ReprocessProps {
    state: UseReducerHandle<Dossier>,
    page: PageItem,
}

/// "Lưu lại theo": the page made again from its original with another profile.
#[function_component(Reprocess)]
fn reprocess_choice(props: &ReprocessProps) -> Html {
    let store = use_context::<StoreContext>().and_then(|c| c.0);
    let p = &props.page;
    if p.original.is_none() {
        return html! {};
    }
    let onchange = {
        let (state, page) = (props.state.clone(), p.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let Some(profile) = Profile::parse(&select.value()) else { return };
            let (state, store) = (state.clone(), store.clone());
            let adjust = Adjust { profile: Some(profile), ..Adjust::keep(&page) };
            let id = page.id;
            wasm_bindgen_futures::spawn_local(async move {
                // A failure is shown with the other problems; the page stays as it was.
                let _ = reprocess(&state, store.as_deref(), id, adjust).await;
            });
        })
    };
    let id = format!("reprocess-{}", p.id);
    html! {
        <span class="reprocess">
            <label for={id.clone()}>{ words::REPROCESS_LABEL }</label>
            <select {id} class="reprocess-profile" {onchange} disabled={busy(&props.state, p.id).is_some()}>
                { for PROFILES.iter().map(|&(q, label)| html! {
                    <option value={q.name()} selected={p.asked == q}>{ label }</option>
                }) }
            </select>
        </span>
    }
}

/// One file (or a page's original) to be made into a page.
#[derive(Clone)]
pub struct Job {
    pub component: String,
    pub source_name: String,
    pub original: Original,
    pub params: ScanParams,
    /// Corners placed by hand (kept when the page is made again).
    pub manual_corners: bool,
    /// The page this replaces, in place.
    pub replaces: Option<u32>,
    /// One page of a file with several: its original stays for the others
    /// when this page fails.
    pub paged: bool,
}

impl Job {
    pub fn new(component: String, source_name: String, original: Original) -> Job {
        Job { component, source_name, original, params: ScanParams::default(), manual_corners: false, replaces: None, paged: false }
    }
}

thread_local! {
    static NEXT_TOKEN: Cell<u32> = const { Cell::new(0) };
}

fn next_token() -> u32 {
    NEXT_TOKEN.with(|n| {
        n.set(n.get() + 1);
        n.get()
    })
}

/// Where the kept files of a draft go in the store's inbox: keys that sort
/// in the order files were dropped (time, then a counter for one drop's
/// files), so a reopened dossier makes them in that order.
pub fn inbox_key(draft_id: &str) -> String {
    thread_local! {
        static LAST: Cell<(i64, u32)> = const { Cell::new((0, 0)) };
    }
    let (ms, n) = LAST.with(|last| {
        let (before, n) = last.get();
        // Never backwards, even if the clock is set back.
        let ms = clock::now_ms().max(before);
        let next = if ms == before { (ms, n + 1) } else { (ms, 0) };
        last.set(next);
        next
    });
    let noise = (js_sys::Math::random() * f64::from(1u32 << 16)) as u32;
    format!("{draft_id}/in-{ms:011x}-{n:05x}-{noise:04x}")
}

/// What the inbox keeps about a job's file: enough to make it again as asked.
pub fn inbox_meta(job: &Job) -> InboxMeta {
    InboxMeta {
        component: job.component.clone(),
        name: job.source_name.clone(),
        profile: job.params.profile.name().to_string(),
        paper: job.params.paper.map(Paper::name).unwrap_or_default().to_string(),
        replaces: job.replaces,
        pages: None,
        removed: Vec::new(),
    }
}

/// Keeps a copy of each dropped file in the inbox, in the order dropped:
/// read on the JS side and written as it is (nothing decoded, nothing in
/// wasm memory), one file at a time. A file that could not be kept
/// (storage full) is still made, from memory, and kept when its turn comes
/// if there is room by then; the clerk is told at once.
async fn keep_dropped(state: &UseReducerHandle<Dossier>, store: &Store, draft_id: &str, queue: &mut [(u32, Job, web_sys::File)]) {
    // Before the first await: a purge from now on stops the keeping.
    store.working_on(draft_id);
    for (_, job, file) in queue.iter_mut() {
        let copy = match store.inbox_copy(file).await {
            Ok(copy) => copy,
            Err(msg) => {
                state.dispatch(Action::Noted(Problem { source_name: job.source_name.clone(), msg }));
                continue;
            }
        };
        // Purged (or the draft deleted) meanwhile: nothing more is written.
        // Checked right before the write begins; a write begun before is
        // wiped by the removal, which comes after it. A dossier only closed
        // keeps its files: they are made when it is reopened.
        if store.removed(draft_id) {
            return;
        }
        let key = inbox_key(draft_id);
        match store.inbox_put_copy(&key, &inbox_meta(job), copy).await {
            Ok(()) => job.original = Original::Stored(key),
            // Said at once ("Bộ nhớ của trình duyệt đã đầy…"): the page is still made, from memory.
            Err(msg) => state.dispatch(Action::Noted(Problem { source_name: job.source_name.clone(), msg })),
        }
    }
}

/// Makes the page(s) of one dropped file when its turn has come: read
/// (from the copy kept at the drop if its disk is gone), kept now if it
/// could not be at the drop, then made. A failure is listed with the
/// step's problems.
async fn make_dropped(state: &UseReducerHandle<Dossier>, store: Option<&Rc<Store>>, draft_id: &str, token: u32, mut job: Job, file: &web_sys::File, taken: f64) {
    // Where the time from the drop to the page goes (bench/scan-app.sh).
    let mut steps = worker::Steps::new(taken);
    steps.mark("waited");
    let bytes = match read_dropped(store.map(|s| &**s), &job, file).await {
        Ok(b) => Rc::new(b),
        Err(why) => {
            forget_refused(store.map(|s| &**s), &job.original).await; // it would fail again on reopening
            let msg = hoso_image::ImageError::Corrupt(why).msg();
            state.dispatch(Action::PageDone { token, result: Err(msg) });
            return;
        }
    };
    steps.mark("read");
    let storing = keep_late(store, draft_id, &mut job, &bytes);
    run_file_led(state, store.map(|s| &**s), token, job, bytes, Lead { steps, storing, held: None }).await;
}

/// A dropped file's bytes: from its disk, or, gone from there since (a USB
/// stick pulled out), the copy kept at the drop.
async fn read_dropped(store: Option<&Store>, job: &Job, file: &web_sys::File) -> Result<Vec<u8>, String> {
    match (files::read_file(file).await, store, job.original.key()) {
        (Ok(b), _, _) => Ok(b),
        (Err(why), Some(s), Some(key)) => s.original(key).await.map_err(|_| why),
        (Err(why), _, _) => Err(why),
    }
}

/// A file not kept at its drop (storage full then): kept now, while the
/// worker makes its page; the page waits for it (see `Lead`). In memory
/// when there is no store.
fn keep_late(store: Option<&Rc<Store>>, draft_id: &str, job: &mut Job, bytes: &Rc<Vec<u8>>) -> Option<js_sys::Promise> {
    if job.original.key().is_some() {
        return None; // kept at the drop already
    }
    let Some(s) = store else {
        job.original = Original::InMemory(bytes.clone());
        return None;
    };
    let key = inbox_key(draft_id);
    job.original = Original::Stored(key.clone());
    let (s, meta, bytes) = (s.clone(), inbox_meta(job), bytes.clone());
    Some(wasm_bindgen_futures::future_to_promise(async move {
        s.inbox_put(&key, &meta, &bytes).await.map(|()| JsValue::TRUE).map_err(|_| JsValue::FALSE)
    }))
}

/// A kept file that will never become a page (unreadable, refused as a
/// whole, or no page came of it): out of the inbox, else reopening the
/// dossier would try it again.
async fn forget_refused(store: Option<&Store>, original: &Original) {
    if let (Some(s), Some(key)) = (store, original.key()) {
        let _ = s.inbox_delete(key).await;
    }
}

/// A page of a TIFF or PDF removed while its other pages may still be
/// made: its kept file notes it, so a tab closed before the file is done
/// does not make it again on reopening (see [`InboxMeta::removed`]).
fn note_removed(store: Option<Rc<Store>>, original: Option<&Original>, page: u32) {
    let (Some(store), Some(key)) = (store, original.and_then(Original::key)) else { return };
    if !still_making(key) {
        return; // all its pages made: the saved dossier alone says what is left
    }
    let key = key.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = store.inbox_note_removed(&key, page).await;
    });
}

/// Whether the pending page `token` is still waiting in the dossier on
/// screen (not closed, replaced or purged since).
fn waiting(state: &UseReducerHandle<Dossier>, token: u32) -> bool {
    state.pending.iter().any(|p| p.token == token)
}

/// A kept file to make again on reopening.
pub struct Redo {
    pub entry: InboxEntry,
    /// `None`: the whole file (no page of it was saved); else the pages of
    /// a TIFF or PDF still missing when the tab closed, the others saved.
    pub missing: Option<Vec<u32>>,
}

/// Files kept in a draft's inbox whose pages were not all saved (the tab
/// closed while they were made or waited their turn): all shown as pending
/// at once, then made in the order they were dropped, as they were asked
/// (profile, paper size, the page a retake replaces), each read from the
/// store only when its turn comes.
pub async fn redo(state: &UseReducerHandle<Dossier>, store: &Store, files: Vec<Redo>) {
    let queue: Vec<(Vec<u32>, Job, Redo)> = files.into_iter().map(|file| shown_again(state, file)).collect();
    let _turn = worker::files_turn().await;
    for (tokens, job, file) in queue {
        if tokens.iter().any(|&t| waiting(state, t)) {
            redo_file(state, store, &tokens, job, &file).await;
        }
    }
}

/// A kept file to make again as it was asked (profile, paper size, the
/// page a retake replaces), shown pending: one entry per missing page of
/// a TIFF or PDF, else one for the file.
fn shown_again(state: &UseReducerHandle<Dossier>, file: Redo) -> (Vec<u32>, Job, Redo) {
    let meta = &file.entry.meta;
    let mut job = Job::new(meta.component.clone(), meta.name.clone(), Original::Stored(file.entry.key.clone()));
    job.params.profile = Profile::parse(&meta.profile).unwrap_or(Profile::Auto);
    job.params.paper = Paper::parse(&meta.paper);
    // A retake goes back in place (a new page if that page is gone).
    job.replaces = meta.replaces.filter(|id| state.pages.iter().any(|p| p.id == *id));
    let tokens = match (&file.missing, meta.pages) {
        (Some(missing), Some(count)) => missing
            .iter()
            .map(|&i| start(state, &Job { source_name: multipage::page_name(&meta.name, i + 1, count), ..job.clone() }))
            .collect(),
        _ => vec![start(state, &job)],
    };
    (tokens, job, file)
}

/// One kept file made again when its turn comes, read from the store only then.
async fn redo_file(state: &UseReducerHandle<Dossier>, store: &Store, tokens: &[u32], job: Job, file: &Redo) {
    let bytes = match store.inbox_bytes(&file.entry).await {
        Ok(bytes) => Rc::new(bytes),
        Err(msg) => return refuse_all(state, tokens, &msg),
    };
    let retake = job.replaces;
    match (&file.missing, file.entry.meta.pages) {
        (Some(missing), Some(count)) => make_missing(state, store, tokens, job, bytes, missing, count).await,
        _ => process_shown(state, Some(store), tokens[0], job, bytes).await,
    }
    if let Some(page_id) = retake {
        forget_unless_kept(state, store, page_id, &file.entry.key).await;
    }
}

/// Every pending page `tokens` ends with `msg` (listed with the step's problems).
fn refuse_all(state: &UseReducerHandle<Dossier>, tokens: &[u32], msg: &Msg) {
    for &token in tokens {
        state.dispatch(Action::PageDone { token, result: Err(msg.clone()) });
    }
}

/// The pages `missing` (from 0) of a `count`-page file, each named and
/// placed as when the whole file is made.
async fn make_missing(state: &UseReducerHandle<Dossier>, store: &Store, tokens: &[u32], job: Job, bytes: Rc<Vec<u8>>, missing: &[u32], count: u32) {
    let mut lead = Lead::new();
    match worker::hold_file(bytes.clone()).await {
        Ok((held, _)) => lead.held = Some(held),
        Err(msg) => return refuse_all(state, tokens, &msg),
    }
    let _making = Making::start(&job.original);
    let pages: Vec<(u32, u32)> = tokens.iter().copied().zip(missing.iter().copied()).collect();
    if make_pages(state, Some(store), &pages, &job, &bytes, count, &mut lead).await {
        finish_file(state, Some(store), &job.original).await;
    }
}

/// After a retake of page `page_id` with the file kept as `key`: if the
/// page does not hold it (refused, or the page was removed meanwhile), the
/// file leaves the inbox, else it would come back as a new page on reopening.
pub async fn forget_unless_kept(state: &UseReducerHandle<Dossier>, store: &Store, page_id: u32, key: &str) {
    let kept = state.pages.iter().any(|p| p.id == page_id && p.original.as_ref().and_then(Original::key) == Some(key));
    if !kept {
        forget_refused(Some(store), &Original::Stored(key.to_string())).await;
    }
}

/// Shows the job as pending (with its progress bar) and names it.
fn start(state: &UseReducerHandle<Dossier>, job: &Job) -> u32 {
    let token = next_token();
    state.dispatch(Action::PageStarted {
        token,
        component: job.component.clone(),
        source_name: job.source_name.clone(),
        replaces: job.replaces,
    });
    token
}

/// Makes a page of one file and hands it to the dossier.
pub async fn process(state: &UseReducerHandle<Dossier>, store: Option<&Store>, job: Job, bytes: Rc<Vec<u8>>) {
    let token = start(state, &job);
    run_file(state, store, token, job, bytes).await;
}

/// [`process`] of a job already shown as pending (`token`).
async fn process_shown(state: &UseReducerHandle<Dossier>, store: Option<&Store>, token: u32, job: Job, bytes: Rc<Vec<u8>>) {
    run_file(state, store, token, job, bytes).await;
}

/// Makes the pages of one file: a photo is one page; a TIFF or scanner
/// PDF one page per paper page ("tệp.pdf · Trang 3/12" in the list), made
/// one after the other in order. A broken page is listed with its reason
/// and the others still come; a page made again takes only its own page.
async fn run_file(state: &UseReducerHandle<Dossier>, store: Option<&Store>, token: u32, job: Job, bytes: Rc<Vec<u8>>) {
    run_file_led(state, store, token, job, bytes, Lead::new()).await;
}

/// What came before a dropped file's page: where its time went so far, and
/// its original being stored meanwhile (`true` when stored). The page is
/// handed to the dossier only once its original is stored: a closed tab
/// then redoes it (persistence::redo_inbox), and it can be made again.
struct Lead {
    steps: worker::Steps,
    storing: Option<js_sys::Promise>,
    /// A TIFF or scanner PDF kept in the worker for its pages.
    held: Option<worker::HeldFile>,
}

impl Lead {
    fn new() -> Lead {
        Lead { steps: worker::Steps::new(js_sys::Date::now()), storing: None, held: None }
    }

    /// Waits for the original to be stored; kept in memory if it could not be.
    async fn stored(&mut self, original: &mut Original, bytes: &Rc<Vec<u8>>) {
        let Some(storing) = self.storing.take() else { return };
        if wasm_bindgen_futures::JsFuture::from(storing).await.is_err() {
            *original = Original::InMemory(bytes.clone());
        }
        self.steps.mark("stored");
    }
}

async fn run_file_led(state: &UseReducerHandle<Dossier>, store: Option<&Store>, token: u32, mut job: Job, bytes: Rc<Vec<u8>>, mut lead: Lead) {
    if job.replaces.is_some() || !hoso_image::is_paged(&bytes) {
        let _ = run(state, store, token, job, bytes, &mut lead).await;
        return;
    }
    // The pages of a TIFF or PDF share the original: stored before the first.
    lead.stored(&mut job.original, &bytes).await;
    let Some(count) = hold(state, store, token, &job, &bytes, &mut lead).await else { return };
    if count == 1 {
        let _ = run(state, store, token, job, bytes, &mut lead).await;
        return;
    }
    let _making = Making::start(&job.original);
    let pages = list_pages(state, store, token, &job, count).await;
    if make_pages(state, store, &pages, &job, &bytes, count, &mut lead).await {
        finish_file(state, store, &job.original).await;
    }
}

/// Sends a TIFF or scanner PDF to the worker once for all its pages
/// (forgotten there when `lead` goes); its page count. Refused as a whole
/// (encrypted, too many pages, not a scan): listed, and out of the inbox.
async fn hold(state: &UseReducerHandle<Dossier>, store: Option<&Store>, token: u32, job: &Job, bytes: &Rc<Vec<u8>>, lead: &mut Lead) -> Option<u32> {
    match worker::hold_file(bytes.clone()).await {
        Ok((held, count)) => {
            lead.held = Some(held);
            Some(count)
        }
        Err(msg) => {
            forget_refused(store, &job.original).await; // it would fail again
            state.dispatch(Action::PageDone { token, result: Err(msg) });
            None
        }
    }
}

/// Shows every page of a `count`-page file as pending, in order, the
/// first on the file's own `token`; (token, page from 0) of each.
async fn list_pages(state: &UseReducerHandle<Dossier>, store: Option<&Store>, token: u32, job: &Job, count: u32) -> Vec<(u32, u32)> {
    if let (Some(s), Some(key)) = (store, job.original.key()) {
        // A tab closed after some of its pages were saved makes the others on reopening.
        let _ = s.inbox_note_pages(key, Some(count)).await;
    }
    let name = |i: u32| multipage::page_name(&job.source_name, i + 1, count);
    let tokens: Vec<u32> = std::iter::once(token).chain((1..count).map(|_| next_token())).collect();
    state.dispatch(Action::PagesFound {
        token,
        first: name(0),
        more: tokens.iter().enumerate().skip(1).map(|(i, &t)| (t, name(i as u32))).collect(),
    });
    tokens.into_iter().zip(0..count).collect()
}

/// Makes `pages` (token, page from 0) of a `count`-page file held in the
/// worker, one after the other. Whether every one went to the dossier on
/// screen (none closed or purged meanwhile).
async fn make_pages(
    state: &UseReducerHandle<Dossier>,
    store: Option<&Store>,
    pages: &[(u32, u32)],
    job: &Job,
    bytes: &Rc<Vec<u8>>,
    count: u32,
    lead: &mut Lead,
) -> bool {
    let mut all_listed = true;
    for &(token, i) in pages {
        if !waiting(state, token) {
            // Its dossier was closed: made when it is reopened (see `redo`).
            all_listed = false;
            continue;
        }
        let page = Job {
            source_name: multipage::page_name(&job.source_name, i + 1, count),
            params: ScanParams { page: i, ..job.params },
            manual_corners: false,
            replaces: None,
            paged: true,
            ..job.clone()
        };
        // A broken page is listed with its reason; the others still come.
        let _ = run(state, store, token, page, bytes.clone(), lead).await;
    }
    all_listed
}

/// Every page of a kept TIFF or PDF was made (or refused): a page removed
/// from now on stays removed. If none of its pages is left (none came of
/// it, or the clerk removed them all meanwhile), the file leaves the
/// inbox: it would only be made again on reopening.
async fn finish_file(state: &UseReducerHandle<Dossier>, store: Option<&Store>, original: &Original) {
    let (Some(s), Some(key)) = (store, original.key()) else { return };
    let held = state.pages.iter().any(|p| p.original.as_ref().and_then(Original::key) == Some(key));
    if held {
        let _ = s.inbox_note_pages(key, None).await;
    } else {
        forget_refused(store, original).await;
    }
}

thread_local! {
    /// Kept TIFFs and PDFs whose pages are being made: the autosave keeps
    /// their original even while no page of it is on screen (the clerk
    /// removed the only one made so far).
    static MAKING: std::cell::RefCell<std::collections::HashSet<String>> = Default::default();
}

/// Whether the kept file `key` is a TIFF or PDF still being made into pages.
pub fn still_making(key: &str) -> bool {
    MAKING.with(|m| m.borrow().contains(key))
}

/// A file marked as being made ([`still_making`]) until this is dropped.
struct Making(Option<String>);

impl Making {
    fn start(original: &Original) -> Making {
        let key = original.key().map(str::to_string);
        if let Some(k) = &key {
            MAKING.with(|m| m.borrow_mut().insert(k.clone()));
        }
        Making(key)
    }
}

impl Drop for Making {
    fn drop(&mut self) {
        if let Some(k) = &self.0 {
            MAKING.with(|m| m.borrow_mut().remove(k));
        }
    }
}

/// The page processor (web worker) on one file, progress shown as it
/// goes. A new file that cannot become a page leaves the store at once
/// (it would fail again); a page made again keeps its original.
async fn run(
    state: &UseReducerHandle<Dossier>,
    store: Option<&Store>,
    token: u32,
    mut job: Job,
    bytes: Rc<Vec<u8>>,
    lead: &mut Lead,
) -> Result<(), Msg> {
    let progress: Rc<dyn Fn(hoso_image::Stage)> = {
        let state = state.clone();
        Rc::new(move |stage: hoso_image::Stage| state.dispatch(Action::PageProgress { token, done: stage.done() }))
    };
    let scanned = match &lead.held {
        Some(held) => worker::scan_held(held, job.params, progress, &mut lead.steps).await,
        None => worker::scan_page(bytes.to_vec(), job.params, progress, &mut lead.steps).await,
    };
    lead.stored(&mut job.original, &bytes).await;
    let result = scanned.map(|s| {
        let stored = hoso_image::container::pack(&s.page, &s.thumb_jpeg);
        Box::new(PageItem {
            id: 0,
            component: job.component.clone(),
            source_name: job.source_name.clone(),
            thumb: GeneratedFile::new(job.source_name.clone(), s.thumb_jpeg, "image/jpeg"),
            sha256: hoso_package::sha256_hex(&stored),
            stored: Rc::new(stored),
            page: Rc::new(s.page),
            asked: job.params.profile,
            paper: job.params.paper,
            rotation: job.params.rotation,
            corners: s.corners,
            manual_corners: job.manual_corners && s.corners.is_some(),
            source_size: s.source_size,
            original: Some(job.original.clone()),
            source_page: job.params.page,
            ms: s.ms,
        })
    });
    lead.steps.mark("made");
    if let Ok(item) = &result {
        gloo::console::log!(format!("hoso page: {} {} ms", item.page.profile.name(), item.ms));
    }
    if let (Err(_), None, false) = (&result, job.replaces, job.paged) {
        forget_refused(store, &job.original).await;
    }
    let outcome = result.as_ref().map(drop).map_err(Clone::clone);
    state.dispatch(Action::PageDone { token, result });
    lead.steps.mark("listed");
    // The page side of bench/scan-app.sh; a fresh start for the next page of the file.
    gloo::console::log!(format!("hoso page steps: {}", lead.steps.line()));
    lead.steps = worker::Steps::new(js_sys::Date::now());
    outcome
}

/// How to make a page again (điều chỉnh trang).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Adjust {
    /// `None`: the profile asked for before.
    pub profile: Option<Profile>,
    /// Clockwise quarter turns of the result, degrees (absolute, not added).
    pub rotation: u16,
    /// The sheet's corners in the original's pixels (placed by hand);
    /// `None`: found automatically ("Tự động dò lại").
    pub corners: Option<[(f32, f32); 4]>,
}

impl Adjust {
    /// The page's present settings: change one field and call [`reprocess`].
    pub fn keep(page: &PageItem) -> Adjust {
        Adjust { profile: Some(page.asked), rotation: page.rotation, corners: page.corners.filter(|_| page.manual_corners) }
    }
}

/// The original a page was made from (`Msg::ScanOriginalGone` once the
/// dossier was packaged, or for pages stored by earlier versions).
pub async fn original_bytes(store: Option<&Store>, page: &PageItem) -> Result<Rc<Vec<u8>>, Msg> {
    match (&page.original, store) {
        (Some(Original::InMemory(bytes)), _) if !bytes.is_empty() => Ok(bytes.clone()),
        (Some(Original::Stored(key)), Some(store)) => store.original(key).await.map(Rc::new),
        _ => Err(Msg::ScanOriginalGone),
    }
}

/// Makes page `page_id` again from its kept original, with `adjust`; it
/// keeps its id and place (a progress bar shows meanwhile). Errors are
/// also listed with the step's problems.
pub async fn reprocess(state: &UseReducerHandle<Dossier>, store: Option<&Store>, page_id: u32, adjust: Adjust) -> Result<(), Msg> {
    let Some(page) = state.pages.iter().find(|p| p.id == page_id).cloned() else { return Ok(()) };
    let bytes = match original_bytes(store, &page).await {
        Ok(b) => b,
        Err(msg) => {
            let token = start(state, &Job { replaces: Some(page_id), ..Job::new(page.component.clone(), page.source_name.clone(), Original::InMemory(Rc::default())) });
            state.dispatch(Action::PageDone { token, result: Err(msg.clone()) });
            return Err(msg);
        }
    };
    let job = Job {
        component: page.component.clone(),
        source_name: page.source_name.clone(),
        original: page.original.clone().unwrap_or(Original::InMemory(bytes.clone())),
        params: ScanParams {
            profile: adjust.profile.unwrap_or(page.asked),
            paper: page.paper,
            rotation: adjust.rotation % 360 / 90 * 90,
            corners: adjust.corners,
            page: page.source_page,
        },
        manual_corners: adjust.corners.is_some(),
        replaces: Some(page_id),
        paged: page.source_page > 0,
    };
    let token = start(state, &job);
    run(state, store, token, job, bytes, &mut Lead::new()).await
}
