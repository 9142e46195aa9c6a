//! Chỉnh góc: the clerk drags the sheet's four corners on the original
//! photo when detection was wrong, with a magnifier (kính lúp) under the
//! corner being moved; or moves them by keyboard. The model (ordering,
//! clamping, hit radius, mapping, loupe window) is `hoso_image::corners`;
//! this only draws and forwards events. Applying makes the page again from
//! its original through `paper_capture::reprocess`.

use crate::components::paper_capture::{original_bytes, reprocess, Adjust};
use crate::platform::download::GeneratedFile;
use crate::platform::idb::StoreContext;
use crate::platform::worker;
use crate::state::{Dossier, PageItem};
use hoso_core::i18n::pages as t;
use hoso_image::corners::{self, Quad, View, HIT_RADIUS};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, HtmlImageElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// Side of the loupe, CSS pixels.
const LOUPE: f64 = 160.0;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
    pub page: PageItem,
    pub on_close: Callback<()>,
}

enum Photo {
    Loading,
    Ready(Rc<GeneratedFile>),
    Gone(String),
}

/// The shown image's size in CSS pixels (what pointer positions refer to).
fn shown(img: &NodeRef) -> Option<(HtmlImageElement, (f32, f32), (f64, f64))> {
    let img = img.cast::<HtmlImageElement>()?;
    let r = img.get_bounding_client_rect();
    (r.width() > 0.0).then(|| (img, (r.width() as f32, r.height() as f32), (r.left(), r.top())))
}

#[function_component(CornerEditor)]
pub fn corner_editor(props: &Props) -> Html {
    let store = use_context::<StoreContext>().and_then(|c| c.0);
    let photo = use_state(|| Photo::Loading);
    // Source size: the worker's (EXIF applied), else the decoded image's.
    let size = use_state(|| props.page.source_size);
    let quad = use_state(|| None::<Quad>);
    let dragging = use_state(|| None::<usize>);
    let focused = use_state(|| None::<usize>);
    let error = use_state(|| None::<&'static str>);
    let img = use_node_ref();
    let loupe = use_node_ref();
    let stage = use_node_ref();
    let dialog = use_node_ref();
    let handles = use_state(|| std::array::from_fn::<NodeRef, 4, _>(|_| NodeRef::default()));
    let first_handle = handles[0].clone();

    {
        let (photo, page, store) = (photo.clone(), props.page.clone(), store.clone());
        use_effect_with(props.page.id, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // A TIFF or PDF page is drawn by the worker: the browser shows neither.
                let picture = match original_bytes(store.as_deref(), &page).await {
                    Ok(bytes) if hoso_image::is_paged(&bytes) => worker::render_page(bytes.to_vec(), page.source_page).await,
                    other => other.map(|bytes| bytes.to_vec()),
                };
                match picture {
                    Ok(bytes) => photo.set(Photo::Ready(GeneratedFile::new(page.source_name.clone(), bytes, "image/jpeg"))),
                    Err(msg) => photo.set(Photo::Gone(msg.vi().to_string())),
                }
            });
        });
    }
    let onload = {
        let (size, quad, page, first_handle) = (size.clone(), quad.clone(), props.page.clone(), first_handle.clone());
        Callback::from(move |e: Event| {
            let img: HtmlImageElement = e.target_unchecked_into();
            let (w, h) = if page.source_size.0 > 0 { page.source_size } else { (img.natural_width(), img.natural_height()) };
            size.set((w, h));
            quad.set(Some(corners::initial(page.corners, w, h)));
            // Keyboard users start on the first corner.
            let first_handle = first_handle.clone();
            gloo::timers::callback::Timeout::new(0, move || {
                if let Some(el) = first_handle.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            })
            .forget();
        })
    };

    let active = (*dragging).or(*focused);
    // Handles placed through the CSSOM: the page's CSP refuses style attributes.
    {
        let (handles, size) = (handles.clone(), *size);
        use_effect_with((*quad, size), move |(quad, size)| {
            let Some(q) = quad else { return };
            for (i, node) in handles.iter().enumerate() {
                if let Some(el) = node.cast::<HtmlElement>() {
                    let style = el.style();
                    let _ = style.set_property("left", &format!("{:.3}%", q[i].0 / size.0.max(1) as f32 * 100.0));
                    let _ = style.set_property("top", &format!("{:.3}%", q[i].1 / size.1.max(1) as f32 * 100.0));
                }
            }
        });
    }
    // The loupe follows the active corner.
    {
        let (img, loupe, size) = (img.clone(), loupe.clone(), *size);
        use_effect_with((*quad, active), move |(quad, active)| {
            let (Some(q), Some(i)) = (quad, active) else { return };
            let (Some((img, shown_size, _)), Some(canvas)) = (shown(&img), loupe.cast::<HtmlCanvasElement>()) else { return };
            let Some(ctx) = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok()) else { return };
            let view = View { source: size, shown: shown_size };
            let l = view.loupe(q[*i], LOUPE as f32);
            // The decoded image may be smaller than the source size (never larger): scale the window to it.
            let (kx, ky) = (img.natural_width() as f64 / size.0.max(1) as f64, img.natural_height() as f64 / size.1.max(1) as f64);
            ctx.set_fill_style_str("#333");
            ctx.fill_rect(0.0, 0.0, LOUPE, LOUPE);
            let _ = ctx.draw_image_with_html_image_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
                &img,
                l.x as f64 * kx,
                l.y as f64 * ky,
                l.w as f64 * kx,
                l.h as f64 * ky,
                0.0,
                0.0,
                LOUPE,
                LOUPE,
            );
            let (cx, cy) = l.crosshair();
            let (cx, cy) = (cx as f64 * LOUPE, cy as f64 * LOUPE);
            ctx.set_line_width(1.0);
            for (colour, offset) in [("#fff", 1.0), ("#c00", 0.0)] {
                ctx.set_stroke_style_str(colour);
                ctx.begin_path();
                ctx.move_to(cx + offset, 0.0);
                ctx.line_to(cx + offset, LOUPE);
                ctx.move_to(0.0, cy + offset);
                ctx.line_to(LOUPE, cy + offset);
                ctx.stroke();
            }
        });
    }

    let close = props.on_close.clone();
    let apply = {
        let (state, store, page, quad, size, error, close) =
            (props.state.clone(), store.clone(), props.page.clone(), quad.clone(), size.clone(), error.clone(), close.clone());
        move |corners: Option<Quad>| {
            if let Some(q) = corners {
                if corners::validate(&q, size.0, size.1).is_err() {
                    return error.set(Some(t::NOT_A_SHEET));
                }
            } else if quad.is_none() {
                return;
            }
            let adjust = Adjust { corners, ..Adjust::keep(&page) };
            let (state, store, id) = (state.clone(), store.clone(), page.id);
            wasm_bindgen_futures::spawn_local(async move {
                // A failure is listed with the step's problems; the page stays as it was.
                let _ = reprocess(&state, store.as_deref(), id, adjust).await;
            });
            close.emit(());
        }
    };

    let onpointerdown = {
        let (img, stage, quad, size, dragging) = (img.clone(), stage.clone(), quad.clone(), *size, dragging.clone());
        Callback::from(move |e: PointerEvent| {
            let (Some(q), Some((_, shown_size, (left, top)))) = (*quad, shown(&img)) else { return };
            let view = View { source: size, shown: shown_size };
            let at = ((e.client_x() as f64 - left) as f32, (e.client_y() as f64 - top) as f32);
            if let Some(i) = view.hit(&q, at, HIT_RADIUS) {
                e.prevent_default();
                // On the stage itself (Yew's current target is where it listens, not the stage).
                if let Some(el) = stage.cast::<web_sys::Element>() {
                    let _ = el.set_pointer_capture(e.pointer_id());
                }
                dragging.set(Some(i));
            }
        })
    };
    let onpointermove = {
        let (img, quad, size, dragging) = (img.clone(), quad.clone(), *size, dragging.clone());
        Callback::from(move |e: PointerEvent| {
            let (Some(i), Some(q), Some((_, shown_size, (left, top)))) = (*dragging, *quad, shown(&img)) else { return };
            e.prevent_default();
            let view = View { source: size, shown: shown_size };
            let to = view.to_source(((e.client_x() as f64 - left) as f32, (e.client_y() as f64 - top) as f32));
            quad.set(Some(corners::drag(&q, i, to, size.0, size.1)));
        })
    };
    let onpointerup = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| dragging.set(None))
    };

    let onkeydown = {
        let (img, quad, size, apply, close, dialog) = (img.clone(), quad.clone(), *size, apply.clone(), close.clone(), dialog.clone());
        Callback::from(move |e: KeyboardEvent| {
            match e.key().as_str() {
                // Tab stays in the dialog: past the last button back to the first corner, and the other way.
                "Tab" => {
                    let Some(d) = dialog.cast::<web_sys::Element>() else { return };
                    let Ok(all) = d.query_selector_all("button:not([disabled])") else { return };
                    let (first, last) = (all.item(0), all.item(all.length().saturating_sub(1)));
                    let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                    let wrap_to = match (e.shift_key(), &target) {
                        (false, Some(t)) if last.as_ref() == Some(t) => first,
                        (true, Some(t)) if first.as_ref() == Some(t) => last,
                        _ => None,
                    };
                    if let Some(el) = wrap_to.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                        e.prevent_default();
                        let _ = el.focus();
                    }
                    return;
                }
                "Escape" => {
                    e.prevent_default();
                    close.emit(());
                    return;
                }
                "Enter" => {
                    // On a handle or the photo: apply. Buttons keep their own Enter.
                    let on_button = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| el.tag_name() == "BUTTON" && el.get_attribute("data-corner").is_none());
                    if !on_button {
                        e.prevent_default();
                        apply((*quad).or_else(|| Some(corners::default_quad(size.0, size.1))));
                    }
                    return;
                }
                _ => {}
            }
            let step = if e.shift_key() { 10.0 } else { 1.0 };
            let (dx, dy) = match e.key().as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                "ArrowDown" => (0.0, step),
                _ => return,
            };
            let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.get_attribute("data-corner"))
                .and_then(|s| s.parse::<usize>().ok())
            else {
                return;
            };
            let (Some(q), Some((_, shown_size, _))) = (*quad, shown(&img)) else { return };
            e.prevent_default();
            quad.set(Some(View { source: size, shown: shown_size }.nudge(&q, i, dx, dy)));
        })
    };

    let title_id = format!("corner-title-{}", props.page.id);
    let body = match &*photo {
        Photo::Loading => html! { <p role="status"><progress></progress>{ " " }{ t::LOADING_ORIGINAL }</p> },
        Photo::Gone(why) => html! { <p class="problem" role="alert">{ why }</p> },
        Photo::Ready(file) => {
            let (w, h) = (size.0.max(1) as f32, size.1.max(1) as f32);
            let handles = quad.map(|q| {
                q.iter()
                    .enumerate()
                    .map(|(i, &p)| {
                        let onfocus = {
                            let focused = focused.clone();
                            Callback::from(move |_: FocusEvent| focused.set(Some(i)))
                        };
                        let onblur = {
                            let focused = focused.clone();
                            Callback::from(move |_: FocusEvent| focused.set(None))
                        };
                        html! {
                            <button type="button" class={classes!("corner-handle", (active == Some(i)).then_some("active"))}
                                data-corner={i.to_string()} ref={handles[i].clone()} {onfocus} {onblur}
                                aria-label={format!("{} ({}, {})", t::CORNER_NAMES[i], p.0.round(), p.1.round())}></button>
                        }
                    })
                    .collect::<Html>()
            });
            let outline = quad.map(|q| q.iter().map(|p| format!("{:.1},{:.1}", p.0, p.1)).collect::<Vec<_>>().join(" "));
            // The loupe sits in the half away from the corner, so the finger does not hide it.
            let loupe_side = active.and_then(|i| quad.map(|q| if q[i].0 < w / 2.0 { "right" } else { "left" }));
            html! {
                <div class="corner-stage" ref={stage.clone()} {onpointerdown} onpointermove={onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                    <img ref={img.clone()} src={file.href()} alt={props.page.source_name.clone()} draggable="false" {onload} />
                    if let Some(points) = outline {
                        <svg class="corner-outline" viewBox={format!("0 0 {w} {h}")} preserveAspectRatio="none" aria-hidden="true">
                            <polygon points={points} vector-effect="non-scaling-stroke" />
                        </svg>
                    }
                    { handles.unwrap_or_default() }
                    <canvas ref={loupe.clone()} class={classes!("loupe", loupe_side)} width={LOUPE.to_string()} height={LOUPE.to_string()}
                        hidden={active.is_none()} role="img" aria-label={t::MAGNIFIER}></canvas>
                </div>
            }
        }
    };
    let on_apply = {
        let (apply, quad) = (apply.clone(), quad.clone());
        Callback::from(move |_: MouseEvent| {
            if quad.is_some() {
                apply(*quad)
            }
        })
    };
    let on_redetect = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply(None))
    };
    let on_cancel = Callback::from(move |_: MouseEvent| close.emit(()));
    let ready = matches!(*photo, Photo::Ready(_));
    html! {
        <div class="corner-backdrop">
            <div class="corner-editor card" ref={dialog} role="dialog" aria-modal="true" aria-labelledby={title_id.clone()} {onkeydown}>
                <h3 id={title_id}>{ t::EDITOR_TITLE }{ ": " }{ &props.page.source_name }</h3>
                <p class="help">{ t::EDITOR_HELP }</p>
                { body }
                if let Some(msg) = *error { <p class="problem" role="alert">{ msg }</p> }
                <p class="actions">
                    <button type="button" class="primary corner-apply" onclick={on_apply} disabled={!ready}>{ t::APPLY }</button>
                    { " " }
                    <button type="button" class="corner-redetect" onclick={on_redetect} disabled={!ready}>{ t::REDETECT }</button>
                    { " " }
                    <button type="button" class="corner-cancel" onclick={on_cancel}>{ t::CANCEL }</button>
                </p>
            </div>
        </div>
    }
}
