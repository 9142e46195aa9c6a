//! The generated unit data and the search over it.

use hoso_core::text::{fold, nfc};
use hoso_units::embedded::units;
use hoso_units::{key, CommuneKind, Units};
use proptest::prelude::*;
use std::collections::HashSet;

#[test]
fn the_reform_has_34_provinces_and_3321_communes() {
    let u = units();
    assert_eq!(u.provinces().len(), 34);
    assert_eq!(u.communes().len(), 3321);
    let sum: usize = u
        .provinces()
        .iter()
        .map(|p| u.communes_of(p.code).len())
        .sum();
    assert_eq!(sum, 3321, "every commune belongs to exactly one province");
    let zones = u
        .communes()
        .iter()
        .filter(|c| c.kind == CommuneKind::SpecialZone)
        .count();
    assert_eq!(zones, 13, "13 đặc khu (Côn Đảo, Phú Quốc, Lý Sơn, …)");
}

#[test]
fn codes_are_unique_and_names_proper() {
    let u = units();
    let codes: HashSet<u32> = u.communes().iter().map(|c| c.code).collect();
    assert_eq!(codes.len(), u.communes().len());
    for c in u.communes() {
        assert_eq!(nfc(&c.name), c.name, "NFC: {}", c.name);
        assert!(
            c.name.starts_with(c.kind.vi()),
            "{} starts with its type",
            c.name
        );
        assert_eq!(u.commune(c.code), Some(c));
        assert_eq!(
            u.find_commune(c.province, &c.name),
            Some(c),
            "{} found by its own name",
            c.name
        );
    }
    for p in u.provinces() {
        assert!(
            p.name.starts_with("Tỉnh ") || p.name.starts_with("Thành phố "),
            "{}",
            p.name
        );
        assert_eq!(
            u.find_province(p.short_name()).map(|x| x.code),
            Some(p.code)
        );
    }
}

#[test]
fn search_without_diacritics_puts_the_exact_name_first() {
    let u = units();
    let hanoi = u.find_province("Hà Nội").unwrap();
    assert_eq!(hanoi.name, "Thành phố Hà Nội");
    for q in ["ba dinh", "BA ĐÌNH", "badinh", "phuong ba dinh", "Ba Đình"] {
        let hits = u.search_communes(Some(hanoi.code), q, 8);
        assert_eq!(
            hits.first().map(|c| c.name.as_str()),
            Some("Phường Ba Đình"),
            "query {q:?}"
        );
    }
    assert_eq!(u.search_provinces("ha noi")[0].name, "Thành phố Hà Nội");
    assert_eq!(u.search_provinces("dak lak")[0].name, "Tỉnh Đắk Lắk");
    // Short names from vietnamadminunits; "tp" is a type, not part of a name.
    for q in ["hcm", "TP HCM", "TPHCM", "sai gon"] {
        assert_eq!(u.search_provinces(q)[0].name, "Thành phố Hồ Chí Minh", "{q}");
    }
    assert_eq!(u.find_province("HN").map(|p| p.code), Some(1));
    assert_eq!(
        u.search_provinces("ho chi")[0].name,
        "Thành phố Hồ Chí Minh"
    );
    // A province's communes only.
    assert!(u
        .search_communes(Some(hanoi.code), "", 5000)
        .iter()
        .all(|c| c.province == hanoi.code));
    assert_eq!(
        u.search_communes(Some(hanoi.code), "", 5000).len(),
        u.communes_of(hanoi.code).len()
    );
}

#[test]
fn every_commune_is_found_by_its_folded_name_in_its_province() {
    let u = units();
    for c in u.communes() {
        let base = c.name.strip_prefix(c.kind.vi()).unwrap().trim();
        let hits = u.search_communes(Some(c.province), &fold(base), 10);
        assert!(
            hits.iter().any(|h| h.code == c.code),
            "{} not found by {:?}",
            c.name,
            fold(base)
        );
        // Phường Đồng Tiến and Xã Đồng Tiến may both be there; the name decides, not the type.
        let base_of = |name: &str| {
            key(name
                .split_once(' ')
                .map(|(_, b)| b)
                .unwrap_or(name)
                .trim_start_matches("khu "))
        };
        assert_eq!(
            base_of(&hits[0].name),
            key(base),
            "best hit for {:?} is {}",
            fold(base),
            hits[0].name
        );
    }
}

#[test]
fn ranking_prefers_prefix_over_word_over_infix() {
    let u = units();
    let hcm = u.find_province("Hồ Chí Minh").unwrap().code;
    let hits = u.search_communes(Some(hcm), "tan", 400);
    let first_infix = hits.iter().position(|c| !fold(&c.name).contains(" tan"));
    let last_prefix = hits
        .iter()
        .rposition(|c| fold(c.name.split_once(' ').unwrap().1).starts_with("tan"));
    assert!(last_prefix.unwrap() < first_infix.unwrap_or(usize::MAX));
}

#[test]
fn bad_data_lines_are_reported_with_their_line() {
    let e = Units::parse("# c\n1 Thành phố Hà Nội\nz4 Ba Đình\n").unwrap_err();
    assert_eq!((e.line, e.file), (3, "data/units/new.txt"));
    assert!(
        Units::parse("p4 Ba Đình\n").is_err(),
        "a commune needs a province"
    );
}

/// Strips a random subset of diacritics and changes case, as people type.
fn mangle(name: &str, mask: &[bool]) -> String {
    name.chars()
        .zip(mask.iter().cycle())
        .map(|(c, &strip)| {
            if strip {
                fold(&c.to_string())
            } else {
                c.to_lowercase().collect()
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn typed_loosely_a_commune_is_still_found(i in 0usize..3321, mask in prop::collection::vec(any::<bool>(), 1..8)) {
        let u = units();
        let c = &u.communes()[i];
        let q = mangle(&c.name, &mask);
        let hits = u.search_communes(Some(c.province), &q, 20);
        prop_assert!(hits.iter().any(|h| h.code == c.code), "{} not found by {:?}", c.name, q);
    }
}
