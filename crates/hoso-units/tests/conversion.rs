//! Old (pre-07/2025) addresses to new units. Expected results in
//! tests/data/samples.tsv come from vietnamadminunits.convert_address
//! (tools/gen-units.py writes them and `--check` re-verifies the whole table).

use hoso_core::text::fold;
use hoso_units::embedded::{legacy, units};

fn samples() -> Vec<(String, u32)> {
    include_str!("data/samples.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (a, c) = l.split_once('\t').unwrap();
            (a.to_string(), c.parse().unwrap())
        })
        .collect()
}

fn convert(address: &str) -> Option<(String, String, String)> {
    let c = legacy().convert(units(), address)?;
    Some((
        c.detail.clone(),
        c.commune.map(|x| x.name.clone()).unwrap_or_default(),
        c.province.name.clone(),
    ))
}

#[test]
fn all_old_units_are_loaded() {
    assert_eq!(legacy().old_province_count(), 63);
    assert!(
        legacy().old_commune_count() > 10_000,
        "{}",
        legacy().old_commune_count()
    );
}

#[test]
fn every_new_commune_came_from_some_old_one() {
    let u = units();
    for (_, code) in samples() {
        assert!(u.commune(code).is_some(), "{code}");
    }
    let reached = legacy().new_commune_codes(u);
    let missing: Vec<&str> = u
        .communes()
        .iter()
        .filter(|c| !reached.contains(&c.code))
        .map(|c| c.name.as_str())
        .collect();
    // With one default per split old commune, a new commune made only of
    // parts of split ones (Phường Yên Sở) is never the answer; the generator
    // checks each still appears in the converter's tables.
    assert!(missing.len() * 1000 < u.communes().len(), "no old commune became {missing:?}");
}

#[test]
fn samples_convert_like_vietnamadminunits() {
    let all = samples();
    assert!(all.len() > 350);
    let mut wrong = Vec::new();
    for (address, code) in &all {
        let got = legacy()
            .convert(units(), address)
            .and_then(|c| c.commune.map(|x| x.code));
        if got != Some(*code) {
            wrong.push(format!("{address}: got {got:?}, want {code}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {}:\n{}",
        wrong.len(),
        all.len(),
        wrong.join("\n")
    );
}

/// "Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội" → "P. Phúc Xá, Q. Ba Đình, TP. Hà Nội".
fn abbreviate(address: &str) -> String {
    let mut out = address.to_string();
    for (long, short) in [
        ("Thành phố ", "TP. "),
        ("Thị trấn ", "TT. "),
        ("Thị xã ", "TX. "),
        ("Thị Xã ", "TX. "),
        ("Phường ", "P. "),
        ("Quận ", "Q."),
        ("Huyện ", "H. "),
        ("Xã ", "X. "),
        ("Tỉnh ", ""),
    ] {
        out = out.replace(long, short);
    }
    out
}

#[test]
fn abbreviations_as_on_old_cards_give_the_same_unit() {
    let mut wrong = Vec::new();
    for (address, code) in samples() {
        let short = abbreviate(&address);
        let got = legacy()
            .convert(units(), &short)
            .and_then(|c| c.commune.map(|x| x.code));
        if got != Some(code) {
            wrong.push(format!("{short}: got {got:?}, want {code}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn without_diacritics_the_same_unit_unless_names_fold_alike() {
    let mut wrong = 0;
    let all = samples();
    for (address, code) in &all {
        let got = legacy()
            .convert(units(), &fold(address).to_uppercase())
            .and_then(|c| c.commune.map(|x| x.code));
        if got != Some(*code) {
            wrong += 1;
        }
    }
    // Only "Hương Vân"/"Hương Văn"-like pairs may differ: a handful of ~10,000.
    assert!(wrong * 100 < all.len(), "{wrong} of {} differ", all.len());
}

#[test]
fn known_conversions_and_the_detail_kept() {
    assert_eq!(
        convert("Số 12 ngõ 4, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội"),
        Some((
            "Số 12 ngõ 4".into(),
            "Phường Hồng Hà".into(),
            "Thành phố Hà Nội".into()
        ))
    );
    // District level missing, province abbreviated, no diacritics.
    let (_, commune, province) = convert("Thon 3, xa Ea Tu, TP Buon Ma Thuot, Dak Lak").unwrap();
    assert_eq!(
        (commune.as_str(), province.as_str()),
        ("Phường Tân An", "Tỉnh Đắk Lắk")
    );
    // Provinces merged in 2025: Hòa Bình into Phú Thọ.
    assert_eq!(
        convert("Thôn Đông, Xã Hòa Bình, Huyện Kỳ Sơn, Tỉnh Hòa Bình")
            .unwrap()
            .2,
        "Tỉnh Phú Thọ"
    );
    // An island district became a đặc khu.
    assert_eq!(
        convert("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu").unwrap().1,
        "Đặc khu Côn Đảo"
    );
    // Numbered wards, glued abbreviations.
    let (_, c1, p1) = convert("P.01, Q.3, TP.HCM").unwrap();
    let (_, c2, _) = convert("Phường 1, Quận 3, Thành phố Hồ Chí Minh").unwrap();
    assert_eq!(
        (c1.as_str(), p1.as_str()),
        (c2.as_str(), "Thành phố Hồ Chí Minh")
    );
}

#[test]
fn new_style_addresses_are_recognised_not_changed() {
    let c = legacy()
        .convert(units(), "Tổ 5, Phường Ba Đình, Thành phố Hà Nội")
        .unwrap();
    assert!(c.already_new);
    assert_eq!(c.address(), "Tổ 5, Phường Ba Đình, Thành phố Hà Nội");
}

#[test]
fn missing_levels_and_unknown_text() {
    // Province only: the commune stays unknown, the rest is detail.
    let c = legacy()
        .convert(units(), "Thôn Đông, Tỉnh Hòa Bình")
        .unwrap();
    assert_eq!(
        (c.commune, c.province.name.as_str(), c.detail.as_str()),
        (None, "Tỉnh Phú Thọ", "Thôn Đông")
    );
    // Province left out: the district says where.
    let c = legacy()
        .convert(units(), "Phường Phúc Xá, Quận Ba Đình")
        .unwrap();
    assert_eq!(c.commune.unwrap().name, "Phường Hồng Hà");
    assert_eq!(legacy().convert(units(), "Số 5 đường Không Tên"), None);
    assert_eq!(legacy().convert(units(), ""), None);
    // The old text is kept as given (tidied).
    let c = legacy()
        .convert(
            units(),
            "  Xã Ea Tu,  Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk ",
        )
        .unwrap();
    assert_eq!(c.old, "Xã Ea Tu, Thành phố Buôn Ma Thuột, Tỉnh Đắk Lắk");
}
