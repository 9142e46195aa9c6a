//! Chế độ Tập huấn in the app: the banner that never lets anyone mistake
//! sample work for real work, "Làm lại từ đầu", the sample papers, and the
//! guided tour over the real screens. Logic and words are in hoso_training
//! (`data/tour.json`) and i18n; the browser side in platform/training.rs.

pub mod display;
pub mod entry;
pub mod tour;

use crate::platform::{clock, download::GeneratedFile, storage, training};
use crate::state::Dossier;
use hoso_core::i18n::training as t;
use hoso_training::samples;
use std::rc::Rc;
use tour::TourPanel;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: UseReducerHandle<Dossier>,
    /// Erases the current mode's store (in training: the training store only).
    pub on_reset: Callback<()>,
}

/// Mounted always: applies the saved display settings; in a training
/// session also shows the banner and the tour.
#[function_component(TrainingRoot)]
pub fn training_root(props: &Props) -> Html {
    let on = storage::training();
    use_effect_with((), move |_| {
        training::apply_display(&display::load());
        if on {
            training::keep_mode_in_url();
            training::set_root_class("training", true);
            let doc = gloo::utils::document();
            doc.set_title(&format!("[{}] {}", hoso_core::text::upper(t::ENTER_TITLE), doc.title()));
        }
    });
    if !on {
        return html! {};
    }
    html! { <Training state={props.state.clone()} on_reset={props.on_reset.clone()} /> }
}

const STEP_KEY: &str = "hoso.tour.step";
const HIDDEN_KEY: &str = "hoso.tour.hidden";

#[function_component(Training)]
fn training_view(props: &Props) -> Html {
    let tour = hoso_training::tour::Tour::embedded();
    let step = use_state(|| tour.position(storage::get(STEP_KEY).as_deref()));
    let open = use_state(|| storage::get(HIDDEN_KEY).is_none());
    let notice = use_state(|| None::<&'static str>);
    let sample_files = use_state(Vec::<Rc<GeneratedFile>>::new);
    {
        // Drawn once per session, for trainers who print them or photograph them.
        let sample_files = sample_files.clone();
        use_effect_with((), move |_| {
            let today = clock::today();
            let files = samples::SHEET_IDS
                .iter()
                .filter_map(|id| samples::sheet(id, today))
                .filter_map(|s| training::render_jpeg(&s).ok().map(|jpeg| GeneratedFile::new(s.file_name(), jpeg, "image/jpeg")))
                .collect();
            sample_files.set(files);
        });
    }
    let go = {
        let (step, notice) = (step.clone(), notice.clone());
        Callback::from(move |n: usize| {
            storage::set(STEP_KEY, &n.to_string());
            notice.set(None);
            step.set(n);
        })
    };
    let set_open = {
        let open = open.clone();
        Callback::from(move |o: bool| {
            if o {
                storage::remove(HIDDEN_KEY);
            } else {
                storage::set(HIDDEN_KEY, "1");
            }
            open.set(o);
        })
    };
    let reset = {
        let (on_reset, go, set_open, notice) = (props.on_reset.clone(), go.clone(), set_open.clone(), notice.clone());
        Callback::from(move |_| {
            // The projector settings are the room's, not the session's: kept.
            let kept = display::load();
            on_reset.emit(());
            display::save(&kept);
            go.emit(0);
            set_open.emit(true);
            notice.set(Some(t::RESET_DONE));
        })
    };
    let exit = Callback::from(|_| training::switch_mode(false));
    let show = set_open.reform(|_| true);
    let names: Vec<(String, String)> =
        samples::SHEET_IDS.iter().filter_map(|id| samples::sheet(id, clock::today())).map(|s| (s.file_name(), s.title)).collect();
    html! {
        <>
            <div class="banner training" id="training-banner" role="region" aria-label={t::BANNER}>
                <p class="training-title"><strong>{ t::BANNER }</strong>{ " " }<span class="training-note">{ t::BANNER_NOTE }</span></p>
                <div class="training-actions">
                    if !*open {
                        <button id="training-tour" class="primary" onclick={show}>
                            { if *step == 0 { t::SHOW_TOUR.to_string() } else { format!("{} {}", t::RESUME_TOUR, *step + 1) } }
                        </button>
                    }
                    <button id="training-reset" onclick={reset}>{ t::RESET }</button>
                    <button id="training-exit" class="link" onclick={exit}>{ t::EXIT }</button>
                </div>
                if let Some(n) = *notice { <p class="training-notice" id="training-notice" role="status">{ n }</p> }
                <details class="training-more">
                    <summary>{ t::SAMPLES }{ " · " }{ hoso_core::i18n::training::DISPLAY }</summary>
                    <ul class="training-samples">
                        { for sample_files.iter().map(|f| {
                            let title = names.iter().find(|(n, _)| *n == f.name).map(|(_, t)| t.clone()).unwrap_or_default();
                            html! { <li><a href={f.href()} download={f.name.clone()} class="sample-file">{ title }</a>{ format!(" ({})", f.name) }</li> }
                        }) }
                    </ul>
                    <display::DisplayControls />
                </details>
            </div>
            if *open {
                <TourPanel state={props.state.clone()} step={*step} on_go={go} on_close={set_open.reform(|()| false)} />
            }
        </>
    }
}
