//! 候选配对 — the allowed pairs of an instance with their scores, and the sparse subset the solver starts from.

use std::collections::HashMap;

use super::geo::{UnitVector, chord_squared_limit};
use super::{Instance, Need, Weights};

/// A need or capability vector indexed by `Need::ALL` position, plus the set of positive keys as a bit mask
/// so that most pairs without any common key are rejected by one `&`.
#[derive(Debug, Clone, Copy)]
struct Profile {
    weights: [i64; 8],
    mask: u8,
}

impl Profile {
    fn new(weights: &Weights) -> Self {
        let mut profile = Profile { weights: [0; 8], mask: 0 };
        for (index, need) in Need::ALL.into_iter().enumerate() {
            let weight = weights.get(&need).copied().unwrap_or(0);
            profile.weights[index] = weight;
            if weight > 0 {
                profile.mask |= 1 << index;
            }
        }
        profile
    }

    fn fit(&self, other: &Profile) -> i64 {
        self.weights.iter().zip(&other.weights).map(|(a, b)| a * b).sum()
    }
}

/// The terms of one pair's score.
pub(super) struct Terms {
    pub fit: i64,
    pub priority_bonus: i64,
    pub distance_km: i64,
    pub distance_penalty: i64,
}

impl Terms {
    pub fn score(&self) -> i64 {
        self.fit + self.priority_bonus - self.distance_penalty
    }
}

/// The instance in positions instead of ids, with what every pair needs computed once.
pub(super) struct Prepared<'a> {
    pub instance: &'a Instance,
    society_points: Vec<UnitVector>,
    society_profiles: Vec<Profile>,
    village_points: Vec<UnitVector>,
    village_profiles: Vec<Profile>,
    /// Sorted, unique (society, village) positions.
    pub pins: Vec<(u32, u32)>,
    forbids: Vec<(u32, u32)>,
}

impl<'a> Prepared<'a> {
    pub fn new(instance: &'a Instance) -> Self {
        let societies: HashMap<&str, u32> =
            instance.societies.iter().enumerate().map(|(i, s)| (s.id.as_str(), i as u32)).collect();
        let villages: HashMap<&str, u32> =
            instance.villages.iter().enumerate().map(|(i, v)| (v.id.as_str(), i as u32)).collect();
        // Validation has checked that every id is known; `filter_map` only keeps this path free of panics.
        let positions = |pairs: &[(String, String)]| {
            let mut positions: Vec<(u32, u32)> = pairs
                .iter()
                .filter_map(|(s, v)| Some((*societies.get(s.as_str())?, *villages.get(v.as_str())?)))
                .collect();
            positions.sort_unstable();
            positions.dedup();
            positions
        };
        Prepared {
            instance,
            society_points: instance.societies.iter().map(|s| UnitVector::from_degrees(s.lon, s.lat)).collect(),
            society_profiles: instance.societies.iter().map(|s| Profile::new(&s.capabilities)).collect(),
            village_points: instance.villages.iter().map(|v| UnitVector::from_degrees(v.lon, v.lat)).collect(),
            village_profiles: instance.villages.iter().map(|v| Profile::new(&v.needs)).collect(),
            pins: positions(&instance.rules.pins),
            forbids: positions(&instance.rules.forbids),
        }
    }

    pub fn terms(&self, society: usize, village: usize) -> Terms {
        let rules = &self.instance.rules;
        let distance_km = self.society_points[society].rounded_km(self.village_points[village]);
        Terms {
            fit: self.society_profiles[society].fit(&self.village_profiles[village]),
            priority_bonus: if self.instance.villages[village].priority { rules.priority_bonus } else { 0 },
            distance_km,
            distance_penalty: rules.distance_penalty_per_km * distance_km,
        }
    }
}

/// The score terms of pair (society, village) by input positions, for explanations.
pub(super) fn terms(instance: &Instance, society: usize, village: usize) -> Terms {
    let (s, v) = (&instance.societies[society], &instance.villages[village]);
    let distance_km = UnitVector::from_degrees(s.lon, s.lat).rounded_km(UnitVector::from_degrees(v.lon, v.lat));
    Terms {
        fit: Profile::new(&s.capabilities).fit(&Profile::new(&v.needs)),
        priority_bonus: if v.priority { instance.rules.priority_bonus } else { 0 },
        distance_km,
        distance_penalty: instance.rules.distance_penalty_per_km * distance_km,
    }
}

/// Room left after the pins: societies' capacities and villages' slots, capped by the size of the other side
/// (a larger number could never be used and would only risk overflow).
pub(super) struct Room {
    pub society: Vec<i64>,
    pub village: Vec<i64>,
    /// Whether a pin already covers the village, so that the flow must not pay its coverage bonus again.
    pub pinned_village: Vec<bool>,
}

impl Room {
    pub fn new(prepared: &Prepared) -> Self {
        let instance = prepared.instance;
        let (societies, villages) = (instance.societies.len() as i64, instance.villages.len() as i64);
        let mut room = Room {
            society: instance.societies.iter().map(|s| s.capacity.min(villages)).collect(),
            village: instance.villages.iter().map(|v| v.max_societies.min(societies)).collect(),
            pinned_village: vec![false; instance.villages.len()],
        };
        for &(s, v) in &prepared.pins {
            room.society[s as usize] -= 1;
            room.village[v as usize] -= 1;
            room.pinned_village[v as usize] = true;
        }
        room
    }
}

/// The candidate pairs: allowed, not forbidden, not pinned, between a society with room and a village with
/// room, grouped by society in input order and by village input order within a society.
pub(super) struct Candidates {
    /// `first[s]..first[s + 1]` are society `s`'s candidates.
    pub first: Vec<u32>,
    pub village: Vec<u32>,
    pub score: Vec<i64>,
}

impl Candidates {
    pub fn len(&self) -> usize {
        self.village.len()
    }

    /// The society of each candidate, in candidate order.
    pub fn societies(&self) -> impl Iterator<Item = u32> + '_ {
        self.first.windows(2).enumerate().flat_map(|(s, w)| (w[0]..w[1]).map(move |_| s as u32))
    }

    /// The society of candidate `c`.
    pub fn society_of(&self, c: u32) -> u32 {
        (self.first.partition_point(|&first| first <= c) - 1) as u32
    }
}

pub(super) fn candidates(prepared: &Prepared, room: &Room) -> Candidates {
    let rules = &prepared.instance.rules;
    let limit = chord_squared_limit(rules.max_distance_km);
    // Villages with room, packed so that the inner loop reads one small record per village.
    let open: Vec<(u32, u8, UnitVector)> = (0..prepared.village_points.len())
        .filter(|&v| room.village[v] > 0)
        .map(|v| (v as u32, prepared.village_profiles[v].mask, prepared.village_points[v]))
        .collect();
    let societies = prepared.society_points.len();
    let mut out = Candidates { first: Vec::with_capacity(societies + 1), village: Vec::new(), score: Vec::new() };
    out.first.push(0);
    for society in 0..societies {
        if room.society[society] > 0 {
            let (point, mask) = (prepared.society_points[society], prepared.society_profiles[society].mask);
            let pins = society_slice(&prepared.pins, society);
            let forbids = society_slice(&prepared.forbids, society);
            for &(village, village_mask, village_point) in &open {
                if mask & village_mask == 0 || point.chord_squared(village_point) > limit {
                    continue;
                }
                let named = |list: &[(u32, u32)]| list.binary_search_by_key(&village, |&(_, v)| v).is_ok();
                if named(pins) || named(forbids) {
                    continue;
                }
                let terms = prepared.terms(society, village as usize);
                if terms.distance_km <= rules.max_distance_km {
                    out.village.push(village);
                    out.score.push(terms.score());
                }
            }
        }
        out.first.push(out.village.len() as u32);
    }
    out
}

/// The entries of a sorted (society, village) list that name `society`.
fn society_slice(sorted: &[(u32, u32)], society: usize) -> &[(u32, u32)] {
    let start = sorted.partition_point(|&(s, _)| (s as usize) < society);
    let end = sorted.partition_point(|&(s, _)| (s as usize) <= society);
    &sorted[start..end]
}

/// How many of its best candidates each society and each village bring into the first, sparse network.
const SOCIETY_SHORTLIST_PER_SLOT: usize = 2;
const SOCIETY_SHORTLIST_EXTRA: usize = 4;
const VILLAGE_SHORTLIST: usize = 6;

/// The candidates the solver starts from: each society's best `2 × room + 4` and each village's best 6 by score
/// (ties by input order). Every society and village with a candidate keeps at least one, so the sparse and the
/// full network have the same nodes; the other candidates are priced against the optimum and brought in only
/// when one could improve it.
pub(super) fn shortlist(candidates: &Candidates, room: &Room, villages: usize) -> Vec<bool> {
    let mut chosen = vec![false; candidates.len()];
    let better = |a: &u32, b: &u32| candidates.score[*b as usize].cmp(&candidates.score[*a as usize]).then(a.cmp(b));
    let mut scratch: Vec<u32> = Vec::new();
    for (society, w) in candidates.first.windows(2).enumerate() {
        scratch.clear();
        scratch.extend(w[0]..w[1]);
        let keep = SOCIETY_SHORTLIST_PER_SLOT * room.society[society].max(0) as usize + SOCIETY_SHORTLIST_EXTRA;
        mark_best(&mut scratch, keep, better, &mut chosen);
    }
    // Group candidate indices by village (a counting sort keeps them in society order within a village).
    let mut first = vec![0u32; villages + 1];
    for &v in &candidates.village {
        first[v as usize + 1] += 1;
    }
    for v in 0..villages {
        first[v + 1] += first[v];
    }
    let mut next = first.clone();
    let mut by_village = vec![0u32; candidates.len()];
    for (c, &v) in candidates.village.iter().enumerate() {
        by_village[next[v as usize] as usize] = c as u32;
        next[v as usize] += 1;
    }
    for w in first.windows(2) {
        scratch.clear();
        scratch.extend_from_slice(&by_village[w[0] as usize..w[1] as usize]);
        mark_best(&mut scratch, VILLAGE_SHORTLIST, better, &mut chosen);
    }
    chosen
}

fn mark_best(
    indices: &mut [u32],
    keep: usize,
    better: impl Fn(&u32, &u32) -> std::cmp::Ordering,
    chosen: &mut [bool],
) {
    if indices.len() > keep && keep > 0 {
        indices.select_nth_unstable_by(keep - 1, &better);
    }
    for &c in indices.iter().take(keep) {
        chosen[c as usize] = true;
    }
}
