//! Drafts between the store and the screen: reopening a stored draft
//! (pages read back and checked against their hashes). Which one was open
//! is kept by the store itself ([`Store::current`]).

use crate::components::form_view::form_pdf;
use crate::platform::{download::GeneratedFile, idb::Store, storage};
use crate::state::{Dossier, Original, PageItem, Problem};
use hoso_core::draft::{Draft, DraftPage};
use hoso_core::i18n::Msg;
use hoso_core::Catalog;
use hoso_image::container::{is_legacy_jpeg, unpack};
use hoso_image::{Paper, ProcessedPage, Profile};
use crate::components::paper_capture::{redo, Redo};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Rebuilds the working state of a stored draft. A page whose blob is
/// missing or no longer matches its hash is reported, never shown as good.
pub async fn reopen(store: &Store, mut draft: Draft) -> Dossier {
    let mut pages = Vec::new();
    let mut problems = Vec::new();
    for p in &draft.pages {
        let read = store.page(&draft.page_key(p.id)).await.and_then(|bytes| {
            if hoso_package::sha256_hex(&bytes) != p.sha256 {
                return Err(Msg::StoredRecordCorrupt("ảnh lưu trên máy đã bị thay đổi, hãy chụp lại".into()));
            }
            page_item(p, bytes).map_err(|e| Msg::StoredRecordCorrupt(e.msg().vi()))
        });
        match read {
            Ok(item) => pages.push(item),
            Err(msg) => problems.push(Problem { source_name: p.source_name.clone(), msg }),
        }
    }
    let catalog = Catalog::embedded();
    let form = catalog.procedure(&draft.procedure).and_then(|p| catalog.form(&p.form));
    let pdf = match form {
        Some(form) if draft.form_done => {
            // Drafts saved before the day was kept: the day of their last change.
            let date = *draft.form_date.get_or_insert_with(|| hoso_core::date::today_in_vietnam(draft.updated_ms / 1000));
            Some(form_pdf(form, &draft.answers, &draft.place, date))
        }
        _ => None,
    };
    Dossier::resumed(draft, pages, pdf, problems)
}

/// A stored page back on screen: the container, or a plain JPEG stored by
/// earlier versions (a Color page, its own thumbnail).
fn page_item(p: &DraftPage, bytes: Vec<u8>) -> Result<PageItem, hoso_image::ImageError> {
    let (page, thumb) = if is_legacy_jpeg(&bytes) {
        (ProcessedPage::from_legacy_jpeg(bytes.clone(), p.width_px, p.height_px, p.dpi), bytes.clone())
    } else {
        let (page, thumb) = unpack(&bytes)?;
        let thumb = if thumb.is_empty() { page.screen_jpeg().unwrap_or_default().to_vec() } else { thumb };
        (page, thumb)
    };
    let scan = p.scan.clone().unwrap_or_default();
    Ok(PageItem {
        id: p.id,
        component: p.component.clone(),
        source_name: p.source_name.clone(),
        thumb: GeneratedFile::new(p.source_name.clone(), thumb, "image/jpeg"),
        asked: Profile::parse(&scan.asked).unwrap_or(page.profile),
        page: Rc::new(page),
        stored: Rc::new(bytes),
        sha256: p.sha256.clone(),
        paper: scan.paper.as_deref().and_then(Paper::parse),
        rotation: scan.rotation,
        corners: scan.corners,
        manual_corners: scan.manual_corners,
        source_size: scan.source_size,
        source_page: scan.page,
        original: scan.original.map(Original::Stored),
        ms: 0,
    })
}

/// Files that were being processed, or waiting their turn, when the tab
/// closed: made again, in the order they were dropped. Originals kept for
/// the draft's pages are not such files, unless pages of a TIFF or PDF
/// were still missing: those are made.
pub async fn redo_inbox(store: &Store, state: &yew::UseReducerHandle<Dossier>, draft_id: &str) {
    let Ok(entries) = store.inbox_entries(draft_id).await else { return };
    // Original → the pages of it the saved draft holds.
    let mut kept: HashMap<String, HashSet<u32>> = HashMap::new();
    match store.drafts().await {
        Ok((drafts, _)) => {
            for scan in drafts.iter().filter(|d| d.id == draft_id).flat_map(|d| d.pages.iter().filter_map(|p| p.scan.as_ref())) {
                if let Some(original) = &scan.original {
                    kept.entry(original.clone()).or_default().insert(scan.page);
                }
            }
        }
        Err(_) => return,
    }
    let mut files = Vec::new();
    for entry in entries {
        let saved = kept.get(&entry.key);
        let missing = match (saved, entry.meta.pages) {
            // A TIFF or PDF not finished: its pages neither saved nor
            // removed by the clerk while the others were made.
            (_, Some(count)) => {
                let missing: Vec<u32> =
                    (0..count).filter(|i| !saved.is_some_and(|s| s.contains(i)) && !entry.meta.removed.contains(i)).collect();
                if missing.is_empty() {
                    if saved.is_none() {
                        // Every page of it removed, none saved: nothing left to make.
                        let _ = store.inbox_delete(&entry.key).await;
                    }
                    continue;
                }
                // None saved and none removed: the whole file, counted again.
                (saved.is_some() || !entry.meta.removed.is_empty()).then_some(missing)
            }
            (None, None) => None,
            // An original kept for its saved page(s).
            (Some(_), None) => continue,
        };
        files.push(Redo { entry, missing });
    }
    redo(state, store, files).await;
}

/// The open-dossier marker as layout v3 kept it, in localStorage; read once
/// after the upgrade to v4 (which keeps it in the store) and removed.
pub fn take_legacy_current() -> Option<String> {
    const LEGACY_KEY: &str = "hoso.current";
    let id = storage::get(LEGACY_KEY);
    storage::remove(LEGACY_KEY);
    id
}
