//! Words of the scan step in the app (số hóa giấy tờ): how pages are
//! stored (profiles), paper sizes, per-page progress, sizes and the
//! estimated upload time, and why the page processor failed.

/// Label of the per-paper profile choice.
pub const PROFILE_LABEL: &str = "Cách lưu trang";
pub const PROFILE_AUTO: &str = "Tự động";
pub const PROFILE_TEXT: &str = "Văn bản";
pub const PROFILE_COLOR: &str = "Màu";
pub const PROFILE_MIXED: &str = "Hỗn hợp";
/// What the choice means, shown under it.
pub const PROFILE_HELP: &str =
    "Tự động chọn theo nội dung từng trang. Văn bản: đen trắng, nhẹ nhất. Màu: ảnh, giấy in màu. Hỗn hợp: chữ đen trắng, giữ màu con dấu và chữ ký.";

/// Label of the paper size choice.
pub const PAPER_LABEL: &str = "Khổ giấy";
pub const PAPER_AUTO: &str = "Tự nhận";
pub const PAPER_A4: &str = "A4";
pub const PAPER_A5: &str = "A5";
pub const PAPER_A3: &str = "A3";
pub const PAPER_LETTER: &str = "Letter";
pub const PAPER_ID: &str = "Thẻ (CCCD, BHYT)";

/// Per page: re-process with another profile.
pub const REPROCESS_LABEL: &str = "Lưu lại theo";
pub const REPROCESS: &str = "Xử lý lại";

/// Progress of one page, by steps done (0 to 3).
pub const STAGES: [&str; 4] = ["Đang đọc ảnh…", "Đang tìm mép giấy…", "Đang nén trang…", "Xong"];

pub const COMPONENT_TOTAL: &str = "Giấy này";
pub const DOSSIER_TOTAL: &str = "Cả hồ sơ";
pub const PAGES_UNIT: &str = "trang";

/// The page processor (web worker) did not start or crashed.
pub const SCAN_FAILED: &str = "Bộ xử lý ảnh không chạy được. Hãy tải lại trang rồi chọn lại ảnh này.";
/// The page processor did not finish in time.
pub const SCAN_TIMEOUT: &str =
    "Xử lý ảnh quá lâu nên đã dừng. Hãy chọn lại ảnh này; nếu vẫn lâu, chụp với độ phân giải thấp hơn.";
/// Re-processing asked for a page whose original photo is no longer kept.
pub const ORIGINAL_GONE: &str = "Không còn ảnh gốc của trang này (hồ sơ đã đóng gói). Hãy chọn lại ảnh.";

/// Reference line speed for the upload estimate (a weak 3G line or a
/// shared commune ADSL line).
pub const UPLOAD_KBITS: u64 = 256;

/// "≈ 12 giây ở 256 kbit/s": how long `bytes` take to upload at [`UPLOAD_KBITS`].
pub fn upload_time(bytes: u64) -> String {
    let seconds = (bytes * 8).div_ceil(UPLOAD_KBITS * 1000).max(1);
    let time = match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} giây"),
        (m, 0) => format!("{m} phút"),
        (m, s) => format!("{m} phút {s} giây"),
    };
    format!("≈ {time} ở {UPLOAD_KBITS} kbit/s")
}

/// "Hỗn hợp · 84 KB · 1654 × 2339 px · 200 dpi" (`size` already written out).
pub fn page_line(profile: &str, size: &str, width: u32, height: u32, dpi: f32) -> String {
    format!("{profile} · {size} · {width} × {height} px · {} dpi", dpi.round() as u32)
}

/// Under the standard's 200 dpi (a photo taken from too far, a scanner set
/// low): the page is kept, since pixels are never invented, but the clerk
/// is told before the portal refuses it.
pub fn low_resolution(dpi: f32) -> String {
    format!("Chỉ {} dpi (cần từ 200 dpi): chữ nhỏ có thể khó đọc. Hãy chụp gần hơn hoặc quét ở 200 dpi trở lên.", dpi.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn upload_time_at_256_kbit() {
        // 384,000 bytes = 3,072,000 bits = 12 s at 256,000 bit/s.
        assert_eq!(upload_time(384_000), "≈ 12 giây ở 256 kbit/s");
        assert_eq!(upload_time(384_001), "≈ 13 giây ở 256 kbit/s");
        assert_eq!(upload_time(0), "≈ 1 giây ở 256 kbit/s");
        assert_eq!(upload_time(1_920_000), "≈ 1 phút ở 256 kbit/s");
        assert_eq!(upload_time(4_000_000), "≈ 2 phút 5 giây ở 256 kbit/s");
    }

    #[test]
    fn low_resolution_names_the_dpi() {
        assert_eq!(
            low_resolution(74.6),
            "Chỉ 75 dpi (cần từ 200 dpi): chữ nhỏ có thể khó đọc. Hãy chụp gần hơn hoặc quét ở 200 dpi trở lên."
        );
        assert!(low_resolution(150.0).nfc().eq(low_resolution(150.0).chars()));
    }

    #[test]
    fn page_line_rounds_dpi() {
        assert_eq!(page_line(PROFILE_MIXED, "85 KB", 1654, 2339, 199.6), "Hỗn hợp · 85 KB · 1654 × 2339 px · 200 dpi");
    }

    #[test]
    fn words_are_nfc() {
        for s in [PROFILE_LABEL, PROFILE_AUTO, PROFILE_TEXT, PROFILE_MIXED, PROFILE_HELP, PAPER_AUTO, PAPER_ID, REPROCESS_LABEL, REPROCESS, SCAN_FAILED, SCAN_TIMEOUT, ORIGINAL_GONE, COMPONENT_TOTAL, DOSSIER_TOTAL]
            .into_iter()
            .chain(STAGES)
        {
            assert_eq!(s.nfc().collect::<String>(), s);
        }
    }
}
