//! Domain core of hoso: the procedure catalog, form models, Vietnamese text
//! handling and every user-facing message. Pure functions on plain data; the
//! browser app and the `hoso` CLI are thin hosts around it.

pub mod catalog;
pub mod cccd;
pub mod date;
pub mod dossier;
pub mod draft;
pub mod fee;
pub mod form;
pub mod handoff;
pub mod i18n;
pub mod page_order;
pub mod people;
pub mod id_number;
pub mod settings;
pub mod sort;
pub mod text;
pub mod words;

pub use catalog::{Catalog, Component, Procedure};
pub use form::{FieldKind, FormData, FormDefinition};
