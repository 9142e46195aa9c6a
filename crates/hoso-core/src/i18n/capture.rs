//! Words of capture robustness (thu nhận ảnh): what happened to a file
//! given to "Chụp lại" that holds several pages.

/// "Chụp lại" was given a TIFF or PDF of `pages` pages: its first page
/// replaced the page, the others were not added (they would most often
/// double pages already in the list).
pub fn retake_first_page(pages: u32) -> String {
    format!(
        "Tệp có {pages} trang: đã dùng trang 1 thay cho trang chụp lại, {} trang còn lại không được thêm. Muốn thêm cả tệp, hãy kéo tệp vào ô của giấy tờ.",
        pages.saturating_sub(1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn retake_of_a_long_file_says_which_page_was_used_and_how_many_were_left() {
        let text = retake_first_page(3);
        assert!(text.starts_with("Tệp có 3 trang: đã dùng trang 1"), "{text}");
        assert!(text.contains(", 2 trang còn lại không được thêm"), "{text}");
        assert_eq!(text.nfc().collect::<String>(), text, "not NFC");
    }
}
