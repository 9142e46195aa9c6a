//! Hashes `len` bytes `reps` times inside wasm memory, so the page times
//! SHA-256 alone (no copying across the JS boundary).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn hash_repeated(len: usize, reps: u32) -> String {
    // Not all zeros: a realistic byte mix (the function does not care, but a
    // clever compiler might).
    let mut data: Vec<u8> = (0..len).map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[3]).collect();
    let mut last = String::new();
    for r in 0..reps {
        data[0] = r as u8;
        last = hoso_package::sha256_hex(&data);
    }
    last
}
