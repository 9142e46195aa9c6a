use gloo::events::EventListener;
use yew::prelude::*;

/// True once a new version of the app has taken over (the service worker
/// changed while this page was controlled by an older one).
#[hook]
pub fn use_update_available() -> bool {
    let ready = use_state(|| false);
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            let container = gloo::utils::window().navigator().service_worker();
            // A first install also fires controllerchange; only a change from an existing controller is an update.
            let had_controller = container.controller().is_some();
            let listener = EventListener::new(&container, "controllerchange", move |_| {
                if had_controller {
                    ready.set(true);
                }
            });
            move || drop(listener)
        });
    }
    *ready
}
