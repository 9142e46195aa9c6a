use crate::platform::offline::is_online;
use gloo::events::EventListener;
use yew::prelude::*;

/// Whether the browser believes it is online, updated on `online`/`offline`.
#[hook]
pub fn use_online() -> bool {
    let online = use_state(is_online);
    {
        let online = online.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let up = online.clone();
            let on = EventListener::new(&window, "online", move |_| up.set(true));
            let off = EventListener::new(&window, "offline", move |_| online.set(false));
            move || drop((on, off))
        });
    }
    *online
}
