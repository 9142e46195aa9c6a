//! Words of the two ways through a declaration: the clerk's one-screen form
//! (Một trang) and the citizen's step-by-step mode (Từng bước), and the
//! "Kiểm tra lại" summary both end on.

/// Accessible name of the mode switch.
pub const MODE_LABEL: &str = "Cách nhập tờ khai";
pub const MODE_WIZARD: &str = "Từng bước";
pub const MODE_ONE_PAGE: &str = "Một trang";
/// "Bước 2/6".
pub const STEP: &str = "Bước";
pub const NEXT: &str = "Tiếp tục";
pub const PREVIOUS: &str = "Quay lại";
pub const ENTER_HINT: &str = "Nhấn Enter hoặc bấm “Tiếp tục” để sang bước sau.";
pub const REVIEW: &str = "Kiểm tra lại";
pub const REVIEW_HINT: &str =
    "Đọc lại từng mục trước khi tạo tờ khai. Mục nào sai, bấm “Sửa” để quay về đúng chỗ đó.";
pub const EDIT: &str = "Sửa";
/// An optional answer left blank.
pub const BLANK: &str = "(để trống)";
/// A required answer still missing.
pub const MISSING: &str = "(chưa nhập)";
/// The review's last group: where the declaration is made.
pub const SIGNING: &str = "Nơi làm tờ khai";
/// Placeholder of the place field.
pub const PLACE_EXAMPLE: &str = "Ví dụ: Hòa Bình";
