//! Just enough ZIP (PKWARE APPNOTE) for bags, written and read here so that
//! every byte is under our control: a deterministic writer (stored and
//! deflate, no extra fields, no data descriptors) and a reader that trusts
//! nothing, reads entries one at a time and reports what it found.

use crate::crc32;
use hoso_core::date::Date;
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use std::io::{self, Read, Seek, SeekFrom, Take};

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const LOCAL_LEN: u64 = 30;
const CENTRAL_LEN: usize = 46;
const EOCD_LEN: usize = 22;

pub(crate) const STORED: u16 = 0;
pub(crate) const DEFLATED: u16 = 8;

/// Regular file, rw-r--r--, in the high half of the external attributes.
const UNIX_FILE_0644: u32 = 0o100_644 << 16;
/// "Version made by": Unix (3), APPNOTE 2.0.
const MADE_BY_UNIX: u16 = (3 << 8) | 20;

// ---------------------------------------------------------------- writer

/// Builds a whole archive in memory. Sizes and offsets must stay below
/// 4 GiB and entries below 65,535 (the caller's limits are far lower).
pub(crate) struct ZipOut {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
    dos_time: u16,
    dos_date: u16,
}

impl ZipOut {
    /// Every entry gets `date` at 00:00 as its modification time.
    pub(crate) fn new(date: Date) -> ZipOut {
        ZipOut { out: Vec::new(), central: Vec::new(), count: 0, dos_time: 0, dos_date: dos_date(date) }
    }

    /// Adds `data` under `name`; `compressed` is the raw deflate stream of
    /// `data` when the entry is to be deflated.
    pub(crate) fn add(&mut self, name: &str, data: &[u8], compressed: Option<&[u8]>) {
        let (method, body, needed) = match compressed {
            Some(c) => (DEFLATED, c, 20),
            None => (STORED, data, 10),
        };
        let crc = crc32::update(0, data);
        let offset = u32::try_from(self.out.len()).expect("archive under 4 GiB");
        let size = u32::try_from(data.len()).expect("entry under 4 GiB");
        let csize = u32::try_from(body.len()).expect("entry under 4 GiB");
        let name_len = u16::try_from(name.len()).expect("short name");

        let o = &mut self.out;
        put32(o, LOCAL_SIG);
        put16(o, needed);
        put16(o, 0); // flags: no encryption, no data descriptor, ASCII names
        put16(o, method);
        put16(o, self.dos_time);
        put16(o, self.dos_date);
        put32(o, crc);
        put32(o, csize);
        put32(o, size);
        put16(o, name_len);
        put16(o, 0); // no extra field
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(body);

        let c = &mut self.central;
        put32(c, CENTRAL_SIG);
        put16(c, MADE_BY_UNIX);
        put16(c, needed);
        put16(c, 0);
        put16(c, method);
        put16(c, self.dos_time);
        put16(c, self.dos_date);
        put32(c, crc);
        put32(c, csize);
        put32(c, size);
        put16(c, name_len);
        put16(c, 0); // extra
        put16(c, 0); // comment
        put16(c, 0); // disk
        put16(c, 0); // internal attributes
        put32(c, UNIX_FILE_0644);
        put32(c, offset);
        c.extend_from_slice(name.as_bytes());
        self.count = self.count.checked_add(1).expect("under 65,535 entries");
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        let cd_offset = u32::try_from(self.out.len()).expect("archive under 4 GiB");
        let cd_size = u32::try_from(self.central.len()).expect("directory under 4 GiB");
        self.out.append(&mut self.central);
        let o = &mut self.out;
        put32(o, EOCD_SIG);
        put16(o, 0);
        put16(o, 0);
        put16(o, self.count);
        put16(o, self.count);
        put32(o, cd_size);
        put32(o, cd_offset);
        put16(o, 0); // no comment
        self.out
    }
}

/// MS-DOS date; ZIP cannot say anything before 1980 or after 2107.
fn dos_date(d: Date) -> u16 {
    if (1980..=2107).contains(&d.year) {
        (((d.year - 1980) as u16) << 9) | (u16::from(d.month) << 5) | u16::from(d.day)
    } else {
        (1 << 5) | 1
    }
}

fn put16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

// ---------------------------------------------------------------- reader

/// One record of the central directory, as declared (not yet trusted).
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub name: Vec<u8>,
    pub flags: u16,
    pub method: u16,
    pub crc: u32,
    pub compressed: u64,
    pub size: u64,
    pub header_offset: u64,
    pub made_by: u16,
    pub external_attr: u32,
}

impl Entry {
    /// Symlinks, devices, FIFOs: anything with a Unix mode that is neither
    /// a regular file nor a directory.
    pub(crate) fn is_special(&self) -> bool {
        let host = self.made_by >> 8;
        let mode = self.external_attr >> 16;
        // 3 = Unix, 19 = OS X; others keep DOS attributes in the low bits.
        (host == 3 || host == 19) && !matches!(mode & 0o170_000, 0 | 0o100_000 | 0o040_000)
    }

    pub(crate) fn is_encrypted(&self) -> bool {
        self.flags & 1 != 0
    }
}

#[derive(Debug)]
pub(crate) enum DirError {
    /// Not a zip, truncated or damaged; the reason in Vietnamese.
    NotZip(String),
    /// More entries, or a bigger directory, than we agree to read.
    TooLarge,
}

fn not_zip(why: &str) -> DirError {
    DirError::NotZip(why.to_string())
}

/// Where the entries' data ends: the start of the central directory.
pub(crate) struct Directory {
    pub entries: Vec<Entry>,
    pub data_end: u64,
}

/// Reads the central directory. Refuses more than `max_entries` entries or a
/// directory over `max_dir_bytes` before reading it.
pub(crate) fn read_directory<R: Read + Seek>(
    r: &mut R,
    max_entries: u64,
    max_dir_bytes: u64,
) -> Result<Directory, DirError> {
    let io_err = |_| not_zip("lỗi đọc tệp");
    let len = r.seek(SeekFrom::End(0)).map_err(io_err)?;
    if len < EOCD_LEN as u64 {
        return Err(not_zip("tệp quá ngắn"));
    }
    let tail_len = len.min(EOCD_LEN as u64 + 0xFFFF);
    let tail_start = len - tail_len;
    let mut tail = vec![0; tail_len as usize];
    r.seek(SeekFrom::Start(tail_start)).map_err(io_err)?;
    r.read_exact(&mut tail).map_err(io_err)?;

    // The end record is the last thing in the file, its comment running
    // exactly to the end; a cut file has none.
    let at = (0..=tail.len() - EOCD_LEN)
        .rev()
        .find(|&i| le32(&tail, i) == EOCD_SIG && usize::from(le16(&tail, i + 20)) == tail.len() - i - EOCD_LEN)
        .ok_or_else(|| not_zip("không thấy phần kết thúc của tệp zip; tệp bị cắt cụt hoặc không phải zip"))?;
    let eocd_pos = tail_start + at as u64;
    let e = &tail[at..];
    if le16(e, 4) != 0 || le16(e, 6) != 0 {
        return Err(not_zip("zip chia nhiều phần không được hỗ trợ"));
    }
    let mut count = u64::from(le16(e, 10));
    let mut cd_size = u64::from(le32(e, 12));
    let mut cd_offset = u64::from(le32(e, 16));
    let mut dir_end = eocd_pos;

    if count == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        // ZIP64: a locator just before the end record points at the real one.
        let mut loc = [0u8; 20];
        let loc_pos = eocd_pos.checked_sub(20).ok_or_else(|| not_zip("thiếu bản ghi ZIP64"))?;
        r.seek(SeekFrom::Start(loc_pos)).map_err(io_err)?;
        r.read_exact(&mut loc).map_err(io_err)?;
        if le32(&loc, 0) == ZIP64_LOCATOR_SIG {
            let rec_pos = le64(&loc, 8);
            if rec_pos > loc_pos.saturating_sub(56) {
                return Err(not_zip("bản ghi ZIP64 sai vị trí"));
            }
            let mut rec = [0u8; 56];
            r.seek(SeekFrom::Start(rec_pos)).map_err(io_err)?;
            r.read_exact(&mut rec).map_err(io_err)?;
            if le32(&rec, 0) != ZIP64_EOCD_SIG {
                return Err(not_zip("bản ghi ZIP64 hỏng"));
            }
            if le32(&rec, 16) != 0 || le32(&rec, 20) != 0 {
                return Err(not_zip("zip chia nhiều phần không được hỗ trợ"));
            }
            count = le64(&rec, 32);
            cd_size = le64(&rec, 40);
            cd_offset = le64(&rec, 48);
            dir_end = rec_pos;
        }
    }

    if count > max_entries || cd_size > max_dir_bytes {
        return Err(DirError::TooLarge);
    }
    if cd_offset.checked_add(cd_size) != Some(dir_end) {
        return Err(not_zip("mục lục của tệp zip không khớp với vị trí của nó"));
    }
    let mut cd = vec![0; cd_size as usize];
    r.seek(SeekFrom::Start(cd_offset)).map_err(io_err)?;
    r.read_exact(&mut cd).map_err(io_err)?;

    let broken = || not_zip("mục lục của tệp zip bị hỏng");
    let mut entries = Vec::with_capacity(count as usize);
    let mut p = 0usize;
    for _ in 0..count {
        if p + CENTRAL_LEN > cd.len() || le32(&cd, p) != CENTRAL_SIG {
            return Err(broken());
        }
        let name_len = usize::from(le16(&cd, p + 28));
        let extra_len = usize::from(le16(&cd, p + 30));
        let comment_len = usize::from(le16(&cd, p + 32));
        let name_at = p + CENTRAL_LEN;
        let extra_at = name_at + name_len;
        let next = extra_at + extra_len + comment_len;
        if next > cd.len() {
            return Err(broken());
        }
        let mut entry = Entry {
            name: cd[name_at..extra_at].to_vec(),
            flags: le16(&cd, p + 8),
            method: le16(&cd, p + 10),
            crc: le32(&cd, p + 16),
            compressed: u64::from(le32(&cd, p + 20)),
            size: u64::from(le32(&cd, p + 24)),
            header_offset: u64::from(le32(&cd, p + 42)),
            made_by: le16(&cd, p + 4),
            external_attr: le32(&cd, p + 38),
        };
        if le16(&cd, p + 34) != 0 {
            return Err(not_zip("zip chia nhiều phần không được hỗ trợ"));
        }
        apply_zip64_extra(&mut entry, &cd[extra_at..extra_at + extra_len]).ok_or_else(broken)?;
        entries.push(entry);
        p = next;
    }
    Ok(Directory { entries, data_end: cd_offset })
}

/// Fills in 64-bit sizes and offset from the ZIP64 extra field where the
/// 32-bit ones are saturated. `None` if the field is missing or short.
fn apply_zip64_extra(e: &mut Entry, mut extra: &[u8]) -> Option<()> {
    let wants = [e.size, e.compressed, e.header_offset].iter().filter(|&&v| v == 0xFFFF_FFFF).count();
    if wants == 0 {
        return Some(());
    }
    while extra.len() >= 4 {
        let id = le16(extra, 0);
        let len = usize::from(le16(extra, 2));
        let body = extra.get(4..4 + len)?;
        if id == 0x0001 {
            let mut vals = body.chunks_exact(8).map(|c| le64(c, 0));
            for field in [&mut e.size, &mut e.compressed, &mut e.header_offset] {
                if *field == 0xFFFF_FFFF {
                    *field = vals.next()?;
                }
            }
            return Some(());
        }
        extra = &extra[4 + len..];
    }
    None
}

/// What went wrong opening one entry.
#[derive(Debug)]
pub(crate) enum EntryError {
    /// The local header does not match the directory, or points nowhere.
    Damaged,
    /// Encryption or a compression method we do not read (the method number).
    Unsupported(u16),
}

/// Positions `r` at the entry's data and returns a reader of its content
/// (decompressed). Reading it yields at most what the compressed size
/// allows; the caller caps the decompressed length.
pub(crate) fn open_entry<'a, R: Read + Seek>(
    r: &'a mut R,
    e: &Entry,
    data_end: u64,
) -> Result<EntryReader<'a, R>, EntryError> {
    if e.is_encrypted() {
        return Err(EntryError::Unsupported(e.method));
    }
    if e.method != STORED && e.method != DEFLATED {
        return Err(EntryError::Unsupported(e.method));
    }
    if e.method == STORED && e.compressed != e.size {
        return Err(EntryError::Damaged);
    }
    r.seek(SeekFrom::Start(e.header_offset)).map_err(|_| EntryError::Damaged)?;
    let mut h = [0u8; LOCAL_LEN as usize];
    r.read_exact(&mut h).map_err(|_| EntryError::Damaged)?;
    if le32(&h, 0) != LOCAL_SIG {
        return Err(EntryError::Damaged);
    }
    let name_len = u64::from(le16(&h, 26));
    let extra_len = u64::from(le16(&h, 28));
    // The local name must be the directory's: readers that trust one or the
    // other would otherwise see different files.
    if name_len != e.name.len() as u64 {
        return Err(EntryError::Damaged);
    }
    let mut name = vec![0; name_len as usize];
    r.read_exact(&mut name).map_err(|_| EntryError::Damaged)?;
    if name != e.name {
        return Err(EntryError::Damaged);
    }
    let start = e.header_offset + LOCAL_LEN + name_len + extra_len;
    if start.checked_add(e.compressed).is_none_or(|end| end > data_end) {
        return Err(EntryError::Damaged);
    }
    r.seek(SeekFrom::Start(start)).map_err(|_| EntryError::Damaged)?;
    let raw = r.take(e.compressed);
    Ok(if e.method == STORED { EntryReader::Stored(raw) } else { EntryReader::Deflated(Inflater::new(raw)) })
}

pub(crate) enum EntryReader<'a, R> {
    Stored(Take<&'a mut R>),
    Deflated(Inflater<Take<&'a mut R>>),
}

impl<R: Read> Read for EntryReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            EntryReader::Stored(r) => r.read(buf),
            EntryReader::Deflated(r) => r.read(buf),
        }
    }
}

/// Streaming raw-deflate decoder over miniz_oxide: constant memory
/// (a 32 KiB window and a 32 KiB input buffer) whatever the entry's size.
pub(crate) struct Inflater<R> {
    inner: R,
    state: Box<InflateState>,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Inflater<R> {
    pub(crate) fn new(inner: R) -> Inflater<R> {
        Inflater {
            inner,
            state: InflateState::new_boxed(DataFormat::Raw),
            buf: vec![0; 32 * 1024],
            pos: 0,
            len: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for Inflater<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.done || out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.pos == self.len && !self.eof {
                self.len = self.inner.read(&mut self.buf)?;
                self.pos = 0;
                self.eof = self.len == 0;
            }
            let res = inflate(&mut self.state, &self.buf[self.pos..self.len], out, MZFlush::None);
            self.pos += res.bytes_consumed;
            let starved = self.eof && self.pos == self.len;
            match res.status {
                Ok(MZStatus::StreamEnd) => {
                    self.done = true;
                    return Ok(res.bytes_written);
                }
                Ok(_) if res.bytes_written > 0 => return Ok(res.bytes_written),
                Ok(_) | Err(MZError::Buf) if !starved => {
                    if res.bytes_consumed == 0 && res.bytes_written == 0 && self.pos < self.len {
                        return Err(io::ErrorKind::InvalidData.into());
                    }
                }
                Ok(_) | Err(MZError::Buf) => {
                    return Err(io::ErrorKind::UnexpectedEof.into())
                }
                Err(_) => return Err(io::ErrorKind::InvalidData.into()),
            }
        }
    }
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn writes_and_reads_back_both_methods() {
        let text = b"xin chao ".repeat(200);
        let deflated = miniz_oxide::deflate::compress_to_vec(&text, 6);
        let mut z = ZipOut::new(Date::new(2026, 2, 5).unwrap());
        z.add("a.txt", &text, Some(&deflated));
        z.add("b.bin", b"\x00\x01\x02", None);
        let bytes = z.finish();

        let mut cur = Cursor::new(bytes);
        let dir = read_directory(&mut cur, 10, 1 << 20).unwrap();
        assert_eq!(dir.entries.len(), 2);
        assert_eq!(dir.entries[0].method, DEFLATED);
        assert_eq!(dir.entries[0].size, text.len() as u64);
        assert!(!dir.entries[0].is_special());
        let mut got = Vec::new();
        open_entry(&mut cur, &dir.entries[0].clone(), dir.data_end).unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got, text);
        got.clear();
        open_entry(&mut cur, &dir.entries[1].clone(), dir.data_end).unwrap().read_to_end(&mut got).unwrap();
        assert_eq!(got, b"\x00\x01\x02");
    }

    #[test]
    fn inflater_rejects_a_cut_stream() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let deflated = miniz_oxide::deflate::compress_to_vec(&data, 6);
        let mut out = Vec::new();
        Inflater::new(&deflated[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
        out.clear();
        let cut = &deflated[..deflated.len() / 2];
        assert!(Inflater::new(cut).read_to_end(&mut out).is_err());
    }

    #[test]
    fn dos_date_packs_fields_and_clamps() {
        assert_eq!(dos_date(Date::new(1980, 1, 1).unwrap()), 0x21);
        assert_eq!(dos_date(Date::new(2026, 2, 5).unwrap()), (46 << 9) | (2 << 5) | 5);
        assert_eq!(dos_date(Date::new(1975, 6, 1).unwrap()), 0x21);
    }
}
