//! Nhận hồ sơ từ công dân — the counter's side of the home pre-fill
//! handoff: codes from the live camera, photos or screenshots of them, or
//! the `.hoso` file, in any order and mix, counted "Đã nhận 2/3 mã"; once
//! all are in, a new dossier opens filled exactly as the citizen left it,
//! for the clerk to review.

use crate::components::qr_scanner::QrScanner;
use crate::platform::{clock, files, images, worker};
use crate::state::{Action, Dossier};
use hoso_core::handoff::{self, Assembler, Progress};
use hoso_core::i18n::handoff as t;
use hoso_core::i18n::Msg;
use hoso_core::Catalog;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Long side a photo of a code is scaled to before decoding: a version-20
/// code filling a third of a phone photo keeps 4 pixels a module.
const DECODE_SIDE: u32 = 2000;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

#[derive(Clone, Default, PartialEq)]
struct View {
    progress: Option<Progress>,
    missing: Vec<u32>,
    problem: Option<Msg>,
    busy: bool,
}

#[function_component(HandoffImport)]
pub fn handoff_import(props: &Props) -> Html {
    let assembler: Rc<RefCell<Assembler>> = use_mut_ref(Assembler::new);
    let view = use_state(View::default);
    let scanning = use_state(|| false);

    // Adds the texts found (other codes are ignored) and opens the dossier when complete.
    let accept = {
        let (assembler, view, state, scanning) = (assembler.clone(), view.clone(), props.state.clone(), scanning.clone());
        Rc::new(move |texts: Vec<String>, problem: Option<Msg>| {
            let mut problem = problem;
            let mut a = assembler.borrow_mut();
            for text in texts.iter().filter(|t| handoff::is_part(t)) {
                if let Err(m) = a.add(text) {
                    problem = Some(m);
                }
            }
            let progress = a.progress();
            if progress.total > 0 && progress.complete() {
                match a.finish(Catalog::embedded()) {
                    Ok(h) => {
                        *a = Assembler::new();
                        scanning.set(false);
                        view.set(View::default());
                        state.dispatch(Action::HandedOver { handoff: Box::new(h), draft_id: clock::new_draft_id(), now_ms: clock::now_ms() });
                        return;
                    }
                    // Complete but unusable (tampered, changed form): start again.
                    Err(m) => {
                        *a = Assembler::new();
                        problem = Some(m);
                    }
                }
            }
            let progress = a.progress();
            view.set(View { progress: (progress.total > 0).then_some(progress), missing: a.missing(), problem, busy: false });
        })
    };

    let onchange = {
        let (accept, view) = (accept.clone(), view.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(list) = input.files() else { return };
            let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.set_value("");
            if chosen.is_empty() {
                return;
            }
            view.set(View { busy: true, ..(*view).clone() });
            let accept = accept.clone();
            wasm_bindgen_futures::spawn_local(async move {
                for file in chosen {
                    match texts_of(&file).await {
                        Ok(texts) => accept(texts, None),
                        Err(m) => accept(Vec::new(), Some(m)),
                    }
                }
            });
        })
    };
    let on_scanned = {
        let accept = accept.clone();
        Callback::from(move |texts: Vec<String>| {
            if texts.iter().any(|t| handoff::is_part(t)) {
                accept(texts, None);
            }
        })
    };
    let toggle_scan = {
        let scanning = scanning.clone();
        Callback::from(move |_: MouseEvent| scanning.set(!*scanning))
    };
    let close_scan = {
        let scanning = scanning.clone();
        Callback::from(move |()| scanning.set(false))
    };
    let restart = {
        let (assembler, view) = (assembler.clone(), view.clone());
        Callback::from(move |_: MouseEvent| {
            *assembler.borrow_mut() = Assembler::new();
            view.set(View::default());
        })
    };
    let status = view.progress.as_ref().map(|p| {
        let missing = view.missing.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        html! {
            <p role="status" id="handoff-progress">
                <strong>{ format!("{} {}/{} {}", t::RECEIVED, p.received, p.total, t::CODES) }</strong>
                if !missing.is_empty() { { format!(" · {} {missing}", t::MISSING) } }
                { " " }<button class="link" id="handoff-restart" onclick={restart.clone()}>{ t::RESTART }</button>
            </p>
        }
    });
    html! {
        <section aria-labelledby="handoff-title" class="handoff-import card">
            <h2 id="handoff-title">{ t::IMPORT_TITLE }</h2>
            <p class="help">{ t::IMPORT_HELP }</p>
            <p class="actions">
                <label for="handoff-import" class="button">{ t::IMPORT_CHOOSE }</label>
                <input id="handoff-import" class="sr" type="file" multiple=true accept=".hoso,text/plain,image/*" {onchange} />
                { " " }<button id="handoff-camera" aria-pressed={scanning.to_string()} onclick={toggle_scan}>{ t::SCAN_CAMERA }</button>
            </p>
            if view.busy { <p role="status"><progress></progress>{ " " }{ t::READING }</p> }
            { status.unwrap_or_default() }
            if let Some(m) = &view.problem { <p class="problem" role="alert" id="handoff-problem">{ m.vi() }</p> }
            if *scanning {
                <QrScanner id="handoff-scanner" on_decoded={on_scanned} on_close={close_scan} />
            }
        </section>
    }
}

/// The texts in one chosen file: its lines for a `.hoso` file, the codes
/// found for an image (decoded in the background worker).
async fn texts_of(file: &web_sys::File) -> Result<Vec<String>, Msg> {
    let bytes = files::read_file(file).await.map_err(Msg::ImageCorrupt)?;
    if hoso_image::probe(&bytes).is_err() {
        let text = String::from_utf8(bytes).map_err(|_| Msg::HandoffNotOurs)?;
        let lines: Vec<String> =
            text.lines().map(str::trim_start).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();
        if lines.is_empty() || !lines.iter().all(|l| handoff::is_part(l)) {
            return Err(Msg::HandoffNotOurs);
        }
        return Ok(lines);
    }
    let (rgba, w, h) = images::rgba_from_bytes(&bytes, DECODE_SIDE).await.map_err(|e| e.msg())?;
    let texts = worker::decode_qr(rgba, w, h, worker::STILL_BUDGET, worker::STILL_TIMEOUT_MS).await?;
    if !texts.iter().any(|t| handoff::is_part(t)) {
        return Err(Msg::HandoffNotOurs);
    }
    Ok(texts)
}
