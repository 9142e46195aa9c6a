//! Our TIFF reader (hoso-image's tiff.rs) as the app's worker runs it:
//! the page count, then every page alone. Any input must give pages or
//! errors, never a panic, and never more pixels than the bomb limit.
#![no_main]

use hoso_image::inputs::PageImage;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(count) = hoso_image::tiff::page_count(data) {
        assert!(count >= 1 && count <= hoso_image::inputs::MAX_PAGES);
        for index in 0..count.min(8) {
            if let Ok(PageImage::Pixels(rgb)) = hoso_image::tiff::page_image(data, index, None) {
                assert!(u64::from(rgb.width) * u64::from(rgb.height) <= hoso_image::MAX_PIXELS);
                assert_eq!(rgb.data.len(), rgb.width as usize * rgb.height as usize * 3);
            }
        }
    }
});
