//! A dossier as a package: the component PDFs under their catalog names,
//! `dossier.json`, and the bag around them. The web app and `hoso pack`
//! both call [`pack_dossier`], so their packages are byte-identical for
//! the same input.

use crate::{pack, BagInfo, PackError, PackageFile};
use hoso_core::date::Date;
use hoso_core::dossier::{file_name, missing_with_reasons, ComponentFile, DossierRecord, MissingReasons, Provenance, RECEIPT_FILE};
use hoso_core::form::FormData;
use hoso_core::Procedure;

/// Bag-info Source-Organization until counters configure their own.
pub const SOURCE_ORGANIZATION: &str = "Bộ phận Một cửa (hoso)";

pub struct DossierPackage {
    pub zip: Vec<u8>,
    /// Payload files as named in the package, with their sizes.
    pub files: Vec<(String, u64)>,
}

/// Giấy tiếp nhận hồ sơ và hẹn trả kết quả: the rendered receipt and the
/// times it states (ISO 8601, Vietnam offset), recorded in `dossier.json`.
pub struct ReceiptFile<'a> {
    pub pdf: &'a [u8],
    pub received_at: &'a str,
    pub due: &'a str,
}

pub fn pack_dossier(
    procedure: &Procedure,
    code: &str,
    received: Date,
    answers: &FormData,
    components: &[ComponentFile],
) -> Result<DossierPackage, PackError> {
    pack_dossier_with_receipt(procedure, code, received, answers, components, None)
}

/// [`pack_dossier`] plus the receipt as `data/00-giay-tiep-nhan.pdf`, first in the bag.
pub fn pack_dossier_with_receipt(
    procedure: &Procedure,
    code: &str,
    received: Date,
    answers: &FormData,
    components: &[ComponentFile],
    receipt: Option<&ReceiptFile>,
) -> Result<DossierPackage, PackError> {
    pack_dossier_with_missing(procedure, code, received, answers, components, receipt, &MissingReasons::new(), None)
}

/// [`pack_dossier_with_receipt`] for a dossier that may lack required
/// papers: each one needs its reason in `reasons`, recorded in
/// `dossier.json` under `missing`; a missing paper without one refuses the
/// package ([`PackError::MissingPapers`]). `provenance`, when given, is
/// recorded per component (origin, digitizer, time).
#[allow(clippy::too_many_arguments)]
pub fn pack_dossier_with_missing(
    procedure: &Procedure,
    code: &str,
    received: Date,
    answers: &FormData,
    components: &[ComponentFile],
    receipt: Option<&ReceiptFile>,
    reasons: &MissingReasons,
    provenance: Option<&Provenance>,
) -> Result<DossierPackage, PackError> {
    let has = |id: &str| components.iter().any(|f| f.component_id == id);
    let missing = missing_with_reasons(procedure, has, reasons)
        .map_err(|unexplained| PackError::MissingPapers(unexplained.iter().map(|c| c.name.clone()).collect()))?;
    let mut record =
        DossierRecord::new(procedure, code.to_string(), received, answers.clone(), components).with_missing(missing);
    if let Some(p) = provenance {
        record = record.with_provenance(p);
    }
    let mut files: Vec<PackageFile> = Vec::new();
    if let Some(r) = receipt {
        record = record.with_receipt(r.received_at, r.due, r.pdf);
        files.push(PackageFile { path: RECEIPT_FILE.into(), bytes: r.pdf.to_vec() });
    }
    files.extend(record
        .components
        .iter()
        .filter_map(|c| {
            let f = components.iter().find(|f| f.component_id == c.id)?;
            Some(PackageFile { path: file_name(procedure, &c.id)?, bytes: f.pdf.to_vec() })
        }));
    files.push(PackageFile { path: "dossier.json".into(), bytes: record.to_json().into_bytes() });
    let info = BagInfo {
        source_organization: SOURCE_ORGANIZATION.into(),
        external_identifier: code.to_string(),
        bagging_date: received,
    };
    let zip = pack(&files, &info)?;
    Ok(DossierPackage { zip, files: files.iter().map(|f| (f.path.clone(), f.bytes.len() as u64)).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_core::Catalog;

    #[test]
    fn dossier_package_is_intact_and_named_by_catalog() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let day = Date::new(2026, 11, 22).unwrap();
        let answers: FormData = [("child.full_name".to_string(), "Nguyễn Thị Ánh".to_string())].into();
        let comps = [
            ComponentFile { component_id: "giay-chung-sinh", pages: 1, pdf: b"%PDF-1.7 paper" },
            ComponentFile { component_id: "to-khai", pages: 1, pdf: b"%PDF-1.7 form" },
        ];
        let pkg = pack_dossier(p, "HOSO-261122-0001", day, &answers, &comps).unwrap();
        let names: Vec<&str> = pkg.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["01-to-khai.pdf", "02-giay-chung-sinh.pdf", "dossier.json"]);
        let report = crate::verify_bytes(&pkg.zip);
        assert!(report.is_intact(), "{:?}", report.messages());
        assert_eq!(report.external_identifier.as_deref(), Some("HOSO-261122-0001"));
        let again = pack_dossier(p, "HOSO-261122-0001", day, &answers, &comps).unwrap();
        assert_eq!(pkg.zip, again.zip);
    }

    #[test]
    fn receipt_comes_first_and_is_recorded() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let day = Date::new(2026, 11, 23).unwrap();
        let comps = [
            ComponentFile { component_id: "to-khai", pages: 1, pdf: b"%PDF-1.7 form" },
            ComponentFile { component_id: "giay-chung-sinh", pages: 1, pdf: b"%PDF-1.7 paper" },
        ];
        let receipt =
            ReceiptFile { pdf: b"%PDF-1.7 receipt", received_at: "2026-11-23T14:00:00+07:00", due: "2026-11-23T17:00:00+07:00" };
        let pkg = pack_dossier_with_receipt(p, "HOSO-261123-0001", day, &FormData::new(), &comps, Some(&receipt)).unwrap();
        let names: Vec<&str> = pkg.files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["00-giay-tiep-nhan.pdf", "01-to-khai.pdf", "02-giay-chung-sinh.pdf", "dossier.json"]);
        assert!(crate::verify_bytes(&pkg.zip).is_intact());
        let without = pack_dossier(p, "HOSO-261123-0001", day, &FormData::new(), &comps).unwrap();
        assert_ne!(pkg.zip, without.zip);
    }

    #[test]
    fn missing_required_paper_packs_only_with_a_reason() {
        let p = Catalog::embedded().procedure("khai-sinh").unwrap();
        let day = Date::new(2026, 11, 23).unwrap();
        let comps = [ComponentFile { component_id: "to-khai", pages: 1, pdf: b"%PDF-1.7 form" }];
        let Err(refused) = pack_dossier(p, "HOSO-261123-0002", day, &FormData::new(), &comps) else {
            panic!("packed without the birth certificate and without a reason");
        };
        assert_eq!(refused, PackError::MissingPapers(vec!["Giấy chứng sinh".into()]));
        assert!(refused.msg().vi().contains("Giấy chứng sinh"));

        let reasons: MissingReasons = [("giay-chung-sinh".to_string(), "Sinh tại nhà, hẹn nộp bổ sung".to_string())].into();
        let pkg = pack_dossier_with_missing(p, "HOSO-261123-0002", day, &FormData::new(), &comps, None, &reasons, None).unwrap();
        assert!(crate::verify_bytes(&pkg.zip).is_intact());
        let files = crate::unpack(&pkg.zip).unwrap();
        let json = files.iter().find(|f| f.path == "dossier.json").unwrap();
        let record: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
        assert_eq!(record["missing"][0]["id"], "giay-chung-sinh");
        assert_eq!(record["missing"][0]["name"], "Giấy chứng sinh");
        assert_eq!(record["missing"][0]["reason"], "Sinh tại nhà, hẹn nộp bổ sung");
        assert_eq!(record["components"].as_array().unwrap().len(), 1);
        // Each component's hash is its manifest line's.
        let form = files.iter().find(|f| f.path == "01-to-khai.pdf").unwrap();
        assert_eq!(record["components"][0]["sha256"], crate::sha256_hex(&form.bytes));
    }
}
