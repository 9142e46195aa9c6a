use crate::components::form_view::human_bytes;
use crate::platform::{clock, download::GeneratedFile, storage};
use crate::state::{Action, Dossier, Packed};
use hoso_core::catalog::ComponentKind;
use hoso_core::dossier::{dossier_code, missing_papers, ComponentFile, DEFAULT_UNIT};
use hoso_core::i18n::ui;
use hoso_pdf::{jpeg_pages, JpegPage};
use yew::prelude::*;

/// 256 kbit/s: the weak commune line the seeds describe.
const SLOW_LINE_BYTES_PER_SECOND: u64 = 32_000;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Step 4: one zip with the PDFs, dossier.json and SHA-256 manifests.
#[function_component(PackageView)]
pub fn package_view(props: &Props) -> Html {
    let state = &props.state;
    let Some(procedure) = state.procedure() else { return html! {} };
    let missing = missing_papers(procedure, |id| state.pages_of(id).next().is_some());
    let ready = state.form_pdf.is_some() && missing.is_empty() && state.processing == 0;
    let onclick = {
        let state = state.clone();
        Callback::from(move |_| {
            let result = pack(&state).map_err(|e| e.to_string());
            state.dispatch(Action::Packed(result));
        })
    };
    html! {
        <section aria-labelledby="step-package">
            <h2 id="step-package">{ ui::STEP_PACKAGE }</h2>
            if state.form_pdf.is_none() { <p class="help">{ ui::NEED_FORM_FIRST }</p> }
            if !missing.is_empty() {
                <p class="help">{ ui::MISSING_PAPERS }{ " " }{ missing.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ") }</p>
            }
            <button class="primary" id="pack" disabled={!ready} {onclick}>{ ui::PACK }</button>
            if let Some(e) = &state.pack_error { <p class="problem" role="alert">{ e }</p> }
            if let Some(p) = &state.packed {
                <div class="card packed" role="status">
                    <h3>{ ui::PACKED }{ " " }<code id="dossier-code">{ &p.code }</code></h3>
                    <table>
                        <tbody>
                            { for p.files.iter().map(|(name, bytes)| html! {
                                <tr><td><code>{ name }</code></td><td class="num">{ human_bytes(*bytes) }</td></tr>
                            }) }
                        </tbody>
                        <tfoot>
                            <tr><th>{ ui::TOTAL_SIZE }</th><td class="num">{ human_bytes(p.zip.bytes.len() as u64) }</td></tr>
                            <tr><th>{ ui::UPLOAD_TIME }</th><td class="num">{ format!("{} giây", (p.zip.bytes.len() as u64).div_ceil(SLOW_LINE_BYTES_PER_SECOND)) }</td></tr>
                        </tfoot>
                    </table>
                    <a class="button primary" id="download" href={p.zip.href()} download={p.zip.name.clone()}>{ ui::DOWNLOAD }</a>
                </div>
            }
        </section>
    }
}

fn pack(state: &Dossier) -> Result<Packed, hoso_package::PackError> {
    let procedure = state.procedure().expect("chosen before packing");
    let form_pdf = state.form_pdf.as_ref().expect("button enabled only with a form");
    let today = clock::today();
    let code = dossier_code(DEFAULT_UNIT, today, storage::next_daily_sequence(today));
    let papers: Vec<(String, u32, Vec<u8>)> = procedure
        .papers()
        .filter_map(|c| {
            let pages: Vec<JpegPage> = state.pages_of(&c.id).map(|p| JpegPage::from(&*p.page)).collect();
            (!pages.is_empty()).then(|| (c.id.clone(), pages.len() as u32, jpeg_pages(&pages, &c.name)))
        })
        .collect();
    let form_id = procedure.components.iter().find(|c| c.kind == ComponentKind::Form).map(|c| c.id.as_str()).unwrap_or("to-khai");
    let mut files = vec![ComponentFile { component_id: form_id, pages: 0, pdf: &form_pdf.bytes }];
    files.extend(papers.iter().map(|(id, n, pdf)| ComponentFile { component_id: id, pages: *n, pdf }));
    let package = hoso_package::pack_dossier(procedure, &code, today, &state.answers, &files)?;
    Ok(Packed {
        files: package.files.clone(),
        zip: GeneratedFile::new(format!("{code}.zip"), package.zip, "application/zip"),
        code,
    })
}
