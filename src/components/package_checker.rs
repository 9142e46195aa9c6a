use crate::components::form_view::human_bytes;
use crate::platform::files;
use hoso_core::i18n::{ui, Msg};
use hoso_package::{verify_bytes, FileStatus, Report};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Kiểm tra gói hồ sơ — open any dossier package and see, file by file,
/// whether it is intact (the same verifier as `hoso verify`).
#[function_component(PackageChecker)]
pub fn package_checker() -> Html {
    let result = use_state(|| None::<(String, Result<Report, Msg>)>);
    let onchange = {
        let result = result.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let result = result.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let report = files::read_file(&file).await.map(|b| verify_bytes(&b)).map_err(Msg::PackageNotZip);
                result.set(Some((file.name(), report)));
            });
        })
    };
    let body = match &*result {
        None => html! {},
        Some((name, Err(m))) => html! { <p class="problem" role="alert">{ format!("{name}: {}", m.vi()) }</p> },
        Some((name, Ok(report))) => html! {
            <div class={classes!("card", "check-report", if report.is_intact() { "intact" } else { "broken" })} role="status">
                <p class="verdict">
                    <strong>{ name }{ ": " }</strong>
                    { if report.is_intact() { ui::PACKAGE_INTACT } else { ui::PACKAGE_BROKEN } }
                    if let Some(code) = &report.external_identifier { { " · " }<code>{ code }</code> }
                </p>
                { for report.problems.iter().map(|m| html! { <p class="problem">{ m.vi() }</p> }) }
                <ul class="files">
                    { for report.files.iter().map(|f| {
                        let ok = f.status == FileStatus::Ok;
                        html! {
                            <li class={if ok { "ok" } else { "bad" }}>
                                { if ok { "✓ " } else { "✗ " } }<code>{ &f.path }</code>{ format!(" ({})", human_bytes(f.bytes)) }
                                if let Some(m) = f.status.msg(&f.path) { { " — " }{ m.vi() } }
                            </li>
                        }
                    }) }
                </ul>
            </div>
        },
    };
    html! {
        <section aria-labelledby="check-title" class="package-checker">
            <h2 id="check-title">{ ui::CHECK_PACKAGE }</h2>
            <label for="check-file" class="button">{ ui::CHOOSE_PACKAGE }</label>
            <input id="check-file" class="sr" type="file" accept=".zip,application/zip" {onchange} />
            { body }
        </section>
    }
}
