use crate::components::form_view::human_bytes;
use crate::platform::{download::GeneratedFile, storage, tus};
use gloo::timers::callback::Timeout;
use gloo::timers::future::TimeoutFuture;
use hoso_core::i18n::ui;
use hoso_package::upload::{self, After, Op, RateMeter, Saved, Session, Start};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use web_sys::{AbortController, HtmlInputElement};
use yew::prelude::*;

const CHUNK_KB_KEY: &str = "hoso.upload-chunk-kb";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub code: String,
    pub zip: Rc<GeneratedFile>,
    /// Told once the server has confirmed the package arrived intact.
    pub on_submitted: Callback<()>,
}

#[derive(Clone, PartialEq)]
enum Verdict {
    Intact,
    Broken(Vec<String>),
    Unknown,
}

#[derive(Clone, PartialEq)]
enum Phase {
    Idle,
    Connecting,
    Sending,
    /// Line down: the next try in this many seconds.
    Waiting(u64),
    Paused,
    Checking,
    Done(Verdict),
    Cancelled,
    Failed(String),
}

#[derive(Clone, PartialEq)]
struct View {
    phase: Phase,
    offset: u64,
    length: u64,
    speed: Option<f64>,
    eta: Option<u64>,
    /// Upload URL, for the final links.
    url: Option<String>,
}

/// Shared between the component and its running send: which run is the
/// current one (older runs stop at their next step) and the request to cut.
#[derive(Default)]
struct Control {
    run: Cell<u32>,
    request: RefCell<Option<AbortController>>,
}

impl Control {
    /// Ends the current run, cutting its request in flight.
    fn stop(&self) -> u32 {
        self.run.set(self.run.get() + 1);
        if let Some(c) = self.request.borrow_mut().take() {
            c.abort();
        }
        self.run.get()
    }
}

/// Hàng đợi gửi — sends the package with tus so a dropped line or a reload
/// costs only the chunk in flight, never the whole upload.
#[function_component(UploadQueue)]
pub fn upload_queue(props: &Props) -> Html {
    let length = props.zip.bytes.len() as u64;
    let sha = use_memo(props.zip.clone(), |zip| {
        hoso_package::sha256_hex(&zip.bytes)
    });
    let view = use_state(|| View {
        phase: Phase::Idle,
        offset: 0,
        length,
        speed: None,
        eta: None,
        url: None,
    });
    {
        // Đã nộp: only the server's own check makes a dossier submitted.
        let delivered = matches!(view.phase, Phase::Done(Verdict::Intact));
        let cb = props.on_submitted.clone();
        use_effect_with(delivered, move |d| {
            if *d {
                cb.emit(());
            }
        });
    }
    let endpoint = use_state(tus::endpoint);
    let chunk_kb = use_state(|| stored_chunk_kb().unwrap_or((upload::DEFAULT_CHUNK / 1024) as u64));
    let control = use_mut_ref(Control::default);

    let start = {
        let (view, control, sha) = (view.setter(), control.clone(), sha.clone());
        let (code, zip, endpoint, chunk_kb) = (
            props.code.clone(),
            props.zip.clone(),
            (*endpoint).clone(),
            *chunk_kb,
        );
        Callback::from(move |_: ()| {
            let run = control.borrow().stop();
            let job = Job {
                control: control.clone(),
                run,
                code: code.clone(),
                zip: zip.clone(),
                sha: (*sha).clone(),
                endpoint: endpoint.clone(),
                chunk: upload::chunk_size_from_kb(chunk_kb),
                view: view.clone(),
            };
            wasm_bindgen_futures::spawn_local(job.send());
        })
    };

    // Reopened: finish an upload that was under way, show one that is done or paused.
    {
        let (view, start, sha, code) =
            (view.clone(), start.clone(), sha.clone(), props.code.clone());
        let control = control.clone();
        use_effect_with(sha.clone(), move |_| {
            match tus::load(&code).filter(|s| s.sha256 == *sha && s.length == length) {
                Some(s) if s.done || !s.paused => start.emit(()),
                Some(s) => view.set(View {
                    phase: Phase::Paused,
                    offset: s.offset,
                    url: Some(s.url),
                    ..(*view).clone()
                }),
                None => {}
            }
            move || {
                control.borrow().stop();
            }
        });
    }

    let on_send = {
        let (start, endpoint, chunk_kb) = (start.clone(), endpoint.clone(), chunk_kb.clone());
        Callback::from(move |_: MouseEvent| {
            tus::remember_endpoint(&endpoint);
            remember_chunk_kb(*chunk_kb);
            start.emit(());
        })
    };
    let on_pause = {
        let (view, control, code, sha) = (
            view.clone(),
            control.clone(),
            props.code.clone(),
            sha.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            control.borrow().stop();
            if let Some(url) = view.url.clone() {
                tus::save(
                    &code,
                    &Saved {
                        url,
                        sha256: (*sha).clone(),
                        length,
                        offset: view.offset,
                        done: false,
                        paused: true,
                    },
                );
            }
            view.set(View {
                phase: Phase::Paused,
                speed: None,
                eta: None,
                ..(*view).clone()
            });
        })
    };
    let on_resume = {
        let start = start.clone();
        Callback::from(move |_: MouseEvent| start.emit(()))
    };
    let on_cancel = {
        let (view, control, code) = (view.clone(), control.clone(), props.code.clone());
        Callback::from(move |_: MouseEvent| {
            control.borrow().stop();
            // The saved record may know an upload the screen has not seen yet.
            let url = view.url.clone().or_else(|| tus::load(&code).map(|s| s.url));
            tus::forget(&code);
            if let Some(url) = url {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = tus::delete(&url).await;
                });
            }
            view.set(View {
                phase: Phase::Cancelled,
                offset: 0,
                speed: None,
                eta: None,
                url: None,
                ..(*view).clone()
            });
        })
    };
    let on_endpoint = {
        let endpoint = endpoint.clone();
        Callback::from(move |e: Event| {
            endpoint.set(
                e.target_unchecked_into::<HtmlInputElement>()
                    .value()
                    .trim()
                    .to_string(),
            )
        })
    };
    let on_chunk = {
        let chunk_kb = chunk_kb.clone();
        Callback::from(move |e: Event| {
            if let Ok(kb) = e
                .target_unchecked_into::<HtmlInputElement>()
                .value()
                .trim()
                .parse::<u64>()
            {
                chunk_kb.set(kb);
            }
        })
    };

    let v = &*view;
    let active = matches!(
        v.phase,
        Phase::Connecting | Phase::Sending | Phase::Waiting(_)
    );
    let can_send = matches!(v.phase, Phase::Idle | Phase::Cancelled | Phase::Failed(_));
    let percent = upload::percent(v.offset, v.length);
    let status = match &v.phase {
        Phase::Idle => html! {},
        Phase::Connecting => html! { { ui::UPLOAD_CONNECTING } },
        Phase::Sending => html! { { ui::UPLOAD_SENDING } },
        Phase::Waiting(n) => {
            html! { <span class="upload-retry">{ format!("{} {n} {}", ui::UPLOAD_RETRY_IN, ui::SECONDS) }</span> }
        }
        Phase::Paused => html! { { ui::UPLOAD_PAUSED } },
        Phase::Checking => html! { { ui::UPLOAD_CHECKING } },
        Phase::Cancelled => html! { { ui::UPLOAD_CANCELLED } },
        Phase::Failed(why) => html! { <span class="problem">{ why }</span> },
        Phase::Done(verdict) => {
            let link = v
                .url
                .as_deref()
                .map(tus::received_page)
                .unwrap_or_else(|| tus::received_page(&endpoint));
            html! {
                <>
                    { match verdict {
                        Verdict::Intact => html! { <strong class="ok" id="upload-done">{ ui::UPLOAD_DONE_INTACT }</strong> },
                        Verdict::Broken(why) => html! {
                            <span class="problem" id="upload-done">{ ui::UPLOAD_DONE_BROKEN }{ " " }{ why.join("; ") }</span>
                        },
                        Verdict::Unknown => html! { <span id="upload-done">{ ui::UPLOAD_DONE_UNCHECKED }</span> },
                    } }
                    { " " }<a href={link} target="_blank" rel="noopener" id="upload-received">{ ui::UPLOAD_RECEIVED_LINK }</a>
                </>
            }
        }
    };
    html! {
        <div class="card upload-queue" id="upload">
            <h3>{ ui::UPLOAD_TITLE }</h3>
            <details class="upload-settings">
                <summary>{ ui::UPLOAD_SETTINGS }</summary>
                <label for="upload-endpoint">{ ui::UPLOAD_ENDPOINT }</label>
                <input id="upload-endpoint" type="url" value={(*endpoint).clone()} onchange={on_endpoint} disabled={!can_send} />
                <label for="upload-chunk-kb">{ ui::UPLOAD_CHUNK_KB }</label>
                <input id="upload-chunk-kb" type="number" min="1" max="8192" value={chunk_kb.to_string()} onchange={on_chunk} disabled={!can_send} />
            </details>
            <p class="upload-actions">
                if can_send { <button class="primary" id="upload-send" onclick={on_send}>{ ui::UPLOAD_SEND }</button> }
                if active { <button id="upload-pause" onclick={on_pause}>{ ui::UPLOAD_PAUSE }</button> }
                if v.phase == Phase::Paused { <button class="primary" id="upload-resume" onclick={on_resume}>{ ui::UPLOAD_RESUME }</button> }
                if active || v.phase == Phase::Paused { <button id="upload-cancel" onclick={on_cancel}>{ ui::UPLOAD_CANCEL }</button> }
            </p>
            if v.phase != Phase::Idle && v.phase != Phase::Cancelled {
                <p class="upload-progress">
                    <progress id="upload-progress" max={v.length.max(1).to_string()} value={v.offset.to_string()}></progress>
                    { " " }<strong id="upload-percent">{ format!("{percent}%") }</strong>
                    { " · " }<span id="upload-bytes">{ format!("{} / {}", human_bytes(v.offset), human_bytes(v.length)) }</span>
                    if let Some(speed) = v.speed {
                        { " · " }<span id="upload-speed">{ format!("{} {}/s", ui::UPLOAD_SPEED, human_bytes(speed as u64)) }</span>
                    }
                    if let Some(eta) = v.eta {
                        { " · " }<span id="upload-eta">{ format!("{} {}", ui::UPLOAD_ETA, duration(eta)) }</span>
                    }
                </p>
            }
            <p id="upload-status" role="status" aria-live="polite">{ status }</p>
        </div>
    }
}

/// "45 giây", "3 phút 5 giây".
fn duration(seconds: u64) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} {}", ui::SECONDS),
        (m, 0) => format!("{m} {}", ui::MINUTES),
        (m, s) => format!("{m} {} {s} {}", ui::MINUTES, ui::SECONDS),
    }
}

fn stored_chunk_kb() -> Option<u64> {
    storage::get(CHUNK_KB_KEY)?.parse().ok()
}

fn remember_chunk_kb(kb: u64) {
    storage::set(CHUNK_KB_KEY, &kb.to_string());
}

/// One run of sending: from the saved record (or a new upload) to the
/// server's verdict, or until the clerk pauses or cancels.
struct Job {
    control: Rc<RefCell<Control>>,
    run: u32,
    code: String,
    zip: Rc<GeneratedFile>,
    sha: String,
    endpoint: String,
    chunk: usize,
    view: UseStateSetter<View>,
}

impl Job {
    fn current(&self) -> bool {
        self.control.borrow().run.get() == self.run
    }

    async fn send(self) {
        let bytes = &self.zip.bytes;
        let length = bytes.len() as u64;
        let saved = tus::load(&self.code);
        let start = upload::start_from(saved.as_ref(), &self.sha, length);
        if let Start::Fresh {
            stale_url: Some(url),
        } = &start
        {
            // An upload of older bytes of this dossier: free the server's space.
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _ = tus::delete(&url).await;
            });
            tus::forget(&self.code);
        }
        if let Some(s) = saved
            .as_ref()
            .filter(|s| s.done && matches!(start, Start::Resume { .. }))
        {
            // Sent before the reload: only the server's verdict is left to show.
            let url = s.url.clone();
            self.view.set(View {
                phase: Phase::Checking,
                offset: length,
                length,
                speed: None,
                eta: None,
                url: Some(url.clone()),
            });
            let verdict = self.verdict(&url).await;
            if self.current() {
                self.view.set(View {
                    phase: Phase::Done(verdict),
                    offset: length,
                    length,
                    speed: None,
                    eta: None,
                    url: Some(url),
                });
            }
            return;
        }
        let seed = (js_sys::Math::random() * 9_007_199_254_740_992.0) as u64;
        let mut session = Session::new(length, self.chunk, &start, seed);
        let mut meter = RateMeter::default();
        let mut view = View {
            phase: Phase::Connecting,
            offset: 0,
            length,
            speed: None,
            eta: None,
            url: session.url.clone(),
        };
        if let Some(s) = saved
            .as_ref()
            .filter(|_| matches!(start, Start::Resume { .. }))
        {
            view.offset = s.offset;
        }
        self.view.set(view.clone());
        let mut refusal = String::new();
        loop {
            if !self.current() {
                return;
            }
            let op = session.next();
            let after = match &op {
                Op::Create => {
                    match tus::create(&self.endpoint, length, &self.zip.name, &self.code).await {
                        Ok(r) => {
                            refusal = r.text;
                            session.on_created(r.status, r.location)
                        }
                        Err(_) => session.on_network_error(),
                    }
                }
                Op::Head { url } => match tus::head(url).await {
                    Ok(r) => {
                        refusal = r.text;
                        session.on_head(r.status, r.offset, r.length)
                    }
                    Err(_) => session.on_network_error(),
                },
                Op::Patch { url, offset, end } => {
                    if view.phase != Phase::Sending {
                        view.phase = Phase::Sending;
                        self.view.set(view.clone());
                    }
                    let abort = tus::controller();
                    *self.control.borrow().request.borrow_mut() = Some(abort.clone());
                    // A stalled line would otherwise hang until the browser gives up.
                    let stall = {
                        let abort = abort.clone();
                        Timeout::new(upload::stall_ms(end - offset), move || abort.abort())
                    };
                    let began = js_sys::Date::now();
                    let reply = tus::patch(
                        url,
                        *offset,
                        &bytes[*offset as usize..*end as usize],
                        &abort,
                    )
                    .await;
                    drop(stall);
                    match reply {
                        Ok(r) => {
                            refusal = r.text;
                            let after = session.on_patch(r.status, r.offset);
                            if after == After::Saved {
                                meter
                                    .record(session.offset() - offset, js_sys::Date::now() - began);
                            }
                            after
                        }
                        Err(_) => session.on_network_error(),
                    }
                }
                Op::Done => break,
            };
            if !self.current() {
                return;
            }
            match after {
                After::Continue => {}
                After::Saved => {
                    if let Some(s) = session.saved(&self.sha, false) {
                        tus::save(&self.code, &s);
                    }
                    view.offset = session.offset();
                    view.url = session.url.clone();
                    view.speed = meter.bytes_per_second();
                    view.eta = meter.eta_seconds(length - session.offset());
                    self.view.set(view.clone());
                }
                After::Wait { ms, .. } => {
                    // A countdown the clerk can read, one second at a time.
                    let mut left = ms;
                    while left > 0 {
                        view.phase = Phase::Waiting(left.div_ceil(1000));
                        self.view.set(view.clone());
                        let step = left.min(1000);
                        TimeoutFuture::new(step as u32).await;
                        left -= step;
                        if !self.current() {
                            return;
                        }
                    }
                    view.phase = Phase::Connecting;
                    self.view.set(view.clone());
                }
                After::Fail { status } => {
                    view.phase =
                        Phase::Failed(format!("{} ({status}): {refusal}", ui::UPLOAD_REFUSED));
                    self.view.set(view);
                    return;
                }
            }
        }
        view.offset = length;
        view.eta = None;
        view.phase = Phase::Checking;
        self.view.set(view.clone());
        let verdict = self
            .verdict(session.url.as_deref().unwrap_or(&self.endpoint))
            .await;
        if self.current() {
            view.phase = Phase::Done(verdict);
            self.view.set(view);
        }
    }

    /// The server's own check, from `/received.json` (newest first). A
    /// server without that list still took the bytes: the verdict is unknown.
    async fn verdict(&self, base: &str) -> Verdict {
        for _ in 0..3 {
            if let Some(list) = tus::received_json(base).await {
                let found = list.as_array().and_then(|l| {
                    l.iter().find(|r| {
                        r.get("dossier_code").and_then(|c| c.as_str()) == Some(self.code.as_str())
                    })
                });
                if let Some(r) = found {
                    return if r.get("intact").and_then(|i| i.as_bool()) == Some(true) {
                        Verdict::Intact
                    } else {
                        let why = r
                            .get("messages")
                            .and_then(|m| m.as_array())
                            .into_iter()
                            .flatten();
                        Verdict::Broken(
                            why.filter_map(|m| m.as_str().map(str::to_string)).collect(),
                        )
                    };
                }
            }
            TimeoutFuture::new(1000).await;
        }
        Verdict::Unknown
    }
}
