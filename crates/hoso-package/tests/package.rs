mod common;

use common::*;
use hoso_core::i18n::Msg;
use hoso_package::{pack, verify, verify_bytes, FileStatus, PackageFile, Report};
use std::io::{Cursor, Write};
use std::path::PathBuf;
use std::process::Command;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

fn status_of(r: &Report, path: &str) -> FileStatus {
    r.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} not in {r:#?}")).status
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hoso-package-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ------------------------------------------------------------ round trip

#[test]
fn round_trip_is_intact() {
    let zip = sample_zip();
    let r = verify(Cursor::new(&zip));
    assert!(r.is_intact(), "{r:#?}");
    assert!(r.messages().is_empty());
    let paths: Vec<_> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["data/01-to-khai.pdf", "data/02-du-lieu.json", "data/giay-to/03-anh.bin"]);
    assert_eq!(r.files[0].bytes, fake_pdf().len() as u64);
    assert_eq!(r.external_identifier.as_deref(), Some("HS-2026-000123"));
    assert_eq!(r.bagging_date, Some(info().bagging_date));
    assert_eq!(r.source_organization.as_deref(), Some(info().source_organization.as_str()));
}

#[test]
fn layout_and_tag_files() {
    let zip = sample_zip();
    let e = entries(&zip);
    let names: Vec<_> = e.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "tagmanifest-sha256.txt",
            "data/01-to-khai.pdf",
            "data/02-du-lieu.json",
            "data/giay-to/03-anh.bin"
        ]
    );
    let text = |i: usize| String::from_utf8(e[i].1.clone()).unwrap();
    assert_eq!(text(0), "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
    let files = sample_files();
    let octets: usize = files.iter().map(|f| f.bytes.len()).sum();
    assert_eq!(
        text(1),
        format!(
            "Source-Organization: UBND xã Tân Phú, huyện Định Quán, tỉnh Đồng Nai\nExternal-Identifier: HS-2026-000123\n\
             Bagging-Date: 2026-02-05\nPayload-Oxum: {octets}.3\nBag-Size: 9.7 KB\n"
        )
    );
    let manifest: String = files.iter().map(|f| format!("{}  data/{}\n", sha256_hex(&f.bytes), f.path)).collect();
    assert_eq!(text(2), manifest);
    assert_eq!(
        text(3),
        format!(
            "{}  bag-info.txt\n{}  bagit.txt\n{}  manifest-sha256.txt\n",
            sha256_hex(&e[1].1),
            sha256_hex(&e[0].1),
            sha256_hex(&e[2].1)
        )
    );
    for (i, f) in files.iter().enumerate() {
        assert_eq!(e[4 + i].1, f.bytes);
    }
}

#[test]
fn entry_metadata_is_fixed() {
    let zip = sample_zip();
    let mut a = ZipArchive::new(Cursor::new(&zip)).unwrap();
    assert_eq!(a.comment(), b"");
    for i in 0..a.len() {
        let f = a.by_index(i).unwrap();
        assert_eq!(f.unix_mode(), Some(0o100_644), "{}", f.name());
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (2026, 2, 5, 0, 0));
        assert!(f.extra_data().is_none_or(|x| x.is_empty()), "{}", f.name());
        let expected = match f.name() {
            "data/01-to-khai.pdf" | "data/giay-to/03-anh.bin" | "bagit.txt" => CompressionMethod::Stored,
            _ => CompressionMethod::Deflated,
        };
        assert_eq!(f.compression(), expected, "{}", f.name());
    }
}

#[test]
fn packing_is_deterministic() {
    let a = sample_zip();
    let b = sample_zip();
    assert_eq!(a, b);
    let mut reversed = sample_files();
    reversed.reverse();
    assert_eq!(pack(&reversed, &info()).unwrap(), a);
    let mut rotated = sample_files();
    rotated.rotate_left(1);
    assert_eq!(pack(&rotated, &info()).unwrap(), a);
    // …and sensitive to what matters.
    let mut other = info();
    other.external_identifier.push('9');
    assert_ne!(pack(&sample_files(), &other).unwrap(), a);
}

#[test]
fn unzip_lists_tests_and_extracts_it() {
    let dir = temp_dir("unzip");
    let file = dir.join("hs.zip");
    std::fs::write(&file, sample_zip()).unwrap();

    let list = Command::new("unzip").arg("-l").arg(&file).output().expect("unzip is installed");
    assert!(list.status.success(), "{list:?}");
    let listing = String::from_utf8_lossy(&list.stdout);
    for name in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "data/01-to-khai.pdf"] {
        assert!(listing.contains(name), "{name} missing from\n{listing}");
    }
    // Date order depends on unzip's build.
    assert!(listing.contains("2026-02-05 00:00") || listing.contains("02-05-2026 00:00"), "{listing}");
    assert!(listing.contains("7 files"), "{listing}");

    let test = Command::new("unzip").arg("-t").arg(&file).output().unwrap();
    assert!(test.status.success(), "{test:?}");
    assert!(String::from_utf8_lossy(&test.stdout).contains("No errors detected"));

    let out = dir.join("x");
    let x = Command::new("unzip").arg("-q").arg(&file).arg("-d").arg(&out).output().unwrap();
    assert!(x.status.success(), "{x:?}");
    for f in sample_files() {
        assert_eq!(std::fs::read(out.join("data").join(&f.path)).unwrap(), f.bytes, "{}", f.path);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn empty_payload_is_a_valid_bag() {
    let zip = pack(&[], &info()).unwrap();
    let r = verify_bytes(&zip);
    assert!(r.is_intact(), "{r:#?}");
    assert!(r.files.is_empty());
}

#[test]
fn a_bag_zipped_again_inside_a_folder_still_verifies() {
    let e: Vec<_> = entries(&sample_zip()).into_iter().map(|(n, c)| (format!("HS-2026-000123/{n}"), c)).collect();
    let r = verify_bytes(&rebuild(&e));
    assert!(r.is_intact(), "{r:#?}");
    assert_eq!(r.files.len(), 3);
}

#[test]
fn report_serializes_with_vietnamese_messages() {
    let ok = serde_json::to_value(verify_bytes(&sample_zip())).unwrap();
    assert_eq!(ok["intact"], true);
    assert_eq!(ok["external_identifier"], "HS-2026-000123");
    assert_eq!(ok["bagging_date"], "2026-02-05");
    assert_eq!(ok["files"][0]["status"], "ok");
    assert_eq!(ok["files"][0]["message"], serde_json::Value::Null);

    let mut e = entries(&sample_zip());
    e.retain(|(n, _)| n != "data/02-du-lieu.json");
    let bad = serde_json::to_value(verify_bytes(&rebuild(&e))).unwrap();
    assert_eq!(bad["intact"], false);
    assert_eq!(bad["files"][1]["status"], "missing");
    assert_eq!(bad["files"][1]["message"], "Thiếu tệp data/02-du-lieu.json có trong bảng kê.");
}

// ------------------------------------------------------------ tampering

#[test]
fn a_flipped_byte_in_a_stored_file_is_a_hash_mismatch() {
    let mut zip = sample_zip();
    let pdf = fake_pdf();
    let at = zip.windows(pdf.len()).position(|w| w == pdf).expect("PDF stored as is");
    zip[at + 1500] ^= 0x01;
    let r = verify_bytes(&zip);
    assert!(!r.is_intact());
    assert_eq!(status_of(&r, "data/01-to-khai.pdf"), FileStatus::Changed);
    assert_eq!(status_of(&r, "data/02-du-lieu.json"), FileStatus::Ok);
    assert_eq!(r.messages(), vec![Msg::PackageHashMismatch("data/01-to-khai.pdf".into())]);
}

#[test]
fn a_changed_file_with_a_fixed_crc_is_still_caught() {
    // Rewritten by a tool (valid zip, right CRC): only SHA-256 can tell.
    let mut e = entries(&sample_zip());
    e[5].1[10] ^= 0x20;
    let r = verify_bytes(&rebuild(&e));
    assert_eq!(status_of(&r, "data/02-du-lieu.json"), FileStatus::Changed);
    assert!(r.problems.is_empty(), "{r:#?}");
}

#[test]
fn a_removed_file_is_missing() {
    let mut e = entries(&sample_zip());
    e.retain(|(n, _)| n != "data/giay-to/03-anh.bin");
    let r = verify_bytes(&rebuild(&e));
    assert!(!r.is_intact());
    assert_eq!(status_of(&r, "data/giay-to/03-anh.bin"), FileStatus::Missing);
    assert_eq!(r.messages(), vec![Msg::PackageMissingFile("data/giay-to/03-anh.bin".into())]);
}

#[test]
fn an_added_file_is_extra() {
    let mut e = entries(&sample_zip());
    e.push(("data/99-them.txt".into(), b"khong co trong bang ke".to_vec()));
    let r = verify_bytes(&rebuild(&e));
    assert!(!r.is_intact());
    assert_eq!(status_of(&r, "data/99-them.txt"), FileStatus::Extra);
    assert_eq!(r.messages(), vec![Msg::PackageExtraFile("data/99-them.txt".into())]);
}

#[test]
fn a_malformed_manifest_line_is_reported_by_number() {
    let mut e = entries(&sample_zip());
    let manifest = String::from_utf8(e[2].1.clone()).unwrap();
    let mut lines: Vec<String> = manifest.lines().map(String::from).collect();
    lines[1] = lines[1].replacen(char::is_alphanumeric, "z", 1); // not hex any more
    e[2].1 = (lines.join("\n") + "\n").into_bytes();
    refresh_tag_manifest(&mut e);
    let r = verify_bytes(&rebuild(&e));
    assert!(r.problems.contains(&Msg::PackageBadManifestLine(2)), "{r:#?}");
    // The file of that line is no longer listed.
    assert_eq!(status_of(&r, "data/02-du-lieu.json"), FileStatus::Extra);
}

#[test]
fn a_wrong_hash_in_the_manifest_is_a_mismatch() {
    let mut e = entries(&sample_zip());
    let manifest = String::from_utf8(e[2].1.clone()).unwrap();
    let first = &manifest[..1];
    let swapped = if first == "0" { "1" } else { "0" };
    e[2].1 = format!("{swapped}{}", &manifest[1..]).into_bytes();
    let r = verify_bytes(&rebuild(&e));
    assert_eq!(status_of(&r, "data/01-to-khai.pdf"), FileStatus::Changed);
    // And the tag manifest notices the manifest itself changed.
    assert!(r.problems.contains(&Msg::PackageHashMismatch("manifest-sha256.txt".into())), "{r:#?}");
}

#[test]
fn no_manifest() {
    let mut e = entries(&sample_zip());
    e.retain(|(n, _)| n != "manifest-sha256.txt");
    let r = verify_bytes(&rebuild(&e));
    assert!(r.problems.contains(&Msg::PackageNoManifest), "{r:#?}");
    assert!(r.problems.contains(&Msg::PackageMissingFile("manifest-sha256.txt".into())));
    assert!(r.files.iter().all(|f| f.status == FileStatus::Extra));
}

#[test]
fn a_changed_bag_info_fails_the_tag_manifest() {
    let mut e = entries(&sample_zip());
    let info = String::from_utf8(e[1].1.clone()).unwrap().replace("HS-2026-000123", "HS-2026-000999");
    e[1].1 = info.into_bytes();
    let r = verify_bytes(&rebuild(&e));
    assert_eq!(r.problems, vec![Msg::PackageHashMismatch("bag-info.txt".into())]);
    assert!(r.files.iter().all(|f| f.status == FileStatus::Ok));
    assert!(!r.is_intact());
}

#[test]
fn a_wrong_payload_oxum() {
    let mut e = entries(&sample_zip());
    let info = String::from_utf8(e[1].1.clone()).unwrap();
    let (head, tail) = info.split_once("Payload-Oxum: ").unwrap();
    let rest = &tail[tail.find('.').unwrap()..];
    e[1].1 = format!("{head}Payload-Oxum: 1{rest}").into_bytes();
    refresh_tag_manifest(&mut e);
    let r = verify_bytes(&rebuild(&e));
    assert_eq!(r.problems, vec![Msg::PackageBadOxum]);
}

#[test]
fn a_missing_or_wrong_bagit_txt() {
    let mut e = entries(&sample_zip());
    e[0].1 = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: Latin-1\n".to_vec();
    refresh_tag_manifest(&mut e);
    let r = verify_bytes(&rebuild(&e));
    assert_eq!(r.problems, vec![Msg::PackageBadTagFile("bagit.txt".into())]);
}

#[test]
fn a_cut_archive_is_not_a_zip() {
    let zip = sample_zip();
    let r = verify_bytes(&zip[..zip.len() - 100]);
    assert!(matches!(r.problems.as_slice(), [Msg::PackageNotZip(why)] if why.contains("cắt cụt")), "{r:#?}");
    assert!(!r.is_intact());
    let r = verify_bytes(b"%PDF-1.7 this is not a zip at all");
    assert!(matches!(r.problems.as_slice(), [Msg::PackageNotZip(_)]));
    assert!(matches!(verify_bytes(b"").problems.as_slice(), [Msg::PackageNotZip(_)]));
}

#[test]
fn a_cut_deflated_entry_is_a_change() {
    // Corrupt the middle of the deflated JSON: the archive still opens.
    let mut zip = sample_zip();
    let mut a = ZipArchive::new(Cursor::new(&zip)).unwrap();
    let (start, len) = {
        let f = a.by_name("data/02-du-lieu.json").unwrap();
        assert_eq!(f.compression(), CompressionMethod::Deflated);
        (f.data_start() as usize, f.compressed_size() as usize)
    };
    for b in &mut zip[start + 2..start + len / 2] {
        *b = 0xFF;
    }
    let r = verify_bytes(&zip);
    assert_eq!(status_of(&r, "data/02-du-lieu.json"), FileStatus::Changed);
}

#[test]
fn traversal_and_absolute_names_are_unsafe() {
    let mut e = entries(&sample_zip());
    e.push(("../evil".into(), b"x".to_vec()));
    e.push(("/abs".into(), b"x".to_vec()));
    e.push(("data/..\\..\\win".into(), b"x".to_vec()));
    e.push(("data/../../up".into(), b"x".to_vec()));
    let r = verify_bytes(&rebuild(&e));
    for p in ["../evil", "/abs", "data/..\\..\\win", "data/../../up"] {
        assert_eq!(status_of(&r, p), FileStatus::Unsafe, "{p}");
        assert!(r.messages().contains(&Msg::PackageUnsafePath(p.into())));
    }
    assert!(!r.is_intact());
}

#[test]
fn symlinks_are_unsafe() {
    let zip = sample_zip();
    let mut w = ZipWriter::new_append(Cursor::new(zip)).unwrap();
    w.add_symlink("data/link", "/etc/passwd", SimpleFileOptions::default()).unwrap();
    let zip = w.finish().unwrap().into_inner();
    let r = verify_bytes(&zip);
    assert_eq!(status_of(&r, "data/link"), FileStatus::Unsafe);
}

#[test]
fn duplicate_names_are_refused() {
    let files = vec![
        PackageFile { path: "a.txt".into(), bytes: b"first".to_vec() },
        PackageFile { path: "b.txt".into(), bytes: b"other".to_vec() },
    ];
    let mut zip = pack(&files, &info()).unwrap();
    // Rename b.txt to a.txt in the local and central headers (the zip
    // crate's writer refuses to write duplicates).
    assert_eq!(replace_bytes(&mut zip, b"data/b.txt", b"data/a.txt"), 2);
    let r = verify_bytes(&zip);
    assert!(!r.is_intact());
    assert!(r.messages().contains(&Msg::PackageDuplicate("data/a.txt".into())), "{r:#?}");
    assert!(r.files.iter().any(|f| f.path == "data/a.txt" && f.status == FileStatus::Unsafe));

    // Case-only differences collide on Windows and macOS.
    let mut e = entries(&sample_zip());
    e.push(("data/01-TO-KHAI.pdf".into(), b"x".to_vec()));
    let r = verify_bytes(&rebuild(&e));
    assert!(r.messages().contains(&Msg::PackageDuplicate("data/01-TO-KHAI.pdf".into())), "{r:#?}");
}

#[test]
fn non_utf8_names_are_unsafe() {
    let files = vec![PackageFile { path: "b.txt".into(), bytes: b"x".to_vec() }];
    let mut zip = pack(&files, &info()).unwrap();
    assert_eq!(replace_bytes(&mut zip, b"data/b.txt", b"data/\xff.txt"), 2);
    let r = verify_bytes(&zip);
    assert!(r.files.iter().any(|f| f.status == FileStatus::Unsafe && f.path.starts_with("data/")), "{r:#?}");
    assert_eq!(status_of(&r, "data/b.txt"), FileStatus::Missing);
}

#[test]
fn a_zip_bomb_is_too_large() {
    let zip = sample_zip();
    let mut w = ZipWriter::new_append(Cursor::new(zip)).unwrap();
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file("data/zeros.txt", opts).unwrap();
    let mb = vec![0u8; 1 << 20];
    for _ in 0..50 {
        w.write_all(&mb).unwrap();
    }
    let zip = w.finish().unwrap().into_inner();
    assert!(zip.len() < 1 << 20, "50 MiB of zeros deflate to {} bytes", zip.len());
    let r = verify_bytes(&zip);
    assert_eq!(r.problems, vec![Msg::PackageTooLarge]);
    assert!(!r.is_intact());
}

#[test]
fn too_many_entries_is_too_large() {
    let e: Vec<_> = (0..10_001).map(|i| (format!("data/{i}"), Vec::new())).collect();
    let r = verify_bytes(&rebuild(&e));
    assert_eq!(r.problems, vec![Msg::PackageTooLarge]);
}

#[test]
fn lying_sizes_cannot_inflate_more_than_declared() {
    // Declare a tiny size for a big deflated entry: reading stops at the
    // declared size and the file counts as changed.
    let files = vec![PackageFile { path: "big.txt".into(), bytes: b"abcdefgh".repeat(10_000) }];
    let mut zip = pack(&files, &info()).unwrap();
    let mut a = ZipArchive::new(Cursor::new(&zip)).unwrap();
    let central = a.central_directory_start() as usize;
    let (header, _) = {
        let f = a.by_name("data/big.txt").unwrap();
        (f.header_start() as usize, f.size())
    };
    drop(a);
    // Uncompressed size: offset 22 in the local header, 24 in the central one.
    zip[header + 22..header + 26].copy_from_slice(&100u32.to_le_bytes());
    let name = b"data/big.txt";
    let cd_at = central + zip[central..].windows(name.len()).position(|w| w == name).unwrap() - 46;
    zip[cd_at + 24..cd_at + 28].copy_from_slice(&100u32.to_le_bytes());
    let r = verify_bytes(&zip);
    assert_eq!(status_of(&r, "data/big.txt"), FileStatus::Changed);
    assert_eq!(r.files[0].bytes, 100);
}

#[test]
fn pack_errors_have_messages() {
    let bad = [PackageFile { path: "../x.pdf".into(), bytes: vec![] }];
    let err = pack(&bad, &info()).unwrap_err();
    assert_eq!(err.msg(), Msg::PackageUnsafePath("../x.pdf".into()));
    assert_eq!(err.to_string(), "Đường dẫn không an toàn trong gói: ../x.pdf");
    let unicode = [PackageFile { path: "tờ-khai.pdf".into(), bytes: vec![] }];
    assert!(pack(&unicode, &info()).is_err());
}

#[test]
fn highly_compressible_files_are_stored_not_flagged() {
    // 2 MiB of one byte deflates past 200:1; pack stores it so that its
    // own packages always verify.
    let files = vec![PackageFile { path: "trang.txt".into(), bytes: vec![b' '; 2 << 20] }];
    let zip = pack(&files, &info()).unwrap();
    assert!(zip.len() > 2 << 20);
    assert!(verify_bytes(&zip).is_intact());
}
