//! Quét mã QR bằng camera: a live preview with a framing guide that reads
//! codes by itself. Frames go to the background decoder a few times a
//! second, one at a time; every new set of texts is emitted, and the
//! parent decides what they are (ID card, handoff code) and when to close.

use crate::platform::camera::{self, Camera};
use crate::platform::worker;
use gloo::events::EventListener;
use gloo::timers::future::TimeoutFuture;
use hoso_core::i18n::camera as words;
use hoso_core::i18n::Msg;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::HtmlVideoElement;
use yew::prelude::*;

/// At most this many frames a second go to the decoder (~5/s).
const FRAME_INTERVAL_MS: f64 = 200.0;
/// Long side of the frames decoded: a card's code at arm's length keeps a
/// few pixels per module, a slow PC keeps up.
const FRAME_SIDE: u32 = 1280;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Texts of the codes in a frame, each distinct set once.
    pub on_decoded: Callback<Vec<String>>,
    pub on_close: Callback<()>,
    /// The parent's word on the last code (e.g. "not an ID card"), shown under the picture.
    #[prop_or_default]
    pub message: Option<AttrValue>,
    /// Id prefix for the scanner's elements (two scanners on one page).
    #[prop_or(AttrValue::Static("qr-scanner"))]
    pub id: AttrValue,
}

#[derive(Clone, PartialEq)]
enum Phase {
    Starting,
    Live { torch: Option<bool> },
    Failed(String),
}

#[function_component(QrScanner)]
pub fn qr_scanner(props: &Props) -> Html {
    let phase = use_state(|| Phase::Starting);
    let video_ref = use_node_ref();
    let camera: Rc<RefCell<Option<Rc<Camera>>>> = use_mut_ref(|| None);
    let torch_error = use_state(|| false);
    // The latest callback, whatever render the scanning loop started in.
    let on_decoded = use_mut_ref(|| props.on_decoded.clone());
    *on_decoded.borrow_mut() = props.on_decoded.clone();
    // Bumped to start the camera again after the page was hidden.
    let session = use_state(|| 0u32);

    {
        let (phase, video_ref, camera, on_decoded) =
            (phase.clone(), video_ref.clone(), camera.clone(), on_decoded.clone());
        use_effect_with(*session, move |_| {
            let alive = Rc::new(Cell::new(true));
            phase.set(Phase::Starting);
            {
                let (alive, phase, camera) = (alive.clone(), phase.clone(), camera.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let cam = match camera::open().await {
                        Ok(c) => Rc::new(c),
                        Err(e) => {
                            if alive.get() {
                                phase.set(Phase::Failed(e.vi()));
                            }
                            return;
                        }
                    };
                    let Some(video) = video_ref.cast::<HtmlVideoElement>().filter(|_| alive.get()) else { return };
                    *camera.borrow_mut() = Some(cam.clone());
                    cam.show_in(&video).await;
                    if !alive.get() {
                        return;
                    }
                    phase.set(Phase::Live { torch: cam.has_torch().then_some(false) });
                    scan(&cam, &video, &alive, &phase, &on_decoded).await;
                    cam.stop();
                });
            }
            // A hidden page (tab switched, phone locked) gives the camera back.
            let hidden = {
                let (alive, phase, camera) = (alive.clone(), phase.clone(), camera.clone());
                EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                    if gloo::utils::document().hidden() && alive.get() {
                        alive.set(false);
                        if let Some(c) = camera.borrow_mut().take() {
                            c.stop();
                        }
                        phase.set(Phase::Failed(String::new()));
                    }
                })
            };
            move || {
                alive.set(false);
                if let Some(c) = camera.borrow_mut().take() {
                    c.stop();
                }
                drop(hidden);
            }
        });
    }

    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let restart = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| session.set(*session + 1))
    };
    let toggle_torch = {
        let (phase, camera, torch_error) = (phase.clone(), camera.clone(), torch_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(cam) = camera.borrow().clone() else { return };
            let (phase, torch_error) = (phase.clone(), torch_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ok = cam.set_torch(!cam.torch_on()).await;
                torch_error.set(!ok);
                if matches!(*phase, Phase::Live { .. }) {
                    phase.set(Phase::Live { torch: Some(cam.torch_on()) });
                }
            });
        })
    };

    let id = |suffix: &str| format!("{}-{suffix}", props.id);
    let status = match &*phase {
        Phase::Starting => html! { <p role="status">{ words::SCAN_STARTING }</p> },
        Phase::Live { .. } => html! { <p role="status" class="help">{ words::SCAN_HINT }</p> },
        // Paused because the page was hidden: one click starts it again.
        Phase::Failed(m) if m.is_empty() => html! {
            <p role="status"><button id={id("restart")} onclick={restart}>{ words::SCAN_WITH_CAMERA }</button></p>
        },
        Phase::Failed(m) => html! { <p class="problem" role="alert" id={id("error")}>{ m }</p> },
    };
    let torch = match &*phase {
        Phase::Live { torch: Some(on) } => html! {
            <button id={id("torch")} aria-pressed={on.to_string()} onclick={toggle_torch}>
                { if *on { words::TORCH_OFF } else { words::TORCH_ON } }
            </button>
        },
        _ => html! {},
    };
    let live = matches!(*phase, Phase::Live { .. } | Phase::Starting);
    html! {
        <div class="qr-scanner" id={props.id.clone()} {onkeydown}>
            if live {
                <div class="viewfinder">
                    <video ref={video_ref} aria-label={words::PREVIEW_LABEL} muted=true autoplay=true playsinline=true></video>
                    <div class="guide" aria-hidden="true"></div>
                </div>
            }
            { status }
            if let Some(m) = &props.message {
                <p class="problem" role="alert">{ m.clone() }{ " " }{ if live { words::SCAN_KEEP_GOING } else { "" } }</p>
            }
            if *torch_error { <p class="problem">{ words::TORCH_FAILED }</p> }
            <div class="actions">
                { torch }
                <button id={id("close")} onclick={close}>{ words::SCAN_CLOSE }</button>
            </div>
        </div>
    }
}

/// The scanning loop: one frame at a time to the decoder, at most
/// [`FRAME_INTERVAL_MS`] apart, until the scanner goes away.
async fn scan(
    cam: &Camera,
    video: &HtmlVideoElement,
    alive: &Cell<bool>,
    phase: &UseStateHandle<Phase>,
    on_decoded: &RefCell<Callback<Vec<String>>>,
) {
    let mut last: Option<Vec<String>> = None;
    while alive.get() {
        let started = js_sys::Date::now();
        if !cam.live() {
            phase.set(Phase::Failed(hoso_core::i18n::camera::CameraError::Busy.vi()));
            return;
        }
        if let Some((rgba, w, h)) = cam.frame(video, FRAME_SIDE) {
            match worker::decode_qr(rgba, w, h, worker::FRAME_BUDGET, worker::FRAME_TIMEOUT_MS).await {
                Ok(texts) => {
                    if alive.get() && last.as_ref() != Some(&texts) {
                        last = Some(texts.clone());
                        let callback = on_decoded.borrow().clone();
                        callback.emit(texts);
                    }
                }
                Err(Msg::QrNotFound) => {}
                Err(m) => {
                    if alive.get() {
                        phase.set(Phase::Failed(m.vi()));
                    }
                    return;
                }
            }
        }
        let wait = FRAME_INTERVAL_MS - (js_sys::Date::now() - started);
        TimeoutFuture::new(wait.clamp(16.0, FRAME_INTERVAL_MS) as u32).await;
    }
}
