//! Địa chỉ: an address answer as a free line (house, street, hamlet) plus a
//! province and a commune picked by type-ahead from the post-07/2025 units,
//! stored as one NFC line "detail, Phường …, Thành phố …" that forms print.
//! The unit lists load on first focus (`/units/*.txt`, precached offline),
//! not with the app. Old addresses (ID cards) convert through hoso-units.

use crate::platform::assets;
use hoso_core::form::FormData;
use hoso_core::i18n::units as t;
use hoso_units::{AddressParts, Legacy, Units};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Options shown at once; typing narrows the rest.
const SHOWN: usize = 10;

thread_local! {
    static UNITS: RefCell<Option<Rc<Units>>> = const { RefCell::new(None) };
    static LEGACY: RefCell<Option<Rc<Legacy>>> = const { RefCell::new(None) };
    /// New address line → the old one it was converted from (ID cards), so
    /// the field keeps showing what the card said.
    static CONVERTED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// The 34 provinces and 3,321 communes, fetched once per page.
pub async fn load_units() -> Result<Rc<Units>, String> {
    if let Some(u) = UNITS.with(|c| c.borrow().clone()) {
        return Ok(u);
    }
    let text = assets::fetch_text("/units/new.txt").await?;
    let units = Rc::new(Units::parse(&text).map_err(|e| e.to_string())?);
    UNITS.with(|c| *c.borrow_mut() = Some(units.clone()));
    Ok(units)
}

/// The old units with the new commune each became.
pub async fn load_legacy() -> Result<(Rc<Units>, Rc<Legacy>), String> {
    let units = load_units().await?;
    if let Some(l) = LEGACY.with(|c| c.borrow().clone()) {
        return Ok((units, l));
    }
    let text = assets::fetch_text("/units/old.txt").await?;
    let legacy = Rc::new(Legacy::parse(&text, &units).map_err(|e| e.to_string())?);
    LEGACY.with(|c| *c.borrow_mut() = Some(legacy.clone()));
    Ok((units, legacy))
}

/// Residence answers from an ID card with old units replaced by the new
/// address line (when the lists are loaded and the commune was recognised);
/// the old line is remembered and shown under the field.
pub fn with_new_addresses(mut values: FormData) -> FormData {
    let (Some(units), Some(legacy)) = (
        UNITS.with(|c| c.borrow().clone()),
        LEGACY.with(|c| c.borrow().clone()),
    ) else {
        return values;
    };
    for (k, v) in values.iter_mut() {
        if !k.ends_with("residence") {
            continue;
        }
        if let Some(c) = legacy
            .convert(&units, v)
            .filter(|c| c.commune.is_some() && !c.already_new)
        {
            let new = c.address();
            CONVERTED.with(|m| m.borrow_mut().insert(new.clone(), c.old.clone()));
            *v = new;
        }
    }
    values
}

fn old_address_of(value: &str) -> Option<String> {
    CONVERTED.with(|m| m.borrow().get(value).cloned())
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Id of the detail input (the field's label points at it).
    pub id: AttrValue,
    pub name: AttrValue,
    pub value: String,
    #[prop_or_default]
    pub invalid: bool,
    #[prop_or_default]
    pub described: Option<String>,
    pub on_change: Callback<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Loading {
    Idle,
    Busy,
    Failed,
}

#[function_component(AddressPicker)]
pub fn address_picker(p: &Props) -> Html {
    let parts = use_state(|| AddressParts::split(&p.value));
    let units = use_state(|| UNITS.with(|c| c.borrow().clone()));
    let loading = use_state(|| Loading::Idle);
    {
        // A value set from outside (ID card, saved draft, declared person).
        let parts = parts.clone();
        use_effect_with(p.value.clone(), move |v| {
            if parts.compose() != *v {
                parts.set(AddressParts::split(v));
            }
        });
    }
    let ensure = {
        let (units, loading) = (units.clone(), loading.clone());
        Callback::from(move |()| {
            if units.is_some() || *loading == Loading::Busy {
                return;
            }
            loading.set(Loading::Busy);
            let (units, loading) = (units.clone(), loading.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match load_units().await {
                    Ok(u) => {
                        units.set(Some(u));
                        loading.set(Loading::Idle);
                    }
                    Err(e) => {
                        gloo::console::error!(e);
                        loading.set(Loading::Failed);
                    }
                }
            });
        })
    };
    let update = {
        let (parts, cb) = (parts.clone(), p.on_change.clone());
        Callback::from(move |next: AddressParts| {
            cb.emit(next.compose());
            parts.set(next);
        })
    };
    // An old address typed (or kept from an old record) in the detail line:
    // offer the same place in the new units once the clerk leaves the line.
    let offer = use_state(|| None::<(String, String)>);
    let on_detail_blur = {
        let (parts, offer) = (parts.clone(), offer.clone());
        Callback::from(move |_: FocusEvent| {
            let typed = (*parts).clone();
            if !typed.commune.is_empty() || !typed.province.is_empty() || !typed.detail.contains(',') {
                offer.set(None);
                return;
            }
            let offer = offer.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Ok((units, legacy)) = load_legacy().await else { return };
                let found = legacy.convert(&units, &typed.detail).filter(|c| c.commune.is_some());
                offer.set(found.map(|c| (c.address(), c.old)));
            });
        })
    };
    let use_offer = {
        let (offer, update) = (offer.clone(), update.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((new, old)) = (*offer).clone() {
                if new != old {
                    CONVERTED.with(|m| m.borrow_mut().insert(new.clone(), old));
                }
                offer.set(None);
                update.emit(AddressParts::split(&new));
            }
        })
    };
    let on_detail = {
        let (parts, update) = (parts.clone(), update.clone());
        Callback::from(move |e: InputEvent| {
            let detail = e.target_unchecked_into::<HtmlInputElement>().value();
            update.emit(AddressParts {
                detail,
                ..(*parts).clone()
            });
        })
    };
    let u = (*units).clone();
    let province_code = u
        .as_ref()
        .and_then(|u| u.provinces().iter().find(|x| x.name == parts.province))
        .map(|x| x.code);
    let commune_known = match (&u, province_code) {
        (Some(u), Some(code)) => u.communes_of(code).iter().any(|c| c.name == parts.commune),
        _ => false,
    };

    let search_province = {
        let u = u.clone();
        Callback::from(move |q: String| match &u {
            Some(u) => u
                .search_provinces(&q)
                .into_iter()
                .map(|x| Opt {
                    id: x.name.clone(),
                    label: x.name.clone(),
                })
                .collect(),
            None => Vec::new(),
        })
    };
    let pick_province = {
        let (parts, update, u) = (parts.clone(), update.clone(), u.clone());
        Callback::from(move |name: String| {
            let mut next = (*parts).clone();
            // A typed name that matches one province exactly counts as picked.
            next.province = u
                .as_ref()
                .and_then(|u| u.find_province(&name))
                .filter(|_| !name.trim().is_empty())
                .map(|x| x.name.clone())
                .unwrap_or(name);
            let code = u
                .as_ref()
                .and_then(|u| u.provinces().iter().find(|x| x.name == next.province))
                .map(|x| x.code);
            if let (Some(u), Some(code)) = (&u, code) {
                if u.find_commune(code, &next.commune).is_none() {
                    next.commune.clear();
                }
            }
            update.emit(next);
        })
    };
    let search_commune = {
        let u = u.clone();
        Callback::from(move |q: String| match &u {
            Some(u) => {
                let within = province_code;
                u.search_communes(within, &q, SHOWN)
                    .into_iter()
                    .map(|c| {
                        let label = match within {
                            Some(_) => c.name.clone(),
                            None => format!(
                                "{}, {}",
                                c.name,
                                u.province(c.province)
                                    .map(|x| x.name.as_str())
                                    .unwrap_or("")
                            ),
                        };
                        Opt {
                            id: format!("#{}", c.code),
                            label,
                        }
                    })
                    .collect()
            }
            None => Vec::new(),
        })
    };
    let pick_commune = {
        let (parts, update, u) = (parts.clone(), update.clone(), u.clone());
        Callback::from(move |typed: String| {
            let mut next = (*parts).clone();
            let picked = u.as_ref().and_then(|u| {
                let c = match typed.strip_prefix('#').ok_or(()).and_then(|c| c.parse::<u32>().map_err(|_| ())) {
                    Ok(code) => u.commune(code),
                    // Typed and left: an exact name in the chosen province counts as picked.
                    Err(_) => province_code
                        .and_then(|p| u.find_commune(p, &typed))
                        .filter(|_| !typed.trim().is_empty()),
                }?;
                Some((c.name.clone(), u.province(c.province)?.name.clone()))
            });
            match picked {
                Some((commune, province)) => {
                    next.commune = commune;
                    next.province = province;
                }
                None => next.commune = typed,
            }
            update.emit(next);
        })
    };

    let (pid, cid, msg_id) = (
        format!("{}-province", p.id),
        format!("{}-commune", p.id),
        format!("{}-units", p.id),
    );
    // While the lists load, an empty list says so rather than "no such unit".
    let busy = *loading == Loading::Busy;
    let province_unknown = u.is_some() && !parts.province.is_empty() && province_code.is_none();
    let commune_unknown = u.is_some() && !parts.commune.is_empty() && !commune_known;
    let message = match *loading {
        Loading::Busy => Some(t::LOADING),
        Loading::Failed => Some(t::LOAD_FAILED),
        Loading::Idle if province_unknown || commune_unknown => Some(t::NOT_IN_LIST),
        Loading::Idle => None,
    };
    let described = [p.described.clone(), message.map(|_| msg_id.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let described = (!described.is_empty()).then_some(described);
    let old = old_address_of(&p.value);
    html! {
        <div class="address">
            <input id={p.id.clone()} name={p.name.clone()} type="text" value={parts.detail.clone()} oninput={on_detail} onblur={on_detail_blur}
                placeholder={t::DETAIL_PLACEHOLDER} autocomplete="off"
                aria-invalid={p.invalid.then_some("true")} aria-describedby={described.clone()} />
            <div class="address-units">
                <Combo id={pid} label={t::PROVINCE} placeholder={t::PROVINCE_PLACEHOLDER} text={parts.province.clone()}
                    search={search_province} on_pick={pick_province} on_focus={ensure.clone()} empty={if busy { t::LOADING } else { t::NO_PROVINCE }}
                    invalid={p.invalid || province_unknown} described={described.clone()} />
                <Combo id={cid} label={t::COMMUNE} placeholder={t::COMMUNE_PLACEHOLDER} text={parts.commune.clone()}
                    search={search_commune} on_pick={pick_commune} on_focus={ensure} empty={if busy { t::LOADING } else { t::NO_COMMUNE }}
                    invalid={p.invalid || commune_unknown} described={described} />
            </div>
            if let Some(m) = message { <small class="help" id={msg_id} role="status">{ m }</small> }
            if let Some((new, _)) = (*offer).clone().filter(|_| parts.province.is_empty()) {
                <p class="address-offer" role="status">
                    { t::NEW_ADDRESS }{ ": " }<strong id={format!("{}-new", p.id)}>{ new }</strong>{ " " }
                    <button type="button" id={format!("{}-use-new", p.id)} onclick={use_offer}>{ t::USE_NEW }</button>
                </p>
            }
            if let Some(old) = old {
                <small class="help address-old" id={format!("{}-old", p.id)}>{ t::OLD_ADDRESS }{ ": " }{ old }</small>
            }
        </div>
    }
}

#[derive(Clone, PartialEq)]
struct Opt {
    /// What the picker gets back: a province name or "#" and a commune code
    /// (typed text never starts with "#", so "4" typed stays text).
    id: String,
    label: String,
}

#[derive(Properties, PartialEq)]
struct ComboProps {
    id: String,
    label: &'static str,
    placeholder: &'static str,
    /// The committed answer shown when not typing.
    text: String,
    search: Callback<String, Vec<Opt>>,
    /// An option's id, or the typed text when the field is left without picking.
    on_pick: Callback<String>,
    on_focus: Callback<()>,
    empty: &'static str,
    invalid: bool,
    described: Option<String>,
}

/// Combobox (ARIA 1.2 pattern): type to filter, ↑/↓ to move, Enter to
/// pick, Escape to close, Tab to leave (an exact name counts as picked).
/// Enter on a closed list goes to the form, as in every other field.
#[function_component(Combo)]
fn combo(p: &ComboProps) -> Html {
    let query = use_state(|| None::<String>);
    let open = use_state(|| false);
    let active = use_state(|| 0usize);
    let shown = (*query).clone().unwrap_or_else(|| p.text.clone());
    let options: Rc<Vec<Opt>> = Rc::new(if *open {
        p.search.emit(if query.is_some() {
            shown.clone()
        } else {
            String::new()
        })
    } else {
        Vec::new()
    });
    let list_id = format!("{}-list", p.id);
    let opt_id = |i: usize| format!("{}-opt-{i}", p.id);
    let pick = {
        let (query, open, cb) = (query.clone(), open.clone(), p.on_pick.clone());
        Callback::from(move |id: String| {
            query.set(None);
            open.set(false);
            cb.emit(id);
        })
    };
    let oninput = {
        let (query, open, active) = (query.clone(), open.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            query.set(Some(e.target_unchecked_into::<HtmlInputElement>().value()));
            open.set(true);
            active.set(0);
        })
    };
    let onkeydown = {
        let (query, open, active, options, pick) = (
            query.clone(),
            open.clone(),
            active.clone(),
            options.clone(),
            pick.clone(),
        );
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                if !*open {
                    open.set(true);
                    active.set(0);
                } else if !options.is_empty() {
                    active.set((*active + 1).min(options.len() - 1));
                }
            }
            "ArrowUp" => {
                e.prevent_default();
                active.set(active.saturating_sub(1));
            }
            "Enter" if *open && !options.is_empty() => {
                e.prevent_default();
                pick.emit(options[(*active).min(options.len() - 1)].id.clone());
            }
            "Escape" if *open => {
                e.prevent_default();
                open.set(false);
                query.set(None);
            }
            _ => {}
        })
    };
    let onblur = {
        let (query, open, cb) = (query.clone(), open.clone(), p.on_pick.clone());
        Callback::from(move |_: FocusEvent| {
            open.set(false);
            if let Some(q) = (*query).clone() {
                query.set(None);
                cb.emit(q);
            }
        })
    };
    let onfocus = {
        let cb = p.on_focus.clone();
        Callback::from(move |_: FocusEvent| cb.emit(()))
    };
    let expanded = *open && (!options.is_empty() || query.is_some());
    let active_id = (expanded && !options.is_empty())
        .then(|| opt_id((*active).min(options.len().saturating_sub(1))));
    {
        // Keep the highlighted option visible when arrows go past the list's height.
        use_effect_with(active_id.clone(), |id| {
            if let Some(el) = id.as_deref().and_then(|id| gloo::utils::document().get_element_by_id(id)) {
                el.scroll_into_view_with_bool(false);
            }
        });
    }
    html! {
        <div class="combo">
            <label for={p.id.clone()}>{ p.label }</label>
            <input id={p.id.clone()} type="text" role="combobox" autocomplete="off" aria-autocomplete="list"
                aria-expanded={if expanded { "true" } else { "false" }} aria-controls={list_id.clone()}
                aria-activedescendant={active_id} aria-invalid={p.invalid.then_some("true")}
                aria-describedby={p.described.clone()} placeholder={p.placeholder}
                value={shown} {oninput} {onkeydown} {onblur} {onfocus} />
            // Screen readers hear how many match as the list narrows.
            <span class="sr" aria-live="polite">{ if expanded { format!("{} {}", options.len(), t::RESULTS) } else { String::new() } }</span>
            if expanded {
                <ul id={list_id} role="listbox" class="combo-list" aria-label={p.label}>
                    { for options.iter().enumerate().map(|(i, o)| {
                        let onmousedown = {
                            let (pick, id) = (pick.clone(), o.id.clone());
                            // mousedown, not click: the input must not lose focus first.
                            Callback::from(move |e: MouseEvent| {
                                e.prevent_default();
                                pick.emit(id.clone());
                            })
                        };
                        let selected = i == *active;
                        html! {
                            <li id={opt_id(i)} role="option" aria-selected={if selected { "true" } else { "false" }} {onmousedown}>{ &o.label }</li>
                        }
                    }) }
                    if options.is_empty() { <li class="combo-empty" aria-disabled="true">{ p.empty }</li> }
                </ul>
            }
        </div>
    }
}

/// Beside the address read from an ID card: the same place in today's units.
#[derive(Properties, PartialEq)]
pub struct ConversionProps {
    pub old: String,
}

#[function_component(AddressConversion)]
pub fn address_conversion(p: &ConversionProps) -> Html {
    let result = use_state(|| None::<Result<(Option<String>, &'static str), ()>>);
    {
        let result = result.clone();
        use_effect_with(p.old.clone(), move |old| {
            let old = old.clone();
            wasm_bindgen_futures::spawn_local(async move {
                result.set(Some(match load_legacy().await {
                    Ok((units, legacy)) => Ok(match legacy.convert(&units, &old) {
                        Some(c) if c.already_new => (None, t::ALREADY_NEW),
                        Some(c) if c.commune.is_none() => (Some(c.address()), t::PROVINCE_ONLY),
                        Some(c) => (Some(c.address()), ""),
                        None => (None, t::NOT_RECOGNISED),
                    }),
                    Err(e) => {
                        gloo::console::error!(e);
                        Err(())
                    }
                }));
            });
        });
    }
    let body = match &*result {
        None => html! { <span role="status">{ t::CONVERTING }</span> },
        Some(Err(())) => html! { <span>{ t::LOAD_FAILED }</span> },
        Some(Ok((new, note))) => html! {
            <>
                if let Some(new) = new { <span id="card-new-address">{ new }</span> }
                if !note.is_empty() { <small class="help">{ " " }{ *note }</small> }
            </>
        },
    };
    html! {
        <>
            <dt>{ t::NEW_ADDRESS }</dt>
            <dd>{ body }</dd>
        </>
    }
}
