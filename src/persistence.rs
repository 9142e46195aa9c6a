//! Drafts between the store and the screen: reopening a stored draft
//! (pages read back and checked against their hashes). Which one was open
//! is kept by the store itself ([`Store::current`]).

use crate::components::form_view::form_pdf;
use crate::platform::{download::GeneratedFile, idb::Store, storage};
use crate::state::{Dossier, PageItem, Problem};
use hoso_core::draft::Draft;
use hoso_core::i18n::Msg;
use hoso_core::Catalog;
use hoso_image::Page;
use std::rc::Rc;

/// Rebuilds the working state of a stored draft. A page whose blob is
/// missing or no longer matches its hash is reported, never shown as good.
pub async fn reopen(store: &Store, draft: Draft) -> Dossier {
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for p in &draft.pages {
        match store.page(&draft.page_key(p.id)).await {
            Ok(jpeg) if hoso_package::sha256_hex(&jpeg) == p.sha256 => {
                let thumb = GeneratedFile::new(p.source_name.clone(), jpeg.clone(), "image/jpeg");
                let page = Page { jpeg, width_px: p.width_px, height_px: p.height_px, dpi: p.dpi };
                pages.push(PageItem {
                    id: p.id,
                    component: p.component.clone(),
                    source_name: p.source_name.clone(),
                    page: Rc::new(page),
                    sha256: p.sha256.clone(),
                    thumb,
                    inbox: None,
                });
            }
            Ok(_) => problems.push(Problem {
                source_name: p.source_name.clone(),
                msg: Msg::StoredRecordCorrupt("ảnh lưu trên máy đã bị thay đổi, hãy chụp lại".into()),
            }),
            Err(msg) => problems.push(Problem { source_name: p.source_name.clone(), msg }),
        }
    }
    let catalog = Catalog::embedded();
    let form = catalog.procedure(&draft.procedure).and_then(|p| catalog.form(&p.form));
    let pdf = match form {
        Some(form) if draft.form_done => Some(form_pdf(form, &draft.answers, &draft.place)),
        _ => None,
    };
    Dossier::resumed(draft, pages, pdf, problems)
}

/// Files that were being processed when the tab closed: processed again.
pub async fn redo_inbox(store: &Store, state: &yew::UseReducerHandle<Dossier>, draft_id: &str) {
    let Ok(items) = store.inbox_of(draft_id).await else { return };
    for item in items {
        state.dispatch(crate::state::Action::PageStarted);
        crate::components::paper_capture::process(state, Some(store), item.component, item.name, item.bytes, Some(item.key)).await;
    }
}

/// The open-dossier marker as layout v3 kept it, in localStorage; read once
/// after the upgrade to v4 (which keeps it in the store) and removed.
pub fn take_legacy_current() -> Option<String> {
    const LEGACY_KEY: &str = "hoso.current";
    let id = storage::get(LEGACY_KEY);
    storage::remove(LEGACY_KEY);
    id
}
