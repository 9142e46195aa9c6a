//! Encryption at rest for the PIN lock: WebCrypto AES-GCM-256 with a key
//! derived from the PIN by PBKDF2-SHA-256. The key is non-extractable and
//! lives only in memory while the workspace is unlocked.

use hoso_core::i18n::Msg;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// OWASP's 2023 floor for PBKDF2-SHA256; a second or so on an old counter PC.
pub const PBKDF2_ITERATIONS: u32 = 600_000;
const IV_LEN: usize = 12;

fn subtle() -> Result<SubtleCrypto, Msg> {
    gloo::utils::window().crypto().map(|c| c.subtle()).map_err(|_| Msg::StorageUnavailable("WebCrypto".into()))
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0; n];
    if let Ok(c) = gloo::utils::window().crypto() {
        let _ = c.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

fn failed(_: JsValue) -> Msg {
    Msg::StorageUnavailable("WebCrypto".into())
}

pub async fn derive_key(pin: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, Msg> {
    let subtle = subtle()?;
    let usages = Array::of1(&"deriveKey".into());
    let raw = Uint8Array::from(pin.as_bytes());
    let base = subtle
        .import_key_with_object("raw", &raw, &object(&[("name", "PBKDF2".into())]), false, &usages)
        .map_err(failed)?;
    let base: CryptoKey = JsFuture::from(base).await.map_err(failed)?.unchecked_into();
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
        ("hash", "SHA-256".into()),
    ]);
    let target = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = subtle.derive_key_with_object_and_object(&params, &base, &target, false, &usages).map_err(failed)?;
    Ok(JsFuture::from(key).await.map_err(failed)?.unchecked_into())
}

/// `iv || ciphertext` (the GCM tag is at the end of the ciphertext).
pub async fn encrypt(key: &CryptoKey, plain: &[u8]) -> Result<Vec<u8>, Msg> {
    let iv = random_bytes(IV_LEN);
    let params = object(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&iv[..]).into())]);
    let sealed = subtle()?.encrypt_with_object_and_u8_array(&params, key, plain).map_err(failed)?;
    let sealed = JsFuture::from(sealed).await.map_err(failed)?;
    let mut out = iv;
    out.extend(Uint8Array::new(&sealed).to_vec());
    Ok(out)
}

/// [`encrypt`] of a Blob (a picked file) without bringing it into wasm
/// memory: read, sealed and wrapped again on the JS side, same format.
pub async fn encrypt_blob(key: &CryptoKey, plain: &web_sys::Blob, mime: &str) -> Result<web_sys::Blob, Msg> {
    let buffer = JsFuture::from(plain.array_buffer()).await.map_err(failed)?;
    let iv = Uint8Array::from(&random_bytes(IV_LEN)[..]);
    let params = object(&[("name", "AES-GCM".into()), ("iv", iv.clone().into())]);
    let sealed = subtle()?.encrypt_with_object_and_js_u8_array(&params, key, &Uint8Array::new(&buffer)).map_err(failed)?;
    let sealed = JsFuture::from(sealed).await.map_err(failed)?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&Array::of2(&iv, &sealed), &options).map_err(failed)
}

/// Fails for a wrong key or any changed byte (GCM authenticates).
pub async fn decrypt(key: &CryptoKey, data: &[u8]) -> Result<Vec<u8>, Msg> {
    if data.len() < IV_LEN + 16 {
        return Err(Msg::PinWrong);
    }
    let params = object(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(&data[..IV_LEN]).into())]);
    let opened = subtle()?.decrypt_with_object_and_u8_array(&params, key, &data[IV_LEN..]).map_err(failed)?;
    let opened = JsFuture::from(opened).await.map_err(|_| Msg::PinWrong)?;
    Ok(Uint8Array::new(&opened).to_vec())
}
