//! PDF assembly for hoso (hồ sơ — a dossier): filled declarations (tờ khai)
//! and the reception receipt with its QR code, typeset on A4 with the
//! national motto, and scanned pages wrapped one
//! image (JPEG, CCITT G4 or mixed raster content) per page. Pure functions
//! from data to bytes: fonts are compiled in, output is deterministic (no
//! dates, the file ID is a content hash).

mod font;
mod form;
mod handoff;
mod jpeg;
mod receipt;
mod scan;
mod supplement;
pub mod qr;
pub mod sfnt;
pub mod wrap;

pub use font::{Font, Style};
pub use form::{render_form, FormMeta};
pub use handoff::{render_handoff, HandoffPage};
pub use jpeg::{jpeg_pages, page_count, JpegPage};
pub use receipt::{
    receipt_lines, receipt_qr_payload, render_receipt, Receipt, ReceiptLine, ReceiptTime, COPIES, QR_FORMAT, QR_SIDE_MM,
    RECEIPT_TITLE, SOURCE_SYSTEM,
};
pub use scan::pages_pdf;
pub use supplement::{render_supplement, Supplement, SupplementItem, SUPPLEMENT_TITLE};

use pdf_writer::{Pdf, Ref, TextStr};
use sha2::{Digest, Sha256};

/// zlib-deflate for FlateDecode streams (pure Rust, deterministic).
pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 8)
}

/// Hands out object numbers; 1–3 are the catalog, page tree and info.
pub(crate) struct Refs(i32);

impl Refs {
    pub(crate) const CATALOG: Ref = Ref::new(1);
    pub(crate) const PAGE_TREE: Ref = Ref::new(2);
    pub(crate) const INFO: Ref = Ref::new(3);

    pub(crate) fn new() -> Refs {
        Refs(4)
    }

    pub(crate) fn next(&mut self) -> Ref {
        let r = Ref::new(self.0);
        self.0 += 1;
        r
    }
}

/// Writes catalog, page tree, info and a content-derived /ID, then the file.
/// `digest` has seen everything that makes this document differ from others.
pub(crate) fn finish(mut pdf: Pdf, pages: &[Ref], title: &str, mut digest: Sha256) -> Vec<u8> {
    pdf.set_version(1, 7);
    pdf.catalog(Refs::CATALOG).pages(Refs::PAGE_TREE).lang(TextStr("vi"));
    pdf.pages(Refs::PAGE_TREE).kids(pages.iter().copied()).count(pages.len() as i32);
    pdf.document_info(Refs::INFO).title(TextStr(title)).producer(TextStr("hoso"));
    digest.update(title.as_bytes());
    let id = digest.finalize()[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    pdf.finish()
}
