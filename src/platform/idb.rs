//! IndexedDB, thinly: drafts as JSON strings in `drafts`, page images as
//! Blobs (not base64) in `pages`. Every write of a draft and its new or
//! removed pages is one transaction, so a power cut leaves either the old
//! or the new state, never half of one.

use hoso_core::draft::{decode, Draft};
use hoso_core::i18n::Msg;
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent};

const DB_NAME: &str = "hoso";
/// IndexedDB layout version (object stores), separate from the record schema.
const DB_VERSION: u32 = 1;
const DRAFTS: &str = "drafts";
const PAGES: &str = "pages";

pub struct Store {
    db: IdbDatabase,
}

/// One open database per app; equality is identity (for hook dependencies).
impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        std::ptr::eq(self, other)
    }
}

/// A page blob to write with a draft.
pub struct PageBlob<'a> {
    pub key: String,
    pub jpeg: &'a [u8],
}

impl Store {
    pub async fn open() -> Result<Store, Msg> {
        let factory = gloo::utils::window()
            .indexed_db()
            .map_err(unavailable)?
            .ok_or_else(|| Msg::StorageUnavailable("IndexedDB".into()))?;
        let request = factory.open_with_u32(DB_NAME, DB_VERSION).map_err(unavailable)?;
        let upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event: IdbVersionChangeEvent| {
            let Some(request) = event.target().and_then(|t| t.dyn_into::<IdbRequest>().ok()) else { return };
            let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else { return };
            // Version 1: the first layout. Later versions add steps keyed on event.old_version().
            for name in [DRAFTS, PAGES] {
                if !db.object_store_names().contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db = finish(&request).await.map_err(unavailable)?;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        Ok(Store { db: db.unchecked_into() })
    }

    /// Writes the draft with its new page blobs and removes deleted pages, atomically.
    pub async fn save(&self, draft: &Draft, new_pages: &[PageBlob<'_>], removed: &[String]) -> Result<(), Msg> {
        let (tx, stores) = self.transaction(&[DRAFTS, PAGES], IdbTransactionMode::Readwrite)?;
        let (drafts, pages) = (&stores[0], &stores[1]);
        for page in new_pages {
            let blob = blob_of(page.jpeg)?;
            pages.put_with_key(&blob, &page.key.as_str().into()).map_err(write_error)?;
        }
        for key in removed {
            pages.delete(&key.as_str().into()).map_err(write_error)?;
        }
        drafts.put_with_key(&draft.to_json().into(), &draft.id.as_str().into()).map_err(write_error)?;
        committed(&tx).await
    }

    /// Every stored draft that can be read, plus a message per unreadable one.
    pub async fn drafts(&self) -> Result<(Vec<Draft>, Vec<Msg>), Msg> {
        let (_tx, stores) = self.transaction(&[DRAFTS], IdbTransactionMode::Readonly)?;
        let all = finish(&stores[0].get_all().map_err(unavailable)?).await.map_err(unavailable)?;
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        for value in Array::from(&all).iter() {
            match value.as_string().ok_or_else(|| Msg::StoredRecordCorrupt("not text".into())).and_then(|s| decode(&s)) {
                Ok(d) => ok.push(d),
                Err(m) => bad.push(m),
            }
        }
        ok.sort_by(|a, b| b.updated_ms.cmp(&a.updated_ms));
        Ok((ok, bad))
    }

    pub async fn page(&self, key: &str) -> Result<Vec<u8>, Msg> {
        let (_tx, stores) = self.transaction(&[PAGES], IdbTransactionMode::Readonly)?;
        let value = finish(&stores[0].get(&key.into()).map_err(unavailable)?).await.map_err(unavailable)?;
        let blob: web_sys::Blob = value.dyn_into().map_err(|_| Msg::StoredRecordCorrupt(format!("thiếu ảnh {key}")))?;
        let buffer = JsFuture::from(blob.array_buffer()).await.map_err(unavailable)?;
        Ok(Uint8Array::new(&buffer).to_vec())
    }

    /// A draft with its page images, for backups.
    pub async fn with_pages(&self, draft: &Draft) -> Result<hoso_package::backup::DraftWithPages, Msg> {
        let mut pages = Vec::with_capacity(draft.pages.len());
        for p in &draft.pages {
            pages.push((p.id, self.page(&draft.page_key(p.id)).await?));
        }
        Ok(hoso_package::backup::DraftWithPages { draft: draft.clone(), pages })
    }

    /// Removes a draft and all its pages.
    pub async fn delete(&self, draft_id: &str) -> Result<(), Msg> {
        let (tx, stores) = self.transaction(&[DRAFTS, PAGES], IdbTransactionMode::Readwrite)?;
        stores[0].delete(&draft_id.into()).map_err(write_error)?;
        // Page keys are "{draft}/{page:06}": '/' + 1 is '0', so this range is exactly the draft's pages.
        let range = IdbKeyRange::bound(&format!("{draft_id}/").into(), &format!("{draft_id}0").into()).map_err(write_error)?;
        stores[1].delete(&range).map_err(write_error)?;
        committed(&tx).await
    }

    pub async fn clear(&self) -> Result<(), Msg> {
        let (tx, stores) = self.transaction(&[DRAFTS, PAGES], IdbTransactionMode::Readwrite)?;
        for s in &stores {
            s.clear().map_err(write_error)?;
        }
        committed(&tx).await
    }

    fn transaction(&self, names: &[&str], mode: IdbTransactionMode) -> Result<(IdbTransaction, Vec<IdbObjectStore>), Msg> {
        let list: Array = names.iter().map(|n| JsValue::from_str(n)).collect();
        let tx = self.db.transaction_with_str_sequence_and_mode(&list, mode).map_err(unavailable)?;
        let stores = names.iter().map(|n| tx.object_store(n)).collect::<Result<Vec<_>, _>>().map_err(unavailable)?;
        Ok((tx, stores))
    }
}

/// Asks the browser not to evict our data under storage pressure.
pub fn request_persistence() {
    if let Ok(p) = gloo::utils::window().navigator().storage().persist() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(p).await;
        });
    }
}

/// (used, quota) bytes for this origin, when the browser tells.
pub async fn usage() -> Option<(f64, f64)> {
    let estimate = JsFuture::from(gloo::utils::window().navigator().storage().estimate().ok()?).await.ok()?;
    let get = |k: &str| js_sys::Reflect::get(&estimate, &k.into()).ok()?.as_f64();
    Some((get("usage")?, get("quota")?))
}

fn blob_of(bytes: &[u8]) -> Result<web_sys::Blob, Msg> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(write_error)
}

/// Resolves with the request's result once it succeeds.
async fn finish(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let req = request.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = req.clone();
        req.set_onsuccess(Some(
            Closure::once_into_js(move || {
                let _ = resolve.call1(&JsValue::NULL, &ok.result().unwrap_or(JsValue::UNDEFINED));
            })
            .unchecked_ref(),
        ));
        let bad = req.clone();
        req.set_onerror(Some(
            Closure::once_into_js(move || {
                let error = bad.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
                let _ = reject.call1(&JsValue::NULL, &error);
            })
            .unchecked_ref(),
        ));
    });
    JsFuture::from(promise).await
}

/// Resolves when the transaction is durable; a quota failure aborts it.
async fn committed(tx: &IdbTransaction) -> Result<(), Msg> {
    let t = tx.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        t.set_oncomplete(Some(Closure::once_into_js(move || drop(resolve.call0(&JsValue::NULL))).unchecked_ref()));
        let failed = t.clone();
        let reject2 = reject.clone();
        let on_fail = move || {
            let error = failed.error().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject2.call1(&JsValue::NULL, &error);
        };
        t.set_onabort(Some(Closure::once_into_js(on_fail.clone()).unchecked_ref()));
        t.set_onerror(Some(Closure::once_into_js(on_fail).unchecked_ref()));
    });
    JsFuture::from(promise).await.map(drop).map_err(write_error)
}

fn dom_name(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

fn write_error(e: JsValue) -> Msg {
    match dom_name(&e).as_str() {
        "QuotaExceededError" => Msg::StorageFull,
        other => Msg::StorageUnavailable(other.to_string()),
    }
}

fn unavailable(e: JsValue) -> Msg {
    Msg::StorageUnavailable(dom_name(&e))
}
