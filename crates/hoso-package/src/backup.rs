//! Sao lưu — moving dossiers between counter PCs, or keeping a copy: a bag
//! of stored drafts and their page images. Import trusts nothing: the bag
//! must be intact, every record must decode and every page must match the
//! hash its record lists before anything is written.

use crate::{pack, unpack, BagInfo, PackError, PackageFile};
use hoso_core::date::Date;
use hoso_core::draft::{decode, Draft};
use hoso_core::i18n::Msg;

/// A stored draft with its page images, keyed by page id.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftWithPages {
    pub draft: Draft,
    pub pages: Vec<(u32, Vec<u8>)>,
}

fn record_path(id: &str) -> String {
    format!("drafts/{id}.json")
}

fn page_path(id: &str, page: u32) -> String {
    format!("pages/{id}/{page:06}.jpg")
}

/// Draft ids become file names and key prefixes: only what we generate.
fn safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

pub fn export(items: &[DraftWithPages], today: Date) -> Result<Vec<u8>, PackError> {
    let mut files = Vec::new();
    for item in items {
        files.push(PackageFile { path: record_path(&item.draft.id), bytes: item.draft.to_json().into_bytes() });
        for (page, jpeg) in &item.pages {
            files.push(PackageFile { path: page_path(&item.draft.id, *page), bytes: jpeg.clone() });
        }
    }
    let info = BagInfo {
        source_organization: crate::SOURCE_ORGANIZATION.into(),
        external_identifier: format!("sao-luu-{:04}{:02}{:02}", today.year, today.month, today.day),
        bagging_date: today,
    };
    pack(&files, &info)
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
        out.push(DraftWithPages { draft, pages });
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
        DraftWithPages { draft, pages: vec![(3, jpeg.to_vec())] }
    }

    const DAY: Date = Date { year: 2026, month: 11, day: 22 };

    #[test]
    fn export_import_round_trip() {
        let items = vec![item("19b5-0a1b2c", b"\xFF\xD8jpeg one"), item("19b6-0d0e0f", b"\xFF\xD8jpeg two")];
        let zip = export(&items, DAY).unwrap();
        let mut back = import(&zip).unwrap();
        back.sort_by(|a, b| a.draft.id.cmp(&b.draft.id));
        assert_eq!(back, items);
    }

    #[test]
    fn tampered_or_foreign_backups_are_refused_whole() {
        let zip = export(&[item("19b5-0a1b2c", b"\xFF\xD8jpeg one")], DAY).unwrap();
        let mut bad = zip.clone();
        let at = bad.windows(8).position(|w| w == b"jpeg one").unwrap();
        bad[at] ^= 1;
        assert!(import(&bad).is_err(), "a changed byte fails verification");
        assert!(import(b"not a zip").is_err());

        // An intact bag whose record lists a page hash that does not match.
        let mut wrong = item("19b5-0a1b2c", b"\xFF\xD8jpeg one");
        wrong.draft.pages[0].sha256 = "0".repeat(64);
        let zip = export(&[wrong], DAY).unwrap();
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
    fn ids_that_could_escape_are_refused() {
        assert!(safe_id("19b5-0a1b2c"));
        assert!(!safe_id("../x"));
        assert!(!safe_id("a/b"));
        assert!(!safe_id(""));
    }
}
