use crate::components::{
    form_view::FormView, offline_banner::OfflineBanner, package_view::PackageView, paper_capture::PaperCapture,
    procedure_picker::ProcedurePicker,
};
use crate::state::{Action, Dossier};
use hoso_core::i18n::ui;
use yew::prelude::*;

/// The counter journey: pick a procedure, fill its declaration, capture the
/// papers, package. One screen, top to bottom, so the keyboard order is the
/// work order.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(Dossier::default);
    let reset = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Reset))
    };
    let chosen = state.procedure();
    html! {
        <>
            <header class="top">
                <h1>{ ui::APP_NAME }</h1>
                <p class="tagline">{ ui::TAGLINE }</p>
                if chosen.is_some() {
                    <button class="link" id="new-dossier" onclick={reset}>{ ui::NEW_DOSSIER }</button>
                }
            </header>
            <OfflineBanner />
            <main>
                if let Some(p) = chosen {
                    <p class="chosen">{ ui::STEP_PROCEDURE }{ ": " }<strong id="chosen-procedure">{ &p.name }</strong></p>
                    <FormView state={state.clone()} />
                    <PaperCapture state={state.clone()} />
                    <PackageView state={state.clone()} />
                } else {
                    <ProcedurePicker state={state.clone()} />
                }
            </main>
        </>
    }
}
