//! The browser side of the training mode (hoso_training holds the logic):
//! drawing the sample papers on a canvas, handing a sample to a file input
//! as if the clerk had picked it, highlighting the tour's target, and the
//! projector display settings (root font size, high-contrast class).

use super::idb;
use hoso_training::display::Display;
use hoso_training::sheet::{Align, Op, Rgba, Sheet};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, HtmlInputElement};

/// The highlighted element of the tour carries this class (styled in app.css).
const TARGET_CLASS: &str = "tour-target";

fn document() -> web_sys::Document {
    gloo::utils::document()
}

fn css(c: Rgba) -> String {
    format!("rgba({},{},{},{:.3})", c[0], c[1], c[2], f64::from(c[3]) / 255.0)
}

fn font(size: f32, bold: bool, serif: bool) -> String {
    let family = if serif { "Tinos, \"Times New Roman\", \"DejaVu Serif\", serif" } else { "\"Noto Sans\", Arial, \"DejaVu Sans\", sans-serif" };
    format!("{}{}px {family}", if bold { "bold " } else { "" }, size.round() as u32)
}

/// A sample paper drawn as a phone photo would arrive: a JPEG file's bytes.
pub fn render_jpeg(sheet: &Sheet) -> Result<Vec<u8>, String> {
    let canvas: HtmlCanvasElement = document().create_element("canvas").map_err(|e| format!("{e:?}"))?.unchecked_into();
    canvas.set_width(sheet.width);
    canvas.set_height(sheet.height);
    let g: CanvasRenderingContext2d =
        canvas.get_context("2d").ok().flatten().ok_or("canvas 2d")?.unchecked_into();
    for op in &sheet.ops {
        draw(&g, op, sheet);
    }
    let url = canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.9))
        .map_err(|e| format!("{e:?}"))?;
    let b64 = url.split_once(',').map(|(_, b)| b).ok_or("data URL")?;
    idb::base64_decode(b64).ok_or_else(|| "base64".into())
}

fn draw(g: &CanvasRenderingContext2d, op: &Op, sheet: &Sheet) {
    let f = f64::from;
    match op {
        Op::Fill { x, y, w, h, color } => {
            g.set_fill_style_str(&css(*color));
            g.fill_rect(f(*x), f(*y), f(*w), f(*h));
        }
        Op::Stroke { x, y, w, h, width, color } => {
            g.set_stroke_style_str(&css(*color));
            g.set_line_width(f(*width));
            g.stroke_rect(f(*x), f(*y), f(*w), f(*h));
        }
        Op::Text { x, y, size, bold, serif, align, color, text } => {
            g.set_fill_style_str(&css(*color));
            g.set_font(&font(*size, *bold, *serif));
            g.set_text_align(match align {
                Align::Left => "left",
                Align::Center => "center",
                Align::Right => "right",
            });
            g.set_text_baseline("alphabetic");
            let _ = g.fill_text(text, f(*x), f(*y));
        }
        Op::Circle { cx, cy, r, width, color } => {
            g.set_stroke_style_str(&css(*color));
            g.set_line_width(f(*width));
            g.begin_path();
            let _ = g.arc(f(*cx), f(*cy), f(*r), 0.0, std::f64::consts::TAU);
            g.stroke();
        }
        Op::Path { points, width, color } => {
            g.set_stroke_style_str(&css(*color));
            g.set_line_width(f(*width));
            g.set_line_cap("round");
            g.set_line_join("round");
            g.begin_path();
            for (i, (x, y)) in points.iter().enumerate() {
                if i == 0 {
                    g.move_to(f(*x), f(*y));
                } else {
                    g.line_to(f(*x), f(*y));
                }
            }
            g.stroke();
        }
        Op::Watermark { text, size, color } => {
            let (w, h) = (f64::from(sheet.width), f64::from(sheet.height));
            g.save();
            let _ = g.translate(w / 2.0, h / 2.0);
            let _ = g.rotate(-h.atan2(w));
            g.set_fill_style_str(&css(*color));
            g.set_font(&font(*size, true, false));
            g.set_text_align("center");
            g.set_text_baseline("middle");
            let _ = g.fill_text(text, 0.0, 0.0);
            g.restore();
        }
    }
}

/// Gives `bytes` to the file input `selector` as the picked file and
/// announces the change, so the app handles it exactly like a real pick.
pub fn give_file(selector: &str, name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let input: HtmlInputElement =
        document().query_selector(selector).ok().flatten().ok_or_else(|| format!("{selector}?"))?.dyn_into().map_err(|_| "not an input")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::FilePropertyBag::new();
    options.set_type(mime);
    let file = web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &options).map_err(|e| format!("{e:?}"))?;
    let transfer = web_sys::DataTransfer::new().map_err(|e| format!("{e:?}"))?;
    transfer.items().add_with_file(&file).map_err(|e| format!("{e:?}"))?;
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).map_err(|e| format!("{e:?}"))?;
    input.dispatch_event(&event).map_err(|e| format!("{e:?}"))?;
    Ok(())
}

/// Clicks the element, as the clerk would; false when it is not there.
pub fn click(selector: &str) -> bool {
    match document().query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        Some(e) => {
            e.click();
            true
        }
        None => false,
    }
}

pub fn focus(selector: &str) {
    if let Some(e) = document().query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

pub fn exists(selector: &str) -> bool {
    document().query_selector(selector).ok().flatten().is_some()
}

/// Highlights the element (only it); `scroll` brings it to the top of the
/// screen. False when it is not on screen.
pub fn highlight(selector: Option<&str>, scroll: bool) -> bool {
    let target = selector.and_then(|s| document().query_selector(s).ok().flatten()).map(visible_part);
    if let Ok(list) = document().query_selector_all(&format!(".{TARGET_CLASS}")) {
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                if Some(&e) != target.as_ref() {
                    let _ = e.class_list().remove_1(TARGET_CLASS);
                }
            }
        }
    }
    let Some(e) = target else { return false };
    let _ = e.class_list().add_1(TARGET_CLASS);
    if scroll {
        let options = web_sys::ScrollIntoViewOptions::new();
        // Its top just under the sticky banner (scroll-margin-top): the tour panel is below.
        options.set_block(web_sys::ScrollLogicalPosition::Start);
        e.scroll_into_view_with_scroll_into_view_options(&options);
    }
    true
}

/// A file input hidden for screen readers only is shown as its label: that
/// is what the clerk sees and clicks.
fn visible_part(e: Element) -> Element {
    if e.tag_name() == "INPUT" && e.class_list().contains("sr") {
        let label = document().query_selector(&format!("label[for=\"{}\"]", e.id())).ok().flatten();
        if let Some(label) = label {
            return label;
        }
    }
    e
}

/// Marks <html> while the tour is open (room below the page for its panel).
pub fn set_root_class(class: &str, on: bool) {
    if let Some(root) = document().document_element() {
        let _ = if on { root.class_list().add_1(class) } else { root.class_list().remove_1(class) };
    }
}

/// Applies zoom (every size is in rem) and the high-contrast theme.
pub fn apply_display(d: &Display) {
    if let Some(root) = document().document_element().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = root.style().set_property("--zoom", &d.scale());
    }
    set_root_class("high-contrast", d.high_contrast);
}

/// Opens the app in training mode, or back in normal mode (a new page load:
/// the store is chosen once per load).
pub fn switch_mode(training: bool) {
    let location = gloo::utils::window().location();
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    let target = if training { format!("{path}?{}", hoso_training::mode::URL_FLAG) } else { path };
    let _ = location.assign(&target);
}

/// Entered by `#tap-huan`: keep the mode in the query instead, so a later
/// in-page link (#…) and a reload stay in training.
pub fn keep_mode_in_url() {
    let window = gloo::utils::window();
    let location = window.location();
    if location.search().unwrap_or_default().contains(hoso_training::mode::URL_FLAG) {
        return;
    }
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}?{}", hoso_training::mode::URL_FLAG)));
    }
}
