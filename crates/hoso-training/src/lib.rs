//! Chế độ Tập huấn — training mode for trainers demoing the counter
//! journey in classrooms, often offline and on a projector.
//!
//! Pure data and logic, tested natively; the app draws and stores:
//! - [`mode`]: how a training session is recognised (URL) and kept apart
//!   from real work (its own IndexedDB database and localStorage prefix);
//! - [`tour`]: the guided tour, read from `data/tour.json`;
//! - [`samples`]: fictional sample people whose numbers still pass every
//!   check, and the sample papers they bring, as drawing [`sheet`]s with a
//!   big diagonal "MẪU" on every page.

pub mod display;
pub mod mode;
pub mod samples;
pub mod sheet;
pub mod tour;
#[cfg(test)]
mod tour_data;
