//! Chế độ Tập huấn — words of the training mode, its tour controls and the
//! display settings for projectors. (The tour's own steps are data:
//! `data/tour.json`.)

pub const BANNER: &str = "CHẾ ĐỘ TẬP HUẤN — dữ liệu mẫu";
pub const BANNER_NOTE: &str = "Mọi người và giấy tờ ở đây là mẫu, lưu riêng, không lẫn với hồ sơ thật.";
pub const ENTER_TITLE: &str = "Tập huấn";
pub const ENTER_TEXT: &str =
    "Dành cho người hướng dẫn: đi hết một lượt hồ sơ với người và giấy tờ mẫu, có hướng dẫn từng bước, không cần mạng. Dữ liệu tập huấn lưu riêng, không đụng tới hồ sơ thật.";
pub const ENTER: &str = "Mở chế độ tập huấn";
pub const EXIT: &str = "Thoát tập huấn";
pub const RESET: &str = "Làm lại từ đầu";
pub const RESET_DONE: &str = "Đã xóa dữ liệu tập huấn, hướng dẫn quay về bước đầu.";
pub const SHOW_TOUR: &str = "Xem hướng dẫn";
pub const RESUME_TOUR: &str = "Tiếp tục hướng dẫn — bước";
pub const SAMPLES: &str = "Giấy tờ mẫu để tải, in hoặc chụp lại:";
pub const TOUR_LABEL: &str = "Hướng dẫn từng bước";
pub const STEP: &str = "Bước";
pub const OF: &str = "/";
pub const NEXT: &str = "Tiếp";
pub const BACK: &str = "Quay lại";
pub const DO_IT: &str = "Làm mẫu";
pub const DOING: &str = "Đang làm…";
pub const HIDE: &str = "Ẩn hướng dẫn";
pub const DONE: &str = "✓ Đã xong bước này";
pub const KEYS: &str = "Phím: → tiếp, ← quay lại, Esc ẩn";
pub const CLERK: &str = "Cán bộ một cửa";
pub const CITIZEN: &str = "Công dân";
pub const NOT_ON_SCREEN: &str = "Phần này không có trên màn hình lúc này.";
pub const SAMPLE_FAILED: &str = "Không làm được bước mẫu:";
pub const DISPLAY: &str = "Hiển thị (máy chiếu)";
pub const ZOOM: &str = "Cỡ chữ";
pub const ZOOM_NORMAL: &str = "Bình thường";
pub const HIGH_CONTRAST: &str = "Tương phản cao";
