//! Words of the address pickers (tỉnh, thành phố; xã, phường, đặc khu after
//! 01/07/2025) and of converting an old address to the new units.

/// Placeholder of the free part of an address.
pub const DETAIL_PLACEHOLDER: &str = "Số nhà, đường, thôn, tổ…";
pub const PROVINCE: &str = "Tỉnh, thành phố";
pub const COMMUNE: &str = "Xã, phường, đặc khu";
pub const PROVINCE_PLACEHOLDER: &str = "Gõ tên, không dấu cũng được";
pub const COMMUNE_PLACEHOLDER: &str = "Gõ tên xã, phường";
pub const HINT: &str = "Gõ không dấu cũng được; ↑ ↓ để chọn, Enter để lấy, Tab để sang ô sau.";
pub const LOADING: &str = "Đang tải danh sách xã, phường…";
pub const LOAD_FAILED: &str =
    "Không tải được danh sách tỉnh, xã. Vẫn gõ tay được; hãy tải lại trang khi có mạng để chọn từ danh sách.";
pub const NO_PROVINCE: &str = "Không có tỉnh, thành phố nào như vậy (34 tỉnh, thành phố từ 01/07/2025).";
pub const NO_COMMUNE: &str = "Không có xã, phường nào như vậy trong tỉnh, thành phố đã chọn.";
/// Typed but not picked from the list: kept, but flagged.
pub const NOT_IN_LIST: &str = "Chưa có trong danh sách đơn vị hành chính mới: hãy chọn từ danh sách gợi ý.";
/// "12 kết quả" after the count.
pub const RESULTS: &str = "kết quả";
pub const OLD_ADDRESS: &str = "Địa chỉ cũ";
pub const NEW_ADDRESS: &str = "Địa chỉ theo đơn vị mới";
pub const ALREADY_NEW: &str = "Đã ghi theo đơn vị hành chính mới.";
pub const PROVINCE_ONLY: &str = "Chỉ nhận ra tỉnh; hãy chọn xã, phường mới trong ô địa chỉ.";
pub const NOT_RECOGNISED: &str =
    "Không nhận ra xã, huyện, tỉnh cũ trong địa chỉ này; giữ nguyên như trên thẻ, hãy chọn xã, phường mới trong ô địa chỉ.";
pub const CONVERTING: &str = "Đang đổi sang đơn vị hành chính mới…";
/// Offer under an address typed with old units.
pub const USE_NEW: &str = "Dùng địa chỉ mới";
