//! Words of the home pre-fill handoff (mang hồ sơ đến quầy): the citizen's
//! codes, the printable page and the counter's "Nhận hồ sơ từ công dân".

/// Citizen side: the button after the declaration is made.
pub const SHOW: &str = "Mang đến quầy";
pub const SHOW_HELP: &str = "Tạo mã QR chứa tờ khai đã điền để cán bộ một cửa quét, không cần mạng.";
pub const TITLE: &str = "Mã hồ sơ khai trước";
/// "Mã 1/3" above each code.
pub const CODE: &str = "Mã";
pub const PREVIOUS: &str = "Mã trước";
pub const NEXT: &str = "Mã tiếp";
pub const HIDE: &str = "Đóng";
/// Short instruction shown with the codes and printed on the page.
pub const INSTRUCTION_ONE: &str =
    "Đưa mã này cho cán bộ Bộ phận Một cửa quét (trên điện thoại, bản in hoặc tệp .hoso). Tờ khai sẽ mở ra đã điền sẵn để cùng kiểm tra lại.";
pub const INSTRUCTION_MANY: &str =
    "Đưa lần lượt các mã này cho cán bộ Bộ phận Một cửa quét, theo thứ tự nào cũng được (trên điện thoại, bản in hoặc tệp .hoso). Tờ khai sẽ mở ra đã điền sẵn để cùng kiểm tra lại.";
pub const PRIVACY: &str = "Mã chứa thông tin cá nhân: chỉ đưa cho cán bộ tiếp nhận, không đăng lên mạng.";
pub const DOWNLOAD_FILE: &str = "Tải tệp hồ sơ (.hoso)";
pub const PRINT: &str = "In mã (PDF)";
/// Title printed on the page.
pub const PAGE_TITLE: &str = "MÃ HỒ SƠ KHAI TRƯỚC";
pub const PAGE_PERSON: &str = "Người khai";
pub const PAGE_PROCEDURE: &str = "Thủ tục";

/// Counter side.
pub const IMPORT_TITLE: &str = "Nhận hồ sơ từ công dân";
pub const IMPORT_HELP: &str =
    "Quét mã QR trên điện thoại hoặc bản in của công dân, chọn ảnh chụp mã, hoặc mở tệp .hoso công dân mang đến.";
pub const IMPORT_CHOOSE: &str = "Chọn tệp .hoso hoặc ảnh mã QR";
/// "Đã nhận 2/3 mã".
pub const RECEIVED: &str = "Đã nhận";
pub const CODES: &str = "mã";
pub const MISSING: &str = "Còn thiếu mã";
pub const RESTART: &str = "Nhận lại từ đầu";
pub const READING: &str = "Đang đọc…";
/// Shown above the form once a handoff opened it.
pub const OPENED: &str = "Đã mở tờ khai công dân khai trước. Hãy kiểm tra lại từng mục cùng công dân rồi bấm \u{201c}Tạo tờ khai\u{201d}.";
pub const SCAN_CAMERA: &str = "Quét bằng camera";
