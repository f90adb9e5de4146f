//! What a registry search reads and what it finds: the names and credit codes laid end to end for one
//! substring pass, and the sets of positions found or matched — a sorted list while they are few, a bit a
//! position once they are many.

use memchr::memmem;

/// Strings laid end to end, each followed by a newline (which none contains), so that one substring
/// search over the whole buffer finds every string that contains the needle.
#[derive(Debug)]
pub(super) struct Texts {
    buffer: String,
    /// Where each string starts; one more at the end.
    starts: Vec<u32>,
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            buffer: String::new(),
            starts: vec![0],
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
    }

    pub(super) fn get(&self, i: usize) -> &str {
        &self.buffer[self.starts[i] as usize..self.starts[i + 1] as usize - 1]
    }

    /// Calls `found` with every string that contains `needle`, in order, once each.
    pub(super) fn find(&self, needle: &str, found: &mut impl FnMut(u32)) {
        if needle.is_empty() || needle.contains('\n') {
            return;
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
