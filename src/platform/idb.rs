//! IndexedDB, thinly: drafts as JSON strings in `drafts`, page images as
//! Blobs (not base64) in `pages`. Every write of a draft and its new or
//! removed pages is one transaction, so a power cut leaves either the old
//! or the new state, never half of one.

use super::crypto;
use hoso_core::draft::{decode, Draft};
use hoso_core::people::{people_in, Person};
use hoso_core::i18n::Msg;
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode, IdbVersionChangeEvent};

/// IndexedDB layout version (object stores), separate from the record schema.
const DB_VERSION: u32 = 4;
const DRAFTS: &str = "drafts";
const PAGES: &str = "pages";
/// Files picked but not yet saved as pages (version 2): a tab closed while a
/// photo was being processed redoes it on reopen instead of losing it.
const INBOX: &str = "inbox";
/// People already declared, by ID number (version 3), for reuse.
const PEOPLE: &str = "people";
/// Small facts about the workspace (version 4): which dossier is open,
/// written in the same transaction as its record, so a killed browser
/// reopens it (localStorage is flushed lazily and lost it).
const META: &str = "meta";
const META_CURRENT: &str = "current";

pub struct Store {
    db: IdbDatabase,
    /// Set while a PIN-locked workspace is unlocked: records and pages are
    /// then written encrypted, and encrypted ones can be read.
    key: std::cell::RefCell<Option<CryptoKey>>,
    /// Drafts removed in this session (by id): a file still being kept for
    /// one of them must not be written after.
    removed: std::cell::RefCell<Removed>,
}

/// Which drafts were removed in this session, and which had work in it.
#[derive(Default)]
struct Removed {
    ids: std::collections::HashSet<String>,
    /// Drafts listed, written or kept files for in this session: a purge
    /// removes exactly these (a dossier begun after it is not refused).
    known: std::collections::HashSet<String>,
}

/// Prefix of an encrypted record: `enc1:` + base64(iv || AES-GCM ciphertext).
const SEALED: &str = "enc1:";
const SEALED_BLOB_TYPE: &str = "application/x-hoso-sealed";
/// A processed page (hoso-image's container); pages of earlier versions are "image/jpeg".
const PAGE_BLOB_TYPE: &str = "application/x-hoso-page";
/// A kept original, not sealed.
const PLAIN_BLOB_TYPE: &str = "application/octet-stream";

/// One open database per app; equality is identity (for hook dependencies).
impl PartialEq for Store {
    fn eq(&self, other: &Store) -> bool {
        std::ptr::eq(self, other)
    }
}

/// A page blob to write with a draft.
pub struct PageBlob<'a> {
    pub key: String,
    /// The stored page: hoso-image's container (plain JPEG from earlier versions).
    pub jpeg: &'a [u8],
    /// The inbox entry this page came from, removed in the same transaction.
    pub inbox: Option<String>,
}

/// An original kept only in memory so far (storage was full when its file
/// was dropped), kept with the draft's next save once there is room.
pub struct LateOriginal<'a> {
    pub key: String,
    pub meta: InboxMeta,
    pub bytes: &'a [u8],
}

/// The store where work may be written (none in citizen mode or while
/// locked), shared with components through a Yew context.
#[derive(Clone, PartialEq)]
pub struct StoreContext(pub Option<std::rc::Rc<Store>>);

/// What a kept file is and how it is to be made into pages: the paper it
/// was dropped on, its name, and the profile and paper size chosen then.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InboxMeta {
    pub component: String,
    pub name: String,
    /// [`hoso_image::Profile::name`]; empty in entries of earlier versions (automatic).
    pub profile: String,
    /// [`hoso_image::Paper::name`]; empty: from the sheet's proportions.
    pub paper: String,
    /// The page this file retakes ("Chụp lại"), by id in its draft.
    pub replaces: Option<u32>,
    /// Pages in the file, once counted (a TIFF or scanner PDF): a tab
    /// closed after some were saved makes the others on reopening.
    pub pages: Option<u32>,
    /// Pages of the file (from 0) the clerk removed while the others were
    /// still being made: not made again on reopening.
    pub removed: Vec<u32>,
}

/// A picked file waiting to become a page, read.
pub struct InboxItem {
    pub key: String,
    pub meta: InboxMeta,
    pub bytes: Vec<u8>,
}

/// A picked file's bytes as they will be kept (see [`Store::inbox_copy`]).
pub struct InboxCopy(web_sys::Blob);

/// A kept file, not read yet: its data stays a Blob (JS side) until
/// [`Store::inbox_bytes`], so listing fifty waiting photos costs no memory.
pub struct InboxEntry {
    pub key: String,
    pub meta: InboxMeta,
    data: web_sys::Blob,
}

impl Store {
    /// The database of this session: real work, or training's own
    /// (`hoso-tap-huan`, same layout), never both.
    pub async fn open() -> Result<Store, Msg> {
        Store::open_named(hoso_training::mode::db_name(super::storage::training())).await
    }

    pub async fn open_named(name: &str) -> Result<Store, Msg> {
        let factory = gloo::utils::window()
            .indexed_db()
            .map_err(unavailable)?
            .ok_or_else(|| Msg::StorageUnavailable("IndexedDB".into()))?;
        let request = factory.open_with_u32(name, DB_VERSION).map_err(unavailable)?;
        let upgrade = Closure::<dyn FnMut(IdbVersionChangeEvent)>::new(move |event: IdbVersionChangeEvent| {
            let Some(request) = event.target().and_then(|t| t.dyn_into::<IdbRequest>().ok()) else { return };
            let Ok(db) = request.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else { return };
            // v1: drafts, pages. v2: + inbox. v3: + people. v4: + meta. Existing stores and their data are kept.
            for name in [DRAFTS, PAGES, INBOX, PEOPLE, META] {
                if !db.object_store_names().contains(name) {
                    let _ = db.create_object_store(name);
                }
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let db: IdbDatabase = finish(&request).await.map_err(unavailable)?.unchecked_into();
        request.set_onupgradeneeded(None);
        drop(upgrade);
        // A newer release opened in another tab waits for every older
        // connection to close before it upgrades: ours closes then (its
        // saves fail from there, and say so), instead of leaving that tab
        // waiting for ever on a blank screen.
        let closing = db.clone();
        db.set_onversionchange(Some(Closure::<dyn FnMut()>::new(move || closing.close()).into_js_value().unchecked_ref()));
        Ok(Store { db, key: Default::default(), removed: Default::default() })
    }

    pub fn set_key(&self, key: Option<CryptoKey>) {
        *self.key.borrow_mut() = key;
    }

    /// Writes the draft with its new page blobs and removes deleted pages, atomically.
    pub async fn save(&self, draft: &Draft, new_pages: &[PageBlob<'_>], removed: &[String]) -> Result<(), Msg> {
        self.write(draft, new_pages, removed, &[], &[], false).await
    }

    /// [`Store::save`] of the dossier on screen, marking it the open one in
    /// the same transaction: whatever ends the tab, it reopens. Originals
    /// no longer kept (their page removed, the dossier packaged) go too,
    /// and originals kept only in memory so far (`late`) are kept now.
    pub async fn save_open(
        &self,
        draft: &Draft,
        new_pages: &[PageBlob<'_>],
        removed: &[String],
        dropped_originals: &[String],
        late: &[LateOriginal<'_>],
    ) -> Result<(), Msg> {
        self.write(draft, new_pages, removed, dropped_originals, late, true).await
    }

    async fn write(
        &self,
        draft: &Draft,
        new_pages: &[PageBlob<'_>],
        removed: &[String],
        dropped_originals: &[String],
        late: &[LateOriginal<'_>],
        open: bool,
    ) -> Result<(), Msg> {
        self.working_on(&draft.id);
        // Encrypt first: an IndexedDB transaction commits by itself as soon
        // as we await anything else.
        let key = self.key.borrow().clone();
        let mut blobs = Vec::with_capacity(new_pages.len());
        for page in new_pages {
            blobs.push(match &key {
                Some(k) => blob_of(&crypto::encrypt(k, page.jpeg).await?, SEALED_BLOB_TYPE)?,
                None if hoso_image::container::is_legacy_jpeg(page.jpeg) => blob_of(page.jpeg, "image/jpeg")?,
                None => blob_of(page.jpeg, PAGE_BLOB_TYPE)?,
            });
        }
        let mut late_values = Vec::with_capacity(late.len());
        for original in late {
            let blob = match &key {
                Some(k) => blob_of(&crypto::encrypt(k, original.bytes).await?, SEALED_BLOB_TYPE)?,
                None => blob_of(original.bytes, PLAIN_BLOB_TYPE)?,
            };
            late_values.push((original.key.as_str(), inbox_value(&original.meta, blob)));
        }
        let record = self.seal_text(&draft.to_json()).await?;
        let mut people = Vec::new();
        for p in people_in(&draft.answers, draft.updated_ms) {
            people.push((p.id_number.clone(), self.seal_text(&serde_json::to_string(&p).expect("plain data")).await?));
        }
        let (tx, stores) = self.transaction(&[DRAFTS, PAGES, INBOX, PEOPLE, META], IdbTransactionMode::Readwrite)?;
        if open {
            stores[4].put_with_key(&draft.id.as_str().into(), &META_CURRENT.into()).map_err(write_error)?;
        }
        for (id, value) in &people {
            stores[3].put_with_key(&value.into(), &id.as_str().into()).map_err(write_error)?;
        }
        let (drafts, pages) = (&stores[0], &stores[1]);
        for (page, blob) in new_pages.iter().zip(&blobs) {
            pages.put_with_key(blob, &page.key.as_str().into()).map_err(write_error)?;
            if let Some(k) = &page.inbox {
                stores[2].delete(&k.as_str().into()).map_err(write_error)?;
            }
        }
        for key in removed {
            pages.delete(&key.as_str().into()).map_err(write_error)?;
        }
        for key in dropped_originals {
            stores[2].delete(&key.as_str().into()).map_err(write_error)?;
        }
        for (key, value) in &late_values {
            stores[2].put_with_key(value, &(*key).into()).map_err(write_error)?;
        }
        drafts.put_with_key(&record.into(), &draft.id.as_str().into()).map_err(write_error)?;
        committed(&tx).await
    }

    /// A text record as stored: sealed while a key is set.
    async fn seal_text(&self, text: &str) -> Result<String, Msg> {
        let key = self.key.borrow().clone();
        Ok(match key {
            Some(k) => format!("{SEALED}{}", base64_encode(&crypto::encrypt(&k, text.as_bytes()).await?)),
            None => text.to_string(),
        })
    }

    async fn open_text(&self, text: String) -> Result<String, Msg> {
        let key = self.key.borrow().clone();
        match (text.strip_prefix(SEALED), key) {
            (None, _) => Ok(text),
            (Some(_), None) => Err(Msg::PinLocked),
            (Some(b64), Some(k)) => {
                let sealed = base64_decode(b64).ok_or_else(|| Msg::StoredRecordCorrupt("base64".into()))?;
                String::from_utf8(crypto::decrypt(&k, &sealed).await?).map_err(|_| Msg::PinWrong)
            }
        }
    }

    /// People declared before, newest first; unreadable entries are skipped.
    pub async fn people(&self) -> Result<Vec<Person>, Msg> {
        let (_tx, stores) = self.transaction(&[PEOPLE], IdbTransactionMode::Readonly)?;
        let all = finish(&stores[0].get_all().map_err(unavailable)?).await.map_err(unavailable)?;
        let mut out = Vec::new();
        for v in Array::from(&all).iter() {
            let Some(text) = v.as_string() else { continue };
            if let Ok(p) = self.open_text(text).await.and_then(|t| serde_json::from_str::<Person>(&t).map_err(|e| Msg::StoredRecordCorrupt(e.to_string()))) {
                out.push(p);
            }
        }
        hoso_core::sort::sort_by_key(&mut out, |p| std::cmp::Reverse(p.updated_ms));
        Ok(out)
    }

    async fn put_people(&self, people: &[Person]) -> Result<(), Msg> {
        let mut values = Vec::new();
        for p in people {
            values.push((p.id_number.clone(), self.seal_text(&serde_json::to_string(p).expect("plain data")).await?));
        }
        let (tx, stores) = self.transaction(&[PEOPLE], IdbTransactionMode::Readwrite)?;
        for (id, v) in &values {
            stores[0].put_with_key(&v.into(), &id.as_str().into()).map_err(write_error)?;
        }
        committed(&tx).await
    }

    /// Re-writes every draft, page and person under `new_key` (setting or
    /// removing a PIN); reads with the current key first, so nothing is lost midway.
    pub async fn rewrite_all(&self, new_key: Option<CryptoKey>) -> Result<(), Msg> {
        let people = self.people().await?;
        let (drafts, bad) = self.drafts().await?;
        if let Some(m) = bad.into_iter().next() {
            return Err(m);
        }
        let mut items = Vec::with_capacity(drafts.len());
        // Kept originals and files still waiting: sealed like the pages.
        let mut inbox = Vec::new();
        for d in &drafts {
            items.push(self.with_pages(d).await?);
            inbox.extend(self.inbox_of(&d.id).await?);
        }
        self.set_key(new_key);
        self.put_people(&people).await?;
        for i in &inbox {
            self.inbox_put(&i.key, &i.meta, &i.bytes).await?;
        }
        for item in &items {
            let blobs: Vec<PageBlob> =
                item.pages.iter().map(|(id, jpeg)| PageBlob { key: item.draft.page_key(*id), jpeg, inbox: None }).collect();
            self.save(&item.draft, &blobs, &[]).await?;
        }
        Ok(())
    }

    /// Keeps a picked file (sealed when PIN-locked): until its page is made,
    /// then as the page's original until the dossier is packaged.
    pub async fn inbox_put(&self, key: &str, meta: &InboxMeta, bytes: &[u8]) -> Result<(), Msg> {
        // Clone the key out first: a RefCell borrow must not live across an await.
        let crypto_key = self.key.borrow().clone();
        let sealed = match crypto_key {
            Some(k) => Some(crypto::encrypt(&k, bytes).await?),
            None => None,
        };
        let blob = match &sealed {
            Some(b) => blob_of(b, SEALED_BLOB_TYPE)?,
            None => blob_of(bytes, PLAIN_BLOB_TYPE)?,
        };
        self.put_inbox(key, meta, blob).await
    }

    /// [`Store::inbox_put`] of a picked file: its bytes are copied on the
    /// JS side (sealed there when PIN-locked), nothing is decoded or read
    /// into wasm memory. Done the moment a file is dropped, so a file still
    /// waiting its turn survives a closed tab.
    ///
    /// A copy, not the File itself: Chromium keeps a File put in IndexedDB
    /// as a reference to the file on disk, which is gone once a USB stick
    /// is pulled out or a phone's temporary photo is cleaned up.
    pub async fn inbox_put_file(&self, key: &str, meta: &InboxMeta, file: &web_sys::Blob) -> Result<(), Msg> {
        let copy = self.inbox_copy(file).await?;
        self.inbox_put_copy(key, meta, copy).await
    }

    /// The first half of [`Store::inbox_put_file`]: the copy to keep (read,
    /// and sealed under a PIN). A caller that must check something between
    /// the read and the write (a purge meanwhile) calls the halves itself.
    pub async fn inbox_copy(&self, file: &web_sys::Blob) -> Result<InboxCopy, Msg> {
        let crypto_key = self.key.borrow().clone();
        let blob = match crypto_key {
            Some(k) => crypto::encrypt_blob(&k, file, SEALED_BLOB_TYPE).await?,
            // A neutral type: a file's own type must never read as sealed.
            None => {
                let buffer = JsFuture::from(file.array_buffer()).await.map_err(unavailable)?;
                let options = web_sys::BlobPropertyBag::new();
                options.set_type(PLAIN_BLOB_TYPE);
                web_sys::Blob::new_with_u8_array_sequence_and_options(&Array::of1(&buffer), &options).map_err(write_error)?
            }
        };
        Ok(InboxCopy(blob))
    }

    /// The second half of [`Store::inbox_put_file`]: the write, begun at
    /// once (before this future first waits).
    pub async fn inbox_put_copy(&self, key: &str, meta: &InboxMeta, copy: InboxCopy) -> Result<(), Msg> {
        self.put_inbox(key, meta, copy.0).await
    }

    async fn put_inbox(&self, key: &str, meta: &InboxMeta, blob: web_sys::Blob) -> Result<(), Msg> {
        // Refused once its draft was deleted or everything purged: checked
        // with no await before the transaction is made, so a removal either
        // came before (refused here) or its transaction comes after this
        // one (IndexedDB runs overlapping read-write transactions in the
        // order they were made) and wipes the file with the rest.
        let draft_id = key.split('/').next().unwrap_or_default();
        if self.removed(draft_id) {
            return Err(Msg::ScanOriginalGone);
        }
        self.working_on(draft_id);
        let value = inbox_value(meta, blob);
        let (tx, stores) = self.transaction(&[INBOX], IdbTransactionMode::Readwrite)?;
        stores[0].put_with_key(&value, &key.into()).map_err(write_error)?;
        committed(&tx).await
    }

    /// A page's kept original (see [`Store::inbox_put`]).
    pub async fn original(&self, key: &str) -> Result<Vec<u8>, Msg> {
        let (_tx, stores) = self.transaction(&[INBOX], IdbTransactionMode::Readonly)?;
        let value = finish(&stores[0].get(&key.into()).map_err(unavailable)?).await.map_err(unavailable)?;
        if value.is_undefined() {
            return Err(Msg::ScanOriginalGone);
        }
        let blob = js_sys::Reflect::get(&value, &"data".into())
            .ok()
            .and_then(|b| b.dyn_into::<web_sys::Blob>().ok())
            .ok_or(Msg::ScanOriginalGone)?;
        self.read_blob(blob).await
    }

    /// A stored blob's bytes, opened with the PIN's key when it was sealed.
    async fn read_blob(&self, blob: web_sys::Blob) -> Result<Vec<u8>, Msg> {
        let sealed = blob.type_() == SEALED_BLOB_TYPE;
        let buffer = JsFuture::from(blob.array_buffer()).await.map_err(unavailable)?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        if !sealed {
            return Ok(bytes);
        }
        let key = self.key.borrow().clone().ok_or(Msg::PinLocked)?;
        crypto::decrypt(&key, &bytes).await
    }

    pub async fn inbox_delete(&self, key: &str) -> Result<(), Msg> {
        let (tx, stores) = self.transaction(&[INBOX], IdbTransactionMode::Readwrite)?;
        stores[0].delete(&key.into()).map_err(write_error)?;
        committed(&tx).await
    }

    /// Files of a draft that were picked but never became saved pages
    /// (and originals kept for its pages), read.
    pub async fn inbox_of(&self, draft_id: &str) -> Result<Vec<InboxItem>, Msg> {
        let mut items = Vec::new();
        for entry in self.inbox_entries(draft_id).await? {
            let bytes = self.inbox_bytes(&entry).await?;
            items.push(InboxItem { key: entry.key, meta: entry.meta, bytes });
        }
        Ok(items)
    }

    /// [`Store::inbox_of`] without reading the files, in the order they
    /// were kept (keys sort by time of drop).
    pub async fn inbox_entries(&self, draft_id: &str) -> Result<Vec<InboxEntry>, Msg> {
        let range = draft_range(draft_id)?;
        let (_tx, stores) = self.transaction(&[INBOX], IdbTransactionMode::Readonly)?;
        let keys = finish(&stores[0].get_all_keys_with_key(&range).map_err(unavailable)?).await.map_err(unavailable)?;
        let values = finish(&stores[0].get_all_with_key(&range).map_err(unavailable)?).await.map_err(unavailable)?;
        let mut entries = Vec::new();
        for (key, value) in Array::from(&keys).iter().zip(Array::from(&values).iter()) {
            let get = |k: &str| js_sys::Reflect::get(&value, &k.into()).ok();
            let text = |k: &str| get(k).and_then(|v| v.as_string()).unwrap_or_default();
            let Some(data) = get("data").and_then(|b| b.dyn_into::<web_sys::Blob>().ok()) else { continue };
            let number = |k: &str| get(k).and_then(|v| v.as_f64()).filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= f64::from(u32::MAX)).map(|v| v as u32);
            let meta = InboxMeta {
                component: text("component"),
                name: text("name"),
                profile: text("profile"),
                paper: text("paper"),
                replaces: number("replaces"),
                pages: number("pages"),
                removed: get("removed")
                    .filter(Array::is_array)
                    .map(|a| Array::from(&a).iter().filter_map(|v| v.as_f64()).filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= f64::from(u32::MAX)).map(|v| v as u32).collect())
                    .unwrap_or_default(),
            };
            entries.push(InboxEntry { key: key.as_string().unwrap_or_default(), meta, data });
        }
        Ok(entries)
    }

    /// Notes how many pages the kept file `key` holds while they are being
    /// made (see [`InboxMeta::pages`]); `None` once all were.
    pub async fn inbox_note_pages(&self, key: &str, pages: Option<u32>) -> Result<(), Msg> {
        // One transaction: a purge cannot come between the read and the write
        // (the continuation runs in the success event's microtasks, while
        // the transaction is still active).
        let (tx, stores) = self.transaction(&[INBOX], IdbTransactionMode::Readwrite)?;
        let value = finish(&stores[0].get(&key.into()).map_err(unavailable)?).await.map_err(unavailable)?;
        if !value.is_object() {
            return Ok(()); // gone meanwhile (purged): not written back
        }
        let _ = js_sys::Reflect::set(&value, &"pages".into(), &pages.map(JsValue::from).unwrap_or(JsValue::NULL));
        // The same record with its Blob: the browser keeps the data, nothing is read.
        stores[0].put_with_key(&value, &key.into()).map_err(write_error)?;
        committed(&tx).await
    }

    /// Notes that page `page` (from 0) of the kept file `key` was removed
    /// by the clerk (see [`InboxMeta::removed`]).
    pub async fn inbox_note_removed(&self, key: &str, page: u32) -> Result<(), Msg> {
        // One transaction, as in `inbox_note_pages`.
        let (tx, stores) = self.transaction(&[INBOX], IdbTransactionMode::Readwrite)?;
        let value = finish(&stores[0].get(&key.into()).map_err(unavailable)?).await.map_err(unavailable)?;
        if !value.is_object() {
            return Ok(()); // gone already (its last page removed and saved, or purged)
        }
        let removed = js_sys::Reflect::get(&value, &"removed".into()).ok().filter(Array::is_array).map(|a| Array::from(&a)).unwrap_or_default();
        if !removed.includes(&JsValue::from(page), 0) {
            removed.push(&JsValue::from(page));
        }
        let _ = js_sys::Reflect::set(&value, &"removed".into(), &removed);
        stores[0].put_with_key(&value, &key.into()).map_err(write_error)?;
        committed(&tx).await
    }

    /// Whether draft `draft_id` was deleted, or the store purged, in this
    /// session (marked when the removal begins).
    pub fn removed(&self, draft_id: &str) -> bool {
        self.removed.borrow().ids.contains(draft_id)
    }

    /// Marks draft `draft_id` as having work in this session (files being
    /// kept for it): a purge from now on stops that work. Call before the
    /// first await of such work.
    pub fn working_on(&self, draft_id: &str) {
        self.removed.borrow_mut().known.insert(draft_id.to_string());
    }

    /// A kept file's bytes (opened with the PIN's key when sealed).
    pub async fn inbox_bytes(&self, entry: &InboxEntry) -> Result<Vec<u8>, Msg> {
        self.read_blob(entry.data.clone()).await
    }

    /// Every stored draft that can be read, plus a message per unreadable one.
    pub async fn drafts(&self) -> Result<(Vec<Draft>, Vec<Msg>), Msg> {
        let (_tx, stores) = self.transaction(&[DRAFTS], IdbTransactionMode::Readonly)?;
        let all = finish(&stores[0].get_all().map_err(unavailable)?).await.map_err(unavailable)?;
        let (mut ok, mut bad) = (Vec::new(), Vec::new());
        for value in Array::from(&all).iter() {
            let text = match value.as_string() {
                Some(t) => t,
                None => {
                    bad.push(Msg::StoredRecordCorrupt("not text".into()));
                    continue;
                }
            };
            let plain = self.open_text(text).await;
            match plain.and_then(|t| decode(&t)) {
                Ok(d) => {
                    self.working_on(&d.id);
                    ok.push(d)
                }
                Err(m) => bad.push(m),
            }
        }
        hoso_core::sort::sort_by_key(&mut ok, |d| std::cmp::Reverse(d.updated_ms));
        Ok((ok, bad))
    }

    pub async fn page(&self, key: &str) -> Result<Vec<u8>, Msg> {
        let (_tx, stores) = self.transaction(&[PAGES], IdbTransactionMode::Readonly)?;
        let value = finish(&stores[0].get(&key.into()).map_err(unavailable)?).await.map_err(unavailable)?;
        let blob: web_sys::Blob = value.dyn_into().map_err(|_| Msg::StoredRecordCorrupt(format!("thiếu ảnh {key}")))?;
        self.read_blob(blob).await
    }

    /// A draft with its page images, for backups.
    pub async fn with_pages(&self, draft: &Draft) -> Result<hoso_package::backup::DraftWithPages, Msg> {
        let mut pages = Vec::with_capacity(draft.pages.len());
        for p in &draft.pages {
            pages.push((p.id, self.page(&draft.page_key(p.id)).await?));
        }
        // The originals its pages can be made again from, each once (the
        // pages of a TIFF share one), opened: a backup is restored under
        // another PC's PIN, and sealed again there.
        let mut originals: Vec<(String, Vec<u8>)> = Vec::new();
        for key in draft.pages.iter().filter_map(|p| p.scan.as_ref()?.original.as_deref()) {
            if originals.iter().any(|(k, _)| k == key) {
                continue;
            }
            match self.original(key).await {
                Ok(bytes) => originals.push((key.to_string(), bytes)),
                Err(Msg::ScanOriginalGone) => {} // packaged since, or from an earlier version
                Err(m) => return Err(m),
            }
        }
        Ok(hoso_package::backup::DraftWithPages { draft: draft.clone(), pages, originals })
    }

    /// Writes a draft restored from a backup with its pages and originals
    /// (sealed under this workspace's PIN, if it has one), in one transaction.
    pub async fn restore(&self, item: &hoso_package::backup::DraftWithPages) -> Result<(), Msg> {
        let draft = &item.draft;
        let pages: Vec<PageBlob> = item.pages.iter().map(|(id, jpeg)| PageBlob { key: draft.page_key(*id), jpeg, inbox: None }).collect();
        let originals: Vec<LateOriginal> = item
            .originals
            .iter()
            .filter_map(|(key, bytes)| {
                // Described by the first page made of it, as when it was dropped.
                let page = draft.pages.iter().find(|p| p.scan.as_ref().and_then(|s| s.original.as_deref()) == Some(key.as_str()))?;
                let scan = page.scan.as_ref()?;
                let meta = InboxMeta {
                    component: page.component.clone(),
                    name: page.source_name.clone(),
                    profile: scan.asked.clone(),
                    paper: scan.paper.clone().unwrap_or_default(),
                    ..InboxMeta::default()
                };
                Some(LateOriginal { key: key.clone(), meta, bytes })
            })
            .collect();
        self.write(draft, &pages, &[], &[], &originals, false).await
    }

    /// The dossier open when work stopped (every save records it).
    pub async fn current(&self) -> Option<String> {
        let (_tx, stores) = self.transaction(&[META], IdbTransactionMode::Readonly).ok()?;
        let request = stores[0].get(&META_CURRENT.into()).ok()?;
        finish(&request).await.ok()?.as_string()
    }

    /// Records which dossier is open (`None`: none, the start screen).
    pub async fn set_current(&self, draft_id: Option<&str>) -> Result<(), Msg> {
        let (tx, stores) = self.transaction(&[META], IdbTransactionMode::Readwrite)?;
        match draft_id {
            Some(id) => stores[0].put_with_key(&id.into(), &META_CURRENT.into()).map(drop),
            None => stores[0].delete(&META_CURRENT.into()).map(drop),
        }
        .map_err(write_error)?;
        committed(&tx).await
    }

    /// Removes a draft and all its pages.
    pub async fn delete(&self, draft_id: &str) -> Result<(), Msg> {
        self.removed.borrow_mut().ids.insert(draft_id.to_string());
        let (tx, stores) = self.transaction(&[DRAFTS, PAGES, INBOX], IdbTransactionMode::Readwrite)?;
        stores[0].delete(&draft_id.into()).map_err(write_error)?;
        let range = draft_range(draft_id)?;
        stores[1].delete(&range).map_err(write_error)?;
        stores[2].delete(&range).map_err(write_error)?;
        committed(&tx).await
    }

    pub async fn clear(&self) -> Result<(), Msg> {
        {
            // Every draft with work in this session; one begun after is new.
            let mut removed = self.removed.borrow_mut();
            let known = std::mem::take(&mut removed.known);
            removed.ids.extend(known);
        }
        let (tx, stores) = self.transaction(&[DRAFTS, PAGES, INBOX, PEOPLE, META], IdbTransactionMode::Readwrite)?;
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

/// An inbox record: what the file is and how to make it, and its data.
fn inbox_value(meta: &InboxMeta, blob: web_sys::Blob) -> js_sys::Object {
    let value = js_sys::Object::new();
    let fields = [
        ("component", JsValue::from_str(&meta.component)),
        ("name", JsValue::from_str(&meta.name)),
        ("profile", JsValue::from_str(&meta.profile)),
        ("paper", JsValue::from_str(&meta.paper)),
        ("replaces", meta.replaces.map(JsValue::from).unwrap_or(JsValue::NULL)),
        ("pages", meta.pages.map(JsValue::from).unwrap_or(JsValue::NULL)),
        ("removed", meta.removed.iter().map(|&i| JsValue::from(i)).collect::<Array>().into()),
        ("data", blob.into()),
    ];
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&value, &k.into(), &v);
    }
    value
}

/// Keys "{draft}/…" of one draft: '/' + 1 is '0', so the range is exactly them.
fn draft_range(draft_id: &str) -> Result<IdbKeyRange, Msg> {
    IdbKeyRange::bound(&format!("{draft_id}/").into(), &format!("{draft_id}0").into()).map_err(write_error)
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

fn blob_of(bytes: &[u8], mime: &str) -> Result<web_sys::Blob, Msg> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
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

/// Base64 through the browser's btoa/atob (binary strings), no extra crate.
pub fn base64_encode(bytes: &[u8]) -> String {
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    gloo::utils::window().btoa(&binary).unwrap_or_default()
}

pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let binary = gloo::utils::window().atob(text).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}
