//! Running the built `hoso` binary from integration tests.

use std::path::Path;
use std::process::{Command, Output};

pub fn hoso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoso")).args(args).output().expect("hoso runs")
}

/// stdout then stderr, for assertions and failure messages.
pub fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

pub fn s(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}
