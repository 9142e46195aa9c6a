//! Why a page of a multi-page input file (tệp nhiều trang: TIFF from a
//! flatbed scanner, PDF a scanner made) could not be read. Each is the
//! reason inside `Msg::ImageCorrupt`, shown for that page only.

/// A BigTIFF (64-bit offsets): scanners do not write it for paper.
pub const TIFF_BIGTIFF: &str = "tệp BigTIFF chưa hỗ trợ, hãy lưu lại thành TIFF thường hoặc PDF";
pub const TIFF_HEADER: &str = "TIFF: đầu tệp hỏng";
pub const TIFF_DIRECTORY: &str = "TIFF: thư mục trang hỏng";
pub const TIFF_DATA_OUTSIDE: &str = "TIFF: dữ liệu ảnh nằm ngoài tệp (tệp chưa tải hết?)";
pub const TIFF_DATA_SHORT: &str = "TIFF: thiếu dữ liệu ảnh";
pub const TIFF_LZW: &str = "TIFF: dữ liệu nén LZW hỏng";
pub const TIFF_LZW_OLD: &str = "TIFF: nén LZW kiểu cũ chưa hỗ trợ";
pub const TIFF_DEFLATE: &str = "TIFF: dữ liệu nén Deflate hỏng";
pub const TIFF_FAX: &str = "TIFF: ảnh fax hỏng";
pub const TIFF_OLD_JPEG: &str = "TIFF: nén JPEG kiểu cũ chưa hỗ trợ, hãy quét lại thành PDF hoặc JPEG";
/// A JPEG page cut into several strips or tiles, in the browser.
pub const TIFF_JPEG_PIECES: &str =
    "TIFF: ảnh JPEG chia nhiều mảnh chưa đọc được trên trình duyệt, hãy dùng công cụ dòng lệnh hoặc quét lại thành PDF";
pub const TIFF_PREDICTOR: &str = "TIFF: kiểu dự đoán (Predictor) chưa hỗ trợ";
pub const TIFF_FLOAT: &str = "TIFF: mẫu số thực chưa hỗ trợ";

pub fn tiff_missing(tag: &str) -> String {
    format!("TIFF: thiếu thẻ {tag}")
}

pub fn tiff_compression(code: u32) -> String {
    format!("TIFF: kiểu nén {code} chưa hỗ trợ")
}

pub fn tiff_colour(photometric: u32, samples: u32, bits: u32) -> String {
    format!("TIFF: kiểu màu {photometric} ({samples} kênh × {bits} bit) chưa hỗ trợ")
}

/// Page `page` (from 1) asked of a file that has fewer.
pub fn no_page(page: usize) -> String {
    format!("không có trang {page}")
}

pub fn pdf_no_page(page: usize) -> String {
    format!("PDF: không có trang {page}")
}

pub const PDF_FAX: &str = "PDF: ảnh fax hỏng";
pub const PDF_DEFLATE: &str = "PDF: dữ liệu nén hỏng";
pub const PDF_DATA_SHORT: &str = "PDF: ảnh thiếu dữ liệu";
pub const PDF_PNG_FILTER: &str = "PDF: bộ lọc PNG lạ";

pub fn pdf_components(components: usize, bits: usize) -> String {
    format!("PDF: ảnh {components} kênh × {bits} bit chưa hỗ trợ")
}

pub fn pdf_filter(filter: &str) -> String {
    format!("PDF: ảnh nén kiểu {filter} chưa hỗ trợ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn reasons_are_nfc_vietnamese() {
        let made = [
            tiff_missing("ColorMap"),
            tiff_compression(3),
            tiff_colour(6, 3, 8),
            no_page(4),
            pdf_no_page(2),
            pdf_components(2, 4),
            pdf_filter("JBIG2Decode"),
        ];
        let fixed = [
            TIFF_BIGTIFF,
            TIFF_HEADER,
            TIFF_DIRECTORY,
            TIFF_DATA_OUTSIDE,
            TIFF_DATA_SHORT,
            TIFF_LZW,
            TIFF_LZW_OLD,
            TIFF_DEFLATE,
            TIFF_FAX,
            TIFF_OLD_JPEG,
            TIFF_JPEG_PIECES,
            TIFF_PREDICTOR,
            TIFF_FLOAT,
            PDF_FAX,
            PDF_DEFLATE,
            PDF_DATA_SHORT,
            PDF_PNG_FILTER,
        ];
        for text in made.iter().map(String::as_str).chain(fixed) {
            assert_eq!(text.nfc().collect::<String>(), text, "NFC: {text}");
        }
        assert_eq!(tiff_compression(3), "TIFF: kiểu nén 3 chưa hỗ trợ");
        assert_eq!(no_page(4), "không có trang 4");
    }
}
