//! 配对模型 — turns a valid instance into a flow network whose min-cost circulation is the optimal plan, and
//! reads the plan back.
//!
//! Nodes: societies, then villages, then a source and a sink. Arcs: source → society (capacity minus pins,
//! cost 0); society → village for each candidate pair (capacity 1, cost −score); village → sink once with
//! capacity 1 and cost −bonus (the coverage bonus, unless a pin already covers the village) and once with the
//! remaining slots and cost 0; sink → source (cost 0). The per-village cost is concave (the first unit takes the
//! bonus), so a min-cost circulation maximises bonus × covered + score. The bonuses are chosen so that one more
//! priority village outweighs any number of ordinary villages, and one more village outweighs any change of
//! total score.
//!
//! A province has millions of candidate pairs, of which the optimum uses about one in five hundred. The solver
//! starts on a shortlist of them and, after every second scaling phase, prices the rest against the current
//! prices: a candidate whose reduced cost is below −ε joins the network. When scaling ends (ε = 1) with no candidate
//! left out below −1, the prices prove the circulation optimal for the network over all candidates.

use super::candidates::{self, Candidates, Prepared, Room};
use super::flow::{self, ArcSpec, Network, Prices, TooLarge};
use super::{Instance, Objective, Pair, PairingError, Plan};

/// The coverage bonuses, as exact integers: `covered` exceeds the largest possible change of total score and
/// `priority` exceeds the largest possible change of `covered × villages + score`.
struct Bonuses {
    covered: i64,
    priority: i64,
}

fn bonuses(candidates: &Candidates, room: &Room) -> Option<Bonuses> {
    let society_room: i64 = room.society.iter().filter(|&&r| r > 0).sum();
    let village_room: i64 = room.village.iter().filter(|&&r| r > 0).sum();
    let max_pairs = society_room.min(village_room).min(candidates.len() as i64);
    let max_score = candidates.score.iter().map(|s| s.abs()).max().unwrap_or(0).max(1);
    let villages = room.pinned_village.len() as i64;
    let covered = max_pairs.checked_mul(max_score)?.checked_mul(2)?.checked_add(1)?;
    let priority = covered.checked_mul(villages.checked_add(1)?)?;
    priority.checked_add(covered)?;
    Some(Bonuses { covered, priority })
}

/// The node numbering and the fixed (non-candidate) arcs' data.
struct Layout<'a> {
    instance: &'a Instance,
    candidates: &'a Candidates,
    room: &'a Room,
    bonuses: Bonuses,
    /// The largest |score| of a candidate.
    max_abs_score: i64,
    /// Whether a society or village has any candidate at all; others stay out of the network.
    society_active: Vec<bool>,
    village_active: Vec<bool>,
}

impl<'a> Layout<'a> {
    fn new(instance: &'a Instance, candidates: &'a Candidates, room: &'a Room) -> Result<Self, TooLarge> {
        let (mut society_active, mut village_active) = (
            vec![false; instance.societies.len()],
            vec![false; instance.villages.len()],
        );
        for (s, w) in candidates.first.windows(2).enumerate() {
            society_active[s] = w[0] < w[1];
        }
        for &v in &candidates.village {
            village_active[v as usize] = true;
        }
        let bonuses = bonuses(candidates, room).ok_or(TooLarge)?;
        let max_abs_score = candidates.score.iter().map(|s| s.abs()).max().unwrap_or(0);
        Ok(Layout {
            instance,
            candidates,
            room,
            bonuses,
            max_abs_score,
            society_active,
            village_active,
        })
    }

    fn societies(&self) -> usize {
        self.instance.societies.len()
    }
    fn villages(&self) -> usize {
        self.instance.villages.len()
    }
    fn nodes(&self) -> usize {
        self.societies() + self.villages() + 2
    }
    fn village_node(&self, village: u32) -> u32 {
        (self.societies() + village as usize) as u32
    }
    fn source(&self) -> u32 {
        (self.societies() + self.villages()) as u32
    }
    fn sink(&self) -> u32 {
        self.source() + 1
    }

    /// The arcs of the network over the chosen candidates, carrying `used` as the starting circulation.
    /// Returns the arcs and, for each chosen candidate in order, its arc's index.
    fn arcs(&self, chosen: &[u32], used: &[bool]) -> Result<(Vec<ArcSpec>, Vec<usize>), TooLarge> {
        let society_of: Vec<u32> = chosen.iter().map(|&c| self.candidates.society_of(c)).collect();
        let (mut society_flow, mut village_flow) =
            (vec![0i64; self.societies()], vec![0i64; self.villages()]);
        for (&c, &s) in chosen.iter().zip(&society_of) {
            if used[c as usize] {
                society_flow[s as usize] += 1;
                village_flow[self.candidates.village[c as usize] as usize] += 1;
            }
        }
        let mut arcs = Vec::with_capacity(chosen.len() + self.societies() + 2 * self.villages() + 1);
        let (mut supply, mut circulating) = (0i64, 0i64);
        for (s, &flow) in society_flow.iter().enumerate() {
            if self.society_active[s] {
                let capacity = self.room.society[s];
                arcs.push(arc(self.source(), s as u32, capacity, 0, flow)?);
                supply += capacity;
                circulating += flow;
            }
        }
        let mut candidate_arcs = Vec::with_capacity(chosen.len());
        for (&c, &s) in chosen.iter().zip(&society_of) {
            candidate_arcs.push(arcs.len());
            let (village, score) = (
                self.candidates.village[c as usize],
                self.candidates.score[c as usize],
            );
            arcs.push(arc(
                s,
                self.village_node(village),
                1,
                -score,
                i64::from(used[c as usize]),
            )?);
        }
        for (v, &flow) in village_flow.iter().enumerate() {
            if self.village_active[v] {
                self.village_arcs(v, flow, &mut arcs)?;
            }
        }
        arcs.push(arc(self.sink(), self.source(), supply, 0, circulating)?);
        Ok((arcs, candidate_arcs))
    }

    /// A village's two arcs to the sink: the first unit earns the coverage bonus (unless a pin already
    /// covers the village), the others nothing.
    fn village_arcs(&self, v: usize, flow: i64, arcs: &mut Vec<ArcSpec>) -> Result<(), TooLarge> {
        let (node, mut slots, mut flow) = (self.village_node(v as u32), self.room.village[v], flow);
        if !self.room.pinned_village[v] {
            let priority = if self.instance.villages[v].priority {
                self.bonuses.priority
            } else {
                0
            };
            let first = flow.min(1);
            arcs.push(arc(
                node,
                self.sink(),
                1,
                -(self.bonuses.covered + priority),
                first,
            )?);
            slots -= 1;
            flow -= first;
        }
        if slots > 0 {
            arcs.push(arc(node, self.sink(), slots, 0, flow)?);
        }
        Ok(())
    }
}

fn arc(from: u32, to: u32, capacity: i64, cost: i64, flow: i64) -> Result<ArcSpec, TooLarge> {
    let to_i32 = |value: i64| i32::try_from(value).map_err(|_| TooLarge);
    Ok(ArcSpec {
        from,
        to,
        capacity: to_i32(capacity)?,
        cost,
        flow: to_i32(flow)?,
    })
}

pub(super) fn solve_valid(instance: &Instance) -> Result<Plan, PairingError> {
    let too_large = || PairingError::TooLarge {
        societies: instance.societies.len(),
        villages: instance.villages.len(),
    };
    let prepared = Prepared::new(instance);
    let room = Room::new(&prepared);
    let candidates = candidates::candidates(&prepared, &room).map_err(|TooLarge| too_large())?;
    let used = optimal_candidates(&prepared, &room, &candidates).map_err(|TooLarge| too_large())?;
    Ok(plan(&prepared, &candidates, &used))
}

/// The network over the candidates admitted so far, with the map back from arcs to candidates.
struct Sparse {
    network: Network,
    /// The admitted candidates in index order, and the forward slot of each one's arc.
    admitted: Vec<u32>,
    slots: Vec<u32>,
}

impl Sparse {
    /// The network over `admitted` (sorted candidate indices), carrying `used` as its circulation.
    fn new(layout: &Layout, admitted: Vec<u32>, used: &[bool]) -> Result<Self, TooLarge> {
        let (arcs, candidate_arcs) = layout.arcs(&admitted, used)?;
        let (network, forward) = Network::build(layout.nodes(), &arcs)?;
        let slots = candidate_arcs.iter().map(|&arc| forward[arc]).collect();
        Ok(Sparse {
            network,
            admitted,
            slots,
        })
    }

    /// Writes which admitted candidates carry flow into `used`.
    fn read_flow(&self, used: &mut [bool]) {
        for (&c, &slot) in self.admitted.iter().zip(&self.slots) {
            used[c as usize] = self.network.flow(slot) > 0;
        }
    }
}

/// Which candidates an optimal plan uses.
///
/// Cost scaling over a growing network: it starts with a shortlist of the candidates, and after every second
/// phase prices the others; those whose reduced cost is below −ε (they would break ε-optimality) are admitted, ε
/// rises to cover them, and scaling goes on. It ends at ε = 1 with no candidate left out below −1, so the
/// circulation with these prices is optimal for the network over all candidates.
fn optimal_candidates(
    prepared: &Prepared,
    room: &Room,
    candidates: &Candidates,
) -> Result<Vec<bool>, TooLarge> {
    let layout = Layout::new(prepared.instance, candidates, room)?;
    let mut in_network = candidates::shortlist(candidates, room, prepared.instance.villages.len());
    let shortlist: Vec<u32> = (0..candidates.len() as u32)
        .filter(|&c| in_network[c as usize])
        .collect();
    let mut used = vec![false; candidates.len()];
    let mut sparse = Sparse::new(&layout, shortlist, &used)?;
    let mut prices = Prices::new(layout.nodes());
    // With no cost at all (no candidate), the zero circulation is already optimal: start at ε = 1.
    let mut eps = flow::cold_epsilon(&sparse.network, &prices)
        .ok_or(TooLarge)?
        .max(1);
    if !flow::fits(&sparse.network, &prices, eps) {
        return Err(TooLarge);
    }
    let mut phases = 0usize;
    loop {
        if eps > 1 {
            eps = flow::next_epsilon(eps);
            flow::refine(&mut sparse.network, &mut prices, eps);
            phases += 1;
            if eps > 1 && !phases.is_multiple_of(PRICING_EVERY) {
                continue;
            }
        }
        let (worst, newcomers) = violations(&layout, &prices, &in_network, eps);
        if newcomers.is_empty() {
            if eps == 1 {
                sparse.read_flow(&mut used);
                return Ok(used);
            }
            continue;
        }
        sparse.read_flow(&mut used);
        for &c in &newcomers {
            in_network[c as usize] = true;
        }
        let admitted = merge(&sparse.admitted, &newcomers);
        sparse = Sparse::new(&layout, admitted, &used)?;
        eps = eps.max(worst);
        if !flow::fits(&sparse.network, &prices, eps) {
            // Admissions could in theory push prices towards overflow; start again cold on the larger network.
            used.fill(false);
            let admitted = std::mem::take(&mut sparse.admitted);
            sparse = Sparse::new(&layout, admitted, &used)?;
            prices = Prices::new(layout.nodes());
            eps = flow::cold_epsilon(&sparse.network, &prices)
                .ok_or(TooLarge)?
                .max(1);
            if !flow::fits(&sparse.network, &prices, eps) {
                return Err(TooLarge);
            }
        }
    }
}

/// How often (in phases) the candidates left out are priced, besides always at ε = 1. A pricing pass reads every
/// candidate; skipping every other one halves that cost, and violations found a phase later are only larger by
/// about the factor α, which the next phases absorb.
const PRICING_EVERY: usize = 2;

/// The union of two sorted lists of candidate indices, sorted.
fn merge(old: &[u32], new: &[u32]) -> Vec<u32> {
    let mut merged = Vec::with_capacity(old.len() + new.len());
    merged.extend_from_slice(old);
    merged.extend_from_slice(new);
    merged.sort_unstable();
    merged.dedup();
    merged
}

/// How many of its most violated candidates each society and each village bring in at a time: admitting
/// every violation would fill the network with arcs the optimum never uses.
const ADMIT_PER_NODE: usize = 2;

/// The `ADMIT_PER_NODE` most violated candidates seen so far, as (reduced cost, candidate), most violated
/// first, ties by candidate order.
#[derive(Debug, Clone, Copy)]
struct MostViolated([(i128, u32); ADMIT_PER_NODE]);

impl MostViolated {
    const NONE: MostViolated = MostViolated([(i128::MAX, u32::MAX); ADMIT_PER_NODE]);

    fn offer(&mut self, entry: (i128, u32)) {
        let mut entry = entry;
        for kept in &mut self.0 {
            if entry < *kept {
                std::mem::swap(kept, &mut entry);
            }
        }
    }

    fn candidates(&self) -> impl Iterator<Item = (i128, u32)> + '_ {
        self.0.iter().copied().filter(|&(_, c)| c != u32::MAX)
    }
}

/// Prices the candidates left out and picks, for each society and each village, the most violated ones
/// (reduced cost below −ε). Returns the largest violation among them, the ε at which the enlarged network's
/// circulation is still ε-optimal, and the picked candidates, sorted.
fn violations(layout: &Layout, prices: &Prices, in_network: &[bool], eps: i128) -> (i128, Vec<u32>) {
    // Pricing reads millions of candidates several times over: in 64 bits whenever that cannot overflow.
    let found = match prices.narrow(layout.max_abs_score) {
        Some((narrow, scale)) => most_violated(layout, in_network, eps, |score, s, v| {
            i128::from(-score * scale + narrow[s as usize] - narrow[v as usize])
        }),
        None => most_violated(layout, in_network, eps, |score, s, v| {
            prices.reduced_cost(-score, s, v)
        }),
    };
    let worst = found.iter().map(|&(reduced, _)| -reduced).max().unwrap_or(0);
    let mut newcomers: Vec<u32> = found.into_iter().map(|(_, c)| c).collect();
    newcomers.sort_unstable();
    newcomers.dedup();
    (worst, newcomers)
}

fn most_violated(
    layout: &Layout,
    in_network: &[bool],
    eps: i128,
    reduced_cost: impl Fn(i64, u32, u32) -> i128,
) -> Vec<(i128, u32)> {
    let candidates = layout.candidates;
    let mut by_village = vec![MostViolated::NONE; layout.villages()];
    let mut found = Vec::new();
    for (s, w) in candidates.first.windows(2).enumerate() {
        let mut by_society = MostViolated::NONE;
        for c in w[0]..w[1] {
            if !in_network[c as usize] {
                let village = candidates.village[c as usize];
                let reduced = reduced_cost(
                    candidates.score[c as usize],
                    s as u32,
                    layout.village_node(village),
                );
                if reduced < -eps {
                    by_society.offer((reduced, c));
                    by_village[village as usize].offer((reduced, c));
                }
            }
        }
        found.extend(by_society.candidates());
    }
    found.extend(by_village.iter().flat_map(MostViolated::candidates));
    found
}

/// The plan: the pins and the used candidates, sorted by society then village input order, with their terms.
fn plan(prepared: &Prepared, candidates: &Candidates, used: &[bool]) -> Plan {
    let instance = prepared.instance;
    let mut chosen: Vec<(u32, u32)> = prepared.pins.clone();
    for ((c, s), &v) in candidates.societies().enumerate().zip(&candidates.village) {
        if used[c] {
            chosen.push((s, v));
        }
    }
    chosen.sort_unstable();

    let mut covered = vec![false; instance.villages.len()];
    let mut total_score = 0i64;
    let pairs: Vec<Pair> = chosen
        .iter()
        .map(|&(s, v)| {
            let terms = prepared.terms(s as usize, v as usize);
            covered[v as usize] = true;
            total_score += terms.score();
            Pair {
                society: instance.societies[s as usize].id.clone(),
                village: instance.villages[v as usize].id.clone(),
                score: terms.score(),
                fit: terms.fit,
                priority_bonus: terms.priority_bonus,
                distance_km: terms.distance_km,
                distance_penalty: terms.distance_penalty,
            }
        })
        .collect();
    let objective = Objective {
        priority_villages_covered: instance
            .villages
            .iter()
            .zip(&covered)
            .filter(|(v, c)| v.priority && **c)
            .count(),
        villages_covered: covered.iter().filter(|c| **c).count(),
        total_score,
    };
    let unpaired_villages = instance
        .villages
        .iter()
        .zip(&covered)
        .filter(|(_, c)| !**c)
        .map(|(v, _)| v.id.clone())
        .collect();
    Plan {
        pairs,
        objective,
        unpaired_villages,
    }
}
