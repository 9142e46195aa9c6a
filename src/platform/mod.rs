//! The browser edge: every call into Web APIs lives here, behind small
//! functions on plain data, so components stay declarative and the logic
//! stays in the native-tested crates.

pub mod assets;
pub mod camera;
pub mod clock;
pub mod crypto;
pub mod download;
pub mod files;
pub mod idb;
pub mod images;
pub mod offline;
pub mod queue;
pub mod storage;
pub mod training;
pub mod tus;
pub mod worker;
