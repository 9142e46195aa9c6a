use crate::components::id_card_reader::{apply_answers, roles};
use crate::platform::idb::StoreContext;
use crate::state::Dossier;
use hoso_core::form::FormDefinition;
use hoso_core::i18n::ui;
use hoso_core::people::Person;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
    pub form: FormDefinition,
}

/// "Một lần khai – nhiều lần dùng": find a person declared in an earlier
/// dossier on this device and fill them in as one of this form's people.
#[function_component(PeoplePicker)]
pub fn people_picker(props: &Props) -> Html {
    let store = use_context::<StoreContext>().and_then(|c| c.0);
    let people = use_state(Vec::<Person>::new);
    let query = use_state(String::new);
    {
        let people = people.clone();
        use_effect_with(store.clone(), move |store| {
            if let Some(s) = store.clone() {
                wasm_bindgen_futures::spawn_local(async move { people.set(s.people().await.unwrap_or_default()) });
            }
        });
    }
    if store.is_none() || people.is_empty() {
        return html! {};
    }
    let roles = roles(&props.form);
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let found: Vec<&Person> = people.iter().filter(|p| p.matches(&query)).take(5).collect();
    html! {
        <div class="people-picker">
            <label for="people-search">{ ui::PEOPLE_SEARCH }</label>
            <input id="people-search" type="search" {oninput} value={(*query).clone()} autocomplete="off" />
            <ul class="people">
                { for found.into_iter().map(|p| {
                    let role_id = format!("role-{}", p.id_number);
                    let apply = {
                        let (state, form, person, role_id, query) = (props.state.clone(), props.form.clone(), p.clone(), role_id.clone(), query.clone());
                        Callback::from(move |_| {
                            let role = gloo::utils::document()
                                .get_element_by_id(&role_id)
                                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlSelectElement>(e).ok())
                                .map(|s| s.value())
                                .unwrap_or_default();
                            if apply_answers(&state, &form, person.answers_for(&role, &form)) {
                                query.set(String::new());
                            }
                        })
                    };
                    html! {
                        <li data-person={p.id_number.clone()}>
                            <strong>{ p.full_name() }</strong>{ format!(" · {}", p.id_number) }{ " " }
                            <select id={role_id} aria-label={ui::APPLY_TO}>
                                { for roles.iter().map(|(r, label)| html! { <option value={r.clone()}>{ label }</option> }) }
                            </select>{ " " }
                            <button class="link" onclick={apply}>{ ui::APPLY_CARD }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
