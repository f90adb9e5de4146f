//! What a registry search reads and what it finds: the names and credit codes laid end to end for one
//! substring pass, and the sets of positions found or matched — a sorted list while they are few, a bit a
//! position once they are many.

use memchr::memmem;

use super::grams::Grams;

/// Strings laid end to end, each followed by a newline (which none contains), so that one substring
/// search over the whole buffer finds every string that contains the needle; for the names, also where
/// each pair of characters occurs (`grams.rs`), so that a search reads a few candidates instead.
#[derive(Debug)]
pub(super) struct Texts {
    buffer: String,
    /// Where each string starts; one more at the end.
    starts: Vec<u32>,
    /// Built by `index_pairs`, then kept up to date by `push` (built again when `pairs_stale`).
    grams: Option<Grams>,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            buffer: String::new(),
            starts: vec![0],
            grams: None,
        }
    }
}

impl Texts {
    pub(super) fn push(&mut self, text: &str) {
        // A newline inside a string would split it in two; none is expected in a name or a code.
        self.buffer
            .extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }));
        self.buffer.push('\n');
        self.starts.push(self.buffer.len() as u32);
        if let Some(mut grams) = self.grams.take() {
            let position = self.len() - 1;
            grams.push(position as u32, self.get(position));
            self.grams = Some(grams);
        }
    }

    /// Indexes the pairs of characters of every string, from now on (`grams.rs`): the end of a build.
    pub(super) fn index_pairs(&mut self) {
        let pairs = self.build_pairs();
        self.install_pairs(pairs);
    }

    /// Whether so many strings were added since the pairs were indexed that indexing them again is due.
    pub(super) fn pairs_stale(&self) -> bool {
        self.grams.as_ref().is_some_and(Grams::stale)
    }

    /// The pairs of every string, built from a shared reference: the index goes on answering meanwhile.
    pub(super) fn build_pairs(&self) -> Grams {
        Grams::build((0..self.len()).map(|i| self.get(i)))
    }

    /// Uses `pairs` from now on, when they are the pairs of these very strings (`false`, and nothing
    /// changed, when a string was added since they were built).
    pub(super) fn install_pairs(&mut self, pairs: Grams) -> bool {
        let current = pairs.strings() == self.len();
        if current {
            self.grams = Some(pairs);
        }
        current
    }

    /// Keeps the strings at the positions where `keep` holds, moved down in place (nothing is held twice),
    /// and drops the pairs: index them again after.
    pub(super) fn retain(&mut self, keep: impl Fn(usize) -> bool) {
        self.grams = None;
        let mut bytes = std::mem::take(&mut self.buffer).into_bytes();
        let (mut start, mut written, mut kept) = (0, 0, 0);
        for i in 0..self.len() {
            // Read before anything is written at `i + 1` (`kept` never passes `i`).
            let end = self.starts[i + 1] as usize;
            if keep(i) {
                bytes.copy_within(start..end, written);
                written += end - start;
                kept += 1;
                self.starts[kept] = written as u32;
            }
            start = end;
        }
        bytes.truncate(written);
        self.starts.truncate(kept + 1);
        self.buffer = String::from_utf8(bytes).expect("whole strings moved whole");
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    pub(super) fn get(&self, i: usize) -> &str {
        &self.buffer[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    /// Calls `found` with every string that contains `needle`, in order, once each.
    pub(super) fn find(&self, needle: &str, found: &mut impl FnMut(u32)) {
        if needle.is_empty() || needle.contains('\n') {
            return;
        }
        if let Some(grams) = &self.grams {
            // A needle of two characters is its one pair: the candidates are the matches.
            let searched = if needle.chars().nth(2).is_none() {
                grams.candidates(needle, found)
            } else {
                let finder = memmem::Finder::new(needle.as_bytes());
                grams.candidates(needle, &mut |i| {
                    if finder.find(self.get(i as usize).as_bytes()).is_some() {
                        found(i);
                    }
                })
            };
            if searched {
                return;
            }
        }
        let mut i = 0;
        let mut last = None;
        for at in memmem::find_iter(self.buffer.as_bytes(), needle.as_bytes()) {
            // Matches come in order: move on to the string that holds this one.
            while self.starts[i + 1] as usize <= at {
                i += 1;
            }
            if last != Some(i) {
                last = Some(i);
                found(i as u32);
            }
        }
    }
}

/// A set of positions, a bit each: 113 KB at 900,000 organizations, where a `bool` each took 900 KB.
pub(super) struct Marks(pub(super) Vec<u64>);

impl Marks {
    pub(super) fn new(len: usize) -> Self {
        Marks(vec![0; len.div_ceil(64)])
    }

    pub(super) fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    pub(super) fn has(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
}

/// What a search found: the positions, sorted, while they are few; marks once they are many (a list of
/// every name with 协会 in it would be megabytes a request).
pub(super) enum Found {
    Few(Vec<u32>),
    Many(Marks),
}

#[cfg(test)]
impl Found {
    pub(super) fn count(&self) -> usize {
        match self {
            Found::Few(positions) => positions.len(),
            Found::Many(marks) => marks.0.iter().map(|w| w.count_ones() as usize).sum(),
        }
    }
}

/// What a query matched: the positions themselves when a search found them (a few among many), or a mark
/// per position after a pass over every entry.
pub(super) enum Matched {
    Listed(Vec<u32>),
    Marked(Marks, u64),
}

/// Up to this many matches are put in order by sorting them; more by walking the sort order over their
/// marks (a few milliseconds at 900,000, however many match).
pub(super) const SORTED_AT_MOST: usize = 4_096;

#[cfg(test)]
mod tests {
    use super::Texts;

    fn find(texts: &Texts, needle: &str) -> Vec<u32> {
        let mut found = Vec::new();
        texts.find(needle, &mut |i| found.push(i));
        found
    }

    #[test]
    fn retained_strings_move_down_whole() {
        let mut texts = Texts::default();
        for name in ["合肥市慈善协会", "", "芜湖", "abc", "蚌埠市养老协会"] {
            texts.push(name);
        }
        texts.index_pairs();
        texts.retain(|i| i != 0 && i != 3);
        let kept: Vec<&str> = (0..texts.len()).map(|i| texts.get(i)).collect();
        assert_eq!(kept, ["", "芜湖", "蚌埠市养老协会"]);
        // Found by a pass until the pairs are indexed again, then by them.
        assert_eq!(find(&texts, "协会"), [2]);
        texts.index_pairs();
        assert_eq!(find(&texts, "协会"), [2]);
        assert_eq!(find(&texts, "慈善"), Vec::<u32>::new());
        texts.retain(|_| false);
        assert_eq!(texts.len(), 0);
    }

    #[test]
    fn a_search_by_pairs_finds_what_a_pass_finds_through_additions_and_rebuilds() {
        let names: Vec<String> = (0..70_000)
            .map(|i| format!("{}市{}协会", ["合肥", "芜湖", "蚌埠"][i % 3], i % 97))
            .collect();
        let (mut passed, mut indexed) = (Texts::default(), Texts::default());
        for name in &names[..1_000] {
            passed.push(name);
            indexed.push(name);
        }
        indexed.index_pairs();
        // Enough additions that the pairs are due to be indexed again on the way, more than once, as the
        // index does after a patch; a rebuild that a string overtook is not installed.
        let mut rebuilds = 0;
        for name in &names[1_000..] {
            passed.push(name);
            indexed.push(name);
            if indexed.pairs_stale() {
                let overtaken = indexed.build_pairs();
                indexed.push(name);
                passed.push(name);
                assert!(!indexed.install_pairs(overtaken), "pairs of fewer strings");
                assert!(indexed.pairs_stale(), "the stale pairs stay until built again");
                let pairs = indexed.build_pairs();
                assert!(indexed.install_pairs(pairs));
                assert!(!indexed.pairs_stale());
                rebuilds += 1;
            }
        }
        assert!(rebuilds >= 2, "indexed again {rebuilds} times");
        for needle in [
            "合肥",
            "芜湖市1",
            "市5协会",
            "3协会",
            "协",
            "蚌埠市96协会",
            "不在",
            "会\n合",
        ] {
            let (by_pairs, by_pass) = (find(&indexed, needle), find(&passed, needle));
            assert_eq!(by_pairs, by_pass, "{needle}");
        }
        let expected = (0..70_000).filter(|i| i % 3 == 2 && i % 97 == 96).count();
        assert_eq!(find(&indexed, "蚌埠市96协会").len(), expected);
    }
}
