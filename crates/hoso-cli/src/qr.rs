//! `hoso qr decode IMAGE [--json]`: the QR codes in a photo or scan, and an
//! ID card's fields when the code is one — the same decoder and parser as
//! the app's camera.

use crate::{read, Failure};
use clap::Subcommand;
use hoso_core::cccd::{self, CardError};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum QrCommand {
    /// Read the QR code(s) in an image (JPEG, PNG, WebP, TIFF); one text per line.
    Decode {
        image: PathBuf,
        /// Print JSON: the ID card's fields when the code is a card's (CCCD),
        /// else {"text": …}; an array when the image holds several codes.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: QrCommand) -> Result<(), Failure> {
    match command {
        QrCommand::Decode { image, json } => {
            let texts = decode_file(&image)?;
            if json {
                let mut values: Vec<serde_json::Value> = texts.iter().map(|t| to_json(t)).collect();
                let out = if values.len() == 1 { values.remove(0) } else { serde_json::Value::Array(values) };
                println!("{}", serde_json::to_string_pretty(&out).expect("plain data"));
            } else {
                for text in &texts {
                    println!("{text}");
                    if let Err(e @ (CardError::Id(_) | CardError::BadField(..) | CardError::Truncated)) = cccd::parse(text) {
                        eprintln!("hoso: {}", e.msg().vi());
                    }
                }
            }
            Ok(())
        }
    }
}

/// A card's fields, or the raw text (with the reason when it looks like a
/// card but does not check out, so a clerk never trusts a misread).
fn to_json(text: &str) -> serde_json::Value {
    match cccd::parse(text) {
        Ok(card) => serde_json::to_value(&card).expect("plain data"),
        Err(CardError::NotCccd) => serde_json::json!({ "text": text }),
        Err(e) => serde_json::json!({ "text": text, "error": e.msg().vi() }),
    }
}

/// Decodes the file natively after the same header checks as `hoso scan`
/// (HEIC, unknown formats and pixel bombs are refused before decoding).
pub(crate) fn decode_file(path: &Path) -> Result<Vec<String>, Failure> {
    let gray = load_gray(path)?;
    hoso_qr::decode(gray.as_raw(), gray.width(), gray.height()).map_err(|e| Failure { message: format!("{}: {}", path.display(), e.msg().vi()), code: 1 })
}

/// The image at `path` in grey, decoded after the header checks.
pub(crate) fn load_gray(path: &Path) -> Result<image::GrayImage, Failure> {
    let bytes = read(path)?;
    let fail = |msg: hoso_core::i18n::Msg| Failure { message: format!("{}: {}", path.display(), msg.vi()), code: 1 };
    // `hoso scan`'s decoder: the same checks, and TIFF by hoso-image's own reader (its first page).
    let grey = hoso_image::decode_file(&bytes).map_err(|e| fail(e.msg()))?.luma();
    Ok(image::GrayImage::from_raw(grey.width, grey.height, grey.data).expect("width × height pixels"))
}
