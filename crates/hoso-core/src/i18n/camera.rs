//! Words of the live QR scanner (quét mã QR bằng camera) and of the
//! background decoder it feeds, and why a camera could not be opened.

pub const SCAN_WITH_CAMERA: &str = "Quét bằng camera";
pub const SCAN_STARTING: &str = "Đang mở camera…";
pub const SCAN_HINT: &str = "Đưa mã QR vào giữa khung, giữ yên khoảng một giây. Mã được đọc tự động.";
pub const SCAN_CLOSE: &str = "Đóng camera";
pub const TORCH_ON: &str = "Bật đèn";
pub const TORCH_OFF: &str = "Tắt đèn";
pub const TORCH_FAILED: &str = "Không bật được đèn của camera này.";
/// Accessible name of the live picture.
pub const PREVIEW_LABEL: &str = "Hình từ camera";
/// A code was read but is not the expected kind; scanning goes on.
pub const SCAN_KEEP_GOING: &str = "Đang tiếp tục quét…";

/// Decoder (web worker) could not be started or stopped answering.
pub const DECODER_FAILED: &str =
    "Bộ đọc mã QR không khởi động được. Hãy tải lại trang; nếu vẫn lỗi, chọn ảnh chụp thẻ thay cho camera.";
pub const DECODER_TIMEOUT: &str = "Đọc mã QR quá lâu nên đã dừng. Hãy chụp lại ảnh rõ hơn, mã QR to hơn trong khung.";

/// Why the camera did not open, from the browser's error name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CameraError {
    /// The user or a site setting refused the permission.
    Denied,
    /// No camera on this machine (or none matching).
    NoCamera,
    /// Another program (Zalo, a video call) holds the camera.
    Busy,
    /// Page served over plain http from another machine: browsers hide cameras.
    Insecure,
    /// A browser without getUserMedia.
    Unsupported,
    /// Anything else, with the browser's own words.
    Other(String),
}

impl CameraError {
    /// Maps a `DOMException` name (and its message) from `getUserMedia`.
    pub fn from_dom(name: &str, message: &str) -> CameraError {
        match name {
            "NotAllowedError" | "PermissionDeniedError" => CameraError::Denied,
            "SecurityError" => CameraError::Insecure,
            "NotFoundError" | "DevicesNotFoundError" | "OverconstrainedError" => CameraError::NoCamera,
            "NotReadableError" | "TrackStartError" | "AbortError" => CameraError::Busy,
            _ => CameraError::Other(if message.is_empty() { name.to_string() } else { format!("{name}: {message}") }),
        }
    }

    pub fn vi(&self) -> String {
        match self {
            CameraError::Denied => "Trình duyệt chưa được phép dùng camera. Bấm biểu tượng ổ khóa cạnh địa chỉ trang, chọn Cho phép camera rồi bấm lại “Quét bằng camera”. Vẫn có thể chọn ảnh chụp thẻ.".into(),
            CameraError::NoCamera => "Không tìm thấy camera trên máy này. Hãy cắm webcam, hoặc chụp thẻ bằng điện thoại rồi chọn ảnh.".into(),
            CameraError::Busy => "Camera đang được chương trình khác dùng (Zalo, cuộc gọi video…). Hãy đóng chương trình đó rồi thử lại.".into(),
            CameraError::Insecure => "Trang này không mở qua https nên trình duyệt chặn camera. Hãy mở ứng dụng bằng địa chỉ https (hoặc trên chính máy này), hoặc chọn ảnh chụp thẻ.".into(),
            CameraError::Unsupported => "Trình duyệt này không hỗ trợ camera. Hãy dùng Chrome, Edge hoặc Firefox bản mới, hoặc chọn ảnh chụp thẻ.".into(),
            CameraError::Other(why) => format!("Không mở được camera ({why}). Hãy thử lại hoặc chọn ảnh chụp thẻ."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_errors_map_to_reasons() {
        assert_eq!(CameraError::from_dom("NotAllowedError", "Permission denied"), CameraError::Denied);
        assert_eq!(CameraError::from_dom("NotFoundError", ""), CameraError::NoCamera);
        assert_eq!(CameraError::from_dom("OverconstrainedError", ""), CameraError::NoCamera);
        assert_eq!(CameraError::from_dom("NotReadableError", "Could not start video source"), CameraError::Busy);
        assert_eq!(CameraError::from_dom("SecurityError", ""), CameraError::Insecure);
        let other = CameraError::from_dom("TypeError", "bad constraints");
        assert_eq!(other, CameraError::Other("TypeError: bad constraints".into()));
        assert!(other.vi().contains("TypeError: bad constraints"));
    }

    #[test]
    fn messages_are_distinct_nfc_vietnamese() {
        use unicode_normalization::UnicodeNormalization;
        let all = [
            CameraError::Denied,
            CameraError::NoCamera,
            CameraError::Busy,
            CameraError::Insecure,
            CameraError::Unsupported,
        ]
        .map(|e| e.vi());
        for (i, m) in all.iter().enumerate() {
            assert_eq!(m.nfc().collect::<String>(), *m);
            assert!(all.iter().skip(i + 1).all(|o| o != m));
        }
        for s in [SCAN_HINT, DECODER_FAILED, DECODER_TIMEOUT, TORCH_FAILED] {
            assert_eq!(s.nfc().collect::<String>(), s);
        }
    }
}
