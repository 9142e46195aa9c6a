//! Hồ sơ — one dossier as it leaves the counter: which files it holds, how
//! they are named and the `dossier.json` record that describes them.
//! The browser and the CLI both build packages through this module.

use crate::catalog::{Component, ComponentKind, Procedure};
use crate::date::Date;
use crate::form::FormData;
use crate::i18n::Msg;
use crate::text;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Version of the `dossier.json` layout; bump on any incompatible change.
pub const RECORD_VERSION: u32 = 1;

/// Unit id used in dossier codes until the counter sets its own
/// (the provincial system's id of the receiving office).
pub const DEFAULT_UNIT: &str = "HOSO";

/// Pattern of dossier codes as provincial systems print them:
/// `{unit}-{yyMMdd}-{4-digit daily sequence}`.
pub const DEFAULT_CODE_FORMAT: &str = "{unit}-{yyMMdd}-{seq}";

/// Mã hồ sơ in the default pattern ([`DEFAULT_CODE_FORMAT`]).
pub fn dossier_code(unit: &str, date: Date, seq: u32) -> String {
    format_code(DEFAULT_CODE_FORMAT, unit, date, seq).expect("the default pattern is valid")
}

/// Mã hồ sơ from a counter's own pattern: `{unit}`, `{yyyy}`, `{yy}`,
/// `{MM}`, `{dd}`, `{yyMMdd}` and `{seq}` (the daily sequence, 4 digits),
/// which must be there so that codes of a day differ. Anything else is
/// copied, except what cannot be in a file name (`/ \ : * ? " < > |`,
/// control characters). `Err` names the part that is wrong.
pub fn format_code(pattern: &str, unit: &str, date: Date, seq: u32) -> Result<String, Msg> {
    let bad = |part: &str| Err(Msg::DossierCodeFormat(part.to_string()));
    let unportable = |c: char| c.is_control() || "/\\:*?\"<>|".contains(c);
    let mut out = String::new();
    let mut rest = pattern;
    let mut has_seq = false;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        if rest[open..].starts_with('}') {
            return bad("}");
        }
        let Some(close) = rest[open..].find('}') else { return bad(&rest[open..]) };
        let name = &rest[open + 1..open + close];
        let (y, m, d) = (date.year, date.month, date.day);
        match name {
            "unit" => out.push_str(unit.trim()),
            "yyyy" => out.push_str(&format!("{y:04}")),
            "yy" => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            "MM" => out.push_str(&format!("{m:02}")),
            "dd" => out.push_str(&format!("{d:02}")),
            "yyMMdd" => out.push_str(&format!("{:02}{m:02}{d:02}", y.rem_euclid(100))),
            "seq" => {
                has_seq = true;
                out.push_str(&format!("{seq:04}"));
            }
            _ => return bad(&rest[open..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if !has_seq {
        return bad(pattern);
    }
    if let Some(c) = out.chars().find(|&c| unportable(c)) {
        return bad(&c.to_string());
    }
    Ok(out)
}

/// Package file name of a component: its catalog position and ASCII id,
/// e.g. `02-giay-chung-sinh.pdf`, so files sort in the catalog's order.
pub fn file_name(procedure: &Procedure, component_id: &str) -> Option<String> {
    let index = procedure.components.iter().position(|c| c.id == component_id)?;
    Some(format!("{:02}-{}.pdf", index + 1, component_id))
}

/// Package file name of the receipt (giấy tiếp nhận hồ sơ và hẹn trả kết
/// quả): position 00 so it sorts before the components, which start at 01.
pub const RECEIPT_FILE: &str = "00-giay-tiep-nhan.pdf";

/// Required papers for which `has_pages` says nothing was captured.
pub fn missing_papers(procedure: &Procedure, has_pages: impl Fn(&str) -> bool) -> Vec<&Component> {
    procedure.papers().filter(|c| c.required && !has_pages(&c.id)).collect()
}

/// Why each required paper is missing, by component id, as the clerk typed
/// it (lý do thiếu giấy tờ).
pub type MissingReasons = BTreeMap<String, String>;

/// A required paper packaged without, and why (recorded in `dossier.json`
/// and printed on the phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissingRecord {
    pub id: String,
    pub name: String,
    pub reason: String,
}

/// The required papers without pages, each with its recorded reason
/// (trimmed, NFC, one line), in catalog order. `Err` names the missing
/// papers that have no reason yet: such a dossier may not be packaged.
pub fn missing_with_reasons<'a>(
    procedure: &'a Procedure,
    has_pages: impl Fn(&str) -> bool,
    reasons: &MissingReasons,
) -> Result<Vec<MissingRecord>, Vec<&'a Component>> {
    let missing = missing_papers(procedure, has_pages);
    let reason = |c: &Component| reasons.get(&c.id).map(|r| text::clean(r)).filter(|r| !r.is_empty());
    let unexplained: Vec<&Component> = missing.iter().copied().filter(|c| reason(c).is_none()).collect();
    if !unexplained.is_empty() {
        return Err(unexplained);
    }
    Ok(missing
        .into_iter()
        .map(|c| MissingRecord { id: c.id.clone(), name: c.name.clone(), reason: reason(c).unwrap_or_default() })
        .collect())
}

/// The `dossier.json` record put beside the PDFs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DossierRecord {
    pub version: u32,
    pub dossier_code: String,
    pub procedure: ProcedureRef,
    pub received: String,
    /// Người nộp hồ sơ as the receipt names them (kết hôn: bên nữ, the
    /// first signer), so a reader needs no form's keys; absent when no name
    /// was given (a compatible addition to version 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applicant: Option<ApplicantRecord>,
    pub answers: FormData,
    pub components: Vec<ComponentRecord>,
    /// Absent in packages made without a receipt, which keeps their bytes
    /// unchanged (a compatible addition to version 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub receipt: Option<ReceiptRecord>,
    /// Required papers not handed in, with the clerk's reason; absent when
    /// none is missing (a compatible addition to version 1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingRecord>,
}

/// The applicant, from the answers declared once for the form.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplicantRecord {
    pub full_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub residence: Option<String>,
}

impl ApplicantRecord {
    /// `applicant.*`, or the group the form's first signer belongs to.
    pub fn from_answers(procedure: &Procedure, answers: &FormData) -> Option<ApplicantRecord> {
        let answers = crate::Catalog::embedded().form(&procedure.form).map_or_else(|| answers.clone(), |f| f.with_applicant(answers));
        let get = |k: &str| answers.get(k).map(|v| text::clean(v)).filter(|v| !v.is_empty());
        Some(ApplicantRecord {
            full_name: get("applicant.full_name")?,
            id_number: get("applicant.id_number"),
            residence: get("applicant.residence"),
        })
    }
}

/// The receipt handed to the citizen, as recorded in `dossier.json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReceiptRecord {
    pub file: String,
    pub dossier_code: String,
    /// Time of reception, ISO 8601 with the Vietnam offset.
    pub received_at: String,
    /// Appointment (ngày hẹn trả kết quả), ISO 8601 with the Vietnam offset.
    pub due: String,
    pub bytes: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProcedureRef {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentRecord {
    pub id: String,
    pub name: String,
    pub kind: ComponentKind,
    pub file: String,
    pub pages: u32,
    pub bytes: u64,
    /// SHA-256 of the file, lowercase hex (the same as its manifest line).
    pub sha256: String,
    /// How it was digitized; absent when the packer did not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Who digitized it (người số hóa).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digitizer: Option<String>,
    /// When, ISO 8601 with the Vietnam offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digitized_at: Option<String>,
}

/// Nguồn số hóa of a component file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Pages photographed (camera or phone pictures).
    Photo,
    /// Pages from a scanner, or a scan PDF.
    Scan,
    /// Made from the typed declaration (tờ khai điện tử).
    EForm,
}

/// Who digitized the papers, when and how, as recorded per component.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    /// The clerk; empty when unknown.
    pub digitizer: String,
    /// ISO 8601 with the Vietnam offset.
    pub digitized_at: String,
    /// How the papers (not the declaration, always an e-form) were captured.
    pub paper_origin: Origin,
}

/// One produced PDF of a component.
pub struct ComponentFile<'a> {
    pub component_id: &'a str,
    pub pages: u32,
    pub pdf: &'a [u8],
}

impl DossierRecord {
    /// Files are listed in catalog order whatever order they come in;
    /// unknown component ids are dropped.
    pub fn new(procedure: &Procedure, code: String, received: Date, answers: FormData, files: &[ComponentFile]) -> DossierRecord {
        let components = procedure
            .components
            .iter()
            .filter_map(|c| {
                let f = files.iter().find(|f| f.component_id == c.id)?;
                Some(ComponentRecord {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    kind: c.kind,
                    file: file_name(procedure, &c.id)?,
                    pages: f.pages,
                    bytes: f.pdf.len() as u64,
                    sha256: Sha256::digest(f.pdf).iter().map(|b| format!("{b:02x}")).collect(),
                    origin: None,
                    digitizer: None,
                    digitized_at: None,
                })
            })
            .collect();
        DossierRecord {
            version: RECORD_VERSION,
            dossier_code: code,
            procedure: ProcedureRef { id: procedure.id.clone(), code: procedure.code.clone(), name: procedure.name.clone() },
            received: format!("{:04}-{:02}-{:02}", received.year, received.month, received.day),
            applicant: ApplicantRecord::from_answers(procedure, &answers),
            answers,
            components,
            receipt: None,
            missing: Vec::new(),
        }
    }

    /// The same record, naming the receipt stored as [`RECEIPT_FILE`].
    pub fn with_receipt(mut self, received_at: &str, due: &str, pdf: &[u8]) -> DossierRecord {
        self.receipt = Some(ReceiptRecord {
            file: RECEIPT_FILE.to_string(),
            dossier_code: self.dossier_code.clone(),
            received_at: received_at.to_string(),
            due: due.to_string(),
            bytes: pdf.len() as u64,
        });
        self
    }

    /// The same record with each component's origin, digitizer and time.
    pub fn with_provenance(mut self, p: &Provenance) -> DossierRecord {
        for c in &mut self.components {
            c.origin = Some(if c.kind == ComponentKind::Form { Origin::EForm } else { p.paper_origin });
            c.digitizer = Some(text::clean(&p.digitizer)).filter(|d| !d.is_empty());
            c.digitized_at = Some(p.digitized_at.clone()).filter(|t| !t.is_empty());
        }
        self
    }

    /// The same record, naming the required papers packaged without.
    pub fn with_missing(mut self, missing: Vec<MissingRecord>) -> DossierRecord {
        self.missing = missing;
        self
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data serializes") + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;

    #[test]
    fn the_record_names_the_applicant_declared_in_the_form() {
        let c = Catalog::embedded();
        let answers = |pairs: &[(&str, &str)]| -> FormData { pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() };
        let day = Date::new(2026, 11, 22).unwrap();
        let kh = c.procedure("ket-hon").unwrap();
        let data = answers(&[("bride.full_name", "Phạm Thị Hương"), ("bride.id_number", "051198004321"), ("groom.full_name", "Vũ Văn Nam")]);
        let json = DossierRecord::new(kh, "HOSO-261122-0001".into(), day, data, &[]).to_json();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["applicant"], serde_json::json!({"full_name": "Phạm Thị Hương", "id_number": "051198004321"}));
        let ks = c.procedure("khai-sinh").unwrap();
        let data = answers(&[("applicant.full_name", " Nguyễn  Văn Bình"), ("applicant.residence", "Thôn Đông"), ("child.full_name", "Nguyễn Thị Ánh")]);
        let record = DossierRecord::new(ks, "HOSO-261122-0002".into(), day, data, &[]);
        assert_eq!(
            record.applicant,
            Some(ApplicantRecord { full_name: "Nguyễn Văn Bình".into(), id_number: None, residence: Some("Thôn Đông".into()) })
        );
        let record = DossierRecord::new(ks, "HOSO-261122-0003".into(), day, answers(&[("child.full_name", "Nguyễn Thị Ánh")]), &[]);
        assert!(!record.to_json().contains("\"applicant\""), "no name, no applicant");
    }

    #[test]
    fn code_follows_provincial_pattern() {
        assert_eq!(dossier_code("000.00.01.H01", Date::new(2026, 11, 5).unwrap(), 7), "000.00.01.H01-261105-0007");
    }

    #[test]
    fn code_patterns_are_configurable() {
        let day = Date::new(2026, 1, 5).unwrap();
        assert_eq!(format_code(DEFAULT_CODE_FORMAT, "HOSO", day, 12), Ok("HOSO-260105-0012".into()));
        assert_eq!(format_code("{yyyy}/{MM}", "X", day, 1), Err(Msg::DossierCodeFormat("{yyyy}/{MM}".into())), "no {{seq}}");
        assert_eq!(format_code("{unit}.{yyyy}{MM}{dd}.{seq}", "000.00.01.H01", day, 3), Ok("000.00.01.H01.20260105.0003".into()));
        assert_eq!(format_code("HS{yy}-{seq}", "", day, 9999), Ok("HS26-9999".into()));
        assert_eq!(format_code("{unit}-{ngay}-{seq}", "A", day, 1), Err(Msg::DossierCodeFormat("{ngay}".into())));
        assert_eq!(format_code("{unit-{seq}", "A", day, 1), Err(Msg::DossierCodeFormat("{unit-{seq}".into())));
        assert_eq!(format_code("{seq}}", "A", day, 1), Err(Msg::DossierCodeFormat("}".into())));
        assert_eq!(format_code("{unit}/{seq}", "A", day, 1), Err(Msg::DossierCodeFormat("/".into())));
        assert!(Msg::DossierCodeFormat("{ngay}".into()).vi().contains("{ngay}"));
    }

    #[test]
    fn files_are_named_in_catalog_order() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        assert_eq!(file_name(p, "to-khai").as_deref(), Some("01-to-khai.pdf"));
        assert_eq!(file_name(p, "giay-chung-sinh").as_deref(), Some("02-giay-chung-sinh.pdf"));
        assert_eq!(file_name(p, "khong-co"), None);
    }

    #[test]
    fn missing_required_papers_are_listed() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let missing: Vec<&str> = missing_papers(p, |_| false).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(missing, ["giay-chung-sinh"]);
        assert!(missing_papers(p, |id| id == "giay-chung-sinh").is_empty());
    }

    #[test]
    fn missing_papers_need_a_reason() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let mut reasons = MissingReasons::new();
        let err = missing_with_reasons(p, |_| false, &reasons).unwrap_err();
        assert_eq!(err.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["giay-chung-sinh"]);
        reasons.insert("giay-chung-sinh".into(), "   ".into());
        assert!(missing_with_reasons(p, |_| false, &reasons).is_err(), "blank is no reason");
        reasons.insert("giay-chung-sinh".into(), "  Sinh tại nhà,\nchưa có giấy chứng sinh ".into());
        let ok = missing_with_reasons(p, |_| false, &reasons).unwrap();
        assert_eq!(ok, [MissingRecord {
            id: "giay-chung-sinh".into(),
            name: "Giấy chứng sinh".into(),
            reason: "Sinh tại nhà, chưa có giấy chứng sinh".into(),
        }]);
        // A reason for a paper that is present is not recorded.
        assert_eq!(missing_with_reasons(p, |_| true, &reasons), Ok(vec![]));
    }

    #[test]
    fn record_lists_components_in_catalog_order() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let files = [
            ComponentFile { component_id: "giay-chung-sinh", pages: 2, pdf: b"%PDF-b" },
            ComponentFile { component_id: "to-khai", pages: 1, pdf: b"%PDF-a-1" },
        ];
        let r = DossierRecord::new(p, "X-261122-0001".into(), Date::new(2026, 11, 22).unwrap(), FormData::new(), &files);
        let names: Vec<&str> = r.components.iter().map(|c| c.file.as_str()).collect();
        assert_eq!(names, ["01-to-khai.pdf", "02-giay-chung-sinh.pdf"]);
        assert_eq!(r.components[0].bytes, 8);
        // printf '%PDF-a-1' | sha256sum
        assert_eq!(r.components[0].sha256, "1cda69890c7e085dd5a05015c6b0c29bd592cef946a94614d027b7636c216560");
        let p = Provenance { digitizer: " Trần  Thị Mai ".into(), digitized_at: "2026-11-22T09:00:00+07:00".into(), paper_origin: Origin::Photo };
        let with = r.clone().with_provenance(&p);
        let json: serde_json::Value = serde_json::from_str(&with.to_json()).unwrap();
        assert_eq!(json["components"][0]["origin"], "e-form");
        assert_eq!(json["components"][1]["origin"], "photo");
        assert_eq!(json["components"][1]["digitizer"], "Trần Thị Mai");
        assert_eq!(json["components"][1]["digitized_at"], "2026-11-22T09:00:00+07:00");
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert!(json["components"][0].get("origin").is_none(), "not said, not written");
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["procedure"]["name"], "Đăng ký khai sinh");
        assert_eq!(json["components"][1]["kind"], "paper");
        assert_eq!(json["received"], "2026-11-22");
        assert!(json.get("receipt").is_none(), "no receipt, no key: older packages keep their bytes");
        let r = r.with_receipt("2026-11-22T09:00:00+07:00", "2026-11-22T17:00:00+07:00", b"%PDF-r");
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["receipt"]["file"], "00-giay-tiep-nhan.pdf");
        assert_eq!(json["receipt"]["dossier_code"], "X-261122-0001");
        assert_eq!(json["receipt"]["due"], "2026-11-22T17:00:00+07:00");
        assert!(json.get("missing").is_none(), "nothing missing, no key");
        let r = r.with_missing(vec![MissingRecord { id: "x".into(), name: "X".into(), reason: "Chưa có".into() }]);
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["missing"][0]["reason"], "Chưa có");
    }
}
