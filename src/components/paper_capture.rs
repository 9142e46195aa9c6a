use crate::components::form_view::human_bytes;
use crate::platform::idb::{Store, StoreContext};
use crate::platform::{clock, download::GeneratedFile, files, images};
use crate::state::{Action, Dossier};
use hoso_core::catalog::Component;
use hoso_core::i18n::ui;
use web_sys::{DragEvent, FileList, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Step 3: one drop zone per paper of the procedure, with thumbnails.
#[function_component(PaperCapture)]
pub fn paper_capture(props: &Props) -> Html {
    let state = &props.state;
    let Some(procedure) = state.procedure() else { return html! {} };
    html! {
        <section aria-labelledby="step-papers">
            <h2 id="step-papers">{ ui::STEP_PAPERS }</h2>
            if state.processing > 0 {
                <p class="progress" role="status"><progress></progress>{ " " }{ ui::PROCESSING }</p>
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
    let take = {
        let state = props.state.clone();
        let component = props.component.id.clone();
        move |files: FileList| {
            for i in 0..files.length() {
                let Some(file) = files.get(i) else { continue };
                let (state, component, store) = (state.clone(), component.clone(), store.clone());
                let draft_id = state.draft_id.clone().unwrap_or_default();
                state.dispatch(Action::PageStarted);
                wasm_bindgen_futures::spawn_local(async move {
                    let bytes = match files::read_file(&file).await {
                        Ok(b) => b,
                        Err(why) => {
                            let msg = hoso_image::ImageError::Corrupt(why).msg();
                            return state.dispatch(Action::PageDone { component, source_name: file.name(), inbox: None, result: Err(msg) });
                        }
                    };
                    // The original is kept until its page is saved, so a closed tab redoes it.
                    let inbox = match &store {
                        Some(s) => {
                            let key = format!("{draft_id}/in-{}", clock::new_draft_id());
                            s.inbox_put(&key, &component, &file.name(), &bytes).await.ok().map(|()| key)
                        }
                        None => None,
                    };
                    process(&state, store.as_deref(), component, file.name(), bytes, inbox).await;
                });
            }
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
    html! {
        <div class="card paper" data-component={c.id.clone()}>
            <h3>{ &c.name }if c.required { <span class="req">{ " *" }</span> }</h3>
            if let Some(note) = &c.note { <p class="help">{ note }</p> }
            <label for={input_id.clone()} class={classes!("dropzone", dragging.then_some("dragging"))}
                {ondragover} {ondragleave} {ondrop}>
                <span>{ ui::ATTACH_HINT }</span>
                <input id={input_id} type="file" accept="image/*" multiple=true {onchange} />
            </label>
            <ol class="thumbs">
                { for pages.iter().map(|p| {
                    let remove = {
                        let state = props.state.clone();
                        let id = p.id;
                        Callback::from(move |_| state.dispatch(Action::RemovePage(id)))
                    };
                    html! {
                        <li class="thumb">
                            <img src={p.thumb.href()} alt={p.source_name.clone()} />
                            <span>{ format!("{} × {} · {}", p.page.width_px, p.page.height_px, human_bytes(p.page.jpeg.len() as u64)) }</span>
                            <button class="link" onclick={remove} aria-label={format!("{} {}", ui::REMOVE, p.source_name)}>{ ui::REMOVE }</button>
                        </li>
                    }
                }) }
            </ol>
        </div>
    }
}

/// Makes a page of one file and hands it to the dossier; a file that cannot
/// become a page leaves the inbox at once (it would fail again).
pub async fn process(state: &UseReducerHandle<Dossier>, store: Option<&Store>, component: String, name: String, bytes: Vec<u8>, inbox: Option<String>) {
    let result = images::page_from_bytes(&bytes)
        .await
        .map(|page| {
            let thumb = GeneratedFile::new(name.clone(), page.jpeg.clone(), "image/jpeg");
            let sha256 = hoso_package::sha256_hex(&page.jpeg);
            (page, sha256, thumb)
        })
        .map_err(|e| e.msg());
    let inbox = match (&result, store, inbox) {
        (Err(_), Some(s), Some(key)) => {
            let _ = s.inbox_delete(&key).await;
            None
        }
        (_, _, inbox) => inbox,
    };
    state.dispatch(Action::PageDone { component, source_name: name, inbox, result });
}
