//! Danh mục thủ tục hành chính — the procedures a counter handles, their
//! papers and their forms. Provinces edit `data/procedures.json`; the build
//! embeds it as the default.

use crate::form::FormDefinition;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Thủ tục hành chính (TTHC) — one administrative procedure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Procedure {
    pub id: String,
    /// Code in the national TTHC database.
    pub code: String,
    #[serde(default)]
    pub verify: bool,
    pub name: String,
    /// Lĩnh vực — field of administration.
    pub field: String,
    pub legal_basis: String,
    pub time_limit: String,
    pub fee: String,
    /// Id of the declaration form (tờ khai) in [`Catalog::forms`].
    pub form: String,
    pub components: Vec<Component>,
}

/// Thành phần hồ sơ — one required paper of a dossier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub kind: ComponentKind,
    pub required: bool,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    /// Produced by hoso from the typed answers.
    Form,
    /// A paper the citizen brings, photographed or scanned.
    Paper,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub version: u32,
    pub procedures: Vec<Procedure>,
    pub forms: Vec<FormDefinition>,
    /// Danh mục 54 dân tộc — the official list of ethnic groups.
    pub ethnicities: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CatalogError {
    #[error("danh mục không đọc được: {0}")]
    Syntax(String),
    #[error("thủ tục \"{procedure}\": biểu mẫu \"{form}\" không có trong danh mục")]
    MissingForm { procedure: String, form: String },
    #[error("mã \"{0}\" bị trùng")]
    DuplicateId(String),
}

const EMBEDDED: &str = include_str!("../../../data/procedures.json");

impl Catalog {
    /// The catalog shipped with this build.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::from_json(EMBEDDED).expect("embedded catalog is checked by tests"))
    }

    pub fn from_json(text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(text).map_err(|e| CatalogError::Syntax(e.to_string()))?;
        let mut seen = std::collections::BTreeSet::new();
        for id in catalog.procedures.iter().map(|p| &p.id).chain(catalog.forms.iter().map(|f| &f.id)) {
            if !seen.insert(id.as_str()) {
                return Err(CatalogError::DuplicateId(id.clone()));
            }
        }
        for p in &catalog.procedures {
            if catalog.form(&p.form).is_none() {
                return Err(CatalogError::MissingForm { procedure: p.id.clone(), form: p.form.clone() });
            }
        }
        Ok(catalog)
    }

    pub fn procedure(&self, id: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.id == id)
    }

    pub fn form(&self, id: &str) -> Option<&FormDefinition> {
        self.forms.iter().find(|f| f.id == id)
    }

    pub fn is_ethnicity(&self, s: &str) -> bool {
        self.ethnicities.iter().any(|e| e == s)
    }
}

impl Procedure {
    /// The papers to photograph or scan (everything but the generated form).
    pub fn papers(&self) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(|c| c.kind == ComponentKind::Paper)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_is_consistent() {
        let c = Catalog::embedded();
        assert!(c.procedures.len() >= 2);
        assert_eq!(c.ethnicities.len(), 54);
        assert!(!c.is_ethnicity("Việt Nam"));
        assert!(c.is_ethnicity("Kinh"));
        let ks = c.procedure("khai-sinh").unwrap();
        assert_eq!(ks.name, "Đăng ký khai sinh");
        assert_eq!(ks.papers().count(), 1);
        for text in [&ks.name, &c.form(&ks.form).unwrap().title] {
            assert_eq!(*text, crate::text::nfc(text), "catalog text must be NFC");
        }
    }

    #[test]
    fn missing_form_is_named() {
        let bad = EMBEDDED.replace("\"form\": \"to-khai-khai-tu\"", "\"form\": \"khong-co\"");
        assert_eq!(
            Catalog::from_json(&bad),
            Err(CatalogError::MissingForm { procedure: "khai-tu".into(), form: "khong-co".into() })
        );
        assert!(matches!(Catalog::from_json("{"), Err(CatalogError::Syntax(_))));
    }
}
