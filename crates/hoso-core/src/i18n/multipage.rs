//! Words for files with several pages (tệp nhiều trang): a multi-page TIFF
//! from a flatbed scanner or a PDF a scanner made, split into pages.

/// A PDF locked by a password or encrypted.
pub const PDF_ENCRYPTED: &str =
    "Tệp PDF này có mật khẩu hoặc được mã hóa nên không đọc được ảnh trang. Hãy quét lại ra PDF không đặt mật khẩu, hoặc lưu dạng ảnh (JPEG, TIFF).";
/// A PDF with no scanned page images (typed on a computer, say).
pub const PDF_NOT_SCANNED: &str =
    "Tệp PDF này không có ảnh trang quét (có thể là văn bản soạn trên máy tính). Chỉ nhận PDF do máy quét tạo ra; hãy in ra rồi quét, hoặc chụp ảnh giấy tờ.";

/// A file bringing more pages than one file may.
/// (`pages`: where counting stopped, more than `max`.)
pub fn too_many_pages(pages: u32, max: u32) -> String {
    debug_assert!(pages > max);
    format!("Tệp có hơn {max} trang, quá nhiều cho một tệp. Hãy quét thành nhiều tệp, mỗi tệp tối đa {max} trang.")
}

/// "Trang 3/12": which page of its file a page is.
pub fn page_of(index: u32, count: u32) -> String {
    format!("Trang {index}/{count}")
}

/// "ban-sao.pdf · Trang 3/12": a page's name in the list and in messages.
pub fn page_name(file: &str, index: u32, count: u32) -> String {
    format!("{file} · {}", page_of(index, count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn names_and_refusals() {
        assert_eq!(page_name("quet.tif", 3, 12), "quet.tif · Trang 3/12");
        let many = too_many_pages(501, 500);
        assert!(many.contains("hơn 500 trang"), "{many}");
        for text in [PDF_ENCRYPTED, PDF_NOT_SCANNED, many.as_str()] {
            assert_eq!(text.nfc().collect::<String>(), text, "NFC: {text}");
        }
    }
}
