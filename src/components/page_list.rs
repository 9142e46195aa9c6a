//! A paper's pages in order (thứ tự trang): reorder by dragging, by the
//! Lên/Xuống buttons or Alt+↑/↓, move a page to another paper. The list
//! element handles drag and keys for all its items (delegation), so the
//! thumbnail markup stays in paper_capture.rs.

use crate::components::corner_editor::CornerEditor;
use crate::components::paper_capture::{forget_unless_kept, inbox_key, inbox_meta, process, reprocess, Adjust, Job, ACCEPT};
use crate::platform::idb::{Store, StoreContext};
use crate::platform::worker::{self, ScanParams};
use crate::platform::files;
use crate::state::{Action, Dossier, Original, PageItem, Problem};
use gloo::timers::callback::Timeout;
use hoso_core::i18n::pages as t;
use hoso_core::i18n::Msg;
use hoso_core::page_order;
use wasm_bindgen::JsCast;
use std::rc::Rc;
use web_sys::{DragEvent, Element, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

/// Drag payload type: a page id, so drops from other lists are recognised
/// and files dragged from the desktop are not mistaken for pages.
const PAGE_TYPE: &str = "application/x-hoso-page";

#[derive(Properties, PartialEq)]
pub struct ListProps {
    pub state: UseReducerHandle<Dossier>,
    pub component: String,
    /// The `<li data-page="id" draggable="true">` items.
    pub children: Html,
}

/// The item element (`[data-page]`) an event happened in, and its page id.
fn page_item(target: Option<web_sys::EventTarget>) -> Option<(Element, u32)> {
    let el = target?.dyn_into::<Element>().ok()?.closest("[data-page]").ok()??;
    let id = el.get_attribute("data-page")?.parse().ok()?;
    Some((el, id))
}

/// Position of page `id` among its paper's pages, and how many there are.
fn position_of(state: &Dossier, id: u32) -> Option<(String, usize, usize)> {
    let at = state.pages.iter().position(|p| p.id == id)?;
    let component = state.pages[at].component.clone();
    let (pos, count) = page_order::position(&state.pages, at, |p| p.component == component);
    Some((component, pos, count))
}

/// Moving a keyed item moves its DOM node, which loses focus: give it back
/// once the list has been re-rendered.
fn refocus(el: Option<HtmlElement>) {
    if let Some(el) = el {
        Timeout::new(0, move || {
            let _ = el.focus();
        })
        .forget();
    }
}

/// Moves page `id` by `by` places within its paper; the announcement for
/// screen readers.
fn shift(state: &UseReducerHandle<Dossier>, id: u32, by: isize) -> Option<String> {
    let (component, pos, count) = position_of(state, id)?;
    let to = pos as isize + by;
    if to < 0 || to >= count as isize {
        return None;
    }
    state.dispatch(Action::PlacePage { id, component, index: to as usize });
    Some(format!("{} {} {}/{count}", t::MOVED, t::TO_POSITION, to + 1))
}

#[function_component(PageList)]
pub fn page_list(props: &ListProps) -> Html {
    let announce = use_state(String::new);
    let ondragstart = Callback::from(|e: DragEvent| {
        let (Some((_, id)), Some(dt)) = (page_item(e.target()), e.data_transfer()) else { return };
        let _ = dt.set_data(PAGE_TYPE, &id.to_string());
        let _ = dt.set_data("text/plain", &id.to_string());
        dt.set_effect_allowed("move");
    });
    let carries_page = |e: &DragEvent| e.data_transfer().is_some_and(|dt| dt.types().includes(&PAGE_TYPE.into(), 0));
    let ondragover = Callback::from(move |e: DragEvent| {
        if !carries_page(&e) {
            return;
        }
        e.prevent_default(); // accept the drop
        if let Some(dt) = e.data_transfer() {
            dt.set_drop_effect("move");
        }
        // The drop marker: a bar before or after the item under the pointer.
        clear_marks();
        if let Some((el, _)) = page_item(e.target()) {
            let r = el.get_bounding_client_rect();
            let after = e.client_x() as f64 > r.left() + r.width() / 2.0;
            let _ = el.class_list().add_1(if after { "drop-after" } else { "drop-before" });
        }
    });
    let ondragleave = Callback::from(move |e: DragEvent| {
        // Leaving the list itself (not moving between its children).
        let inside = e
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(e.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()))
            .is_some_and(|(to, list)| list.contains(Some(&to)));
        if !inside {
            clear_marks();
        }
    });
    let ondrop = {
        let (state, component, announce) = (props.state.clone(), props.component.clone(), announce.clone());
        Callback::from(move |e: DragEvent| {
            clear_marks();
            let Some(dt) = e.data_transfer() else { return };
            let Some(id) = dt.get_data(PAGE_TYPE).ok().and_then(|s| s.parse::<u32>().ok()) else { return };
            e.prevent_default();
            // Index among this paper's other pages: before the item under
            // the pointer, or after it past its middle; the list's empty
            // space means last.
            let others: Vec<u32> = state.pages_of(&component).map(|p| p.id).filter(|&p| p != id).collect();
            let index = match page_item(e.target()) {
                Some((_, over)) if over == id => match position_of(&state, id) {
                    Some((c, pos, _)) if c == component => pos,
                    _ => others.len(),
                },
                Some((el, over)) => {
                    let r = el.get_bounding_client_rect();
                    let after = e.client_x() as f64 > r.left() + r.width() / 2.0;
                    others.iter().position(|&p| p == over).map_or(others.len(), |i| i + after as usize)
                }
                None => others.len(),
            };
            state.dispatch(Action::PlacePage { id, component: component.clone(), index });
            announce.set(format!("{} {} {}/{}", t::MOVED, t::TO_POSITION, index + 1, others.len() + 1));
        })
    };
    let ondragend = Callback::from(|_: DragEvent| clear_marks());
    let onkeydown = {
        let (state, announce) = (props.state.clone(), announce.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Not Alt+←/→: those are the browser's Back and Forward.
            let by = match e.key().as_str() {
                "ArrowUp" if e.alt_key() => -1,
                "ArrowDown" if e.alt_key() => 1,
                _ => return,
            };
            let Some((_, id)) = page_item(e.target()) else { return };
            e.prevent_default();
            if let Some(msg) = shift(&state, id, by) {
                announce.set(msg);
                refocus(e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()));
            }
        })
    };
    let tell = {
        let announce = announce.clone();
        Announce(Callback::from(move |msg: String| announce.set(msg)))
    };
    html! {
        <ContextProvider<Announce> context={tell}>
            <ol class="thumbs" {ondragstart} {ondragover} {ondragleave} {ondrop} {ondragend} {onkeydown}>
                { props.children.clone() }
            </ol>
            if props.state.pages_of(&props.component).nth(1).is_some() {
                <p class="help reorder-hint">{ t::REORDER_HINT }</p>
            }
            <p class="sr" aria-live="polite">{ (*announce).clone() }</p>
        </ContextProvider<Announce>>
    }
}

/// Says a move to screen readers, in the list's live region.
#[derive(Clone, PartialEq)]
struct Announce(Callback<String>);

/// Removes every drop marker (any list: a page may be dragged across papers).
fn clear_marks() {
    if let Ok(marked) = gloo::utils::document().query_selector_all(".drop-before, .drop-after") {
        for i in 0..marked.length() {
            if let Some(el) = marked.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                let _ = el.class_list().remove_2("drop-before", "drop-after");
            }
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ToolsProps {
    pub state: UseReducerHandle<Dossier>,
    pub id: u32,
    pub name: String,
}

/// One page's controls: Lên, Xuống, the paper it belongs to, Xoay 90°,
/// Chụp lại and Chỉnh góc.
#[function_component(PageTools)]
pub fn page_tools(props: &ToolsProps) -> Html {
    let store = use_context::<StoreContext>().and_then(|c| c.0);
    let announce = use_context::<Announce>();
    let editing = use_state(|| false);
    let Some((component, pos, count)) = position_of(&props.state, props.id) else { return html! {} };
    let Some(page) = props.state.pages.iter().find(|p| p.id == props.id).cloned() else { return html! {} };
    let busy = props.state.pending.iter().any(|p| p.replaces == Some(props.id));
    let button = |label: &'static str, tool: &'static str, by: isize, at_edge: bool| {
        let (state, id, announce) = (props.state.clone(), props.id, announce.clone());
        let onclick = Callback::from(move |e: MouseEvent| {
            if let Some(msg) = shift(&state, id, by) {
                if let Some(a) = &announce {
                    a.0.emit(msg);
                }
                refocus(e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()));
            }
        });
        // Never disabled: a disabled button drops the keyboard focus.
        html! {
            <button type="button" class="link" data-tool={tool} aria-disabled={at_edge.to_string()} {onclick}
                aria-label={format!("{label}: {} {}/{count}, {}", t::PAGE, pos + 1, props.name)}>{ label }</button>
        }
    };
    let papers: Vec<(String, String)> =
        props.state.procedure().map(|p| p.papers().map(|c| (c.id.clone(), c.name.clone())).collect()).unwrap_or_default();
    let onchange = {
        let (state, id) = (props.state.clone(), props.id);
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let to = select.value();
            if !to.is_empty() {
                state.dispatch(Action::PlacePage { id, component: to, index: usize::MAX });
            }
        })
    };
    // Pages of earlier versions have no original: only retake and delete apply.
    let can_redo = page.original.is_some() && !busy;
    let rotate = {
        let (state, store, page) = (props.state.clone(), store.clone(), page.clone());
        Callback::from(move |_: MouseEvent| {
            let adjust = Adjust { rotation: (page.rotation + 90) % 360, ..Adjust::keep(&page) };
            let (state, store, id) = (state.clone(), store.clone(), page.id);
            wasm_bindgen_futures::spawn_local(async move {
                // A failure is listed with the step's problems; the page stays as it was.
                let _ = reprocess(&state, store.as_deref(), id, adjust).await;
            });
        })
    };
    let retake = {
        let (state, store, page) = (props.state.clone(), store.clone(), page.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let file = input.files().and_then(|f| f.get(0));
            input.set_value("");
            let Some(file) = file else { return };
            let (state, store, page) = (state.clone(), store.clone(), page.clone());
            wasm_bindgen_futures::spawn_local(async move { retake_with(&state, store.as_deref(), &page, file).await });
        })
    };
    let open = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(true))
    };
    let on_close = {
        let (editing, id) = (editing.clone(), props.id);
        Callback::from(move |()| {
            editing.set(false);
            // Back to where the clerk was.
            Timeout::new(0, move || {
                let selector = format!("[data-page=\"{id}\"] [data-tool=\"corners\"]");
                if let Some(el) = gloo::utils::document().query_selector(&selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    let _ = el.focus();
                }
            })
            .forget();
        })
    };
    let retake_id = format!("retake-{}", props.id);
    html! {
        <span class="page-tools">
            <span class="page-pos">{ format!("{} {}/{count}", t::PAGE, pos + 1) }</span>
            { button(t::UP, "up", -1, pos == 0) }
            { button(t::DOWN, "down", 1, pos + 1 == count) }
            if papers.len() > 1 {
                <select data-tool="move" aria-label={format!("{}: {}", t::MOVE_TO, props.name)} {onchange}>
                    <option value="" selected=true>{ format!("{}…", t::MOVE_TO) }</option>
                    { for papers.iter().filter(|(id, _)| *id != component).map(|(id, name)| html! {
                        <option value={id.clone()}>{ name }</option>
                    }) }
                </select>
            }
            if can_redo {
                <button type="button" class="link" data-tool="rotate" onclick={rotate}
                    aria-label={format!("{}: {}", t::ROTATE, props.name)}>{ t::ROTATE }</button>
                <button type="button" class="link" data-tool="corners" onclick={open}
                    aria-label={format!("{}: {}", t::CORNERS, props.name)}>{ t::CORNERS }</button>
            }
            if !busy {
                <label class="link" for={retake_id.clone()} data-tool="retake">{ t::RETAKE }
                    <input id={retake_id} class="sr" type="file" accept={ACCEPT} onchange={retake}
                        aria-label={format!("{}: {}", t::RETAKE, props.name)} />
                </label>
            }
            if *editing {
                // Outside the draggable item: a drag on the photo must not drag the page.
                { create_portal(html! { <CornerEditor state={props.state.clone()} page={page.clone()} {on_close} /> }, gloo::utils::body().into()) }
            }
        </span>
    }
}

/// Chụp lại: a new photo or file replaces the page in place (same
/// position and paper, same profile and paper size asked); its original is
/// kept like any new file's, before anything is read. A TIFF or PDF with
/// several pages gives its first page: "Chụp lại" replaces one sheet, and
/// a longer file is most often the whole paper scanned again, whose other
/// pages are already in the list (adding them all would double them); the
/// clerk is told, and drops the file on the paper to add all its pages.
async fn retake_with(state: &UseReducerHandle<Dossier>, store: Option<&Store>, page: &PageItem, file: web_sys::File) {
    let name = file.name();
    let mut job = Job::new(page.component.clone(), name.clone(), Original::InMemory(Rc::default()));
    job.params = ScanParams { profile: page.asked, paper: page.paper, ..ScanParams::default() };
    job.replaces = Some(page.id);
    let key = inbox_key(&state.draft_id.clone().unwrap_or_default());
    if let Some(s) = store {
        if s.inbox_put_file(&key, &inbox_meta(&job), &file).await.is_ok() {
            job.original = Original::Stored(key.clone());
        }
    }
    // A file that cannot be read goes on as empty: the processor refuses
    // it with its message and the page stays as it was.
    let bytes = Rc::new(files::read_file(&file).await.unwrap_or_default());
    if job.original.key().is_none() {
        job.original = Original::InMemory(bytes.clone());
    }
    if hoso_image::is_paged(&bytes) {
        // Counted in the worker (the file is let go of at once).
        if let Ok((_, pages @ 2..)) = worker::hold_file(bytes.clone()).await {
            state.dispatch(Action::Noted(Problem { source_name: name, msg: Msg::RetakeFirstPage { pages } }));
        }
    }
    process(state, store, job, bytes).await;
    if let Some(s) = store {
        forget_unless_kept(state, s, page.id, &key).await;
    }
}
