//! Reads one small entry of a zip by name: just enough to show what a
//! received package says about itself (`data/dossier.json`). Integrity is
//! the verifier's job; this only needs to be bounded and never panic.

use std::io::{Read, Seek, SeekFrom};

const END_OF_DIRECTORY: u64 = 0x0605_4b50;
const DIRECTORY_ENTRY: u64 = 0x0201_4b50;
const LOCAL_HEADER: u64 = 0x0403_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as u64)
}

fn u32_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as u64)
}

/// The content of entry `name`, if present, stored or deflated, and at most
/// `max` bytes both compressed and inflated.
pub(crate) fn read<R: Read + Seek>(r: &mut R, name: &str, max: usize) -> Option<Vec<u8>> {
    let len = r.seek(SeekFrom::End(0)).ok()?;
    // The end record sits in the last 22 bytes plus a comment of up to 64 KiB.
    let tail_len = len.min(22 + 0xffff);
    let mut tail = vec![0; tail_len as usize];
    r.seek(SeekFrom::Start(len - tail_len)).ok()?;
    r.read_exact(&mut tail).ok()?;
    let eocd = (0..tail.len().saturating_sub(21)).rev().find(|&i| u32_at(&tail, i) == Some(END_OF_DIRECTORY))?;
    let dir_size = u32_at(&tail, eocd + 12)?;
    let dir_offset = u32_at(&tail, eocd + 16)?;
    if dir_size > 64 << 20 || dir_offset + dir_size > len {
        return None;
    }
    let mut dir = vec![0; dir_size as usize];
    r.seek(SeekFrom::Start(dir_offset)).ok()?;
    r.read_exact(&mut dir).ok()?;

    let mut at = 0usize;
    while u32_at(&dir, at) == Some(DIRECTORY_ENTRY) {
        let method = u16_at(&dir, at + 10)?;
        let packed = u32_at(&dir, at + 20)?;
        let name_len = u16_at(&dir, at + 28)? as usize;
        let extra_len = u16_at(&dir, at + 30)? as usize;
        let comment_len = u16_at(&dir, at + 32)? as usize;
        let local = u32_at(&dir, at + 42)?;
        let entry_name = dir.get(at + 46..at + 46 + name_len)?;
        if entry_name == name.as_bytes() {
            if packed > max as u64 {
                return None;
            }
            let mut header = [0u8; 30];
            r.seek(SeekFrom::Start(local)).ok()?;
            r.read_exact(&mut header).ok()?;
            if u32_at(&header, 0) != Some(LOCAL_HEADER) {
                return None;
            }
            let skip = u16_at(&header, 26)? + u16_at(&header, 28)?;
            r.seek(SeekFrom::Current(skip as i64)).ok()?;
            let mut data = vec![0; packed as usize];
            r.read_exact(&mut data).ok()?;
            return match method {
                0 => Some(data),
                8 => miniz_oxide::inflate::decompress_to_vec_with_limit(&data, max).ok(),
                _ => None,
            };
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_package::{pack, BagInfo, PackageFile};
    use std::io::Cursor;

    #[test]
    fn reads_stored_and_deflated_entries_and_refuses_junk() {
        let long = "dossier ".repeat(500);
        let files = [
            PackageFile { path: "a.json".into(), bytes: long.clone().into_bytes() },
            PackageFile { path: "b.pdf".into(), bytes: b"%PDF-1.7 x".to_vec() },
        ];
        let info = BagInfo {
            source_organization: "X".into(),
            external_identifier: "Y".into(),
            bagging_date: hoso_core::date::Date::new(2026, 1, 2).unwrap(),
        };
        let zip = pack(&files, &info).unwrap();
        assert_eq!(read(&mut Cursor::new(&zip), "data/a.json", 1 << 20).unwrap(), long.as_bytes());
        assert_eq!(read(&mut Cursor::new(&zip), "data/b.pdf", 1 << 20).unwrap(), b"%PDF-1.7 x");
        assert_eq!(read(&mut Cursor::new(&zip), "data/c.json", 1 << 20), None);
        assert_eq!(read(&mut Cursor::new(&zip), "data/a.json", 100), None, "over the limit");
        assert_eq!(read(&mut Cursor::new(b"not a zip at all".to_vec()), "data/a.json", 100), None);
        assert_eq!(read(&mut Cursor::new(&zip[..zip.len() / 2]), "data/a.json", 1 << 20), None);
    }
}
