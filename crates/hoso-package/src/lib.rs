//! Dossier packages: the files of a dossier in a BagIt 1.0 bag (RFC 8493)
//! with SHA-256 manifests, inside a zip, and the check of such a package.
//!
//! ```text
//! bagit.txt               BagIt-Version, Tag-File-Character-Encoding
//! bag-info.txt            Source-Organization, External-Identifier, Bagging-Date, Payload-Oxum, Bag-Size
//! manifest-sha256.txt     "<sha256>  data/<path>" per payload file, sorted
//! tagmanifest-sha256.txt  the same for the three files above
//! data/...                the payload
//! ```
//!
//! [`pack`] is deterministic: the same files and [`BagInfo`] give the same
//! bytes, whatever the order of the files. [`verify`] reads any zip without
//! trusting it: limits against zip bombs, unsafe names, duplicates, and a
//! streaming SHA-256 of every entry, never holding a payload file in memory.
//!
//! No I/O: the caller hands bytes in and gets bytes or a [`Report`] out.

pub mod backup;
pub mod upload;
mod crc32;
mod dossier;
pub use dossier::{
    pack_dossier, pack_dossier_with_missing, pack_dossier_with_receipt, DossierPackage, ReceiptFile, SOURCE_ORGANIZATION,
};
mod zipfile;

use hoso_core::{date::Date, i18n::Msg};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{self, Read, Seek, Write};

/// Largest payload, in uncompressed bytes, that we pack or open.
pub const MAX_TOTAL_BYTES: u64 = 2 << 30;
/// Most zip entries that we pack or open.
pub const MAX_ENTRIES: u64 = 10_000;
/// Entries over [`RATIO_FLOOR_BYTES`] that expand more than this many times
/// are taken for a zip bomb.
pub const MAX_RATIO: u64 = 200;
pub const RATIO_FLOOR_BYTES: u64 = 1 << 20;
/// Tag files (bagit.txt, manifests, bag-info.txt) are read into memory; the
/// manifest of 10,000 files fits well within this.
const MAX_TAG_BYTES: u64 = 8 << 20;
/// Longest payload path accepted by [`pack`], in bytes (Windows keeps
/// whole paths under 260).
const MAX_PATH_BYTES: usize = 200;

pub const BAGIT_TXT: &str = "bagit.txt";
pub const BAG_INFO_TXT: &str = "bag-info.txt";
pub const MANIFEST: &str = "manifest-sha256.txt";
pub const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
const BAGIT_CONTENT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// Extensions whose content is already compressed: stored as they are.
const STORE_AS_IS: &[&str] = &[
    "pdf", "jpg", "jpeg", "png", "webp", "gif", "heic", "heif", "avif", "jp2", "zip", "gz", "7z", "rar", "docx",
    "xlsx", "pptx", "odt", "ods", "mp3", "mp4", "m4a",
];

// ------------------------------------------------------------------ pack

/// One file of the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageFile {
    /// Path relative to `data/`, ASCII, `/`-separated, e.g. `01-to-khai.pdf`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What bag-info.txt says about the dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BagInfo {
    /// The commune office, e.g. "UBND xã Tân Phú".
    pub source_organization: String,
    /// The dossier code.
    pub external_identifier: String,
    pub bagging_date: Date,
}

/// Why a set of files cannot be packed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackError {
    /// Empty, absolute, `..`, backslash, non-ASCII or otherwise unportable path.
    UnsafePath(String),
    /// Two files with the same path (ignoring ASCII case), or a file where
    /// another needs a folder.
    Duplicate(String),
    /// Over [`MAX_TOTAL_BYTES`] or [`MAX_ENTRIES`].
    TooLarge,
    /// Required papers missing with no reason recorded (their names).
    MissingPapers(Vec<String>),
}

impl PackError {
    pub fn msg(&self) -> Msg {
        match self {
            PackError::UnsafePath(p) => Msg::PackageUnsafePath(p.clone()),
            PackError::Duplicate(p) => Msg::PackageDuplicate(p.clone()),
            PackError::TooLarge => Msg::PackageTooLarge,
            PackError::MissingPapers(names) => Msg::PackageMissingPapers(names.clone()),
        }
    }
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().vi())
    }
}

impl std::error::Error for PackError {}

/// Packs `files` under `data/` in a BagIt bag zipped at the root.
/// Entries: bagit.txt, bag-info.txt, manifest-sha256.txt,
/// tagmanifest-sha256.txt, then the payload sorted by path; all dated
/// `info.bagging_date` 00:00, mode 0644, no extra fields.
pub fn pack(files: &[PackageFile], info: &BagInfo) -> Result<Vec<u8>, PackError> {
    let mut files: Vec<&PackageFile> = files.iter().collect();
    hoso_core::sort::sort_by(&mut files, |a, b| a.path.cmp(&b.path));
    check_pack_paths(&files)?;
    let octets: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    if octets > MAX_TOTAL_BYTES || files.len() as u64 + 4 > MAX_ENTRIES {
        return Err(PackError::TooLarge);
    }

    let mut manifest = String::new();
    for f in &files {
        manifest += &format!("{}  data/{}\n", hex(&Sha256::digest(&f.bytes)), f.path);
    }
    let bag_info = format!(
        "Source-Organization: {}\nExternal-Identifier: {}\nBagging-Date: {:04}-{:02}-{:02}\nPayload-Oxum: {}.{}\nBag-Size: {}\n",
        one_line(&info.source_organization),
        one_line(&info.external_identifier),
        info.bagging_date.year,
        info.bagging_date.month,
        info.bagging_date.day,
        octets,
        files.len(),
        human_size(octets),
    );
    // Sorted by name, like the payload manifest.
    let mut tag_manifest = String::new();
    for (name, content) in [(BAG_INFO_TXT, &bag_info), (BAGIT_TXT, &BAGIT_CONTENT.to_string()), (MANIFEST, &manifest)] {
        tag_manifest += &format!("{}  {name}\n", hex(&Sha256::digest(content.as_bytes())));
    }

    let mut zip = zipfile::ZipOut::new(info.bagging_date);
    for (name, content) in [
        (BAGIT_TXT, BAGIT_CONTENT),
        (BAG_INFO_TXT, &bag_info),
        (MANIFEST, &manifest),
        (TAG_MANIFEST, &tag_manifest),
    ] {
        add_entry(&mut zip, name, content.as_bytes(), true);
    }
    for f in &files {
        add_entry(&mut zip, &format!("data/{}", f.path), &f.bytes, !is_precompressed(&f.path));
    }
    Ok(zip.finish())
}

/// Deflates when asked and worth it: smaller, and not so much smaller that
/// [`verify`] would take it for a bomb.
fn add_entry(zip: &mut zipfile::ZipOut, name: &str, data: &[u8], try_deflate: bool) {
    let deflated = try_deflate
        .then(|| miniz_oxide::deflate::compress_to_vec(data, 6))
        .filter(|c| c.len() < data.len() && !looks_like_bomb(data.len() as u64, c.len() as u64));
    zip.add(name, data, deflated.as_deref());
}

fn is_precompressed(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    STORE_AS_IS.contains(&ext.as_str())
}

fn looks_like_bomb(size: u64, compressed: u64) -> bool {
    size > RATIO_FLOOR_BYTES && size > compressed.saturating_mul(MAX_RATIO)
}

fn check_pack_paths(sorted: &[&PackageFile]) -> Result<(), PackError> {
    let mut seen = HashSet::new();
    for f in sorted {
        if !is_portable_path(&f.path) {
            return Err(PackError::UnsafePath(f.path.clone()));
        }
        if !seen.insert(f.path.to_ascii_lowercase()) {
            return Err(PackError::Duplicate(f.path.clone()));
        }
    }
    // "a" and "a/b" cannot both be extracted.
    for f in sorted {
        let lower = f.path.to_ascii_lowercase();
        for (i, _) in lower.match_indices('/') {
            if seen.contains(&lower[..i]) {
                return Err(PackError::Duplicate(f.path.clone()));
            }
        }
    }
    Ok(())
}

/// What [`pack`] accepts: relative, `/`-separated printable ASCII that
/// extracts to the same name on Windows, macOS and Linux, and needs no
/// percent-encoding in a BagIt manifest.
fn is_portable_path(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= MAX_PATH_BYTES
        && p.bytes().all(|b| (b' '..=b'~').contains(&b) && !br#"\:*?"<>|%"#.contains(&b))
        && p.split('/').all(|c| !c.is_empty() && !c.starts_with(' ') && !c.ends_with(' ') && !c.ends_with('.'))
}

fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control()).filter(|p| !p.trim().is_empty()).map(str::trim).collect::<Vec<_>>().join(" ")
}

/// "512 B", "4.7 KB", "1.2 MB", "350 MB" (decimal units, rounded; integer
/// arithmetic only: float formatting costs kilobytes of wasm).
pub fn human_size(bytes: u64) -> String {
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut unit = 1000u64;
    for name in ["KB", "MB", "GB", "TB"] {
        // In tenths of the unit, rounded half up.
        let tenths = (bytes.saturating_mul(10) + unit / 2) / unit;
        if tenths < 9_995 || name == "TB" {
            return if tenths < 1000 {
                format!("{}.{} {name}", tenths / 10, tenths % 10)
            } else {
                format!("{} {name}", (tenths + 5) / 10)
            };
        }
        unit *= 1000;
    }
    unreachable!()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase hex SHA-256, as manifests write it; the app uses it to check
/// stored page blobs too.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

// ---------------------------------------------------------------- verify

/// What happened to one file of the payload (or to an entry that should not
/// be in the package at all).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Listed in the manifest, present, same SHA-256.
    Ok,
    /// Present but its content differs from the manifest (or cannot be read).
    Changed,
    /// Listed in the manifest, not in the package.
    Missing,
    /// In `data/` but not in the manifest.
    Extra,
    /// A name that could write outside the folder it is extracted to, a
    /// symlink, a duplicate name: not opened.
    Unsafe,
}

impl FileStatus {
    /// The sentence for a file at `path` in this state; `None` when Ok.
    pub fn msg(self, path: &str) -> Option<Msg> {
        let p = path.to_string();
        match self {
            FileStatus::Ok => None,
            FileStatus::Changed => Some(Msg::PackageHashMismatch(p)),
            FileStatus::Missing => Some(Msg::PackageMissingFile(p)),
            FileStatus::Extra => Some(Msg::PackageExtraFile(p)),
            FileStatus::Unsafe => Some(Msg::PackageUnsafePath(p)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Changed => "changed",
            FileStatus::Missing => "missing",
            FileStatus::Extra => "extra",
            FileStatus::Unsafe => "unsafe",
        }
    }
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    /// Path inside the bag, e.g. `data/01-to-khai.pdf` (an unsafe entry's
    /// name as found, non-UTF-8 bytes replaced).
    pub path: String,
    /// Size of the content found (0 when missing).
    pub bytes: u64,
    pub status: FileStatus,
    /// Why, when not Ok; serialized as its Vietnamese text.
    #[serde(serialize_with = "ser_opt_msg")]
    pub message: Option<Msg>,
}

impl FileCheck {
    fn new(path: &str, bytes: u64, status: FileStatus) -> FileCheck {
        FileCheck { path: path.to_string(), bytes, status, message: status.msg(path) }
    }
}

/// The outcome of [`verify`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Payload files and unsafe entries, sorted by path.
    pub files: Vec<FileCheck>,
    /// Package-level problems: not a zip, no manifest, bad lines, tag
    /// files changed, wrong Payload-Oxum, too large.
    pub problems: Vec<Msg>,
    /// From bag-info.txt, when present.
    pub source_organization: Option<String>,
    pub external_identifier: Option<String>,
    pub bagging_date: Option<Date>,
}

impl Report {
    /// True only if there is no problem and every file is Ok.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty() && self.files.iter().all(|f| f.status == FileStatus::Ok)
    }

    /// Every sentence to show: package problems first, then files.
    pub fn messages(&self) -> Vec<Msg> {
        let files = self.files.iter().filter_map(|f| f.message.clone());
        self.problems.iter().cloned().chain(files).collect()
    }

    /// Payload bytes found.
    pub fn payload_bytes(&self) -> u64 {
        self.files.iter().filter(|f| f.status != FileStatus::Unsafe).map(|f| f.bytes).sum()
    }

    fn fail(problem: Msg) -> Report {
        Report { problems: vec![problem], ..Report::default() }
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Report", 6)?;
        st.serialize_field("intact", &self.is_intact())?;
        st.serialize_field("source_organization", &self.source_organization)?;
        st.serialize_field("external_identifier", &self.external_identifier)?;
        st.serialize_field("bagging_date", &self.bagging_date.map(iso_date))?;
        st.serialize_field("problems", &self.problems.iter().map(Msg::vi).collect::<Vec<_>>())?;
        st.serialize_field("files", &self.files)?;
        st.end()
    }
}

fn ser_opt_msg<S: Serializer>(m: &Option<Msg>, s: S) -> Result<S::Ok, S::Error> {
    m.as_ref().map(Msg::vi).serialize(s)
}

fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// Checks a package. Reads the zip's directory, refuses bombs, then streams
/// every entry once through SHA-256 (payload never held in memory) and
/// compares with the manifests.
pub fn verify<R: Read + Seek>(mut reader: R) -> Report {
    let dir = match zipfile::read_directory(&mut reader, MAX_ENTRIES, MAX_TAG_BYTES * 4) {
        Ok(d) => d,
        Err(zipfile::DirError::NotZip(why)) => return Report::fail(Msg::PackageNotZip(why)),
        Err(zipfile::DirError::TooLarge) => return Report::fail(Msg::PackageTooLarge),
    };
    if let Some(problem) = check_limits(&dir) {
        return Report::fail(problem);
    }

    let mut report = Report::default();
    let root = bag_root(&dir.entries);
    let mut seen = HashSet::new();
    // Readable entries of the bag by path: (sha256, size, content of tag files).
    let mut found: HashMap<String, Found> = HashMap::new();
    let mut payload: Vec<String> = Vec::new();

    for entry in &dir.entries {
        let Ok(name) = std::str::from_utf8(&entry.name) else {
            let lossy = String::from_utf8_lossy(&entry.name);
            report.files.push(FileCheck::new(&lossy, entry.size, FileStatus::Unsafe));
            continue;
        };
        let path = name.strip_prefix(root.as_str()).unwrap_or(name);
        if !is_safe_entry_path(path) || entry.is_special() {
            report.files.push(FileCheck::new(path, entry.size, FileStatus::Unsafe));
            continue;
        }
        if path.is_empty() || (path.ends_with('/') && entry.size == 0) {
            continue; // a folder
        }
        if !seen.insert(path.to_ascii_lowercase()) {
            let mut check = FileCheck::new(path, entry.size, FileStatus::Unsafe);
            check.message = Some(Msg::PackageDuplicate(path.to_string()));
            report.files.push(check);
            continue;
        }
        let keep = [BAGIT_TXT, BAG_INFO_TXT, MANIFEST, TAG_MANIFEST].contains(&path);
        let got = read_entry(&mut reader, entry, dir.data_end, keep);
        if let Err(Unreadable::Unsupported(why)) = &got {
            report.problems.push(Msg::PackageNotZip(why.clone()));
        }
        if path.starts_with("data/") {
            payload.push(path.to_string());
        }
        found.insert(path.to_string(), Found { size: entry.size, read: got });
    }

    // bagit.txt: a declaration that this is a bag.
    let bagit_ok = found.get(BAGIT_TXT).and_then(Found::text).is_some_and(|t| {
        let fields = tag_fields(t).unwrap_or_default();
        let get = |k: &str| fields.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
        get("BagIt-Version").is_some_and(|v| !v.is_empty())
            && get("Tag-File-Character-Encoding").is_some_and(|v| v.eq_ignore_ascii_case("UTF-8"))
    });
    if !bagit_ok {
        report.problems.push(Msg::PackageBadTagFile(BAGIT_TXT.into()));
    }

    // The payload manifest against the payload.
    let mut listed: HashMap<String, [u8; 32]> = HashMap::new();
    match found.get(MANIFEST) {
        None => report.problems.push(Msg::PackageNoManifest),
        Some(f) => match f.read.as_ref().ok().and_then(|r| r.content.as_deref()) {
            None => report.problems.push(Msg::PackageHashMismatch(MANIFEST.into())),
            Some(bytes) => {
                for line in parse_manifest(bytes) {
                    match line {
                        Line::Ok(n, path, _) if !path.starts_with("data/") => {
                            report.problems.push(Msg::PackageBadManifestLine(n))
                        }
                        Line::Ok(_, path, hash) => {
                            if listed.insert(path.clone(), hash).is_some() {
                                report.problems.push(Msg::PackageDuplicate(path));
                            }
                        }
                        Line::Bad(n) => report.problems.push(Msg::PackageBadManifestLine(n)),
                        Line::Unsafe(path) => report.problems.push(Msg::PackageUnsafePath(path)),
                    }
                }
            }
        },
    }
    let mut octets = 0u64;
    for path in &payload {
        let f = &found[path];
        let check = match (&f.read, listed.remove(path)) {
            (Ok(r), None) => FileCheck::new(path, r.size, FileStatus::Extra),
            (Ok(r), Some(hash)) if r.sha256 == hash => FileCheck::new(path, r.size, FileStatus::Ok),
            (Ok(r), Some(_)) => FileCheck::new(path, r.size, FileStatus::Changed),
            (Err(_), Some(_)) => FileCheck::new(path, f.size, FileStatus::Changed),
            (Err(_), None) => FileCheck::new(path, f.size, FileStatus::Extra),
        };
        octets += check.bytes;
        report.files.push(check);
    }
    for path in listed.into_keys() {
        report.files.push(FileCheck::new(&path, 0, FileStatus::Missing));
    }
    hoso_core::sort::sort_by(&mut report.files, |a, b| a.path.cmp(&b.path));

    // The tag manifest against the tag files (optional in BagIt).
    if let Some(f) = found.get(TAG_MANIFEST) {
        match f.text().map(|t| parse_manifest(t.as_bytes())) {
            None => report.problems.push(Msg::PackageBadTagFile(TAG_MANIFEST.into())),
            Some(lines) => {
                for line in lines {
                    match line {
                        Line::Ok(_, path, hash) if !path.starts_with("data/") => match found.get(&path) {
                            None => report.problems.push(Msg::PackageMissingFile(path)),
                            Some(Found { read: Ok(r), .. }) if r.sha256 == hash => {}
                            Some(_) => report.problems.push(Msg::PackageHashMismatch(path)),
                        },
                        _ => report.problems.push(Msg::PackageBadTagFile(TAG_MANIFEST.into())),
                    }
                }
            }
        }
    }

    // bag-info.txt (optional): what it says, and Payload-Oxum.
    if let Some(f) = found.get(BAG_INFO_TXT) {
        match f.text().and_then(tag_fields) {
            None => report.problems.push(Msg::PackageBadTagFile(BAG_INFO_TXT.into())),
            Some(fields) => {
                let get = |k: &str| fields.iter().find(|(l, _)| l.eq_ignore_ascii_case(k)).map(|(_, v)| v.clone());
                report.source_organization = get("Source-Organization");
                report.external_identifier = get("External-Identifier");
                report.bagging_date = get("Bagging-Date").and_then(|d| Date::parse(&d));
                // A missing or changed file already explains a wrong count.
                let files_fine = report.files.iter().all(|f| f.status == FileStatus::Ok);
                if let Some(oxum) = get("Payload-Oxum") {
                    let expected = format!("{octets}.{}", payload.len());
                    if oxum != expected && files_fine {
                        report.problems.push(Msg::PackageBadOxum);
                    }
                }
            }
        }
    }
    report
}

/// [`verify`] on bytes in memory.
pub fn verify_bytes(zip: &[u8]) -> Report {
    verify(io::Cursor::new(zip))
}

/// The payload of an intact package, paths relative to `data/`. Verifies
/// first: nothing is handed out from a package that is not intact.
pub fn unpack(zip: &[u8]) -> Result<Vec<PackageFile>, Vec<Msg>> {
    let report = verify_bytes(zip);
    if !report.is_intact() {
        return Err(report.messages());
    }
    let mut reader = io::Cursor::new(zip);
    let dir = zipfile::read_directory(&mut reader, MAX_ENTRIES, MAX_TAG_BYTES * 4)
        .map_err(|_| vec![Msg::PackageNotZip("thư mục zip".into())])?;
    let root = bag_root(&dir.entries);
    let mut files = Vec::new();
    for entry in &dir.entries {
        let Some(path) = std::str::from_utf8(&entry.name).ok().and_then(|n| n.strip_prefix(&root)).and_then(|n| n.strip_prefix("data/")) else {
            continue;
        };
        if path.is_empty() || path.ends_with('/') {
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size.min(MAX_TOTAL_BYTES) as usize);
        zipfile::open_entry(&mut reader, entry, dir.data_end)
            .and_then(|r| r.take(entry.size).read_to_end(&mut bytes).map_err(|_| zipfile::EntryError::Damaged))
            .map_err(|_| vec![Msg::PackageNotZip(path.to_string())])?;
        files.push(PackageFile { path: path.to_string(), bytes });
    }
    Ok(files)
}

/// The raw zip reader alone, for the fuzzer (`fuzz/`): reads the central
/// directory of `zip` as [`verify`] does (no bag rules, no bomb check) and
/// streams each entry, at most `cap` decompressed bytes of it. Per entry:
/// its name and how many bytes came out, or `None` if it could not be read.
#[doc(hidden)]
pub fn zip_entries(zip: &[u8], cap: u64) -> Result<Vec<(Vec<u8>, Option<u64>)>, Msg> {
    let mut reader = io::Cursor::new(zip);
    let dir = match zipfile::read_directory(&mut reader, MAX_ENTRIES, MAX_TAG_BYTES * 4) {
        Ok(d) => d,
        Err(zipfile::DirError::NotZip(why)) => return Err(Msg::PackageNotZip(why)),
        Err(zipfile::DirError::TooLarge) => return Err(Msg::PackageTooLarge),
    };
    let mut out = Vec::with_capacity(dir.entries.len());
    for entry in &dir.entries {
        let n = zipfile::open_entry(&mut reader, entry, dir.data_end)
            .ok()
            .and_then(|body| io::copy(&mut body.take(entry.size.min(cap)), &mut io::sink()).ok());
        out.push((entry.name.clone(), n));
    }
    Ok(out)
}

/// Total size, entry count and per-entry expansion, from the directory,
/// before anything is decompressed. The declared sizes are then enforced
/// while reading.
fn check_limits(dir: &zipfile::Directory) -> Option<Msg> {
    let total = dir.entries.iter().try_fold(0u64, |acc, e| acc.checked_add(e.size));
    if dir.entries.len() as u64 > MAX_ENTRIES
        || total.is_none_or(|t| t > MAX_TOTAL_BYTES)
        || dir.entries.iter().any(|e| looks_like_bomb(e.size, e.compressed))
    {
        return Some(Msg::PackageTooLarge);
    }
    // Entries sharing compressed data (overlapping) multiply work for free.
    let mut spans: Vec<(u64, u64)> = dir
        .entries
        .iter()
        .map(|e| (e.header_offset, e.header_offset.saturating_add(30 + e.name.len() as u64).saturating_add(e.compressed)))
        .collect();
    spans.sort_unstable();
    let overlapping = spans.windows(2).any(|w| w[0].1 > w[1].0) || spans.last().is_some_and(|s| s.1 > dir.data_end);
    overlapping.then(|| Msg::PackageNotZip("dữ liệu các tệp trong zip chồng lên nhau".into()))
}

/// "" normally; "folder/" when the whole bag sits in one folder (a bag
/// extracted and zipped again by a file manager).
fn bag_root(entries: &[zipfile::Entry]) -> String {
    let names: Vec<&str> = entries.iter().filter_map(|e| std::str::from_utf8(&e.name).ok()).collect();
    if names.contains(&BAGIT_TXT) || names.contains(&MANIFEST) {
        return String::new();
    }
    let Some(top) = names.iter().find_map(|n| n.strip_suffix(BAGIT_TXT).filter(|p| p.ends_with('/') && p.matches('/').count() == 1))
    else {
        return String::new();
    };
    if names.iter().all(|n| n.starts_with(top)) && names.len() == entries.len() {
        top.to_string()
    } else {
        String::new()
    }
}

/// A relative path that cannot leave the folder it is extracted to on any
/// system: no root, drive or backslash, no `.`/`..`/empty component, no
/// control characters. A folder's trailing `/` is allowed.
fn is_safe_entry_path(p: &str) -> bool {
    let body = p.strip_suffix('/').unwrap_or(p);
    !body.is_empty()
        && !p.starts_with('/')
        && !p.contains(['\\', ':'])
        && !p.chars().any(char::is_control)
        && body.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

struct Found {
    /// As declared in the directory.
    size: u64,
    read: Result<Content, Unreadable>,
}

impl Found {
    fn text(&self) -> Option<&str> {
        let bytes = self.read.as_ref().ok()?.content.as_deref()?;
        std::str::from_utf8(bytes).ok()
    }
}

struct Content {
    sha256: [u8; 32],
    size: u64,
    content: Option<Vec<u8>>,
}

enum Unreadable {
    /// Encrypted or an unknown method: a package problem of its own.
    Unsupported(String),
    /// Damaged: corrupt deflate, wrong length or CRC, bad local header.
    Damaged,
}

/// Streams one entry through SHA-256 and CRC-32, reading at most its
/// declared size (plus one byte, to notice more). Keeps the bytes only when
/// `keep` (tag files, capped at [`MAX_TAG_BYTES`]).
fn read_entry<R: Read + Seek>(r: &mut R, e: &zipfile::Entry, data_end: u64, keep: bool) -> Result<Content, Unreadable> {
    if keep && e.size > MAX_TAG_BYTES {
        return Err(Unreadable::Damaged);
    }
    let name = String::from_utf8_lossy(&e.name);
    let mut body = match zipfile::open_entry(r, e, data_end) {
        Ok(b) => b,
        Err(zipfile::EntryError::Unsupported(_)) if e.is_encrypted() => {
            return Err(Unreadable::Unsupported(format!("tệp {name} có mật khẩu, không mở được")));
        }
        Err(zipfile::EntryError::Unsupported(m)) => {
            return Err(Unreadable::Unsupported(format!("tệp {name} nén theo kiểu {m} không hỗ trợ")));
        }
        Err(zipfile::EntryError::Damaged) => return Err(Unreadable::Damaged),
    };
    let mut sink = HashSink { sha: Sha256::new(), crc: 0, keep: keep.then(Vec::new) };
    let n = io::copy(&mut (&mut body).take(e.size.saturating_add(1)), &mut sink).map_err(|_| Unreadable::Damaged)?;
    if n != e.size || sink.crc != e.crc {
        return Err(Unreadable::Damaged);
    }
    Ok(Content { sha256: sink.sha.finalize().into(), size: n, content: sink.keep })
}

struct HashSink {
    sha: Sha256,
    crc: u32,
    keep: Option<Vec<u8>>,
}

impl Write for HashSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sha.update(buf);
        self.crc = crc32::update(self.crc, buf);
        if let Some(k) = &mut self.keep {
            k.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

enum Line {
    /// 1-based line number, path, hash.
    Ok(usize, String, [u8; 32]),
    /// 1-based line number.
    Bad(usize),
    Unsafe(String),
}

/// `<sha256 hex> <whitespace> <path>` per line (RFC 8493 §2.1.3), LF, CRLF
/// or CR endings; `%0A`, `%0D`, `%25` decoded in paths.
fn parse_manifest(bytes: &[u8]) -> Vec<Line> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let parsed = line.split_once([' ', '\t']).and_then(|(h, p)| {
                let path = p.trim_start_matches([' ', '\t']);
                Some((parse_hex(h)?, path)).filter(|_| !path.is_empty() && !line.contains('\u{FFFD}'))
            });
            match parsed {
                None => Line::Bad(i + 1),
                Some((hash, path)) => {
                    let path = path.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
                    if is_safe_entry_path(&path) && !path.ends_with('/') {
                        Line::Ok(i + 1, path, hash)
                    } else {
                        Line::Unsafe(path)
                    }
                }
            }
        })
        .collect()
}

fn parse_hex(h: &str) -> Option<[u8; 32]> {
    if h.len() != 64 || !h.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// `Label: value` lines with indented continuation lines (RFC 8493 §2.2.2).
/// `None` if a line is neither.
fn tag_fields(text: &str) -> Option<Vec<(String, String)>> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            let (_, value) = fields.last_mut()?;
            value.push(' ');
            value.push_str(line.trim());
        } else if !line.is_empty() {
            let (label, value) = line.split_once(':')?;
            fields.push((label.trim().to_string(), value.trim().to_string()));
        }
    }
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(1_234), "1.2 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(human_size(350_000_000), "350 MB");
        assert_eq!(human_size(999_999), "1.0 MB");
        assert_eq!(human_size(99_960), "100 KB");
        assert_eq!(human_size(999_400), "999 KB");
        assert_eq!(human_size(2 << 30), "2.1 GB");
    }

    #[test]
    fn portable_paths() {
        for ok in ["01-to-khai.pdf", "anh/trang 1.jpg", "a.b.c"] {
            assert!(is_portable_path(ok), "{ok}");
        }
        for bad in ["", "/abs", "../evil", "a/../b", "a//b", "a\\b", "C:x", "tờ-khai.pdf", "a/", "x.", " a", "50%.txt", "a\nb"] {
            assert!(!is_portable_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn safe_entry_paths() {
        for ok in ["data/a.pdf", "data/", "bagit.txt", "data/tờ khai.pdf"] {
            assert!(is_safe_entry_path(ok), "{ok}");
        }
        for bad in ["../evil", "/abs", "data/../../x", "data\\x", "C:/x", "./a", "a//b", "", "/", "a\u{0}b"] {
            assert!(!is_safe_entry_path(bad), "{bad:?}");
        }
    }

    #[test]
    fn manifest_lines() {
        let h = "ab".repeat(32);
        let text = format!("{h}  data/a b.txt\r\n{h} data/x%25y\nnot a line\n{}  data/z\n{h}  ../up\n", "g".repeat(64));
        let lines = parse_manifest(text.as_bytes());
        assert!(matches!(&lines[0], Line::Ok(1, p, x) if p == "data/a b.txt" && x[0] == 0xab));
        assert!(matches!(&lines[1], Line::Ok(2, p, _) if p == "data/x%y"));
        assert!(matches!(lines[2], Line::Bad(3)));
        assert!(matches!(lines[3], Line::Bad(4)));
        assert!(matches!(&lines[4], Line::Unsafe(p) if p == "../up"));
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn tag_fields_with_continuation() {
        let f = tag_fields("A: 1\nB: two\n  lines\n").unwrap();
        assert_eq!(f, vec![("A".into(), "1".into()), ("B".into(), "two lines".into())]);
        assert!(tag_fields("no colon here\n").is_none());
    }

    #[test]
    fn pack_refuses_bad_sets() {
        let info = BagInfo {
            source_organization: "UBND xã A".into(),
            external_identifier: "X".into(),
            bagging_date: Date::new(2026, 2, 5).unwrap(),
        };
        let f = |p: &str| PackageFile { path: p.into(), bytes: vec![1] };
        assert_eq!(pack(&[f("../x")], &info), Err(PackError::UnsafePath("../x".into())));
        assert_eq!(pack(&[f("")], &info), Err(PackError::UnsafePath("".into())));
        assert_eq!(pack(&[f("a.pdf"), f("A.PDF")], &info).unwrap_err().msg(), Msg::PackageDuplicate("a.pdf".into()));
        assert!(matches!(pack(&[f("a"), f("a/b")], &info), Err(PackError::Duplicate(_))));
        assert!(pack(&[f("a/b"), f("a/c")], &info).is_ok());
    }
}
