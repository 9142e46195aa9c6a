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
pub const REPROCESSING: &str = "Đang xử lý lại trang…";

pub const EDITOR_TITLE: &str = "Chỉnh góc trang giấy";
pub const EDITOR_HELP: &str = "Kéo bốn góc cho khớp mép tờ giấy; kính lúp phóng to chỗ góc đang chỉnh. Bàn phím: Tab để chọn góc, phím mũi tên để dịch 1 điểm (giữ Shift: 10 điểm), Enter để áp dụng, Esc để hủy.";
pub const APPLY: &str = "Áp dụng";
pub const CANCEL: &str = "Hủy";
pub const REDETECT: &str = "Tự động dò lại";
pub const LOADING_ORIGINAL: &str = "Đang mở ảnh gốc…";
pub const NO_ORIGINAL: &str =
    "Không còn ảnh gốc của trang này nên không chỉnh lại được; hãy bấm \"Chụp lại\" để chụp hoặc chọn lại ảnh.";
pub const MAGNIFIER: &str = "Kính lúp";
/// Names of the handles, in the order top-left, top-right, bottom-right, bottom-left.
pub const CORNER_NAMES: [&str; 4] = ["Góc trên bên trái", "Góc trên bên phải", "Góc dưới bên phải", "Góc dưới bên trái"];
pub const NOT_A_SHEET: &str = "Bốn góc này không tạo thành một tờ giấy (các góc trùng nhau, bắt chéo hoặc quá nhỏ); hãy kéo lại các góc.";
