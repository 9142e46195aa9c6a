//! Writes a filled sample khai-sinh declaration, to look at:
//!
//! ```sh
//! cargo run -p hoso-pdf --example render_sample -- /tmp/form.pdf
//! ```

use hoso_core::date::Date;
use hoso_core::{Catalog, FormData};
use hoso_pdf::{render_form, FormMeta};

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "khai-sinh.pdf".into());
    let form = Catalog::embedded().form("to-khai-khai-sinh").expect("form");
    let data: FormData = [
        ("applicant.full_name", "Nguyễn Văn Bình"),
        ("applicant.id_number", "001090012345"),
        ("applicant.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
        ("applicant.relation", "Cha"),
        ("child.full_name", "Nguyễn Thị Ánh Dương"),
        ("child.birth_date", "01/11/2026"),
        ("child.sex", "Nữ"),
        ("child.ethnicity", "Kinh"),
        ("child.nationality", "Việt Nam"),
        ("child.birth_place", "Bệnh viện Đa khoa tỉnh Quảng Ngãi"),
        ("mother.full_name", "Trần Thị Hoa"),
        ("mother.birth_year", "1995"),
        ("mother.ethnicity", "Tày"),
        ("mother.nationality", "Việt Nam"),
        ("mother.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
        ("copies", "2"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let meta = FormMeta { place: "Quảng Ngãi".into(), date: Date::new(2026, 11, 22).expect("date") };
    let pdf = render_form(form, &form.normalize(&data), &meta);
    std::fs::write(&out, &pdf).expect("write");
    println!("{out}: {} bytes", pdf.len());
}
