use crate::platform::clock;
use crate::state::{Action, Dossier};
use hoso_core::i18n::ui;
use hoso_core::Catalog;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
}

/// Step 1: the procedures of the catalog, with what to bring.
#[function_component(ProcedurePicker)]
pub fn procedure_picker(props: &Props) -> Html {
    let items = Catalog::embedded().procedures.iter().map(|p| {
        let choose = {
            let state = props.state.clone();
            let id = p.id.clone();
            Callback::from(move |_| {
                state.dispatch(Action::Choose { procedure: id.clone(), draft_id: clock::new_draft_id(), now_ms: clock::now_ms() })
            })
        };
        html! {
            <li class="card procedure" data-procedure={p.id.clone()}>
                <h3>{ &p.name }</h3>
                <dl>
                    <dt>{ ui::FIELD_LABEL }</dt><dd>{ &p.field }</dd>
                    <dt>{ ui::TIME_LIMIT }</dt><dd>{ &p.time_limit }</dd>
                    <dt>{ ui::FEE }</dt><dd>{ &p.fee }</dd>
                </dl>
                <ul class="components">
                    { for p.components.iter().map(|c| html! { <li>{ &c.name }</li> }) }
                </ul>
                <button class="primary" onclick={choose}>{ ui::CHOOSE }{ " " }<span class="sr">{ &p.name }</span></button>
            </li>
        }
    });
    html! {
        <section aria-labelledby="step-procedure">
            <h2 id="step-procedure">{ ui::STEP_PROCEDURE }</h2>
            <ul class="procedures">{ for items }</ul>
        </section>
    }
}
