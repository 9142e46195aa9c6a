//! Durable upload store. Each upload is `uploads/{id}.bin` (the bytes) and
//! `uploads/{id}.json` (an [`UploadInfo`]); a completed one moves to
//! `received/{id}.zip` beside its `received/{id}.json` record.
//!
//! The rule that makes resuming safe: bytes are `fsync`ed, then the info
//! with the new offset is written atomically, then the offset is
//! acknowledged. On start, anything past the recorded offset is cut off.

use crate::received::{self, ReceivedRecord};
use crate::{Limits, ServerConfig};
use axum::http::StatusCode;
use hoso_core::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

/// A refusal: HTTP status and the Vietnamese sentence for the body.
pub(crate) type Refusal = (StatusCode, Msg);

/// What `uploads/{id}.json` holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct UploadInfo {
    pub id: String,
    pub length: u64,
    /// Last acknowledged offset.
    pub offset: u64,
    /// `Upload-Metadata` as received, echoed by HEAD.
    pub metadata: Option<String>,
    pub filename: Option<String>,
    pub created_ms: u64,
    pub expires_ms: u64,
    pub completed: bool,
}

pub(crate) struct Upload {
    /// The acknowledged state; what HEAD reports while a PATCH is writing.
    pub info: Mutex<UploadInfo>,
    /// Held by the one request writing or removing this upload.
    pub writer: Arc<tokio::sync::Mutex<()>>,
    pub removed: AtomicBool,
}

impl Upload {
    fn new(info: UploadInfo) -> Arc<Upload> {
        Arc::new(Upload {
            info: Mutex::new(info),
            writer: Arc::new(tokio::sync::Mutex::new(())),
            removed: AtomicBool::new(false),
        })
    }

    pub fn info(&self) -> MutexGuard<'_, UploadInfo> {
        self.info.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(crate) enum Lookup {
    Found(Arc<Upload>),
    /// Expired or terminated.
    Gone,
    Unknown,
}

pub(crate) struct Store {
    limits: Limits,
    app_dir: PathBuf,
    uploads_dir: PathBuf,
    received_dir: PathBuf,
    uploads: Mutex<HashMap<String, Arc<Upload>>>,
    /// Ids removed by expiry or termination in this run, for 410 rather than 404.
    gone: Mutex<HashSet<String>>,
    received: Mutex<Vec<ReceivedRecord>>,
}

const MAX_TOMBSTONES: usize = 100_000;

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Makes a rename or a new file in `dir` survive a power cut.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Writes `bytes` to `path` so that a crash leaves either the old or the
/// new content, never a mix.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = File::create(&tmp)?;
        io::Write::write_all(&mut f, bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// 128 random bits in hex: an upload URL is its only credential.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the OS random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Ids are exactly what [`new_id`] makes; anything else is unknown (and
/// never reaches a path).
pub(crate) fn is_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Store {
    pub fn open(config: &ServerConfig) -> io::Result<Store> {
        let uploads_dir = config.data_dir.join("uploads");
        let received_dir = config.data_dir.join("received");
        fs::create_dir_all(&uploads_dir)?;
        fs::create_dir_all(&received_dir)?;
        let store = Store {
            limits: config.limits.clone(),
            app_dir: config.app_dir.clone(),
            uploads_dir,
            received_dir,
            uploads: Mutex::new(HashMap::new()),
            gone: Mutex::new(HashSet::new()),
            received: Mutex::new(Vec::new()),
        };
        *lock(&store.received) = received::load_all(&store.received_dir)?;
        store.recover()?;
        Ok(store)
    }

    /// Reloads uploads left by a previous run, each at its recorded offset.
    fn recover(&self) -> io::Result<()> {
        for entry in fs::read_dir(&self.uploads_dir)? {
            let path = entry?.path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "tmp" {
                let _ = fs::remove_file(&path);
                continue;
            }
            if ext != "json" {
                continue;
            }
            let Some(mut info) = fs::read(&path).ok().and_then(|b| serde_json::from_slice::<UploadInfo>(&b).ok()) else {
                continue;
            };
            if !is_id(&info.id) {
                continue;
            }
            if !info.completed {
                let data = self.data_path(&info.id);
                match OpenOptions::new().write(true).open(&data) {
                    Ok(f) => {
                        // A crash mid-chunk leaves an unacknowledged (maybe unverified) tail.
                        let durable = f.metadata()?.len().min(info.offset);
                        f.set_len(durable)?;
                        f.sync_all()?;
                        info.offset = durable;
                    }
                    // Moved to received/ just before a crash: finish below.
                    Err(_) if info.offset == info.length && self.received_path(&info.id).exists() => {}
                    Err(_) => continue,
                }
            }
            let id = info.id.clone();
            let full = !info.completed && info.offset == info.length;
            self.insert(info);
            if full {
                self.complete(&id)?;
            }
        }
        Ok(())
    }

    fn insert(&self, info: UploadInfo) {
        lock(&self.uploads).insert(info.id.clone(), Upload::new(info));
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn app_dir(&self) -> &Path {
        &self.app_dir
    }

    pub fn data_path(&self, id: &str) -> PathBuf {
        self.uploads_dir.join(format!("{id}.bin"))
    }

    fn info_path(&self, id: &str) -> PathBuf {
        self.uploads_dir.join(format!("{id}.json"))
    }

    pub fn received_path(&self, id: &str) -> PathBuf {
        self.received_dir.join(format!("{id}.zip"))
    }

    /// Creates an empty upload, durable before its URL is handed out.
    pub fn create(&self, length: u64, metadata: Option<String>, filename: Option<String>) -> Result<UploadInfo, Refusal> {
        let now = now_ms();
        let info = UploadInfo {
            id: new_id(),
            length,
            offset: 0,
            metadata,
            filename,
            created_ms: now,
            expires_ms: now + self.limits.expire_after.as_millis() as u64,
            completed: false,
        };
        // Count and reserve under one lock so two creations cannot both take the last place.
        let mut uploads = lock(&self.uploads);
        let open: Vec<u64> = uploads.values().map(|u| u.info()).filter(|i| !i.completed).map(|i| i.length).collect();
        if open.len() >= self.limits.max_in_progress {
            return Err((StatusCode::SERVICE_UNAVAILABLE, Msg::UploadTooMany));
        }
        let received: u64 = lock(&self.received).iter().map(|r| r.size).sum();
        if received + open.iter().sum::<u64>() + length > self.limits.max_disk {
            return Err((StatusCode::INSUFFICIENT_STORAGE, Msg::UploadDiskFull));
        }
        let made = File::create_new(self.data_path(&info.id)).and_then(|f| f.sync_all()).and_then(|()| self.persist(&info));
        if made.is_err() {
            let _ = fs::remove_file(self.data_path(&info.id));
            return Err((StatusCode::INTERNAL_SERVER_ERROR, Msg::UploadStorage));
        }
        uploads.insert(info.id.clone(), Upload::new(info.clone()));
        Ok(info)
    }

    /// Records `info` durably (atomic replace, directory synced).
    pub fn persist(&self, info: &UploadInfo) -> io::Result<()> {
        write_atomic(&self.info_path(&info.id), &serde_json::to_vec(info).expect("plain data"))
    }

    /// Finds an upload; an expired one is removed on the spot.
    pub fn lookup(&self, id: &str) -> Lookup {
        if !is_id(id) {
            return Lookup::Unknown;
        }
        let found = lock(&self.uploads).get(id).cloned();
        match found {
            Some(u) if u.info().expires_ms <= now_ms() && u.writer.try_lock().is_ok() => {
                self.remove(&u);
                Lookup::Gone
            }
            Some(u) => Lookup::Found(u),
            None if lock(&self.gone).contains(id) => Lookup::Gone,
            None => Lookup::Unknown,
        }
    }

    /// Deletes an upload's files (a completed one keeps its received package).
    /// The caller holds the writer lock or knows nobody does.
    pub fn remove(&self, upload: &Upload) {
        upload.removed.store(true, Ordering::SeqCst);
        let info = upload.info().clone();
        let _ = fs::remove_file(self.info_path(&info.id));
        if !info.completed {
            let _ = fs::remove_file(self.data_path(&info.id));
        }
        let _ = sync_dir(&self.uploads_dir);
        lock(&self.uploads).remove(&info.id);
        let mut gone = lock(&self.gone);
        if gone.len() >= MAX_TOMBSTONES {
            gone.clear();
        }
        gone.insert(info.id);
    }

    /// Removes every expired upload nobody is writing.
    pub fn sweep(&self) -> usize {
        let now = now_ms();
        let all: Vec<Arc<Upload>> = lock(&self.uploads).values().cloned().collect();
        let mut n = 0;
        for u in all {
            if u.info().expires_ms <= now {
                if let Ok(_guard) = u.writer.try_lock() {
                    self.remove(&u);
                    n += 1;
                }
            }
        }
        n
    }

    /// A full upload becomes a received dossier: moved, verified, recorded.
    pub fn complete(&self, id: &str) -> io::Result<()> {
        let Some(upload) = lock(&self.uploads).get(id).cloned() else { return Ok(()) };
        let mut info = upload.info().clone();
        if info.completed {
            return Ok(());
        }
        let target = self.received_path(id);
        if self.data_path(id).exists() {
            fs::rename(self.data_path(id), &target)?;
            sync_dir(&self.received_dir)?;
            sync_dir(&self.uploads_dir)?;
        }
        let record = received::receive(&target, &info)?;
        write_atomic(&self.received_dir.join(format!("{id}.json")), &serde_json::to_vec_pretty(&record).expect("plain data"))?;
        {
            let mut list = lock(&self.received);
            list.retain(|r| r.id != record.id);
            list.insert(0, record);
        }
        info.completed = true;
        self.persist(&info)?;
        *upload.info() = info;
        Ok(())
    }

    pub fn received_list(&self) -> Vec<ReceivedRecord> {
        lock(&self.received).clone()
    }

    pub fn received_record(&self, id: &str) -> Option<ReceivedRecord> {
        lock(&self.received).iter().find(|r| r.id == id).cloned()
    }
}
