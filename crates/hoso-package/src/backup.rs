//! Sao lưu — moving dossiers between counter PCs, or keeping a copy: a bag
//! of stored drafts and their page images. Import trusts nothing: the bag
//! must be intact, every record must decode and every page must match the
//! hash its record lists before anything is written.
//!
//! Bản gốc: the originals kept for a draft's pages (the photo or scan each
//! page was made from) travel too, so a dossier restored on another PC can
//! still have its pages made again with other settings. Each must be one a
//! page of its record names; the bag's manifest checks their bytes.

use crate::{pack, unpack, BagInfo, PackError, PackageFile};
use hoso_core::date::Date;
use hoso_core::draft::{decode, Draft};
use hoso_core::i18n::Msg;

/// A stored draft with its page images, keyed by page id, and the
/// originals its pages were made from, keyed as its pages name them
/// ("{draft id}/in-…"; see `PageScan::original`).
#[derive(Clone, Debug, PartialEq)]
pub struct DraftWithPages {
    pub draft: Draft,
    pub pages: Vec<(u32, Vec<u8>)>,
    pub originals: Vec<(String, Vec<u8>)>,
}

/// Originals one backup carries at most, in the order of its dossiers
/// (newest first as listed): past it the rest are left out, their pages
/// just cannot be made again on the other PC. A backup of every dossier
/// then stays far under [`crate::MAX_TOTAL_BYTES`] (else it would fail
/// whole) and within what an old PC's browser holds in memory. A 12 MP
/// phone photo is 1.3–1.7 MB: about 150 of them.
pub const ORIGINALS_BUDGET: u64 = 256 << 20;

fn record_path(id: &str) -> String {
    format!("drafts/{id}.json")
}

fn page_path(id: &str, page: u32) -> String {
    format!("pages/{id}/{page:06}.jpg")
}

/// Where an original goes in the bag: named after its key, with the
/// extension of what it is (a JPEG is stored as it is, a TIFF deflated).
fn original_path(key: &str, bytes: &[u8]) -> String {
    let ext = if bytes.starts_with(b"\xFF\xD8") {
        "jpg"
    } else if bytes.starts_with(b"%PDF") {
        "pdf"
    } else {
        "bin"
    };
    format!("originals/{key}.{ext}")
}

/// The key of the original at `path` in the bag, if it is one of `draft`'s.
fn original_key<'a>(draft: &'a Draft, path: &str) -> Option<&'a str> {
    let (stem, _ext) = path.strip_prefix("originals/")?.rsplit_once('.')?;
    draft.pages.iter().filter_map(|p| p.scan.as_ref()?.original.as_deref()).find(|k| *k == stem && safe_key(&draft.id, k))
}

/// Original keys become file names: "{draft id}/in-" and hex digits and dashes only.
fn safe_key(draft_id: &str, key: &str) -> bool {
    key.strip_prefix(draft_id)
        .and_then(|k| k.strip_prefix("/in-"))
        .is_some_and(|rest| !rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
}

/// Draft ids become file names and key prefixes: only what we generate.
fn safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// A backup made, and how many originals it had to leave out (past
/// [`ORIGINALS_BUDGET`]): the clerk is told, since those pages cannot be
/// made again on the other PC.
#[derive(Debug)]
pub struct Backup {
    pub zip: Vec<u8>,
    pub originals_left_out: usize,
}

pub fn export(items: &[DraftWithPages], today: Date) -> Result<Backup, PackError> {
    export_within(items, today, ORIGINALS_BUDGET)
}

fn export_within(items: &[DraftWithPages], today: Date, mut budget: u64) -> Result<Backup, PackError> {
    let mut files = Vec::new();
    let mut originals_left_out = 0;
    for item in items {
        files.push(PackageFile { path: record_path(&item.draft.id), bytes: item.draft.to_json().into_bytes() });
        for (page, jpeg) in &item.pages {
            files.push(PackageFile { path: page_path(&item.draft.id, *page), bytes: jpeg.clone() });
        }
        // A key we would not have made is left out (its page just cannot
        // be made again there) rather than failing the whole backup.
        for (key, bytes) in item.originals.iter().filter(|(key, _)| safe_key(&item.draft.id, key)) {
            let Some(left) = budget.checked_sub(bytes.len() as u64) else {
                originals_left_out += 1;
                continue;
            };
            budget = left;
            files.push(PackageFile { path: original_path(key, bytes), bytes: bytes.clone() });
        }
    }
    let info = BagInfo {
        source_organization: crate::SOURCE_ORGANIZATION.into(),
        external_identifier: format!("sao-luu-{:04}{:02}{:02}", today.year, today.month, today.day),
        bagging_date: today,
    };
    Ok(Backup { zip: pack(&files, &info)?, originals_left_out })
}

pub fn import(zip: &[u8]) -> Result<Vec<DraftWithPages>, Vec<Msg>> {
    let files = unpack(zip)?;
    let bad = |why: String| vec![Msg::BackupInvalid(why)];
    let find = |path: &str| files.iter().find(|f| f.path == path);
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with("drafts/")) {
        let text = std::str::from_utf8(&f.bytes).map_err(|_| bad(f.path.clone()))?;
        let draft = decode(text).map_err(|m| vec![m])?;
        if !safe_id(&draft.id) || f.path != record_path(&draft.id) {
            return Err(bad(f.path.clone()));
        }
        let mut pages = Vec::new();
        for p in &draft.pages {
            let path = page_path(&draft.id, p.id);
            let jpeg = find(&path).ok_or_else(|| bad(format!("thiếu {path}")))?;
            if crate::sha256_hex(&jpeg.bytes) != p.sha256 {
                return Err(bad(format!("{path} không khớp mã băm")));
            }
            pages.push((p.id, jpeg.bytes.clone()));
        }
        // Backups of earlier versions carry none; a page whose original is
        // not there just cannot be made again.
        let mut originals = Vec::new();
        for f in files.iter().filter(|f| f.path.starts_with(&format!("originals/{}/", draft.id))) {
            let key = original_key(&draft, &f.path).ok_or_else(|| bad(format!("{} không thuộc trang nào của hồ sơ", f.path)))?;
            if f.path != original_path(key, &f.bytes) {
                return Err(bad(f.path.clone()));
            }
            originals.push((key.to_string(), f.bytes.clone()));
        }
        out.push(DraftWithPages { draft, pages, originals });
    }
    // Nothing in the bag that no record claims.
    if let Some(f) = files.iter().find(|f| f.path.starts_with("originals/") && !out.iter().any(|i| i.originals.iter().any(|(k, b)| original_path(k, b) == f.path))) {
        return Err(bad(format!("{} không thuộc hồ sơ nào", f.path)));
    }
    if out.is_empty() {
        return Err(bad("không có hồ sơ nào".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_core::draft::DraftPage;

    fn item(id: &str, jpeg: &[u8]) -> DraftWithPages {
        let mut draft = Draft::new(id.into(), "khai-sinh".into(), [("applicant.full_name".to_string(), "Lê Văn Tám".to_string())].into(), 5);
        draft.pages.push(DraftPage {
            id: 3,
            component: "giay-chung-sinh".into(),
            source_name: "a.jpg".into(),
            width_px: 1,
            height_px: 1,
            dpi: 200.0,
            bytes: jpeg.len() as u64,
            sha256: crate::sha256_hex(jpeg),
            ..DraftPage::default()
        });
        DraftWithPages { draft, pages: vec![(3, jpeg.to_vec())], originals: Vec::new() }
    }

    /// [`item`] whose page was made from a kept original.
    fn with_original(id: &str, jpeg: &[u8], original: &[u8]) -> DraftWithPages {
        let mut it = item(id, jpeg);
        let key = format!("{id}/in-0019b5a0c1d-00000-ab12");
        it.draft.pages[0].scan = Some(hoso_core::draft::PageScan { original: Some(key.clone()), ..Default::default() });
        it.originals.push((key, original.to_vec()));
        it
    }

    const DAY: Date = Date { year: 2026, month: 11, day: 22 };

    #[test]
    fn export_import_round_trip() {
        let items = vec![item("19b5-0a1b2c", b"\xFF\xD8jpeg one"), item("19b6-0d0e0f", b"\xFF\xD8jpeg two")];
        let zip = export(&items, DAY).unwrap().zip;
        let mut back = import(&zip).unwrap();
        back.sort_by(|a, b| a.draft.id.cmp(&b.draft.id));
        assert_eq!(back, items);
    }

    #[test]
    fn tampered_or_foreign_backups_are_refused_whole() {
        let zip = export(&[item("19b5-0a1b2c", b"\xFF\xD8jpeg one")], DAY).unwrap().zip;
        let mut bad = zip.clone();
        let at = bad.windows(8).position(|w| w == b"jpeg one").unwrap();
        bad[at] ^= 1;
        assert!(import(&bad).is_err(), "a changed byte fails verification");
        assert!(import(b"not a zip").is_err());

        // An intact bag whose record lists a page hash that does not match.
        let mut wrong = item("19b5-0a1b2c", b"\xFF\xD8jpeg one");
        wrong.draft.pages[0].sha256 = "0".repeat(64);
        let zip = export(&[wrong], DAY).unwrap().zip;
        assert!(matches!(import(&zip).unwrap_err()[0], Msg::BackupInvalid(_)));

        // A dossier package is not a backup.
        let other = pack(&[PackageFile { path: "01-to-khai.pdf".into(), bytes: b"%PDF".to_vec() }], &BagInfo {
            source_organization: "x".into(),
            external_identifier: "y".into(),
            bagging_date: DAY,
        })
        .unwrap();
        assert!(matches!(import(&other).unwrap_err()[0], Msg::BackupInvalid(_)));
    }

    #[test]
    fn originals_travel_with_their_pages_and_a_tiff_is_deflated() {
        let photo = [b"\xFF\xD8".as_slice(), &[7u8; 5000]].concat();
        let tiff = [b"II*\0".as_slice(), &[0u8; 50_000]].concat();
        let items = vec![with_original("19b5-0a1b2c", b"\xFF\xD8jpeg one", &photo), with_original("19b6-0d0e0f", b"\xFF\xD8jpeg two", &tiff)];
        let zip = export(&items, DAY).unwrap().zip;
        let mut back = import(&zip).unwrap();
        back.sort_by(|a, b| a.draft.id.cmp(&b.draft.id));
        assert_eq!(back, items);
        // The photo stored as it is, the blank TIFF deflated to next to nothing.
        assert!(zip.len() > photo.len() && zip.len() < photo.len() + 10_000, "{} bytes", zip.len());
        // A backup of an earlier version (no originals) still imports.
        let old = export(&[item("19b5-0a1b2c", b"\xFF\xD8jpeg one")], DAY).unwrap().zip;
        assert!(import(&old).unwrap()[0].originals.is_empty());
    }

    #[test]
    fn originals_past_the_budget_are_left_out_and_their_dossiers_still_go() {
        let items = vec![
            with_original("19b5-0a1b2c", b"\xFF\xD8jpeg one", &[0xFF, 0xD8, 1, 2, 3, 4, 5, 6]),
            with_original("19b6-0d0e0f", b"\xFF\xD8jpeg two", &[0xFF, 0xD8, 9, 9, 9, 9]),
        ];
        let made = export_within(&items, DAY, 10).unwrap();
        assert_eq!(made.originals_left_out, 1);
        let back = import(&made.zip).unwrap();
        let carried = |id: &str| back.iter().find(|i| i.draft.id == id).unwrap().originals.len();
        assert_eq!((back.len(), carried("19b5-0a1b2c"), carried("19b6-0d0e0f")), (2, 1, 0));
        let made = export_within(&items, DAY, 14).unwrap();
        assert_eq!(made.originals_left_out, 0);
        let back = import(&made.zip).unwrap();
        assert_eq!(back.iter().map(|i| i.originals.len()).sum::<usize>(), 2);
    }

    #[test]
    fn an_original_no_page_names_or_a_changed_one_is_refused_whole() {
        let good = with_original("19b5-0a1b2c", b"\xFF\xD8jpeg one", b"\xFF\xD8the photo itself");
        // One no page of its record names: written as another draft's would be.
        let mut stray = good.clone();
        stray.originals[0].0 = "19b5-0a1b2c/in-0019b5a0c1d-00000-ffff".into();
        assert!(matches!(import(&export(&[stray], DAY).unwrap().zip).unwrap_err()[0], Msg::BackupInvalid(_)));
        // Claimed by a page of one dossier but keyed under another's: left out.
        let mut foreign = good.clone();
        foreign.draft.pages[0].scan.as_mut().unwrap().original = Some("19b6-0d0e0f/in-0019b5a0c1d-00000-ab12".into());
        foreign.originals[0].0 = "19b6-0d0e0f/in-0019b5a0c1d-00000-ab12".into();
        assert!(import(&export(&[foreign], DAY).unwrap().zip).unwrap()[0].originals.is_empty());
        // A changed byte in an original fails the bag's manifest.
        let mut zip = export(&[good], DAY).unwrap().zip;
        let at = zip.windows(15).position(|w| w == b"the photo itsel").unwrap();
        zip[at] ^= 1;
        assert!(import(&zip).is_err());
        // Keys that could escape the bag are not exported; the dossier still is.
        let mut escape = with_original("19b5-0a1b2c", b"\xFF\xD8jpeg one", b"x");
        escape.originals[0].0 = "19b5-0a1b2c/../../x".into();
        let zip = export(&[escape], DAY).unwrap().zip;
        assert!(!zip.windows(10).any(|w| w == b"originals/"));
        assert_eq!(import(&zip).unwrap()[0].pages.len(), 1);
    }

    #[test]
    fn ids_that_could_escape_are_refused() {
        assert!(safe_id("19b5-0a1b2c"));
        assert!(!safe_id("../x"));
        assert!(!safe_id("a/b"));
        assert!(!safe_id(""));
        assert!(safe_key("19b5-0a1b2c", "19b5-0a1b2c/in-0019b5a0c1d-00000-ab12"));
        assert!(!safe_key("19b5-0a1b2c", "19b6-0d0e0f/in-0019b5a0c1d-00000-ab12"));
        assert!(!safe_key("19b5-0a1b2c", "19b5-0a1b2c/in-../x"));
        assert!(!safe_key("19b5-0a1b2c", "19b5-0a1b2c/in-"));
    }
}
