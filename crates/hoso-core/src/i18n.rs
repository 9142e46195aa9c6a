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
    /// Handoff (mã hồ sơ khai trước): text that is not a handoff code.
    HandoffNotOurs,
    /// Handoff code written by a newer app (its format version).
    HandoffNewer(u32),
    /// Handoff code damaged or altered (checksum or structure).
    HandoffCorrupt,
    /// Handoff codes still missing: their numbers, of `total`.
    HandoffIncomplete { missing: Vec<u32>, total: u32 },
    /// A code of another dossier among the ones received.
    HandoffMixed { part: u32, total: u32 },
    /// Handoff for a procedure this catalog does not have.
    HandoffUnknownProcedure(String),
    /// The form's fields differ from those the code was made with (catalog versions).
    HandoffFormChanged { theirs: u32, ours: u32 },
    /// Encoding: an answer for a key the form does not have.
    HandoffUnknownField(String),
    /// Encoding: more codes than can be scanned.
    HandoffTooLong { max: u32 },
    /// HEIC/HEIF from iPhones: the browser and we cannot decode it.
    ImageHeic,
    ImageUnknownFormat,
    ImageCorrupt(String),
    /// Width × height in pixels beyond what we decode (decompression bombs).
    ImageTooLarge { width: u32, height: u32 },
    /// A PDF with a password or encryption (words in [`multipage`]).
    PdfEncrypted,
    /// A PDF with no scanned page images in it.
    PdfNotScanned,
    /// A TIFF or PDF with more pages than one file may bring.
    TooManyPages { pages: u32, max: u32 },
    PackageNotZip(String),
    PackageNoManifest,
    PackageHashMismatch(String),
    PackageMissingFile(String),
    PackageExtraFile(String),
    PackageBadManifestLine(usize),
    PackageUnsafePath(String),
    PackageDuplicate(String),
    PackageTooLarge,
    /// A stored record that cannot be read back (damaged storage, manual edits).
    StoredRecordCorrupt(String),
    /// A record written by a newer version of the app.
    StoredRecordNewer(u32),
    /// The browser refused to store more (quota).
    StorageFull,
    StorageUnavailable(String),
    /// The PIN does not open the stored data.
    PinWrong,
    PinInvalid,
    PinMismatch,
    /// Encrypted data while the workspace is locked.
    PinLocked,
    /// A backup file that is intact but not a hoso backup, or inconsistent.
    BackupInvalid(String),
    /// Payload-Oxum in bag-info.txt disagrees with the payload found.
    PackageBadOxum,
    /// A BagIt tag file (bagit.txt, bag-info.txt, tagmanifest-sha256.txt) missing or malformed.
    PackageBadTagFile(String),
    /// The working calendar file (data/calendar.json or --calendar) is not valid JSON of the expected shape.
    CalendarSyntax(String),
    /// A calendar value that contradicts the rules: which year (if any), which field, what value.
    CalendarInvalid { year: Option<i32>, field: String, value: String },
    /// A receiving time the CLI could not read.
    BadDateTime(String),
    /// ID number digits 1–3: no such province code.
    IdUnknownProvince(String),
    /// ID number digits 4–6 disagree with the date of birth.
    IdBirthYearMismatch { id_year: i32, birth_year: i32 },
    /// ID number digit 4 gives this sex ("Nam"/"Nữ"), not the one declared.
    IdSexMismatch { id_sex: String },
    /// A date before 1900: a typing slip in the year.
    DateTooOld,
    /// `who` ("bên nam Nguyễn Văn An") is `age` full years old on the
    /// registration date `on`, under the `min` the law requires.
    UnderAge { who: String, min: u32, age: i32, on: String, basis: Option<String> },
    /// Only the ID number's birth year is known, and it makes `who` under `min`.
    UnderAgeByIdYear { who: String, min: u32, year: i32, basis: Option<String> },
    /// `later` ("ngày chết") given as a value before `earlier` ("ngày sinh").
    DateOrder { later: String, later_value: String, earlier: String, earlier_value: String, who: Option<String> },
    /// QR text that is not from an ID card (CCCD).
    CardNotCccd,
    /// ID card QR text cut short (partial read).
    CardTruncated,
    /// One field of the ID card QR is malformed: (field name, value read).
    CardBadField { field: String, value: String },
    /// No QR code could be read in the image.
    QrNotFound,
    /// The QR decoder (web worker) did not start or crashed.
    QrDecoderFailed,
    /// The QR decoder did not answer in time.
    QrDecoderTimeout,
    /// The page processor (web worker) did not start or crashed.
    ScanFailed,
    /// The page processor did not finish one page in time.
    ScanTimeout,
    /// A page cannot be re-processed: its original photo is no longer kept.
    ScanOriginalGone,
    /// "Chụp lại" with a TIFF or PDF of `pages` pages: its first page was used.
    RetakeFirstPage { pages: u32 },
    /// Drop-box (`hoso serve`, tus uploads): the declared package size is over the limit (human-readable).
    UploadTooLarge { max: String },
    /// One PATCH carries more than the per-request limit.
    UploadChunkTooLarge { max: String },
    /// Too many uploads in progress at once.
    UploadTooMany,
    /// The data directory has reached its disk-usage cap.
    UploadDiskFull,
    /// PATCH offset differs from what the server holds: (held, sent).
    UploadOffsetMismatch { held: u64, sent: u64 },
    /// Upload-Checksum does not match the chunk received.
    UploadChecksumMismatch,
    /// Tus-Resumable version other than 1.0.0.
    UploadVersionUnsupported,
    /// PATCH without `Content-Type: application/offset+octet-stream`.
    UploadWrongContentType,
    UploadNotFound,
    /// Expired or terminated.
    UploadGone,
    /// Another request is writing this upload.
    UploadBusy,
    /// A malformed request header: which one.
    UploadBadHeader(String),
    /// The server could not write to its disk.
    UploadStorage,
    /// Required papers missing with no reason recorded: their names.
    PackageMissingPapers(Vec<String>),
    /// A dossier code pattern that cannot be used: the part that is wrong.
    DossierCodeFormat(String),
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
            HandoffNotOurs => "Đây không phải mã hồ sơ khai trước của ứng dụng Hồ sơ số.".into(),
            HandoffNewer(v) => format!(
                "Mã hồ sơ này được tạo bởi phiên bản mới hơn của ứng dụng (định dạng {v}). Hãy tải lại trang để cập nhật ứng dụng rồi nhận lại."
            ),
            HandoffCorrupt => "Mã hồ sơ bị hỏng hoặc đã bị sửa (mã kiểm tra không khớp). Hãy quét lại, hoặc nhờ công dân tạo lại mã.".into(),
            HandoffIncomplete { missing, total } => format!(
                "Chưa đủ mã: còn thiếu mã {} (trong {total} mã). Hãy quét tiếp các mã còn thiếu.",
                missing.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            ),
            HandoffMixed { part, total } => format!(
                "Mã {part}/{total} thuộc một hồ sơ khác với các mã đã nhận nên không được ghép. Hãy quét các mã của cùng một hồ sơ, hoặc bấm \"Nhận lại từ đầu\"."
            ),
            HandoffUnknownProcedure(id) => format!(
                "Thủ tục \"{id}\" trong mã hồ sơ không có trong danh mục trên máy này. Hãy cập nhật ứng dụng (tải lại trang)."
            ),
            HandoffFormChanged { theirs, ours } => format!(
                "Mã hồ sơ có câu trả lời cho các mục mà mẫu tờ khai trên máy này không còn hoặc đã đổi (mã theo danh mục phiên bản {theirs}, máy này phiên bản {ours}). {}",
                if theirs > ours { "Hãy tải lại trang để cập nhật ứng dụng rồi nhận lại." } else { "Hãy nhờ công dân tải lại trang, tạo lại mã; hoặc nhập tay." }
            ),
            HandoffUnknownField(key) => format!("Mục \"{key}\" không có trong mẫu tờ khai của thủ tục này."),
            HandoffTooLong { max } => format!(
                "Tờ khai quá dài để chuyển bằng mã QR (cần hơn {max} mã). Hãy rút gọn phần ghi chú."
            ),
            ImageHeic => "Ảnh HEIC (iPhone) chưa đọc được. Trên iPhone chọn Cài đặt › Camera › Định dạng › \"Tương thích nhất\" để chụp JPEG, hoặc gửi ảnh qua Zalo/email để được JPEG.".into(),
            ImageUnknownFormat => "Tệp này không phải ảnh JPEG, PNG hay WebP.".into(),
            ImageCorrupt(why) => format!("Ảnh bị hỏng hoặc chưa tải hết, không đọc được ({why}). Hãy chụp hoặc quét lại trang này."),
            ImageTooLarge { width, height } => format!(
                "Ảnh quá lớn ({width} × {height} điểm ảnh). Hãy chụp lại ở độ phân giải thấp hơn (tối đa 50 triệu điểm ảnh)."
            ),
            PdfEncrypted => multipage::PDF_ENCRYPTED.into(),
            PdfNotScanned => multipage::PDF_NOT_SCANNED.into(),
            TooManyPages { pages, max } => multipage::too_many_pages(*pages, *max),
            PackageNotZip(why) => format!("Tệp không phải gói hồ sơ .zip hợp lệ ({why})."),
            PackageNoManifest => "Gói hồ sơ thiếu tệp kê khai mã băm manifest-sha256.txt.".into(),
            PackageHashMismatch(f) => format!("Tệp {f} đã bị thay đổi: mã băm SHA-256 không khớp."),
            PackageMissingFile(f) => format!("Thiếu tệp {f} có trong bảng kê."),
            PackageExtraFile(f) => format!("Tệp {f} không có trong bảng kê."),
            PackageBadManifestLine(n) => format!("Dòng {n} của bảng kê mã băm sai định dạng."),
            PackageUnsafePath(f) => format!("Đường dẫn không an toàn trong gói: {f}"),
            PackageDuplicate(f) => format!("Tên tệp bị trùng trong gói: {f}"),
            PackageTooLarge => "Gói hồ sơ quá lớn hoặc nén bất thường, không mở.".into(),
            StoredRecordCorrupt(why) => format!("Một hồ sơ lưu trên máy bị hỏng, không đọc được ({why}). Các hồ sơ khác không bị ảnh hưởng."),
            StoredRecordNewer(v) => format!("Hồ sơ được lưu bởi phiên bản mới hơn (lược đồ {v}). Hãy tải lại trang để cập nhật ứng dụng."),
            StorageFull => "Bộ nhớ của trình duyệt đã đầy: thay đổi mới nhất CHƯA được lưu (vẫn còn trên màn hình). Hãy tải gói hồ sơ về máy hoặc xóa bớt hồ sơ đã nộp.".into(),
            StorageUnavailable(why) => format!("Không lưu được vào bộ nhớ trình duyệt ({why}). Đừng đóng trang trước khi tải gói hồ sơ về máy."),
            BackupInvalid(why) => format!("Tệp sao lưu không hợp lệ ({why}). Không có gì được ghi vào máy."),
            PinWrong => "Mã PIN không đúng.".into(),
            PinInvalid => "Mã PIN gồm 4 đến 12 chữ số.".into(),
            PinMismatch => "Hai lần nhập mã PIN không giống nhau.".into(),
            PinLocked => "Dữ liệu đang khóa: hãy nhập mã PIN để mở.".into(),
            PackageBadOxum => "Tổng dung lượng hoặc số tệp ghi trong bag-info.txt (Payload-Oxum) không khớp với các tệp trong gói.".into(),
            PackageBadTagFile(f) => format!("Tệp {f} của gói hồ sơ bị thiếu hoặc sai định dạng."),
            CalendarSyntax(why) => format!("Tệp lịch làm việc không đọc được ({why})."),
            CalendarInvalid { year: Some(year), field, value } => {
                format!("Tệp lịch làm việc, năm {year}, mục {field}: giá trị \"{value}\" không hợp lệ.")
            }
            CalendarInvalid { year: None, field, value } => format!("Tệp lịch làm việc, mục {field}: giá trị \"{value}\" không hợp lệ."),
            BadDateTime(s) => format!("Thời điểm không hợp lệ: \"{s}\". Nhập dạng 2026-11-23T14:00:00+07:00."),
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
            DateTooOld => "Năm trước 1900 — có lẽ gõ nhầm năm. Kiểm tra lại ngày, tháng, năm.".into(),
            UnderAge { who, min, age, on, basis } => format!(
                "{} mới {age} tuổi vào ngày đăng ký {on}, chưa đủ {min} tuổi{}. Kiểm tra lại ngày sinh.",
                sentence_case(who),
                basis.as_ref().map(|b| format!(" theo {b}")).unwrap_or_default()
            ),
            UnderAgeByIdYear { who, min, year, basis } => format!(
                "{} sinh năm {year} (theo số định danh cá nhân), chưa đủ {min} tuổi{}.",
                sentence_case(who),
                basis.as_ref().map(|b| format!(" theo {b}")).unwrap_or_default()
            ),
            DateOrder { later, later_value, earlier, earlier_value, who } => format!(
                "{} ({later_value}) không thể trước {earlier} ({earlier_value}){}. Kiểm tra lại hai ngày này.",
                sentence_case(later),
                who.as_ref().map(|w| format!(" của {w}")).unwrap_or_default()
            ),
            QrNotFound => "Không tìm thấy mã QR trong ảnh. Hãy chụp lại gần hơn, rõ nét, không bị lóa, mã QR nằm trọn trong khung.".into(),
            QrDecoderFailed => camera::DECODER_FAILED.into(),
            QrDecoderTimeout => camera::DECODER_TIMEOUT.into(),
            ScanFailed => scan::SCAN_FAILED.into(),
            ScanTimeout => scan::SCAN_TIMEOUT.into(),
            ScanOriginalGone => scan::ORIGINAL_GONE.into(),
            RetakeFirstPage { pages } => capture::retake_first_page(*pages),
            UploadTooLarge { max } => format!("Gói hồ sơ quá lớn để gửi: tối đa {max}."),
            UploadChunkTooLarge { max } => format!("Mỗi lần gửi chỉ được tối đa {max}; hãy gửi thành nhiều đoạn nhỏ hơn."),
            UploadTooMany => "Máy chủ đang nhận quá nhiều hồ sơ cùng lúc. Hãy thử gửi lại sau ít phút.".into(),
            UploadDiskFull => "Máy chủ đã hết chỗ lưu hồ sơ. Hãy báo người quản trị.".into(),
            UploadOffsetMismatch { held, sent } => format!(
                "Vị trí gửi tiếp không khớp: máy chủ đã nhận {held} byte, yêu cầu gửi từ byte {sent}. Hãy hỏi lại vị trí rồi gửi tiếp."
            ),
            UploadChecksumMismatch => "Đoạn dữ liệu bị hỏng trên đường truyền (mã kiểm tra không khớp) nên đã bị bỏ. Hãy gửi lại đoạn này.".into(),
            UploadVersionUnsupported => "Phiên bản giao thức tải lên (tus) không được hỗ trợ; máy chủ chỉ nhận phiên bản 1.0.0.".into(),
            UploadWrongContentType => "Dữ liệu gửi lên phải có kiểu application/offset+octet-stream.".into(),
            UploadNotFound => "Không tìm thấy lượt gửi hồ sơ này trên máy chủ.".into(),
            UploadGone => "Lượt gửi hồ sơ này đã hết hạn hoặc đã bị hủy. Hãy gửi lại từ đầu.".into(),
            UploadBusy => "Lượt gửi này đang được ghi từ một kết nối khác. Hãy thử lại sau giây lát.".into(),
            UploadBadHeader(h) => format!("Yêu cầu gửi hồ sơ có tiêu đề {h} không hợp lệ."),
            UploadStorage => "Máy chủ không ghi được hồ sơ xuống đĩa. Hãy thử lại hoặc báo người quản trị.".into(),
            DossierCodeFormat(part) => format!(
                "Mẫu mã hồ sơ không dùng được (chỗ sai: {part}). Dùng {{unit}}, {{yyyy}}, {{yy}}, {{MM}}, {{dd}}, {{yyMMdd}} và bắt buộc có {{seq}}; không dùng các ký tự / \\ : * ? \" < > |."
            ),
            PackageMissingPapers(names) => format!(
                "Còn thiếu giấy tờ bắt buộc: {}. Chỉ đóng gói được khi đã ghi lý do thiếu cho từng giấy tờ.",
                names.join(", ")
            ),
        }
    }
}

/// First letter upper case: role nouns start sentences ("bên nam …").
fn sentence_case(s: &str) -> String {
    crate::text::sentence_case(s)
}

/// Package step: missing papers, phiếu yêu cầu bổ sung.
pub mod package;

/// Home pre-fill handoff: codes, printable page, counter import.
pub mod handoff;
/// Live QR scanner and its background decoder; camera errors.
pub mod camera;
/// Scan step in the app: profiles, paper sizes, progress, sizes, upload time.
pub mod scan;
pub mod intake;
pub mod units;
/// Page list (order, rotate, retake) and the corner editor.
pub mod pages;
/// Multi-page TIFF and scanner PDFs: per-page names, their refusals.
pub mod multipage;
/// Why a page of a TIFF or scanner PDF could not be read.
pub mod inputs;
/// Capture robustness: a multi-page file given to "Chụp lại".
pub mod capture;

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
    pub const ATTACH_HINT: &str =
        "Kéo thả ảnh vào đây, hoặc bấm để chọn tệp (JPEG, PNG, WebP; TIFF, PDF từ máy quét, kể cả nhiều trang)";
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
    pub const UPLOAD_TIME: &str = "Thời gian gửi";
    pub const STATUS_DRAFT: &str = "Nháp";
    pub const STATUS_MISSING: &str = "Thiếu giấy tờ";
    pub const STATUS_PACKED: &str = "Đã đóng gói";
    pub const STATUS_SUBMITTED: &str = "Đã nộp";
    pub const SAVED_DOSSIERS: &str = "Hồ sơ đã lưu trên máy này";
    pub const SEARCH: &str = "Tìm theo tên hoặc số định danh (gõ có dấu hoặc không dấu)";
    pub const NO_SAVED: &str = "Chưa có hồ sơ nào được lưu.";
    pub const NO_MATCH: &str = "Không có hồ sơ nào khớp.";
    pub const OPEN: &str = "Mở";
    pub const LAST_CHANGE: &str = "Sửa lần cuối";
    pub const SAVED: &str = "Đã lưu trên máy";
    pub const SAVING: &str = "Đang lưu…";
    pub const PURGE_ALL: &str = "Xóa toàn bộ dữ liệu";
    pub const PURGE_CONFIRM: &str = "Xóa TOÀN BỘ hồ sơ, ảnh và cài đặt lưu trên máy này? Không thể khôi phục.";
    pub const STORAGE_USE: &str = "Dung lượng đã dùng";
    pub const DELETE_DOSSIER: &str = "Xóa hồ sơ";
    pub const DELETE_CONFIRM: &str = "Xóa hồ sơ này khỏi máy?";
    pub const EXPORT_ALL: &str = "Sao lưu tất cả";
    pub const SETTINGS: &str = "Cài đặt trên máy này";
    pub const AUTO_DELETE: &str = "Tự xóa hồ sơ đã đóng gói hoặc đã nộp sau (ngày)";
    pub const CITIZEN_MODE: &str = "Chế độ công dân: không lưu gì trên máy này";
    pub const CITIZEN_BANNER: &str = "Chế độ công dân: hồ sơ KHÔNG được lưu trên máy. Hãy tải gói hồ sơ về trước khi đóng trang.";
    pub const PIN_NEW: &str = "Mã PIN mới (4–12 chữ số)";
    pub const PIN_AGAIN: &str = "Nhập lại mã PIN";
    pub const PIN_SET: &str = "Đặt mã PIN và mã hóa dữ liệu";
    pub const PIN_REMOVE: &str = "Bỏ mã PIN";
    pub const PIN_ON: &str = "Dữ liệu trên máy được mã hóa bằng mã PIN.";
    pub const LOCK_NOW: &str = "Khóa ngay";
    pub const UNLOCK_TITLE: &str = "Dữ liệu trên máy này được khóa bằng mã PIN";
    pub const PIN_LABEL: &str = "Mã PIN";
    pub const UNLOCK: &str = "Mở khóa";
    pub const WORKING: &str = "Đang xử lý…";
    pub const UPDATE_READY: &str = "Đã có phiên bản mới của ứng dụng. Hồ sơ đang làm đã được lưu.";
    pub const RELOAD: &str = "Tải lại để dùng bản mới";
    pub const CHECK_PACKAGE: &str = "Kiểm tra gói hồ sơ";
    pub const CHOOSE_PACKAGE: &str = "Chọn gói hồ sơ (.zip)";
    pub const PACKAGE_INTACT: &str = "Gói hồ sơ nguyên vẹn: mọi tệp khớp mã băm SHA-256.";
    pub const PACKAGE_BROKEN: &str = "Gói hồ sơ KHÔNG nguyên vẹn.";
    pub const PEOPLE_SEARCH: &str = "Người đã khai trên máy này (tìm theo tên hoặc số định danh):";
    pub const READ_ID_CARD: &str = "Đọc mã QR trên thẻ căn cước";
    pub const ID_CARD_HINT: &str = "Chụp hoặc chọn ảnh mặt trước thẻ (mã QR ở góc trên bên phải).";
    pub const READING_QR: &str = "Đang đọc mã QR…";
    pub const CARD_FOUND: &str = "Thông tin trên thẻ — kiểm tra với người nộp trước khi điền:";
    pub const APPLY_TO: &str = "Điền cho";
    pub const APPLY_CARD: &str = "Điền thông tin";
    pub const DISCARD: &str = "Bỏ qua";
    pub const OVERWRITE_CONFIRM: &str = "Các mục sau đã có nội dung khác và sẽ được thay bằng thông tin trên thẻ:";
    pub const EXPORT_ONE: &str = "Sao lưu";
    pub const IMPORT: &str = "Nhập tệp sao lưu";
    pub const IMPORTED: &str = "Đã nhập hồ sơ từ tệp sao lưu:";
    /// After the count of originals a backup could not carry.
    pub const ORIGINALS_LEFT_OUT: &str = "ảnh gốc không được đưa vào bản sao lưu này (vượt 256 MB). Các trang đã làm vẫn đủ, \
        nhưng ở máy khác không làm lại được các trang ấy từ ảnh gốc. Muốn mang theo đủ ảnh gốc, hãy sao lưu từng hồ sơ.";
    /// Giấy tiếp nhận hồ sơ và hẹn trả kết quả: how the result reaches the citizen.
    pub const DELIVERY_COUNTER: &str = "Nhận trực tiếp tại Bộ phận Một cửa";
    pub const DELIVERY_POST: &str = "Qua dịch vụ bưu chính công ích";
    pub const RECEIPT: &str = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả";
    pub const DUE_DATE: &str = "Hẹn trả kết quả";
    pub const PRINT_RECEIPT: &str = "In giấy tiếp nhận (2 liên)";
    pub const UNIT_NAME: &str = "Cơ quan tiếp nhận (in trên giấy tiếp nhận)";
    pub const CLERK_NAME: &str = "Người tiếp nhận";
    // Gửi hồ sơ: the upload queue of step 4.
    pub const UPLOAD_TITLE: &str = "Gửi hồ sơ lên máy chủ";
    pub const UPLOAD_SEND: &str = "Gửi hồ sơ";
    pub const UPLOAD_SETTINGS: &str = "Cài đặt gửi";
    pub const UPLOAD_ENDPOINT: &str = "Địa chỉ nhận hồ sơ (tus)";
    pub const UPLOAD_CHUNK_KB: &str = "Cỡ mỗi phần gửi (KB)";
    pub const UPLOAD_PAUSE: &str = "Tạm dừng";
    pub const UPLOAD_RESUME: &str = "Gửi tiếp";
    pub const UPLOAD_CANCEL: &str = "Hủy gửi";
    pub const UPLOAD_CONNECTING: &str = "Đang kết nối máy chủ…";
    pub const UPLOAD_SENDING: &str = "Đang gửi…";
    pub const UPLOAD_PAUSED: &str = "Đã tạm dừng. Bấm “Gửi tiếp” để gửi phần còn lại.";
    pub const UPLOAD_RETRY_IN: &str = "Mất kết nối, thử lại sau";
    pub const UPLOAD_SPEED: &str = "Tốc độ";
    pub const UPLOAD_ETA: &str = "Còn khoảng";
    pub const UPLOAD_CHECKING: &str = "Đã gửi đủ, đang hỏi kết quả kiểm tra của máy chủ…";
    pub const UPLOAD_DONE_INTACT: &str = "Đã gửi — máy chủ đã kiểm tra: nguyên vẹn";
    pub const UPLOAD_DONE_BROKEN: &str = "Đã gửi nhưng máy chủ báo gói KHÔNG nguyên vẹn:";
    pub const UPLOAD_DONE_UNCHECKED: &str = "Đã gửi. Chưa nhận được kết quả kiểm tra của máy chủ.";
    pub const UPLOAD_RECEIVED_LINK: &str = "Xem danh sách hồ sơ đã nhận";
    pub const UPLOAD_CANCELLED: &str = "Đã hủy gửi.";
    pub const UPLOAD_REFUSED: &str = "Máy chủ từ chối";
    pub const SECONDS: &str = "giây";
    pub const MINUTES: &str = "phút";
}

pub mod training;
