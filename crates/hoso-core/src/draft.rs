//! Bản nháp — a dossier being worked on, as the device stores it, so that
//! nothing a clerk typed or scanned is lost to a closed tab or a power cut.
//! Page images are stored beside it as blobs, keyed by [`Draft::page_key`].

use crate::catalog::Catalog;
use crate::form::FormData;
use crate::i18n::{ui, Msg};
use crate::text::fold;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the stored record; [`decode`] upgrades every earlier one.
/// 2: `missing_reasons` (an older app would drop them on saving).
pub const SCHEMA: u32 = 2;

/// Upgrades from schema `i + 1` to `i + 2`, applied in order on load.
const MIGRATIONS: &[fn(&mut serde_json::Value)] = &[
    // 1 → 2: no paper had a recorded reason for missing.
    |v| v["missing_reasons"] = serde_json::json!({}),
];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub schema: u32,
    pub id: String,
    pub procedure: String,
    pub answers: FormData,
    #[serde(default)]
    pub place: String,
    /// The declaration passed validation; its PDF is re-made from the
    /// answers on resume (it is deterministic), so it is not stored.
    #[serde(default)]
    pub form_done: bool,
    /// Ngày khai — the day the declaration was made, printed on it: a
    /// dossier reopened on a later day re-makes the same PDF, not one
    /// dated that day. Absent in drafts saved before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_date: Option<crate::date::Date>,
    #[serde(default)]
    pub pages: Vec<DraftPage>,
    /// Dossier code given when it was packaged.
    #[serde(default)]
    pub packed_code: Option<String>,
    /// Reception time (Unix ms) printed on the receipt; kept so that
    /// re-packing gives the same bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_ms: Option<i64>,
    #[serde(default)]
    pub submitted: bool,
    /// Lý do thiếu: why a required paper is not handed in, by component
    /// id; a dossier packages without a required paper only with one.
    #[serde(default)]
    pub missing_reasons: crate::dossier::MissingReasons,
    /// How each paper's next photos are processed, by component id, as
    /// the clerk chose them; papers left on the defaults are not listed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capture: BTreeMap<String, CaptureChoice>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

/// One stored page image: the blob's size and hash prove it came back intact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftPage {
    pub id: u32,
    pub component: String,
    pub source_name: String,
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: f32,
    /// Image bytes the page adds to its PDF.
    pub bytes: u64,
    /// SHA-256 of the stored blob.
    pub sha256: String,
    /// How the page was made from its photo (the scan pipeline's inputs),
    /// so it can be made again another way; absent on pages stored before
    /// profiles (plain JPEG, read as Color pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan: Option<PageScan>,
}

/// One paper's scan choices (Cách lưu, Khổ giấy) for its next photos.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaptureChoice {
    /// Profile: auto, text, color, mixed.
    pub profile: String,
    /// Paper size (a4, a5, a3, letter, id); none: detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<String>,
}

/// The scan pipeline's inputs and findings for one page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageScan {
    /// Profile asked for: auto, text, color, mixed.
    pub asked: String,
    /// Profile used (never auto).
    pub used: String,
    /// Paper size asked for (a4, a5, a3, letter, id); none: detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paper: Option<String>,
    /// Clockwise quarter turns, degrees.
    #[serde(default)]
    pub rotation: u16,
    /// Sheet corners in the original's pixels (found or placed by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corners: Option<[(f32, f32); 4]>,
    /// Whether the corners were placed by hand (kept on re-processing).
    #[serde(default)]
    pub manual_corners: bool,
    pub source_size: (u32, u32),
    /// Store key of the original photo, kept until the dossier is packaged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// Which page of the original, from 0: a multi-page TIFF or scanner
    /// PDF (its pages share one original); absent for a photo.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub page: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Trạng thái hồ sơ shown in the dossier list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Draft,
    MissingPapers,
    Packed,
    Submitted,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => ui::STATUS_DRAFT,
            Status::MissingPapers => ui::STATUS_MISSING,
            Status::Packed => ui::STATUS_PACKED,
            Status::Submitted => ui::STATUS_SUBMITTED,
        }
    }
}

impl Draft {
    pub fn new(id: String, procedure: String, answers: FormData, now_ms: i64) -> Draft {
        Draft {
            schema: SCHEMA,
            id,
            procedure,
            answers,
            place: String::new(),
            form_done: false,
            form_date: None,
            pages: Vec::new(),
            packed_code: None,
            received_ms: None,
            submitted: false,
            missing_reasons: Default::default(),
            capture: BTreeMap::new(),
            created_ms: now_ms,
            updated_ms: now_ms,
        }
    }

    pub fn status(&self, catalog: &Catalog) -> Status {
        if self.submitted {
            return Status::Submitted;
        }
        if self.packed_code.is_some() {
            return Status::Packed;
        }
        let missing = catalog
            .procedure(&self.procedure)
            .map(|p| !crate::dossier::missing_papers(p, |id| self.pages.iter().any(|pg| pg.component == id)).is_empty())
            .unwrap_or(false);
        if self.form_done && missing {
            Status::MissingPapers
        } else {
            Status::Draft
        }
    }

    /// The person the list shows: the applicant, else the first named person.
    pub fn person(&self) -> Option<&str> {
        self.answers
            .get("applicant.full_name")
            .or_else(|| self.answers.iter().find(|(k, _)| k.ends_with("full_name")).map(|(_, v)| v))
            .map(String::as_str)
    }

    /// Search by any name or ID number in the dossier, with or without
    /// diacritics; every word of the query must match.
    pub fn matches(&self, query: &str) -> bool {
        let haystack: String = self
            .answers
            .iter()
            .filter(|(k, _)| k.ends_with("full_name") || k.ends_with("id_number"))
            .map(|(_, v)| v.as_str())
            .chain(self.packed_code.as_deref())
            .collect::<Vec<_>>()
            .join(" ");
        let haystack = fold(&haystack);
        fold(query).split_whitespace().all(|word| haystack.contains(word))
    }

    /// Key of a page blob; sorts a dossier's pages together and in order.
    pub fn page_key(&self, page_id: u32) -> String {
        format!("{}/{page_id:06}", self.id)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serializes")
    }
}

/// Reads a stored record, upgrading older schemas; refuses newer ones (a
/// downgraded app must not overwrite what it does not understand).
pub fn decode(json: &str) -> Result<Draft, Msg> {
    let mut value: serde_json::Value = serde_json::from_str(json).map_err(|e| Msg::StoredRecordCorrupt(e.to_string()))?;
    let schema = value.get("schema").and_then(serde_json::Value::as_u64).unwrap_or(0) as u32;
    if schema == 0 {
        return Err(Msg::StoredRecordCorrupt("schema".into()));
    }
    if schema > SCHEMA {
        return Err(Msg::StoredRecordNewer(schema));
    }
    for migrate in &MIGRATIONS[(schema - 1) as usize..] {
        migrate(&mut value);
    }
    value["schema"] = SCHEMA.into();
    serde_json::from_value(value).map_err(|e| Msg::StoredRecordCorrupt(e.to_string()))
}

/// Packaged or submitted dossiers untouched for `days`: what auto-delete
/// removes on a shared counter PC. Drafts are never auto-deleted.
pub fn expired(drafts: &[Draft], now_ms: i64, days: u32) -> Vec<&str> {
    let limit = i64::from(days) * 86_400_000;
    drafts
        .iter()
        .filter(|d| (d.packed_code.is_some() || d.submitted) && now_ms - d.updated_ms >= limit)
        .map(|d| d.id.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        let answers: FormData = [
            ("applicant.full_name", "Nguyễn Văn Đức"),
            ("applicant.id_number", "001090012345"),
            ("child.full_name", "Nguyễn Thị Ánh"),
            ("child.birth_place", "Hà Nội"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Draft::new("abc".into(), "khai-sinh".into(), answers, 1_000)
    }

    #[test]
    fn search_ignores_diacritics_and_case() {
        let d = draft();
        assert!(d.matches("nguyen van duc"));
        assert!(d.matches("ÁNH"));
        assert!(d.matches("0010900"));
        assert!(d.matches(""));
        assert!(!d.matches("ha noi"), "only names and ID numbers are searched");
        assert!(!d.matches("duc tran"));
    }

    #[test]
    fn status_follows_the_work() {
        let catalog = Catalog::embedded();
        let mut d = draft();
        assert_eq!(d.status(catalog), Status::Draft);
        d.form_done = true;
        assert_eq!(d.status(catalog), Status::MissingPapers);
        d.pages.push(DraftPage {
            id: 1,
            component: "giay-chung-sinh".into(),
            source_name: "a.jpg".into(),
            width_px: 10,
            height_px: 10,
            dpi: 200.0,
            bytes: 3,
            sha256: "00".into(),
            ..DraftPage::default()
        });
        assert_eq!(d.status(catalog), Status::Draft);
        d.packed_code = Some("HOSO-261122-0001".into());
        assert_eq!(d.status(catalog), Status::Packed);
        d.submitted = true;
        assert_eq!(d.status(catalog).label(), "Đã nộp");
    }

    #[test]
    fn page_scan_facts_round_trip_and_older_pages_have_none() {
        let mut d = draft();
        let page = DraftPage { id: 1, component: "giay-chung-sinh".into(), sha256: "ab".into(), ..DraftPage::default() };
        d.pages.push(page.clone());
        d.pages.push(DraftPage {
            id: 2,
            scan: Some(PageScan {
                asked: "auto".into(),
                used: "mixed".into(),
                paper: Some("a4".into()),
                rotation: 90,
                corners: Some([(1.5, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.25)]),
                manual_corners: true,
                source_size: (4000, 3000),
                original: Some("d1/in-x".into()),
                page: 0,
            }),
            ..page
        });
        let json = d.to_json();
        assert_eq!(decode(&json), Ok(d.clone()));
        // A page stored before profiles has no "scan" key, and reads back without one.
        let first = &serde_json::from_str::<serde_json::Value>(&json).unwrap()["pages"][0];
        assert!(first.get("scan").is_none(), "{first}");
        assert_eq!(decode(&json).unwrap().pages[0].scan, None);
    }

    #[test]
    fn records_round_trip_and_bad_ones_are_named() {
        let d = draft();
        assert_eq!(decode(&d.to_json()), Ok(d.clone()));
        assert!(matches!(decode("{\"schema\":1,"), Err(Msg::StoredRecordCorrupt(_))));
        assert!(matches!(decode("{\"id\":\"x\"}"), Err(Msg::StoredRecordCorrupt(_))));
        let newer = d.to_json().replace("\"schema\":2", "\"schema\":3");
        assert_eq!(decode(&newer), Err(Msg::StoredRecordNewer(3)));
        let mut with_reason = d.clone();
        with_reason.missing_reasons.insert("giay-chung-sinh".into(), "Sinh tại nhà".into());
        assert_eq!(decode(&with_reason.to_json()), Ok(with_reason));
        let mut dated = d.clone();
        dated.form_date = crate::date::Date::new(2026, 11, 20);
        assert!(dated.to_json().contains("\"form_date\":{\"year\":2026,\"month\":11,\"day\":20}"));
        assert_eq!(decode(&dated.to_json()), Ok(dated));
    }

    #[test]
    fn schema_1_records_still_open() {
        // As the first shipped app stored it (no missing_reasons).
        let v1 = r#"{"schema":1,"id":"abc","procedure":"khai-sinh","answers":{"child.full_name":"Nguyễn Thị Ánh"},
            "place":"","form_done":true,"pages":[],"packed_code":"HOSO-261122-0001","submitted":false,
            "created_ms":1000,"updated_ms":2000}"#;
        let d = decode(v1).unwrap();
        assert_eq!(d.schema, SCHEMA);
        assert!(d.missing_reasons.is_empty());
        assert_eq!(d.packed_code.as_deref(), Some("HOSO-261122-0001"));
        assert_eq!(d.answers["child.full_name"], "Nguyễn Thị Ánh");
        assert_eq!(d.form_date, None, "the day was not kept then: the app uses the last change's");
        assert_eq!(decode(&d.to_json()), Ok(d));
    }

    #[test]
    fn scan_choices_round_trip_and_older_records_have_none() {
        let mut d = draft();
        d.capture.insert("giay-chung-sinh".into(), CaptureChoice { profile: "text".into(), paper: Some("a5".into()) });
        d.capture.insert("cccd".into(), CaptureChoice { profile: "color".into(), paper: None });
        let json = d.to_json();
        let back = decode(&json).unwrap();
        assert_eq!(back.capture["giay-chung-sinh"], CaptureChoice { profile: "text".into(), paper: Some("a5".into()) });
        assert_eq!(back.capture["cccd"].paper, None);
        assert_eq!(back, d);
        // A record from before the choices were kept (no "capture" key) opens
        // with none, and a draft without choices is stored without the key.
        let plain = draft().to_json();
        assert!(!plain.contains("capture"), "{plain}");
        let v2 = r#"{"schema":2,"id":"abc","procedure":"khai-sinh","answers":{},"missing_reasons":{},
            "created_ms":1000,"updated_ms":2000}"#;
        assert!(decode(v2).unwrap().capture.is_empty());
    }

    #[test]
    fn only_finished_old_dossiers_expire() {
        let day = 86_400_000;
        let mut old_packed = draft();
        old_packed.id = "old".into();
        old_packed.packed_code = Some("X".into());
        let mut new_packed = old_packed.clone();
        new_packed.id = "new".into();
        new_packed.updated_ms = 6 * day;
        let mut old_draft = draft();
        old_draft.id = "draft".into();
        let all = [old_packed, new_packed, old_draft];
        assert_eq!(expired(&all, 7 * day + 1_000, 7), ["old"]);
        assert_eq!(expired(&all, 13 * day, 7), ["old", "new"]);
    }

    #[test]
    fn page_keys_sort_by_page() {
        let d = draft();
        assert!(d.page_key(2) < d.page_key(10));
        assert!(d.page_key(1).starts_with("abc/"));
    }

    /// Pages of one multi-page original record their page; a photo's
    /// record (and one written before multi-page files) has no "page" key.
    #[test]
    fn page_of_a_multipage_original_round_trips_and_defaults_to_the_first() {
        let mut d = draft();
        let scan = PageScan { asked: "text".into(), used: "text".into(), source_size: (2480, 3508), original: Some("d1/in-t".into()), ..PageScan::default() };
        for (id, page) in [(1, 0), (2, 2)] {
            d.pages.push(DraftPage { id, sha256: "ab".into(), scan: Some(PageScan { page, ..scan.clone() }), ..DraftPage::default() });
        }
        let json = d.to_json();
        let value = serde_json::from_str::<serde_json::Value>(&json).unwrap();
        assert!(value["pages"][0]["scan"].get("page").is_none(), "{json}");
        assert_eq!(value["pages"][1]["scan"]["page"], 2);
        let back = decode(&json).unwrap();
        assert_eq!(back.pages.iter().map(|p| p.scan.as_ref().unwrap().page).collect::<Vec<_>>(), [0, 2]);
        assert_eq!(back, d);
    }
}
