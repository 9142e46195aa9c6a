//! Every sentence a user reads, in one place. Vietnamese, NFC.
//!
//! Errors from any crate map to a [`Msg`]; the app and the CLI print
//! [`Msg::vi`], so a clerk sees the same words in both.

/// A message with its parameters; [`Msg::vi`] renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    Required,
    BadDate,
    FutureDate,
    BadYear,
    BadIdNumber,
    NotAnOption,
    EthnicityIsNotNationality,
    UnknownEthnicity,
    BadNumber,
    /// HEIC/HEIF from iPhones: the browser and we cannot decode it.
    ImageHeic,
    ImageUnknownFormat,
    ImageCorrupt(String),
    /// Width × height in pixels beyond what we decode (decompression bombs).
    ImageTooLarge { width: u32, height: u32 },
    PackageNotZip(String),
    PackageNoManifest,
    PackageHashMismatch(String),
    PackageMissingFile(String),
    PackageExtraFile(String),
    PackageBadManifestLine(usize),
    PackageUnsafePath(String),
    PackageDuplicate(String),
    PackageTooLarge,
    /// Payload-Oxum in bag-info.txt disagrees with the payload found.
    PackageBadOxum,
    /// A BagIt tag file (bagit.txt, bag-info.txt, tagmanifest-sha256.txt) missing or malformed.
    PackageBadTagFile(String),
    /// ID number digits 1–3: no such province code.
    IdUnknownProvince(String),
    /// ID number digits 4–6 disagree with the date of birth.
    IdBirthYearMismatch { id_year: i32, birth_year: i32 },
    /// ID number digit 4 gives this sex ("Nam"/"Nữ"), not the one declared.
    IdSexMismatch { id_sex: String },
    /// QR text that is not from an ID card (CCCD).
    CardNotCccd,
    /// ID card QR text cut short (partial read).
    CardTruncated,
    /// One field of the ID card QR is malformed: (field name, value read).
    CardBadField { field: String, value: String },
    /// No QR code could be read in the image.
    QrNotFound,
}

impl Msg {
    pub fn vi(&self) -> String {
        use Msg::*;
        match self {
            Required => "Chưa nhập thông tin bắt buộc.".into(),
            BadDate => "Ngày không hợp lệ. Nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026.".into(),
            FutureDate => "Ngày này chưa đến. Kiểm tra lại ngày, tháng, năm.".into(),
            BadYear => "Năm sinh phải gồm 4 chữ số, ví dụ 1990.".into(),
            BadIdNumber => "Số định danh cá nhân phải gồm đúng 12 chữ số.".into(),
            NotAnOption => "Giá trị không có trong danh sách lựa chọn.".into(),
            EthnicityIsNotNationality => {
                "Dân tộc không phải là \"Việt Nam\" (đó là quốc tịch). Ghi dân tộc, ví dụ: Kinh, Tày, Thái.".into()
            }
            UnknownEthnicity => "Dân tộc không có trong danh mục 54 dân tộc Việt Nam.".into(),
            BadNumber => "Phải là một số.".into(),
            ImageHeic => "Ảnh HEIC (iPhone) chưa đọc được. Trên iPhone chọn Cài đặt › Camera › Định dạng › \"Tương thích nhất\" để chụp JPEG, hoặc gửi ảnh qua Zalo/email để được JPEG.".into(),
            ImageUnknownFormat => "Tệp này không phải ảnh JPEG, PNG hay WebP.".into(),
            ImageCorrupt(why) => format!("Ảnh bị hỏng hoặc chưa tải hết, không đọc được ({why}). Hãy chụp hoặc quét lại trang này."),
            ImageTooLarge { width, height } => format!(
                "Ảnh quá lớn ({width} × {height} điểm ảnh). Hãy chụp lại ở độ phân giải thấp hơn (tối đa 50 triệu điểm ảnh)."
            ),
            PackageNotZip(why) => format!("Tệp không phải gói hồ sơ .zip hợp lệ ({why})."),
            PackageNoManifest => "Gói hồ sơ thiếu tệp kê khai mã băm manifest-sha256.txt.".into(),
            PackageHashMismatch(f) => format!("Tệp {f} đã bị thay đổi: mã băm SHA-256 không khớp."),
            PackageMissingFile(f) => format!("Thiếu tệp {f} có trong bảng kê."),
            PackageExtraFile(f) => format!("Tệp {f} không có trong bảng kê."),
            PackageBadManifestLine(n) => format!("Dòng {n} của bảng kê mã băm sai định dạng."),
            PackageUnsafePath(f) => format!("Đường dẫn không an toàn trong gói: {f}"),
            PackageDuplicate(f) => format!("Tên tệp bị trùng trong gói: {f}"),
            PackageTooLarge => "Gói hồ sơ quá lớn hoặc nén bất thường, không mở.".into(),
            PackageBadOxum => "Tổng dung lượng hoặc số tệp ghi trong bag-info.txt (Payload-Oxum) không khớp với các tệp trong gói.".into(),
            PackageBadTagFile(f) => format!("Tệp {f} của gói hồ sơ bị thiếu hoặc sai định dạng."),
            IdUnknownProvince(code) => format!("Số định danh cá nhân sai: {code} (3 chữ số đầu) không phải mã tỉnh nơi đăng ký khai sinh."),
            IdBirthYearMismatch { id_year, birth_year } => format!(
                "Số định danh cá nhân ứng với năm sinh {id_year} (chữ số thứ 4–6), khác năm sinh {birth_year}. Kiểm tra lại số hoặc ngày sinh."
            ),
            IdSexMismatch { id_sex } => format!(
                "Số định danh cá nhân ứng với giới tính {id_sex} (chữ số thứ 4), khác giới tính đã ghi. Kiểm tra lại số hoặc giới tính."
            ),
            CardNotCccd => "Đây không phải mã QR của thẻ căn cước (căn cước công dân).".into(),
            CardTruncated => "Mã QR của thẻ căn cước chưa đọc đủ. Hãy quét lại, giữ thẻ phẳng và đủ sáng.".into(),
            CardBadField { field, value } => format!("Mã QR của thẻ căn cước có {field} không hợp lệ: \"{value}\". Hãy quét lại hoặc nhập tay."),
            QrNotFound => "Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, rõ nét, không bị lóa, mã QR nằm trọn trong khung.".into(),
        }
    }
}

/// Fixed interface text.
pub mod ui {
    pub const APP_NAME: &str = "Hồ sơ số";
    pub const TAGLINE: &str = "Số hóa hồ sơ thủ tục hành chính ngay tại quầy, kể cả khi mất mạng";
    pub const STEP_PROCEDURE: &str = "1. Chọn thủ tục";
    pub const STEP_FORM: &str = "2. Nhập tờ khai";
    pub const STEP_PAPERS: &str = "3. Chụp, quét giấy tờ";
    pub const STEP_PACKAGE: &str = "4. Đóng gói";
    pub const CHOOSE: &str = "Chọn";
    pub const CREATE_FORM: &str = "Tạo tờ khai";
    pub const FORM_READY: &str = "Đã tạo tờ khai";
    pub const OPEN_PDF: &str = "Xem PDF";
    pub const FIX_ERRORS: &str = "Cần sửa các thông tin sau:";
    pub const ATTACH_HINT: &str = "Kéo thả ảnh vào đây, hoặc bấm để chọn tệp (JPEG, PNG, WebP)";
    pub const CHOOSE_FILE: &str = "Chọn ảnh";
    pub const PROCESSING: &str = "Đang xử lý ảnh…";
    pub const PACK: &str = "Đóng gói";
    pub const PACKED: &str = "Đã đóng gói hồ sơ";
    pub const DOWNLOAD: &str = "Tải gói hồ sơ (.zip)";
    pub const MISSING_PAPERS: &str = "Còn thiếu giấy tờ:";
    pub const NEED_FORM_FIRST: &str = "Hãy tạo tờ khai trước khi đóng gói.";
    pub const REQUIRED_MARK: &str = "bắt buộc";
    pub const PAGES: &str = "trang";
    pub const REMOVE: &str = "Xóa";
    pub const BACK: &str = "Quay lại";
    pub const NEW_DOSSIER: &str = "Hồ sơ mới";
    pub const OFFLINE_READY: &str = "Ứng dụng đã sẵn sàng dùng khi mất mạng.";
    pub const OFFLINE_NOW: &str = "Đang mất mạng — mọi chức năng vẫn dùng được.";
    pub const FIELD_LABEL: &str = "Lĩnh vực";
    pub const TIME_LIMIT: &str = "Thời hạn giải quyết";
    pub const FEE: &str = "Lệ phí";
    pub const PLACE: &str = "Nơi làm tờ khai";
    pub const TOTAL_SIZE: &str = "Tổng dung lượng";
    pub const UPLOAD_TIME: &str = "Thời gian gửi ở 256 kbit/s";
}
