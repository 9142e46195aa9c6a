//! Words of the package step about missing papers and the phiếu yêu cầu
//! bổ sung, hoàn thiện hồ sơ.

/// Heading above the reasons, one per missing required paper.
pub const MISSING_HEADING: &str = "Giấy tờ bắt buộc còn thiếu";
pub const MISSING_HELP: &str =
    "Chỉ đóng gói được khi đã ghi lý do thiếu cho từng giấy tờ. Có thể in phiếu yêu cầu bổ sung để giao người nộp.";
/// Label of a reason input, before the paper's name.
pub const MISSING_REASON: &str = "Lý do thiếu";
pub const MISSING_REASON_PLACEHOLDER: &str = "Ví dụ: người nộp hẹn bổ sung bản chính sau";
/// Shown while some missing paper has no reason yet.
pub const MISSING_NEED_REASON: &str = "Ghi lý do thiếu cho từng giấy tờ trên để đóng gói.";
pub const PRINT_SUPPLEMENT: &str = "In phiếu yêu cầu bổ sung";
/// Shown in the package summary: papers packaged without.
pub const PACKED_WITHOUT: &str = "Đóng gói khi còn thiếu:";
/// Settings: the office id in dossier codes and the code pattern.
pub const UNIT_ID: &str = "Mã đơn vị trong mã hồ sơ ({unit})";
pub const CODE_FORMAT: &str = "Mẫu mã hồ sơ";
pub const CODE_EXAMPLE: &str = "Mã hồ sơ đầu tiên hôm nay sẽ là";
