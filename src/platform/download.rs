//! Bytes made in wasm handed to the user as files (object URLs).

use gloo::file::{Blob, ObjectUrl};
use std::rc::Rc;

/// A generated file kept alive with its object URL (revoked on drop).
pub struct GeneratedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub url: ObjectUrl,
}

impl GeneratedFile {
    pub fn new(name: impl Into<String>, bytes: Vec<u8>, mime: &str) -> Rc<GeneratedFile> {
        let url = ObjectUrl::from(Blob::new_with_options(bytes.as_slice(), Some(mime)));
        Rc::new(GeneratedFile { name: name.into(), bytes, url })
    }

    pub fn href(&self) -> String {
        self.url.to_string()
    }
}

impl PartialEq for GeneratedFile {
    fn eq(&self, other: &Self) -> bool {
        self.href() == other.href()
    }
}
