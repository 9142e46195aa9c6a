//! Sorting and map building that stay small in the browser's wasm.
//!
//! The standard stable sort is monomorphized per element type *and*
//! comparator: about 4 KB of wasm each time, and `collect()` into a
//! `BTreeMap` sorts too, once per iterator type. Here the standard sort runs
//! once, on indices, behind a `dyn` comparator; only the small reordering
//! is generic. Same results as `slice::sort_by` (stable) and
//! `BTreeMap::from_iter` (the last value of a key wins).

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Stable sort by `cmp`, as `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = {
        let items: &[T] = v;
        sorted_indices(items.len(), &mut |a, b| cmp(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().map(|i| slots[i as usize].take().expect("each index once")));
}

/// Stable sort by a key, as `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// The one instantiation of the standard sort.
fn sorted_indices(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..len as u32).collect();
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

/// A map of `pairs`, as `pairs.into_iter().collect::<BTreeMap<_, _>>()`,
/// by insertion (no sort).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        out.insert(k, v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        sort_by(&mut v, |a, b| b.0.cmp(&a.0));
        assert_eq!(v, [(3, 'a'), (3, 'c'), (2, 'd'), (1, 'b'), (1, 'e')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_key(&mut empty, |x| *x);
        assert!(empty.is_empty());
    }

    #[test]
    fn map_keeps_the_last_value_of_a_key() {
        let m = map_of([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(m, BTreeMap::from([("a", 2), ("b", 3)]));
    }

    proptest! {
        #[test]
        fn same_as_the_standard_library(v in proptest::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            let mut std = v.clone();
            sort_by_key(&mut ours, |p| p.0);
            std.sort_by_key(|p| p.0);
            prop_assert_eq!(&ours, &std);
            prop_assert_eq!(map_of(v.iter().copied()), v.iter().copied().collect::<BTreeMap<_, _>>());
        }
    }
}
