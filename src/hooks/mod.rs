mod use_autosave;
mod use_online;
mod use_update;

pub use use_autosave::{use_autosave, SaveState};
pub use use_online::use_online;
pub use use_update::use_update_available;
