//! Where each pair of adjacent characters occurs in the names, so that a search for a piece of a name reads
//! the positions of the piece's rarest pairs instead of every name (some 33 MB at 900,000 organizations).
//!
//! A name holds a piece only if it holds each of the piece's pairs: the names with the two rarest pairs are
//! the candidates, and each is then checked for the piece itself. A piece of one character has no pair:
//! it is looked for by a pass, as before.

use std::collections::HashMap;

/// A pair of characters as one number (a character needs 21 bits).
fn pair(a: char, b: char) -> u64 {
    (u64::from(a) << 21) | u64::from(b)
}

/// The distinct pairs of `text`, sorted, into `pairs`.
fn pairs_of(text: &str, pairs: &mut Vec<u64>) {
    pairs.clear();
    let mut chars = text.chars();
    if let Some(mut a) = chars.next() {
        for b in chars {
            pairs.push(pair(a, b));
            a = b;
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
}

/// The positions of each pair: those of the strings there were when it was built in one array (4 bytes a
/// pair of a string), and those of strings added since in a small map.
#[derive(Debug, Default)]
pub(super) struct Grams {
    /// The pairs, sorted; `starts[i]..starts[i + 1]` are the positions of `keys[i]` in `positions`.
    keys: Vec<u64>,
    starts: Vec<u32>,
    positions: Vec<u32>,
    /// Added since the build, in order.
    recent: HashMap<u64, Vec<u32>>,
    recent_len: usize,
}

impl Grams {
    /// The pairs of `texts`, each string at its position. Two passes (count, then place), so that nothing
    /// larger than the result is held on the way.
    pub(super) fn build<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> Grams {
        let mut scratch = Vec::new();
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for text in texts.clone() {
            pairs_of(text, &mut scratch);
            for &key in &scratch {
                *counts.entry(key).or_default() += 1;
            }
        }
        let mut keys: Vec<u64> = counts.keys().copied().collect();
        keys.sort_unstable();
        let mut starts = Vec::with_capacity(keys.len() + 1);
        let mut total = 0_u32;
        for key in &keys {
            starts.push(total);
            let count = counts.get_mut(key).expect("counted");
            // From here on, the next free place of the pair's positions.
            (total, *count) = (total + *count, total);
        }
        starts.push(total);
        let mut positions = vec![0; total as usize];
        for (position, text) in texts.enumerate() {
            pairs_of(text, &mut scratch);
            for key in &scratch {
                let next = counts.get_mut(key).expect("counted");
                positions[*next as usize] = position as u32;
                *next += 1;
            }
        }
        Grams {
            keys,
            starts,
            positions,
            recent: HashMap::new(),
            recent_len: 0,
        }
    }

    /// Adds the string at `position`, after every other.
    pub(super) fn push(&mut self, position: u32, text: &str) {
        let mut pairs = Vec::new();
        pairs_of(text, &mut pairs);
        self.recent_len += pairs.len();
        for key in pairs {
            self.recent.entry(key).or_default().push(position);
        }
    }

    /// Whether so many strings were added since the build that building again is due: the map of the
    /// recent ones takes several times the bytes of the array.
    pub(super) fn stale(&self) -> bool {
        self.recent_len > 65_536 + self.positions.len() / 16
    }

    fn built(&self, key: u64) -> &[u32] {
        match self.keys.binary_search(&key) {
            Ok(i) => &self.positions[self.starts[i] as usize..self.starts[i + 1] as usize],
            Err(_) => &[],
        }
    }

    fn added(&self, key: u64) -> &[u32] {
        self.recent.get(&key).map_or(&[], Vec::as_slice)
    }

    /// Calls `candidate` with the position of every string that holds the two rarest pairs of `needle`, in
    /// order, once each: every string that contains `needle`, and maybe others (a needle of two characters
    /// is its one pair: then only those). `false` when the needle has no pair (one character).
    pub(super) fn candidates(&self, needle: &str, candidate: &mut impl FnMut(u32)) -> bool {
        let mut pairs = Vec::new();
        pairs_of(needle, &mut pairs);
        let mut lists: Vec<[&[u32]; 2]> = pairs.iter().map(|&k| [self.built(k), self.added(k)]).collect();
        lists.sort_by_key(|[built, added]| built.len() + added.len());
        let (rarest, second) = match lists.as_slice() {
            [] => return false,
            [rarest] => (rarest, None),
            [rarest, second, ..] => (rarest, Some(second)),
        };
        // Both lists are in position order (the added positions come after the built ones): one walk.
        let mut others = second.map(|[built, added]| built.iter().chain(added.iter()).copied().peekable());
        for position in rarest[0].iter().chain(rarest[1]).copied() {
            if let Some(others) = &mut others {
                while others.next_if(|&p| p < position).is_some() {}
                if others.peek() != Some(&position) {
                    continue;
                }
            }
            candidate(position);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(grams: &Grams, needle: &str) -> Option<Vec<u32>> {
        let mut found = Vec::new();
        grams.candidates(needle, &mut |p| found.push(p)).then_some(found)
    }

    const NAMES: [&str; 5] = [
        "合肥市养老服务协会",
        "芜湖市慈善协会",
        "合肥市慈善总会",
        "养老",
        "协会与会协",
    ];

    #[test]
    fn the_candidates_hold_every_pair_of_the_needle() {
        let grams = Grams::build(NAMES.iter().copied());
        assert_eq!(candidates(&grams, "协会"), Some(vec![0, 1, 4]));
        assert_eq!(candidates(&grams, "合肥市"), Some(vec![0, 2]));
        assert_eq!(candidates(&grams, "慈善协会"), Some(vec![1]));
        // "会协会" holds both pairs of "协会协" but the pairs alone do not make the piece: a candidate.
        assert_eq!(candidates(&grams, "协会协"), Some(vec![4]));
        assert_eq!(candidates(&grams, "上海"), Some(vec![]));
        assert_eq!(candidates(&grams, "会"), None);
        assert_eq!(candidates(&grams, ""), None);
    }

    #[test]
    fn strings_added_after_the_build_are_found_in_order_after_the_others() {
        let mut grams = Grams::build(NAMES.iter().copied());
        grams.push(5, "蚌埠市慈善协会");
        grams.push(6, "养老之家");
        assert_eq!(candidates(&grams, "慈善"), Some(vec![1, 2, 5]));
        assert_eq!(candidates(&grams, "慈善协会"), Some(vec![1, 5]));
        assert_eq!(candidates(&grams, "养老"), Some(vec![0, 3, 6]));
        assert!(!grams.stale());
    }

    #[test]
    fn a_build_is_the_same_as_adding_one_by_one() {
        let built = Grams::build(NAMES.iter().copied());
        let mut added = Grams::default();
        for (i, name) in NAMES.iter().enumerate() {
            added.push(i as u32, name);
        }
        for needle in ["协会", "合肥", "养老服务", "会协", "慈善总会", "市"] {
            assert_eq!(candidates(&built, needle), candidates(&added, needle), "{needle}");
        }
    }
}
