//! 双随机 — the draw of a fee-inspection campaign: random associations × random inspectors, from a seed
//! recorded with the campaign, so that anyone holding the seed and the recorded inputs gets the same list.
//!
//! The algorithm, stable across platforms and versions (it uses only 64-bit integer arithmetic):
//!
//! 1. The eligible associations are sorted by their unified social credit code (then id) and the inspector
//!    pool by account id, duplicates dropped — the order the inputs arrive in never matters.
//! 2. Conflicts of interest (an inspector tied to an association, recorded before the draw) are removed
//!    first: an association keeps only the inspectors it has no conflict with, and an association left with
//!    fewer than `per_association` of them cannot be inspected impartially and leaves the draw.
//! 3. A SplitMix64 generator ([`SplitMix64`], Steele, Lea & Flood 2014) is started from the seed. A number
//!    below `n` is drawn by rejection (values at or above the largest multiple of `n` are drawn again), so
//!    every number is equally likely.
//! 4. A partial Fisher–Yates shuffle picks `count` associations from the sorted list, in draw order.
//! 5. For each drawn association, in draw order, the same generator picks `per_association` inspectors by a
//!    partial Fisher–Yates shuffle of its conflict-free inspectors (sorted by id).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// SplitMix64 — a 64-bit generator whose whole state is one integer: `state += 0x9E3779B97F4A7C15`, then
/// the output is the state mixed by two xor-shift-multiply rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), every one equally likely: draws at or above the largest multiple of
    /// `n` that fits in 64 bits are rejected and drawn again.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < limit {
                return x % n;
            }
        }
    }
}

/// The seed as published: 16 lowercase hexadecimal digits.
pub fn format_seed(seed: u64) -> String {
    format!("{seed:016x}")
}

/// A published seed (16 hexadecimal digits, either case) read back.
pub fn parse_seed(raw: &str) -> Option<u64> {
    let raw = raw.trim();
    if raw.len() != 16 {
        return None;
    }
    u64::from_str_radix(raw, 16).ok()
}

/// An eligible association: its id and its stable sort key (the unified social credit code).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Candidate {
    pub key: String,
    pub id: i64,
}

/// 回避 — an inspector who may not inspect an association.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Conflict {
    pub inspector_id: i64,
    pub association_id: i64,
}

/// Everything the draw depends on; recorded with the campaign so that the draw can be run again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawInput {
    pub seed: u64,
    pub associations: Vec<Candidate>,
    pub inspectors: Vec<i64>,
    pub conflicts: Vec<Conflict>,
    /// How many associations to draw (fewer when fewer are eligible).
    pub count: u32,
    /// How many inspectors go to each association.
    pub per_association: u32,
}

/// One drawn association and its inspectors, in draw order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawn {
    pub association_id: i64,
    pub inspector_ids: Vec<i64>,
}

/// Runs the draw described in the module's documentation. A pure function of `input`.
pub fn draw(input: &DrawInput) -> Vec<Drawn> {
    let mut associations = input.associations.clone();
    associations.sort();
    associations.dedup_by_key(|c| c.id);
    let inspectors: Vec<i64> = input
        .inspectors
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let conflicts: BTreeSet<Conflict> = input.conflicts.iter().copied().collect();
    let per = input.per_association as usize;
    let free = |association: i64| -> Vec<i64> {
        inspectors
            .iter()
            .copied()
            .filter(|&inspector| {
                !conflicts.contains(&Conflict {
                    inspector_id: inspector,
                    association_id: association,
                })
            })
            .collect()
    };
    let mut eligible: Vec<i64> = associations
        .iter()
        .map(|c| c.id)
        .filter(|&id| per > 0 && free(id).len() >= per)
        .collect();
    let mut rng = SplitMix64::new(input.seed);
    let picked = partial_shuffle(&mut eligible, input.count as usize, &mut rng);
    picked
        .iter()
        .map(|&association_id| {
            let mut pool = free(association_id);
            Drawn {
                association_id,
                inspector_ids: partial_shuffle(&mut pool, per, &mut rng).to_vec(),
            }
        })
        .collect()
}

/// The first `count` of `items` after a partial Fisher–Yates shuffle: position `i` takes the item at a
/// uniformly drawn position among `i..len`.
fn partial_shuffle<'a>(items: &'a mut [i64], count: usize, rng: &mut SplitMix64) -> &'a [i64] {
    let count = count.min(items.len());
    for i in 0..count {
        let j = i + rng.below((items.len() - i) as u64) as usize;
        items.swap(i, j);
    }
    &items[..count]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(seed: u64, associations: usize, inspectors: usize, conflicts: Vec<Conflict>) -> DrawInput {
        DrawInput {
            seed,
            associations: (0..associations as i64)
                .map(|id| Candidate {
                    key: format!("51340000MJ{:08}", 1000 - id),
                    id,
                })
                .collect(),
            inspectors: (100..100 + inspectors as i64).collect(),
            conflicts,
            count: 5,
            per_association: 2,
        }
    }

    #[test]
    fn splitmix64_gives_the_published_reference_values() {
        // The first outputs for seed 1234567 (as in Vigna's reference implementation, splitmix64.c).
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(parse_seed(&format_seed(u64::MAX)), Some(u64::MAX));
        assert_eq!(parse_seed("xyz"), None);
    }

    #[test]
    fn an_association_without_enough_free_inspectors_leaves_the_draw() {
        let conflicts = vec![Conflict {
            inspector_id: 100,
            association_id: 0,
        }];
        let mut all = input(7, 3, 2, conflicts);
        all.count = 3;
        let drawn = draw(&all);
        assert_eq!(drawn.len(), 2);
        assert!(drawn.iter().all(|d| d.association_id != 0));
    }

    fn conflict_lists() -> impl Strategy<Value = Vec<Conflict>> {
        proptest::collection::vec((100..110_i64, 0..40_i64), 0..60).prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(inspector_id, association_id)| Conflict {
                    inspector_id,
                    association_id,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn the_draw_is_reproducible_whatever_the_order_of_its_inputs(
            seed in any::<u64>(), count in 0_u32..50, per in 1_u32..4, conflicts in conflict_lists(),
        ) {
            let mut first = input(seed, 40, 10, conflicts);
            first.count = count;
            first.per_association = per;
            let mut shuffled = first.clone();
            shuffled.associations.reverse();
            shuffled.inspectors.reverse();
            shuffled.conflicts.reverse();
            prop_assert_eq!(draw(&first), draw(&shuffled));
            prop_assert_eq!(draw(&first), draw(&first.clone()));
        }

        #[test]
        fn a_conflict_never_appears_and_nothing_is_drawn_twice(
            seed in any::<u64>(), count in 0_u32..50, per in 1_u32..4, conflicts in conflict_lists(),
        ) {
            let mut input = input(seed, 40, 10, conflicts.clone());
            input.count = count;
            input.per_association = per;
            let drawn = draw(&input);
            prop_assert!(drawn.len() <= count as usize);
            let associations: BTreeSet<i64> = drawn.iter().map(|d| d.association_id).collect();
            prop_assert_eq!(associations.len(), drawn.len());
            for d in &drawn {
                prop_assert_eq!(d.inspector_ids.len(), per as usize);
                let inspectors: BTreeSet<i64> = d.inspector_ids.iter().copied().collect();
                prop_assert_eq!(inspectors.len(), d.inspector_ids.len());
                for &inspector_id in &d.inspector_ids {
                    let pair = Conflict { inspector_id, association_id: d.association_id };
                    prop_assert!(!conflicts.contains(&pair));
                }
            }
        }
    }
}
