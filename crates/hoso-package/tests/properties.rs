mod common;

use common::info;
use hoso_package::{pack, verify_bytes, FileStatus, PackageFile};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::Cursor;

/// Up to 6 files with distinct (case-insensitively) portable paths, some in
/// a sub-folder; contents either noise or repetitive text.
fn file_sets() -> impl Strategy<Value = Vec<PackageFile>> {
    let path = "(giay-to/)?[a-z0-9][a-z0-9_-]{0,7}\\.(pdf|jpg|json|txt|bin)";
    let content = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..3000),
        ("[a-z ]{1,20}", 1..300usize).prop_map(|(s, n)| s.repeat(n).into_bytes()),
    ];
    prop::collection::vec((path, content), 0..6).prop_map(|v| {
        let unique: BTreeMap<String, PackageFile> = v
            .into_iter()
            .map(|(path, bytes)| (path.to_ascii_lowercase(), PackageFile { path, bytes }))
            .collect();
        unique.into_values().collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn packed_sets_verify_intact(files in file_sets()) {
        let zip = pack(&files, &info()).unwrap();
        let r = verify_bytes(&zip);
        prop_assert!(r.is_intact(), "{:#?}", r);
        prop_assert_eq!(r.files.len(), files.len());
        let mut reversed = files.clone();
        reversed.reverse();
        prop_assert_eq!(pack(&reversed, &info()).unwrap(), zip);
    }

    #[test]
    fn any_flipped_byte_of_a_stored_file_is_caught(
        files in file_sets(),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        mask in 1..=255u8,
    ) {
        // PDF and JPEG are stored as they are.
        let stored: Vec<&PackageFile> =
            files.iter().filter(|f| !f.bytes.is_empty() && (f.path.ends_with(".pdf") || f.path.ends_with(".jpg"))).collect();
        prop_assume!(!stored.is_empty());
        let victim = pick.get(&stored);
        let name = format!("data/{}", victim.path);

        let mut zip = pack(&files, &info()).unwrap();
        let start = {
            let mut a = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
            let f = a.by_name(&name).unwrap();
            prop_assert_eq!(f.compression(), zip::CompressionMethod::Stored);
            f.data_start() as usize
        };
        zip[start + at.index(victim.bytes.len())] ^= mask;

        let r = verify_bytes(&zip);
        prop_assert!(!r.is_intact());
        let check = r.files.iter().find(|f| f.path == name).unwrap();
        prop_assert_eq!(check.status, FileStatus::Changed);
        prop_assert!(r.files.iter().filter(|f| f.path != name).all(|f| f.status == FileStatus::Ok));
    }
}
