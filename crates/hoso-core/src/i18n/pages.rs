//! Words of the page list (thứ tự trang: lên, xuống, chuyển giấy tờ, xoay,
//! chụp lại) and of the corner editor (chỉnh góc, kính lúp).

pub const UP: &str = "Lên";
pub const DOWN: &str = "Xuống";
pub const ROTATE: &str = "Xoay 90°";
pub const RETAKE: &str = "Chụp lại";
pub const CORNERS: &str = "Chỉnh góc";
/// Label of the select that moves a page to another paper.
pub const MOVE_TO: &str = "Chuyển sang giấy tờ";
/// "Trang 2/3" before a page's size.
pub const PAGE: &str = "Trang";
pub const REORDER_HINT: &str = "Kéo thả ảnh để đổi thứ tự trang, hoặc Alt + ↑ / ↓ trên một trang.";
/// Announced after a move: "Đã chuyển trang … tới vị trí 2/3".
pub const MOVED: &str = "Đã chuyển trang";
pub const TO_POSITION: &str = "tới vị trí";

pub const EDITOR_TITLE: &str = "Chỉnh góc trang giấy";
pub const EDITOR_HELP: &str = "Kéo bốn góc cho khớp mép tờ giấy; kính lúp phóng to chỗ góc đang chỉnh. Bàn phím: Tab để chọn góc, phím mũi tên để dịch 1 điểm (giữ Shift: 10 điểm), Enter để áp dụng, Esc để hủy.";
pub const APPLY: &str = "Áp dụng";
pub const CANCEL: &str = "Hủy";
pub const REDETECT: &str = "Tự động dò lại";
pub const LOADING_ORIGINAL: &str = "Đang mở ảnh gốc…";
pub const MAGNIFIER: &str = "Kính lúp";
/// Names of the handles, in the order top-left, top-right, bottom-right, bottom-left.
pub const CORNER_NAMES: [&str; 4] = ["Góc trên bên trái", "Góc trên bên phải", "Góc dưới bên phải", "Góc dưới bên trái"];
pub const NOT_A_SHEET: &str = "Bốn góc này không tạo thành một tờ giấy (các góc trùng nhau, bắt chéo hoặc quá nhỏ); hãy kéo lại các góc.";

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn words_are_nfc_and_name_every_corner() {
        let all = [
            UP, DOWN, ROTATE, RETAKE, CORNERS, MOVE_TO, PAGE, REORDER_HINT, MOVED, TO_POSITION, EDITOR_TITLE, EDITOR_HELP,
            APPLY, CANCEL, REDETECT, LOADING_ORIGINAL, MAGNIFIER, NOT_A_SHEET,
        ];
        for s in all.into_iter().chain(CORNER_NAMES) {
            assert_eq!(s.nfc().collect::<String>(), s, "{s}");
            assert!(!s.trim().is_empty());
        }
        // Four distinct names, in the quad's order (top-left first).
        assert!(CORNER_NAMES[0].contains("trên") && CORNER_NAMES[0].contains("trái"));
        assert!(CORNER_NAMES[2].contains("dưới") && CORNER_NAMES[2].contains("phải"));
        assert_eq!(CORNER_NAMES.iter().collect::<std::collections::HashSet<_>>().len(), 4);
    }
}
