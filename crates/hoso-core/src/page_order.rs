//! Order of a dossier's pages (thứ tự trang). All pages live in one list;
//! each paper (component) shows, stores and packages its own pages in the
//! order they have there. Moving a page — up, down, dragged, or to another
//! paper — is one operation: put it at a position among its paper's pages.

/// Moves `items[from]` to position `index` among the items for which
/// `in_group` holds (the moved item is expected to hold it already: set its
/// group first when it changes paper). `index` past the end puts it last in
/// the group; a group with no other item gets it where it already is.
/// Every other item keeps its relative order. Returns the item's new index
/// in `items`.
pub fn place<T>(items: &mut Vec<T>, from: usize, index: usize, in_group: impl Fn(&T) -> bool) -> usize {
    if from >= items.len() {
        return from;
    }
    let item = items.remove(from);
    let members: Vec<usize> = (0..items.len()).filter(|&i| in_group(&items[i])).collect();
    let at = match (members.get(index), members.last()) {
        (Some(&i), _) => i,
        (None, Some(&last)) => last + 1,
        (None, None) => from,
    };
    items.insert(at, item);
    at
}

/// Position of `items[at]` among its group's items, and how many the group has.
pub fn position<T>(items: &[T], at: usize, in_group: impl Fn(&T) -> bool) -> (usize, usize) {
    let before = items[..at.min(items.len())].iter().filter(|t| in_group(t)).count();
    (before, items.iter().filter(|t| in_group(t)).count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn group(items: &[(char, u32)], g: char) -> Vec<u32> {
        items.iter().filter(|t| t.0 == g).map(|t| t.1).collect()
    }

    #[test]
    fn up_down_and_across() {
        let mut items = vec![('a', 1), ('b', 2), ('a', 3), ('a', 4), ('b', 5)];
        // "Lên": page 4 from 3rd to 2nd of a.
        let at = place(&mut items, 3, 1, |t| t.0 == 'a');
        assert_eq!(group(&items, 'a'), [1, 4, 3]);
        assert_eq!(items[at], ('a', 4));
        // "Xuống" past the end stays last.
        place(&mut items, at, 9, |t| t.0 == 'a');
        assert_eq!(group(&items, 'a'), [1, 3, 4]);
        // Moved to b, first.
        let from = items.iter().position(|t| t.1 == 1).unwrap();
        items[from].0 = 'b';
        place(&mut items, from, 0, |t| t.0 == 'b');
        assert_eq!(group(&items, 'b'), [1, 2, 5]);
        assert_eq!(group(&items, 'a'), [3, 4]);
        // To an empty paper: it stays put.
        let mut items = vec![('a', 1), ('a', 2)];
        items[0].0 = 'c';
        assert_eq!(place(&mut items, 0, 0, |t| t.0 == 'c'), 0);
        assert_eq!(items, [('c', 1), ('a', 2)]);
        assert_eq!(position(&items, 1, |t| t.0 == 'a'), (0, 1));
    }

    proptest! {
        #[test]
        fn place_puts_the_item_at_the_asked_position(
            groups in proptest::collection::vec(0u8..3, 1..12),
            pick in any::<proptest::sample::Index>(),
            target in 0u8..3,
            index in 0usize..14,
        ) {
            let mut items: Vec<(u8, usize)> = groups.iter().copied().zip(0..).collect();
            let from = pick.index(items.len());
            let moved = items[from].1;
            let others_before: Vec<Vec<usize>> = (0..3u8)
                .map(|g| items.iter().filter(|t| t.0 == g && t.1 != moved).map(|t| t.1).collect())
                .collect();
            items[from].0 = target;
            let at = place(&mut items, from, index, |t| t.0 == target);
            prop_assert_eq!(items[at].1, moved);
            prop_assert_eq!(items.len(), groups.len());
            for g in 0..3u8 {
                let others: Vec<usize> = items.iter().filter(|t| t.0 == g && t.1 != moved).map(|t| t.1).collect();
                prop_assert_eq!(&others, &others_before[g as usize]);
            }
            let (pos, count) = position(&items, at, |t| t.0 == target);
            prop_assert_eq!(pos, index.min(count - 1));
        }
    }
}
