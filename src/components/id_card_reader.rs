use crate::components::qr_scanner::QrScanner;
use crate::platform::{files, images, worker};
use crate::state::{Action, Dossier};
use hoso_core::cccd::{self, IdCard};
use hoso_core::form::FormDefinition;
use hoso_core::i18n::{camera as camera_words, ui, Msg};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Long side the card photo is scaled to before decoding: QR modules stay
/// several pixels wide while the decoder's work stays small.
const DECODE_SIDE: u32 = 1600;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
    pub form: FormDefinition,
}

#[derive(Clone, PartialEq)]
enum Reading {
    Idle,
    Busy,
    Found(Box<IdCard>),
    Failed(Msg),
}

/// "Công dân chỉ đưa thẻ": read the ID card's QR from a photo or scan, show
/// what it says, and fill one person of the form only after the clerk
/// confirms — never overwriting typed answers silently.
#[function_component(IdCardReader)]
pub fn id_card_reader(props: &Props) -> Html {
    let reading = use_state(|| Reading::Idle);
    let roles = roles(&props.form);
    let role = use_state(|| roles.first().map(|(r, _)| r.clone()).unwrap_or_default());
    // Live camera scanning; the card found (or why not) goes to `reading`.
    let scanning = use_state(|| false);
    let on_scanned = {
        let (reading, scanning) = (reading.clone(), scanning.clone());
        Callback::from(move |texts: Vec<String>| match card_from_texts(&texts) {
            Ok(card) => {
                scanning.set(false);
                reading.set(Reading::Found(Box::new(card)));
            }
            // Another code in view: say so and keep scanning.
            Err(m) => reading.set(Reading::Failed(m)),
        })
    };
    let toggle_scan = {
        let (reading, scanning) = (reading.clone(), scanning.clone());
        Callback::from(move |_: MouseEvent| {
            reading.set(Reading::Idle);
            scanning.set(!*scanning);
        })
    };
    let close_scan = {
        let scanning = scanning.clone();
        Callback::from(move |_| scanning.set(false))
    };
    let onchange = {
        let reading = reading.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            reading.set(Reading::Busy);
            let reading = reading.clone();
            wasm_bindgen_futures::spawn_local(async move {
                reading.set(match read_card(&file).await {
                    Ok(card) => Reading::Found(Box::new(card)),
                    Err(m) => Reading::Failed(m),
                });
            });
        })
    };
    let on_role = {
        let role = role.clone();
        Callback::from(move |e: Event| role.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let discard = {
        let reading = reading.clone();
        Callback::from(move |_| reading.set(Reading::Idle))
    };
    let body = match &*reading {
        Reading::Idle => html! {},
        Reading::Busy => html! { <p role="status"><progress></progress>{ " " }{ ui::READING_QR }</p> },
        Reading::Failed(m) => html! { <p class="problem" role="alert">{ m.vi() }</p> },
        Reading::Found(card) => {
            // The card's old address beside the new units; the new one is filled.
            use crate::components::address_picker::{load_legacy, with_new_addresses, AddressConversion};
            let apply = {
                let (state, form, card, role, reading) = (props.state.clone(), props.form.clone(), card.clone(), (*role).clone(), reading.clone());
                Callback::from(move |_| {
                    let (state, form, card, role, reading) = (state.clone(), form.clone(), card.clone(), role.clone(), reading.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        // Already loaded by AddressConversion; awaited so a quick click converts too.
                        let _ = load_legacy().await;
                        if apply_answers(&state, &form, with_new_addresses(cccd::fill(&card, &role))) {
                            reading.set(Reading::Idle);
                        }
                    });
                })
            };
            html! {
                <div class="card id-card" role="status">
                    <p><strong>{ ui::CARD_FOUND }</strong></p>
                    <dl>
                        <dt>{ "Số định danh cá nhân" }</dt><dd id="card-id">{ card.id_number.to_string() }</dd>
                        <dt>{ "Họ, chữ đệm và tên" }</dt><dd id="card-name">{ &card.full_name }</dd>
                        <dt>{ "Ngày sinh" }</dt><dd>{ card.birth_date.to_string() }</dd>
                        <dt>{ "Giới tính" }</dt><dd>{ card.sex.vi() }</dd>
                        <dt>{ "Nơi thường trú" }</dt><dd id="card-address">{ &card.address }</dd>
                        <AddressConversion old={card.address.clone()} />
                        if let Some(d) = card.issue_date { <dt>{ "Ngày cấp" }</dt><dd>{ d.to_string() }</dd> }
                    </dl>
                    <label for="card-role">{ ui::APPLY_TO }</label>{ " " }
                    <select id="card-role" onchange={on_role}>
                        { for roles.iter().map(|(r, label)| html! { <option value={r.clone()} selected={*r == *role}>{ label }</option> }) }
                    </select>{ " " }
                    <button class="primary" id="card-apply" onclick={apply}>{ ui::APPLY_CARD }</button>{ " " }
                    <button class="link" onclick={discard}>{ ui::DISCARD }</button>
                </div>
            }
        }
    };
    html! {
        <div class="id-card-reader">
            <label for="card-file" class="button">{ ui::READ_ID_CARD }</label>
            <input id="card-file" class="sr" type="file" accept="image/*" capture="environment" {onchange} />
            { " " }<button id="card-camera" aria-pressed={scanning.to_string()} onclick={toggle_scan}>{ camera_words::SCAN_WITH_CAMERA }</button>
            <small class="help">{ " " }{ ui::ID_CARD_HINT }</small>
            if *scanning {
                <QrScanner id="card-scanner" on_decoded={on_scanned} on_close={close_scan}
                    message={if let Reading::Failed(m) = &*reading { Some(AttrValue::from(m.vi())) } else { None }} />
            } else {
                { body }
            }
        </div>
    }
}

/// Fills answers the form has, asking first when that would replace
/// something already typed. False when the clerk declined.
pub fn apply_answers(state: &UseReducerHandle<Dossier>, form: &FormDefinition, values: hoso_core::form::FormData) -> bool {
    let values: Vec<(String, String)> = values.into_iter().filter(|(k, _)| form.fields().any(|f| f.key == *k)).collect();
    let changed: Vec<&str> = values
        .iter()
        .filter(|(k, v)| state.answers.get(k).is_some_and(|old| !old.is_empty() && old != v))
        .filter_map(|(k, _)| form.fields().find(|f| f.key == *k).map(|f| f.label.as_str()))
        .collect();
    if !changed.is_empty() && !gloo::dialogs::confirm(&format!("{} {}", ui::OVERWRITE_CONFIRM, changed.join(", "))) {
        return false;
    }
    for (k, v) in values {
        state.dispatch(Action::Answer(k, v));
    }
    true
}

/// The people of a form that can be filled at once: prefixes of
/// `*.full_name` keys, labelled by their section.
pub fn roles(form: &FormDefinition) -> Vec<(String, String)> {
    form.sections
        .iter()
        .flat_map(|s| s.fields.iter().map(move |f| (s, f)))
        .filter_map(|(s, f)| Some((f.key.strip_suffix(".full_name")?.to_string(), s.title.clone())))
        .collect()
}

async fn read_card(file: &web_sys::File) -> Result<IdCard, Msg> {
    let bytes = files::read_file(file).await.map_err(Msg::ImageCorrupt)?;
    let (rgba, w, h) = images::rgba_from_bytes(&bytes, DECODE_SIDE).await.map_err(|e| e.msg())?;
    let texts = worker::decode_qr(rgba, w, h, worker::STILL_BUDGET, worker::STILL_TIMEOUT_MS).await?;
    card_from_texts(&texts)
}

/// The first ID card among decoded QR texts, or why none is.
fn card_from_texts(texts: &[String]) -> Result<IdCard, Msg> {
    let mut first_error = None;
    for text in texts {
        match cccd::parse(text) {
            Ok(card) => return Ok(card),
            Err(e) => {
                first_error.get_or_insert(e.msg());
            }
        }
    }
    Err(first_error.unwrap_or(Msg::CardNotCccd))
}
