//! Mang đến quầy — the citizen's side of the home pre-fill handoff: once
//! the declaration is made, its answers as QR codes (stepped "Mã 1/3"),
//! a `.hoso` file with the same text and a printable page, for the counter
//! to open without any network.

use crate::platform::download::GeneratedFile;
use crate::state::Dossier;
use hoso_core::handoff::{self, Handoff};
use hoso_core::i18n::handoff as t;
use hoso_core::i18n::Msg;
use hoso_core::Catalog;
use hoso_pdf::qr::QrMatrix;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

#[derive(Clone, PartialEq)]
struct Shown {
    parts: Rc<Vec<String>>,
    codes: Rc<Vec<QrMatrix>>,
    file: Rc<GeneratedFile>,
    pdf: Rc<GeneratedFile>,
}

#[function_component(HandoffShow)]
pub fn handoff_show(props: &Props) -> Html {
    let shown = use_state(|| None::<Result<Shown, Msg>>);
    let index = use_state(|| 0usize);
    let panel = use_node_ref();
    // Focus on the codes when they open: Esc closes, Tab reaches the steps.
    {
        let panel = panel.clone();
        use_effect_with(matches!(*shown, Some(Ok(_))), move |open| {
            if let Some(el) = panel.cast::<web_sys::HtmlElement>().filter(|_| *open) {
                let _ = el.focus();
            }
        });
    }
    // New answers make the codes stale: hide them.
    {
        let shown = shown.clone();
        use_effect_with(props.state.form_pdf.clone(), move |_| shown.set(None));
    }
    let state = &props.state;
    let (Some(procedure), Some(_)) = (state.procedure(), state.form_pdf.as_ref()) else {
        return html! {};
    };
    let show = {
        let (shown, index, state) = (shown.clone(), index.clone(), state.clone());
        let procedure = procedure.clone();
        Callback::from(move |_: MouseEvent| {
            let catalog = Catalog::embedded();
            let h = Handoff {
                procedure: procedure.id.clone(),
                catalog_version: catalog.version,
                place: state.place.clone(),
                answers: state.answers.clone(),
            };
            index.set(0);
            shown.set(Some(handoff::encode(catalog, &h).map(|parts| {
                let stem = handoff::file_stem(&h);
                let codes: Vec<QrMatrix> = parts.iter().filter_map(|p| QrMatrix::encode(p)).collect();
                let file = GeneratedFile::new(format!("{stem}.hoso"), handoff::file_text(&parts).into_bytes(), "text/plain;charset=utf-8");
                let page = hoso_pdf::HandoffPage {
                    procedure_name: procedure.name.clone(),
                    person: handoff::person(&h).map(str::to_string),
                    parts: parts.clone(),
                };
                let pdf = GeneratedFile::new(format!("{stem}.pdf"), hoso_pdf::render_handoff(&page), "application/pdf");
                Shown { parts: Rc::new(parts), codes: Rc::new(codes), file, pdf }
            })));
        })
    };
    let hide = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(None))
    };
    let onkeydown = {
        let shown = shown.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                shown.set(None);
            }
        })
    };
    let step = |delta: isize| {
        let index = index.clone();
        let n = match &*shown {
            Some(Ok(s)) => s.codes.len(),
            _ => 1,
        };
        Callback::from(move |_: MouseEvent| index.set((*index as isize + delta).clamp(0, n as isize - 1) as usize))
    };
    let body = match &*shown {
        None => html! {},
        Some(Err(m)) => html! { <p class="problem" role="alert">{ m.vi() }</p> },
        Some(Ok(s)) => {
            let n = s.codes.len();
            let i = (*index).min(n - 1);
            let code = &s.codes[i];
            let side = code.side();
            html! {
                <div class="handoff-codes" id="handoff-codes" role="dialog" aria-modal="true" aria-label={t::TITLE} tabindex="-1"
                    ref={panel.clone()} {onkeydown}>
                    <h2>{ t::TITLE }</h2>
                    <p class="help">{ if n > 1 { t::INSTRUCTION_MANY } else { t::INSTRUCTION_ONE } }</p>
                    <p class="handoff-counter" id="handoff-counter" aria-live="polite"><strong>{ format!("{} {}/{n}", t::CODE, i + 1) }</strong></p>
                    <svg class="qr" id="handoff-qr" data-part={s.parts[i].clone()} viewBox={format!("0 0 {side} {side}")}
                        role="img" aria-label={format!("{} {}/{n}", t::CODE, i + 1)} shape-rendering="crispEdges">
                        <rect width={side.to_string()} height={side.to_string()} fill="#fff" />
                        <path d={code.svg_path()} fill="#000" />
                    </svg>
                    if n > 1 {
                        <p class="actions">
                            <button id="handoff-prev" onclick={step(-1)} disabled={i == 0}>{ t::PREVIOUS }</button>{ " " }
                            <button id="handoff-next" class="primary" onclick={step(1)} disabled={i + 1 == n}>{ t::NEXT }</button>
                        </p>
                    }
                    <p class="actions">
                        <a class="button" id="handoff-file" href={s.file.href()} download={s.file.name.clone()}>{ t::DOWNLOAD_FILE }</a>{ " " }
                        <a class="button" id="handoff-print" href={s.pdf.href()} target="_blank" rel="noopener">{ t::PRINT }</a>{ " " }
                        <button class="link" id="handoff-hide" onclick={hide}>{ t::HIDE }</button>
                    </p>
                    <p class="help">{ t::PRIVACY }</p>
                </div>
            }
        }
    };
    html! {
        <div class="handoff-show">
            <button id="handoff-show" onclick={show}>{ t::SHOW }</button>
            <small class="help">{ " " }{ t::SHOW_HELP }</small>
            { body }
        </div>
    }
}
