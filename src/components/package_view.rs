use crate::components::form_view::human_bytes;
use crate::components::upload_queue::UploadQueue;
use crate::platform::{clock, download::GeneratedFile, storage};
use crate::state::{Action, Dossier, Packed};
use hoso_core::catalog::ComponentKind;
use hoso_core::dossier::{format_code, missing_papers, missing_with_reasons, ComponentFile, MissingRecord, Origin, Provenance};
use hoso_core::i18n::{package as pui, ui};
use hoso_calendar::LocalDateTime;
use hoso_core::text;
use hoso_package::ReceiptFile;
use hoso_pdf::{pages_pdf, render_receipt, render_supplement, Receipt, Supplement};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Step 4: one zip with the PDFs, dossier.json and SHA-256 manifests.
#[function_component(PackageView)]
pub fn package_view(props: &Props) -> Html {
    let state = &props.state;
    // Papers may be missing, each with the clerk's reason (lý do thiếu).
    let ready = state.procedure().is_some_and(|p| missing_records(state, p).is_ok())
        && state.form_pdf.is_some()
        && state.processing == 0;
    let supplement = use_state(|| None::<Rc<GeneratedFile>>);
    {
        // A printed phiếu is for the reasons it was printed with.
        let supplement = supplement.clone();
        use_effect_with((state.missing_reasons.clone(), state.stored_code.clone()), move |_| supplement.set(None));
    }
    {
        // A reopened dossier that was packaged is packaged again by itself
        // (same code, same bytes), so an interrupted upload goes on unprompted.
        let state = state.clone();
        let again = ready && state.stored_code.is_some() && state.packed.is_none();
        use_effect_with(again, move |again| {
            if *again {
                state.dispatch(Action::Packed(pack(&state)));
            }
        });
    }
    let Some(procedure) = state.procedure() else { return html! {} };
    let missing = missing_papers(procedure, |id| state.pages_of(id).next().is_some());
    let do_pack = {
        let state = state.clone();
        Callback::from(move |()| {
            state.dispatch(Action::Packed(pack(&state)));
        })
    };
    let onclick = do_pack.reform(|_: MouseEvent| ());
    let explained = missing_records(state, procedure);
    // Enter in a reason packs once every reason is given (keyboard-first).
    let onkeydown = {
        let do_pack = do_pack.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && ready {
                e.prevent_default();
                do_pack.emit(());
            }
        })
    };
    let print_supplement = {
        let (state, supplement) = (state.clone(), supplement.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(file) = supplement_pdf(&state) else { return };
            if let Some(w) = web_sys::window() {
                let _ = w.open_with_url_and_target(&file.href(), "_blank");
            }
            supplement.set(Some(file));
        })
    };
    html! {
        <section aria-labelledby="step-package">
            <h2 id="step-package">{ ui::STEP_PACKAGE }</h2>
            if state.form_pdf.is_none() { <p class="help">{ ui::NEED_FORM_FIRST }</p> }
            if !missing.is_empty() {
                <div class="card missing-papers" id="missing-papers" role="group" aria-labelledby="missing-heading">
                    <h3 id="missing-heading">{ pui::MISSING_HEADING }</h3>
                    <p class="help">{ pui::MISSING_HELP }</p>
                    { for missing.iter().map(|c| {
                        let id = format!("missing-reason-{}", c.id);
                        let value = state.missing_reasons.get(&c.id).cloned().unwrap_or_default();
                        let oninput = {
                            let (state, component) = (state.clone(), c.id.clone());
                            Callback::from(move |e: InputEvent| {
                                let reason = e.target_unchecked_into::<HtmlInputElement>().value();
                                state.dispatch(Action::MissingReason { component: component.clone(), reason });
                            })
                        };
                        let blank = value.trim().is_empty();
                        html! {
                            <div class="field">
                                <label for={id.clone()}>{ pui::MISSING_REASON }{ ": " }<strong>{ &c.name }</strong></label>
                                <input type="text" id={id} name={format!("missing-{}", c.id)} {value} {oninput}
                                    onkeydown={onkeydown.clone()} maxlength="300" autocomplete="off"
                                    placeholder={pui::MISSING_REASON_PLACEHOLDER} aria-invalid={blank.to_string()} />
                            </div>
                        }
                    }) }
                    if explained.is_err() { <p class="help" id="missing-need-reason">{ pui::MISSING_NEED_REASON }</p> }
                    <p>
                        <button type="button" id="print-supplement" disabled={explained.is_err()} onclick={print_supplement}>{ pui::PRINT_SUPPLEMENT }</button>
                        if let Some(f) = &*supplement {
                            { " " }<a id="supplement" href={f.href()} target="_blank" rel="noopener" download={f.name.clone()}>{ &f.name }</a>
                        }
                    </p>
                </div>
            }
            <button class="primary" id="pack" disabled={!ready} {onclick}>{ ui::PACK }</button>
            if let Some(e) = &state.pack_error { <p class="problem" role="alert">{ e }</p> }
            if let Some(p) = &state.packed {
                <div class="card packed" role="status">
                    <h3>{ ui::PACKED }{ " " }<code id="dossier-code">{ &p.code }</code></h3>
                    <p class="due"><strong>{ ui::DUE_DATE }{ ": " }</strong><span id="due-date">{ &p.due }</span></p>
                    if let Ok(short) = explained.as_ref().map(|m| m.iter().map(|m| format!("{} ({})", m.name, m.reason)).collect::<Vec<_>>()) {
                        if !short.is_empty() {
                            <p id="packed-without"><strong>{ pui::PACKED_WITHOUT }</strong>{ " " }{ short.join("; ") }</p>
                        }
                    }
                    <p><a class="button" id="receipt" href={p.receipt.href()} target="_blank" rel="noopener">{ ui::PRINT_RECEIPT }</a></p>
                    <table>
                        <tbody>
                            { for p.files.iter().map(|(name, bytes)| html! {
                                <tr><td><code>{ name }</code></td><td class="num">{ human_bytes(*bytes) }</td></tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr><th>{ ui::TOTAL_SIZE }</th><td class="num">{ human_bytes(p.zip.bytes.len() as u64) }</td></tr>
                            <tr><th>{ ui::UPLOAD_TIME }</th><td class="num">{ hoso_core::i18n::scan::upload_time(p.zip.bytes.len() as u64) }</td></tr>
                        </tfoot>
                    </table>
                    <a class="button primary" id="download" href={p.zip.href()} download={p.zip.name.clone()}>{ ui::DOWNLOAD }</a>
                </div>
                <UploadQueue key={p.zip.href()} code={p.code.clone()} zip={p.zip.clone()}
                    on_submitted={{ let s = state.clone(); Callback::from(move |()| s.dispatch(Action::Submitted)) }} />
            }
        </section>
    }
}

/// The missing required papers with their reasons, or those still without one.
fn missing_records<'a>(
    state: &Dossier,
    procedure: &'a hoso_core::Procedure,
) -> Result<Vec<MissingRecord>, Vec<&'a hoso_core::catalog::Component>> {
    missing_with_reasons(procedure, |id| state.pages_of(id).next().is_some(), &state.missing_reasons)
}

/// Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ for the papers still missing,
/// dated today, with the dossier code once it has one.
fn supplement_pdf(state: &Dossier) -> Option<Rc<GeneratedFile>> {
    let procedure = state.procedure()?;
    let missing = missing_records(state, procedure).ok().filter(|m| !m.is_empty())?;
    let today = LocalDateTime::from_unix(clock::now_ms().div_euclid(1000)).date;
    let code = state.packed.as_ref().map(|p| p.code.clone()).or_else(|| state.stored_code.clone()).unwrap_or_default();
    let settings = storage::settings();
    let mut s = Supplement::for_dossier(procedure, &code, &state.answers, &missing, today);
    s.unit_name = settings.unit_name;
    s.clerk = settings.clerk;
    s.place = text::clean(&state.place);
    let name = if code.is_empty() { "phieu-yeu-cau-bo-sung.pdf".to_string() } else { format!("{code}-phieu-yeu-cau-bo-sung.pdf") };
    Some(GeneratedFile::new(name, render_supplement(&s), "application/pdf"))
}

fn pack(state: &Dossier) -> Result<Packed, String> {
    let procedure = state.procedure().expect("chosen before packing");
    let form_pdf = state.form_pdf.as_ref().expect("button enabled only with a form");
    // Re-packing a reopened dossier keeps its code and reception time, so the
    // same bytes come back and an interrupted upload of them can resume.
    let received_ms = state.received_ms.unwrap_or_else(clock::now_ms);
    let received = LocalDateTime::from_unix(received_ms.div_euclid(1000));
    let settings = storage::settings();
    let code = match state.stored_code.clone() {
        Some(code) => code,
        None => format_code(&settings.code_format, &settings.unit_id, received.date, storage::next_daily_sequence(received.date))
            .map_err(|m| m.vi())?,
    };
    let papers: Vec<(String, u32, Vec<u8>)> = procedure
        .papers()
        .filter_map(|c| {
            // True paper size; G4, JPEG or mixed layers as each page was made.
            let pages: Vec<hoso_image::ProcessedPage> = state.pages_of(&c.id).map(|p| (*p.page).clone()).collect();
            (!pages.is_empty()).then(|| (c.id.clone(), pages.len() as u32, pages_pdf(&pages, &c.name)))
        })
        .collect();
    let form_id = procedure.components.iter().find(|c| c.kind == ComponentKind::Form).map(|c| c.id.as_str()).unwrap_or("to-khai");
    let mut files = vec![ComponentFile { component_id: form_id, pages: 0, pdf: &form_pdf.bytes }];
    files.extend(papers.iter().map(|(id, n, pdf)| ComponentFile { component_id: id, pages: *n, pdf }));

    let ids: Vec<&str> = files.iter().map(|f| f.component_id).collect();
    let (mut receipt, due) = Receipt::received_at(procedure, &code, &state.answers, &ids, received);
    receipt.unit_name = settings.unit_name;
    receipt.clerk = settings.clerk.clone();
    receipt.place = text::clean(&state.place);
    receipt.delivery = ui::DELIVERY_COUNTER.into();
    let receipt_pdf = render_receipt(&receipt);
    let (received_at, due_at) = (received.to_iso(), due.to_iso());
    let package = hoso_package::pack_dossier_with_missing(
        procedure,
        &code,
        received.date,
        &state.answers,
        &files,
        Some(&ReceiptFile { pdf: &receipt_pdf, received_at: &received_at, due: &due_at }),
        &state.missing_reasons,
        Some(&Provenance { digitizer: settings.clerk.clone(), digitized_at: received_at.clone(), paper_origin: Origin::Photo }),
    )
    .map_err(|e| e.to_string())?;
    Ok(Packed {
        files: package.files.clone(),
        zip: GeneratedFile::new(format!("{code}.zip"), package.zip, "application/zip"),
        receipt: GeneratedFile::new(format!("{code}-giay-tiep-nhan.pdf"), receipt_pdf, "application/pdf"),
        due: receipt.due.vietnamese(),
        received_ms,
        code,
    })
}
