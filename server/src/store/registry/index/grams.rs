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

/// The positions of each pair: those of the strings there were when it was built in one array, each
/// position as its distance from the one before in as few bytes as it takes (`Gaps`: 12 MB for 900,000
/// generated names, where four bytes a position took 42 MB), and those of strings added since in a small
/// map.
#[derive(Debug, Default)]
pub(super) struct Grams {
    /// The pairs, sorted; `starts[i]..starts[i + 1]` are the bytes of `keys[i]`'s positions in `gaps`,
    /// `counts[i]` how many positions they are.
    keys: Vec<u64>,
    starts: Vec<u32>,
    counts: Vec<u32>,
    gaps: Vec<u8>,
    /// Added since the build, in order.
    recent: HashMap<u64, Vec<u32>>,
    recent_len: usize,
    /// How many strings: those of the build and those added since.
    strings: usize,
}

/// A gap of seven bits a byte, lowest first, the high bit set on every byte but the last.
fn gap_len(gap: u32) -> u32 {
    (32 - gap.leading_zeros()).div_ceil(7).max(1)
}

fn put_gap(bytes: &mut [u8], mut gap: u32) -> usize {
    let mut written = 0;
    while gap >= 0x80 {
        bytes[written] = (gap & 0x7f) as u8 | 0x80;
        gap >>= 7;
        written += 1;
    }
    bytes[written] = gap as u8;
    written + 1
}

/// The positions of one pair, read from their gaps.
struct Gaps<'a> {
    bytes: &'a [u8],
    at: u32,
}

impl Iterator for Gaps<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let mut gap = 0_u32;
        let mut shift = 0;
        loop {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            gap |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        self.at += gap;
        Some(self.at)
    }
}

/// A pair's place while its positions are written: where its next byte goes, and its last position.
#[derive(Default, Clone, Copy)]
struct Cursor {
    count: u32,
    bytes: u32,
    last: u32,
}

impl Grams {
    /// The pairs of `texts`, each string at its position. Two passes (measure, then write), so that
    /// nothing larger than the result is held on the way.
    pub(super) fn build<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> Grams {
        let mut scratch = Vec::new();
        let mut cursors: HashMap<u64, Cursor> = HashMap::new();
        for (position, text) in texts.clone().enumerate() {
            pairs_of(text, &mut scratch);
            for &key in &scratch {
                let cursor = cursors.entry(key).or_default();
                cursor.count += 1;
                cursor.bytes += gap_len(position as u32 - cursor.last);
                cursor.last = position as u32;
            }
        }
        let mut keys: Vec<u64> = cursors.keys().copied().collect();
        keys.sort_unstable();
        let mut starts = Vec::with_capacity(keys.len() + 1);
        let mut counts = Vec::with_capacity(keys.len());
        let mut total = 0_u32;
        for key in &keys {
            let cursor = cursors.get_mut(key).expect("measured");
            let start = total;
            starts.push(start);
            counts.push(cursor.count);
            total += cursor.bytes;
            // From here on, where the pair's next gap goes and the position before it.
            *cursor = Cursor {
                count: 0,
                bytes: start,
                last: 0,
            };
        }
        starts.push(total);
        let mut gaps = vec![0; total as usize];
        let mut strings = 0;
        for (position, text) in texts.enumerate() {
            strings += 1;
            pairs_of(text, &mut scratch);
            for key in &scratch {
                let cursor = cursors.get_mut(key).expect("measured");
                let position = position as u32;
                let written = put_gap(&mut gaps[cursor.bytes as usize..], position - cursor.last);
                cursor.bytes += written as u32;
                cursor.last = position;
            }
        }
        Grams {
            keys,
            starts,
            counts,
            gaps,
            recent: HashMap::new(),
            recent_len: 0,
            strings,
        }
    }

    /// How many strings the pairs are of.
    pub(super) fn strings(&self) -> usize {
        self.strings
    }

    /// Adds the string at `position`, after every other.
    pub(super) fn push(&mut self, position: u32, text: &str) {
        let mut pairs = Vec::new();
        pairs_of(text, &mut pairs);
        self.recent_len += pairs.len();
        self.strings += 1;
        for key in pairs {
            self.recent.entry(key).or_default().push(position);
        }
    }

    /// Whether so many strings were added since the build that building again is due: the map takes four
    /// bytes and more a position, the gaps little more than one.
    pub(super) fn stale(&self) -> bool {
        self.recent_len > 65_536 + self.gaps.len() / 16
    }

    /// The positions of `key` from the build, and how many.
    fn built(&self, key: u64) -> (Gaps<'_>, usize) {
        match self.keys.binary_search(&key) {
            Ok(i) => {
                let bytes = &self.gaps[self.starts[i] as usize..self.starts[i + 1] as usize];
                (Gaps { bytes, at: 0 }, self.counts[i] as usize)
            }
            Err(_) => (Gaps { bytes: &[], at: 0 }, 0),
        }
    }

    fn added(&self, key: u64) -> &[u32] {
        self.recent.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The positions of `key`, in order, and how many.
    fn positions(&self, key: u64) -> (impl Iterator<Item = u32> + '_, usize) {
        let ((built, count), added) = (self.built(key), self.added(key));
        (built.chain(added.iter().copied()), count + added.len())
    }

    /// Calls `candidate` with the position of every string that holds the two rarest pairs of `needle`, in
    /// order, once each: every string that contains `needle`, and maybe others (a needle of two characters
    /// is its one pair: then only those). `false` when the needle has no pair (one character).
    pub(super) fn candidates(&self, needle: &str, candidate: &mut impl FnMut(u32)) -> bool {
        let mut pairs = Vec::new();
        pairs_of(needle, &mut pairs);
        let mut lists: Vec<_> = pairs.iter().map(|&k| self.positions(k)).collect();
        lists.sort_by_key(|(_, count)| *count);
        let mut lists = lists.into_iter().map(|(positions, _)| positions);
        let Some(rarest) = lists.next() else {
            return false;
        };
        // Both lists are in position order (the added positions come after the built ones): one walk.
        let mut others = lists.next().map(Iterator::peekable);
        for position in rarest {
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
    fn positions_far_apart_read_back_from_their_gaps() {
        let at = [0_u32, 1, 129, 10_000, 2_100_000, 2_999_999];
        let texts = (0..3_000_000).map(|i| if at.contains(&i) { "协会" } else { "" });
        let grams = Grams::build(texts);
        assert_eq!(candidates(&grams, "协会"), Some(at.to_vec()));
        assert_eq!(grams.strings(), 3_000_000);
        // A gap of seven bits is one byte, of eight two, …: 1 + 1 + 2 + 2 + 3 + 3.
        assert_eq!(grams.gaps.len(), 12);
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
