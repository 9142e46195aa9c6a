//! Which store a session uses. Training never reads or writes real data:
//! it has its own IndexedDB database and its own localStorage key prefix.

/// IndexedDB database of real work.
pub const REAL_DB: &str = "hoso";
/// IndexedDB database of training sessions (same layout, other name).
pub const TRAINING_DB: &str = "hoso-tap-huan";
/// Prefix of every localStorage key a training session writes.
pub const TRAINING_PREFIX: &str = "tap-huan:";
/// The word in the URL that opens training: `?tap-huan` or `#tap-huan`.
pub const URL_FLAG: &str = "tap-huan";

pub fn db_name(training: bool) -> &'static str {
    if training {
        TRAINING_DB
    } else {
        REAL_DB
    }
}

/// The localStorage key a logical key is stored under.
pub fn storage_key(training: bool, key: &str) -> String {
    if training {
        format!("{TRAINING_PREFIX}{key}")
    } else {
        key.to_string()
    }
}

/// Whether a stored key belongs to the given mode (for clearing one mode only).
pub fn owns_key(training: bool, stored: &str) -> bool {
    stored.starts_with(TRAINING_PREFIX) == training
}

/// Whether a location opens training: `?tap-huan` (also `?tap-huan=1`,
/// among other parameters) or `#tap-huan`, so a trainer can bookmark it.
pub fn is_training_url(search: &str, hash: &str) -> bool {
    let query = search.strip_prefix('?').unwrap_or(search);
    let in_query = query.split('&').any(|p| p.split('=').next() == Some(URL_FLAG));
    in_query || hash.strip_prefix('#').unwrap_or(hash) == URL_FLAG
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_training_url("?tap-huan", ""));
        assert!(is_training_url("?a=1&tap-huan=1", ""));
        assert!(is_training_url("", "#tap-huan"));
        assert!(!is_training_url("", ""));
        assert!(!is_training_url("?tap-huanx", ""));
        assert!(!is_training_url("?x=tap-huan", "#f-child-full_name"));
    }

    #[test]
    fn keys_never_overlap() {
        for key in ["hoso.settings", "hoso.current", "hoso.seq.20261122", "hoso.tus.HOSO-1"] {
            let (real, training) = (storage_key(false, key), storage_key(true, key));
            assert_ne!(real, training);
            assert!(owns_key(false, &real) && !owns_key(true, &real));
            assert!(owns_key(true, &training) && !owns_key(false, &training));
        }
        assert_ne!(db_name(true), db_name(false));
    }
}
