//! Camera — the live picture for scanning codes: the phone's rear camera,
//! or the counter PC's webcam, through `getUserMedia`. Frames come out as
//! RGBA pixels for the background decoder (`platform::worker`).
//!
//! The camera light stays on while a track runs, so every way out (close
//! button, component unmount, page hidden, drop) stops the tracks.

use hoso_core::i18n::camera::CameraError;
use js_sys::{Array, Object, Reflect};
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaDevices, MediaStream, MediaStreamConstraints,
    MediaStreamTrack, MediaTrackConstraints,
};

/// An open camera. Dropping it turns the camera off.
pub struct Camera {
    stream: MediaStream,
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    torch: Cell<bool>,
}

fn obj(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn camera_error(e: &JsValue) -> CameraError {
    let field = |k: &str| Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    CameraError::from_dom(&field("name"), &field("message"))
}

/// Opens the rear camera if there is one, any camera otherwise (`ideal`
/// constraints never fail on a laptop with a single front webcam).
pub async fn open() -> Result<Camera, CameraError> {
    let window = gloo::utils::window();
    let navigator = window.navigator();
    let devices = Reflect::get(&navigator, &"mediaDevices".into()).unwrap_or(JsValue::UNDEFINED);
    if devices.is_undefined() || devices.is_null() {
        // Browsers hide mediaDevices outside https and localhost.
        return Err(if window.is_secure_context() { CameraError::Unsupported } else { CameraError::Insecure });
    }
    let devices: MediaDevices = devices.unchecked_into();
    let ideal = |v: JsValue| JsValue::from(obj(&[("ideal", v)]));
    let video = obj(&[
        ("facingMode", ideal("environment".into())),
        // Enough pixels for a 2 cm code at arm's length, not more than a slow PC can push.
        ("width", ideal(1280.into())),
        ("height", ideal(720.into())),
    ]);
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&video);
    constraints.set_audio_bool(false);
    let promise = devices.get_user_media_with_constraints(&constraints).map_err(|e| camera_error(&e))?;
    let stream: MediaStream = JsFuture::from(promise).await.map_err(|e| camera_error(&e))?.unchecked_into();
    let canvas: HtmlCanvasElement =
        gloo::utils::document().create_element("canvas").map_err(|e| camera_error(&e))?.unchecked_into();
    // Frames are read back every time: tell the browser to keep them in memory.
    let options = obj(&[("willReadFrequently", true.into())]);
    let context: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &options)
        .ok()
        .flatten()
        .ok_or_else(|| CameraError::Other("canvas 2d".into()))?
        .unchecked_into();
    Ok(Camera { stream, canvas, context, torch: Cell::new(false) })
}

impl Camera {
    fn track(&self) -> Option<MediaStreamTrack> {
        self.stream.get_video_tracks().get(0).dyn_into().ok()
    }

    /// Shows the live picture in `video` and waits until it plays.
    pub async fn show_in(&self, video: &HtmlVideoElement) {
        video.set_muted(true);
        let _ = video.set_attribute("playsinline", "");
        video.set_src_object(Some(&self.stream));
        if let Ok(p) = video.play() {
            // Autoplay of a muted camera preview is allowed; if not, the
            // first frame still arrives and scanning works without it.
            let _ = JsFuture::from(p).await;
        }
    }

    /// Whether the camera has a light that can be switched (phones, with
    /// Chrome on Android); `getCapabilities` itself is missing in Firefox.
    pub fn has_torch(&self) -> bool {
        let Some(track) = self.track() else { return false };
        let Ok(get) = Reflect::get(&track, &"getCapabilities".into()) else { return false };
        let Some(get) = get.dyn_ref::<js_sys::Function>() else { return false };
        get.call0(&track).ok().and_then(|caps| Reflect::get(&caps, &"torch".into()).ok()).is_some_and(|t| t.is_truthy())
    }

    pub fn torch_on(&self) -> bool {
        self.torch.get()
    }

    /// Switches the light; false when the camera refused.
    pub async fn set_torch(&self, on: bool) -> bool {
        let Some(track) = self.track() else { return false };
        let advanced = Array::of1(&obj(&[("torch", on.into())]));
        let constraints: MediaTrackConstraints = obj(&[("advanced", advanced.into())]).unchecked_into();
        let Ok(promise) = track.apply_constraints_with_constraints(&constraints) else { return false };
        let ok = JsFuture::from(promise).await.is_ok();
        if ok {
            self.torch.set(on);
        }
        ok
    }

    /// The current picture as RGBA, its long side at most `max_side`;
    /// `None` until the video has a frame.
    pub fn frame(&self, video: &HtmlVideoElement, max_side: u32) -> Option<(Vec<u8>, u32, u32)> {
        // HAVE_CURRENT_DATA or better.
        if video.ready_state() < 2 || !self.stream.active() {
            return None;
        }
        let (vw, vh) = (video.video_width(), video.video_height());
        if vw == 0 || vh == 0 {
            return None;
        }
        let scale = (max_side as f64 / f64::from(vw.max(vh))).min(1.0);
        let (w, h) = (((f64::from(vw) * scale).round() as u32).max(1), ((f64::from(vh) * scale).round() as u32).max(1));
        if self.canvas.width() != w || self.canvas.height() != h {
            self.canvas.set_width(w);
            self.canvas.set_height(h);
        }
        self.context.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w.into(), h.into()).ok()?;
        let data = self.context.get_image_data(0.0, 0.0, w.into(), h.into()).ok()?;
        Some((data.data().0, w, h))
    }

    /// Whether the camera still delivers (unplugged, taken by another app).
    pub fn live(&self) -> bool {
        self.stream.active()
    }

    /// Turns the camera off (idempotent).
    pub fn stop(&self) {
        for track in self.stream.get_tracks().iter() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.stop();
            }
        }
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.stop();
    }
}
