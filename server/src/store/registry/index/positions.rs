//! Each live organization's position in the index, by id.

use std::collections::HashMap;

/// Each live organization's position by id: a vector indexed by id, since ids are database identities that
/// count up from 1 (4 bytes an organization, where a hash map took about 35), and a map for any id far
/// beyond the others.
#[derive(Debug, Default)]
pub(super) struct Positions {
    dense: Vec<u32>,
    pub(super) sparse: HashMap<i64, u32>,
    len: usize,
}

impl Positions {
    pub(super) const NONE: u32 = u32::MAX;

    pub(super) fn insert(&mut self, id: i64, position: u32) {
        let slot = usize::try_from(id).ok().filter(|&i| i < 2 * self.len + 1_000_000);
        match slot {
            Some(i) => {
                if i >= self.dense.len() {
                    self.dense.resize(i + 1, Self::NONE);
                }
                self.dense[i] = position;
            }
            None => {
                self.sparse.insert(id, position);
            }
        }
        self.len += 1;
    }

    pub(super) fn remove(&mut self, id: i64) -> Option<u32> {
        let dense = usize::try_from(id)
            .ok()
            .and_then(|i| self.dense.get_mut(i))
            .filter(|p| **p != Self::NONE)
            .map(|p| std::mem::replace(p, Self::NONE));
        let removed = dense.or_else(|| self.sparse.remove(&id));
        if removed.is_some() {
            self.len -= 1;
        }
        removed
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Each position `p` becomes `moved[p]`.
    pub(super) fn renumber(&mut self, moved: &[u32]) {
        let positions = self.dense.iter_mut().chain(self.sparse.values_mut());
        positions
            .filter(|p| **p != Self::NONE)
            .for_each(|p| *p = moved[*p as usize]);
    }
}
