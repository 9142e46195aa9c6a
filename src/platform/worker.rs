//! Luồng nền — the background decoder: a second wasm binary
//! (`src/bin/hoso-worker.rs`) running in a dedicated web worker, so that
//! pixel work never freezes the page (a clerk keeps typing while a camera
//! frame is searched for a QR code).
//!
//! The worker is started on first use, not at page load: the main wasm
//! carries no decoder, and the worker's files come from the service
//! worker's cache like everything else, so it works offline.
//!
//! One request, one response, matched by id. Messages are plain JS objects
//! with a `kind`; pixel buffers are transferred, not copied. New kinds of
//! work are new [`Request`]/[`Response`] variants.

use hoso_core::i18n::Msg;
use hoso_qr::QrError;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker};

/// The worker's entry script: Trunk's loader shim for the `hoso-worker`
/// binary (unhashed: a worker's file name is fixed at run time).
pub const WORKER_URL: &str = "./hoso-worker_loader.js";

/// Pixel budget for one live camera frame: a quick look, the next frame comes soon.
pub const FRAME_BUDGET: u64 = 3_000_000;
/// A still photo gets the full search.
pub const STILL_BUDGET: u64 = hoso_qr::DEFAULT_BUDGET;
/// Time allowed for one still, including starting the worker on a slow PC.
pub const STILL_TIMEOUT_MS: u32 = 30_000;
/// Time allowed for one camera frame (the first one also starts the worker).
pub const FRAME_TIMEOUT_MS: u32 = 20_000;

/// Work for the background decoder.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Find QR codes in RGBA pixels (a canvas's `getImageData`), looking at
    /// no more than `budget` pixels in all.
    DecodeQr { rgba: Vec<u8>, width: u32, height: u32, budget: u64 },
}

/// The decoder's answer to one [`Request`].
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    Qr(Result<Vec<String>, QrError>),
    /// The worker could not read the request (a version mismatch after an
    /// update, say): its words, for the log.
    Failed(String),
}

/// What the worker does with a request. Runs inside the worker only; the
/// main binary never calls it, so the decoder is not linked into it.
pub fn handle(request: Request) -> Response {
    match request {
        Request::DecodeQr { rgba, width, height, budget } => {
            Response::Qr(hoso_qr::decode_rgba_with_budget(&rgba, width, height, budget))
        }
    }
}

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), &value.into());
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn get_u32(source: &JsValue, key: &str) -> Option<u32> {
    get(source, key).as_f64().filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= f64::from(u32::MAX)).map(|v| v as u32)
}

impl Request {
    /// The message for `postMessage` and the buffers to transfer with it.
    pub fn to_js(&self, id: u32) -> (JsValue, Array) {
        let msg = Object::new();
        set(&msg, "id", id);
        let transfer = Array::new();
        match self {
            Request::DecodeQr { rgba, width, height, budget } => {
                set(&msg, "kind", "decode_qr");
                let pixels = Uint8Array::from(rgba.as_slice());
                transfer.push(&pixels.buffer());
                set(&msg, "rgba", pixels);
                set(&msg, "width", *width);
                set(&msg, "height", *height);
                set(&msg, "budget", *budget as f64);
            }
        }
        (msg.into(), transfer)
    }

    /// Reads a message built by [`Request::to_js`]: (id, request).
    pub fn from_js(msg: &JsValue) -> Result<(u32, Request), String> {
        let id = get_u32(msg, "id").ok_or("no id")?;
        let kind = get(msg, "kind").as_string().unwrap_or_default();
        match kind.as_str() {
            "decode_qr" => {
                let rgba = get(msg, "rgba").dyn_into::<Uint8Array>().map_err(|_| "rgba is not a Uint8Array")?.to_vec();
                let width = get_u32(msg, "width").ok_or("no width")?;
                let height = get_u32(msg, "height").ok_or("no height")?;
                let budget = get(msg, "budget").as_f64().filter(|b| *b >= 0.0).ok_or("no budget")? as u64;
                Ok((id, Request::DecodeQr { rgba, width, height, budget }))
            }
            other => Err(format!("unknown request kind {other:?}")),
        }
    }
}

impl Response {
    pub fn to_js(&self, id: u32) -> JsValue {
        let msg = Object::new();
        set(&msg, "id", id);
        match self {
            Response::Qr(Ok(texts)) => {
                set(&msg, "kind", "qr");
                set(&msg, "texts", texts.iter().map(JsValue::from).collect::<Array>());
            }
            Response::Qr(Err(e)) => {
                set(&msg, "kind", "qr");
                let (error, a, b) = match e {
                    QrError::NotFound => ("not_found", 0.0, 0.0),
                    QrError::TooLarge { width, height } => ("too_large", f64::from(*width), f64::from(*height)),
                    QrError::BadBuffer { expected, got } => ("bad_buffer", *expected as f64, *got as f64),
                };
                set(&msg, "error", error);
                set(&msg, "a", a);
                set(&msg, "b", b);
            }
            Response::Failed(why) => {
                set(&msg, "kind", "failed");
                set(&msg, "message", why.as_str());
            }
        }
        msg.into()
    }

    pub fn from_js(msg: &JsValue) -> Result<(u32, Response), String> {
        let id = get_u32(msg, "id").ok_or("no id")?;
        let kind = get(msg, "kind").as_string().unwrap_or_default();
        let response = match kind.as_str() {
            "qr" => match get(msg, "error").as_string() {
                None => {
                    let texts = get(msg, "texts").dyn_into::<Array>().map_err(|_| "texts is not an array")?;
                    Response::Qr(Ok(texts.iter().filter_map(|t| t.as_string()).collect()))
                }
                Some(error) => {
                    let (a, b) = (get(msg, "a").as_f64().unwrap_or(0.0), get(msg, "b").as_f64().unwrap_or(0.0));
                    Response::Qr(Err(match error.as_str() {
                        "not_found" => QrError::NotFound,
                        "too_large" => QrError::TooLarge { width: a as u32, height: b as u32 },
                        "bad_buffer" => QrError::BadBuffer { expected: a as u64, got: b as usize },
                        other => return Err(format!("unknown QR error {other:?}")),
                    }))
                }
            },
            "failed" => Response::Failed(get(msg, "message").as_string().unwrap_or_default()),
            other => return Err(format!("unknown response kind {other:?}")),
        };
        Ok((id, response))
    }
}

// ---- Worker side -------------------------------------------------------

/// The worker binary's `main`: answer every request, then say "ready" so
/// the page knows nothing it posts from now on is lost.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let (id, response) = match Request::from_js(&data) {
            Ok((id, request)) => (id, handle(request)),
            Err(why) => (get_u32(&data, "id").unwrap_or(0), Response::Failed(why)),
        };
        // Structured clone of a few strings cannot fail.
        let _ = reply_to.post_message(&response.to_js(id));
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();
    let ready = Object::new();
    set(&ready, "kind", "ready");
    let _ = scope.post_message(&ready);
}

// ---- Page side -------------------------------------------------------

type Settle = (js_sys::Function, js_sys::Function);

/// The running worker: requests wait in `queue` until it said "ready".
struct Client {
    generation: u32,
    worker: Worker,
    ready: Cell<bool>,
    queue: RefCell<Vec<(JsValue, Array)>>,
    pending: RefCell<HashMap<u32, Settle>>,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

const TIMEOUT: &str = "timeout";
const FAILED: &str = "failed";

fn current(generation: u32) -> Option<Rc<Client>> {
    CLIENT.with(|c| c.borrow().clone()).filter(|c| c.generation == generation)
}

/// Stops the worker (stuck or broken) and fails whatever waits on it; the
/// next request starts a fresh one.
fn shut_down(generation: u32, reason: &str) {
    let Some(client) = current(generation) else { return };
    CLIENT.with(|c| c.borrow_mut().take());
    client.worker.terminate();
    for (_, (_, reject)) in client.pending.borrow_mut().drain() {
        let _ = reject.call1(&JsValue::NULL, &reason.into());
    }
}

fn client() -> Result<Rc<Client>, Msg> {
    if let Some(c) = CLIENT.with(|c| c.borrow().clone()) {
        return Ok(c);
    }
    let worker = Worker::new(WORKER_URL).map_err(|e| {
        gloo::console::error!("worker", e);
        Msg::QrDecoderFailed
    })?;
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(client) = current(generation) else { return };
        let data = e.data();
        if get(&data, "kind").as_string().as_deref() == Some("ready") {
            client.ready.set(true);
            for (msg, transfer) in client.queue.borrow_mut().drain(..) {
                let _ = client.worker.post_message_with_transfer(&msg, &transfer);
            }
            return;
        }
        let Some(id) = get_u32(&data, "id") else { return };
        let settle = client.pending.borrow_mut().remove(&id);
        if let Some((resolve, _)) = settle {
            let _ = resolve.call1(&JsValue::NULL, &data);
        }
    });
    // A script that did not load (offline without cache), a wasm that did
    // not instantiate, a trap inside the decoder.
    let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
        gloo::console::error!("hoso-worker:", e.message());
        shut_down(generation, FAILED);
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    // Both live as long as the worker; a new worker (after a failure, rare) gets new ones.
    onmessage.forget();
    onerror.forget();
    let client = Rc::new(Client {
        generation,
        worker,
        ready: Cell::new(false),
        queue: RefCell::new(Vec::new()),
        pending: RefCell::new(HashMap::new()),
    });
    CLIENT.with(|c| *c.borrow_mut() = Some(client.clone()));
    Ok(client)
}

/// Sends one request and waits for its answer, at most `timeout_ms`
/// (then the worker is stopped: it may be stuck on this very request).
pub async fn call(request: &Request, timeout_ms: u32) -> Result<Response, Msg> {
    let client = client()?;
    let id = NEXT_ID.with(|n| {
        n.set(n.get().wrapping_add(1).max(1));
        n.get()
    });
    let promise = Promise::new(&mut |resolve, reject| {
        client.pending.borrow_mut().insert(id, (resolve, reject));
    });
    let (msg, transfer) = request.to_js(id);
    if client.ready.get() {
        if let Err(e) = client.worker.post_message_with_transfer(&msg, &transfer) {
            gloo::console::error!("postMessage", e);
            client.pending.borrow_mut().remove(&id);
            return Err(Msg::QrDecoderFailed);
        }
    } else {
        client.queue.borrow_mut().push((msg, transfer));
    }
    let generation = client.generation;
    drop(client);
    let timer = gloo::timers::callback::Timeout::new(timeout_ms, move || shut_down(generation, TIMEOUT));
    let answer = JsFuture::from(promise).await;
    timer.cancel();
    match answer {
        Ok(data) => Response::from_js(&data).map(|(_, r)| r).map_err(|why| {
            gloo::console::error!("hoso-worker answer:", why);
            Msg::QrDecoderFailed
        }),
        Err(reason) if reason.as_string().as_deref() == Some(TIMEOUT) => Err(Msg::QrDecoderTimeout),
        Err(_) => Err(Msg::QrDecoderFailed),
    }
}

/// QR texts in RGBA pixels, decoded off the main thread.
pub async fn decode_qr(
    rgba: Vec<u8>,
    width: u32,
    height: u32,
    budget: u64,
    timeout_ms: u32,
) -> Result<Vec<String>, Msg> {
    match call(&Request::DecodeQr { rgba, width, height, budget }, timeout_ms).await? {
        Response::Qr(result) => result.map_err(|e| e.msg()),
        Response::Failed(why) => {
            gloo::console::error!("hoso-worker refused:", why);
            Err(Msg::QrDecoderFailed)
        }
    }
}
