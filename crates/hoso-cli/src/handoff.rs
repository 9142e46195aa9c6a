//! `hoso handoff encode|decode`: the home pre-fill handoff (mã hồ sơ khai
//! trước) from the shell, with the same codec and QR encoder as the app.

use crate::{find_procedure, read, read_answers, write, Failure};
use clap::Subcommand;
use hoso_core::handoff::{self, Assembler, Handoff};
use hoso_core::{text, Catalog};
use hoso_pdf::qr::QrMatrix;
use std::path::PathBuf;

/// Pixels per module of the PNG codes: sharp on screen and in print.
const PNG_SCALE: usize = 8;

#[derive(Subcommand)]
pub enum HandoffCommand {
    /// Make the codes of a filled declaration: ho-so-<slug>.hoso (one part a
    /// line), one PNG per code and the printable page (PDF) in OUT_DIR.
    Encode {
        #[arg(long)]
        procedure: String,
        /// JSON object: field key → value (normalized as the app does).
        #[arg(long)]
        data: PathBuf,
        /// Nơi làm tờ khai.
        #[arg(long, default_value = "")]
        place: String,
        #[arg(short, long = "output", value_name = "OUT_DIR")]
        output: PathBuf,
    },
    /// Read a handoff from .hoso files and/or images of its codes (any
    /// order); print the answers, or JSON with --json.
    Decode {
        #[arg(required = true, value_name = "FILE_OR_IMAGE")]
        inputs: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: HandoffCommand) -> Result<(), Failure> {
    let catalog = Catalog::embedded();
    let refused = |m: hoso_core::i18n::Msg| Failure { message: m.vi(), code: 1 };
    match command {
        HandoffCommand::Encode { procedure, data, place, output } => {
            let procedure = find_procedure(&procedure)?;
            let form = catalog.form(&procedure.form).expect("catalog is checked on load");
            let answers = form.normalize(&read_answers(&data)?);
            let h = Handoff { procedure: procedure.id.clone(), catalog_version: catalog.version, place: text::clean(&place), answers };
            let parts = handoff::encode(catalog, &h).map_err(refused)?;
            std::fs::create_dir_all(&output).map_err(|e| crate::io_failure(&output, e))?;
            let person = handoff::person(&h).map(str::to_string);
            let stem = handoff::file_stem(&h);
            let file = output.join(format!("{stem}.hoso"));
            write(&file, handoff::file_text(&parts).as_bytes())?;
            println!("{}", file.display());
            for (i, part) in parts.iter().enumerate() {
                let png = output.join(format!("{stem}-ma-{}.png", i + 1));
                write(&png, &png_of(part))?;
                println!("{}", png.display());
            }
            let page = hoso_pdf::HandoffPage { procedure_name: procedure.name.clone(), person, parts };
            let pdf = output.join(format!("{stem}.pdf"));
            write(&pdf, &hoso_pdf::render_handoff(&page))?;
            println!("{}", pdf.display());
            Ok(())
        }
        HandoffCommand::Decode { inputs, json } => {
            let mut assembler = Assembler::new();
            for path in &inputs {
                let in_file = |m: hoso_core::i18n::Msg| Failure { message: format!("{}: {}", path.display(), m.vi()), code: 1 };
                let bytes = read(path)?;
                if hoso_image::probe(&bytes).is_ok() {
                    let texts = crate::qr::decode_file(path)?;
                    let parts: Vec<&String> = texts.iter().filter(|t| handoff::is_part(t)).collect();
                    if parts.is_empty() {
                        return Err(in_file(hoso_core::i18n::Msg::HandoffNotOurs));
                    }
                    for part in parts {
                        assembler.add(part).map_err(in_file)?;
                    }
                } else {
                    let text = String::from_utf8(bytes).map_err(|_| in_file(hoso_core::i18n::Msg::HandoffNotOurs))?;
                    assembler.add_file(&text).map_err(in_file)?;
                }
            }
            let h = assembler.finish(catalog).map_err(refused)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&h).expect("plain data"));
            } else {
                let procedure = catalog.procedure(&h.procedure).expect("finish checks the procedure");
                let form = catalog.form(&procedure.form).expect("catalog is checked on load");
                println!("{} ({})", procedure.name, procedure.id);
                if !h.place.is_empty() {
                    println!("Nơi làm tờ khai: {}", h.place);
                }
                for f in form.fields() {
                    if let Some(v) = h.answers.get(&f.key) {
                        println!("{}: {}", f.label, v.replace('\n', "\n    "));
                    }
                }
            }
            Ok(())
        }
    }
}

fn png_of(part: &str) -> Vec<u8> {
    let matrix = QrMatrix::encode(part).expect("handoff parts fit a QR code");
    let (pixels, side) = matrix.to_gray(PNG_SCALE);
    let img = image::GrayImage::from_raw(side as u32, side as u32, pixels).expect("side × side pixels");
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("PNG to memory");
    png
}

