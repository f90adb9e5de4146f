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
//! starts on a shortlist of them and, after every scaling phase, prices the rest against the current prices:
//! a candidate whose reduced cost is below −ε joins the network. When scaling ends (ε = 1) with no candidate
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
    /// Whether a society or village has any candidate at all; others stay out of the network.
    society_active: Vec<bool>,
    village_active: Vec<bool>,
}

impl<'a> Layout<'a> {
    fn new(instance: &'a Instance, candidates: &'a Candidates, room: &'a Room) -> Result<Self, TooLarge> {
        let (mut society_active, mut village_active) =
            (vec![false; instance.societies.len()], vec![false; instance.villages.len()]);
        for (s, w) in candidates.first.windows(2).enumerate() {
            society_active[s] = w[0] < w[1];
        }
        for &v in &candidates.village {
            village_active[v as usize] = true;
        }
        let bonuses = bonuses(candidates, room).ok_or(TooLarge)?;
        Ok(Layout { instance, candidates, room, bonuses, society_active, village_active })
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
        let to_i32 = |value: i64| i32::try_from(value).map_err(|_| TooLarge);
        let (mut society_flow, mut village_flow) = (vec![0i64; self.societies()], vec![0i64; self.villages()]);
        let society_of: Vec<u32> = chosen.iter().map(|&c| self.candidates.society_of(c)).collect();
        for (&c, &s) in chosen.iter().zip(&society_of) {
            if used[c as usize] {
                society_flow[s as usize] += 1;
                village_flow[self.candidates.village[c as usize] as usize] += 1;
            }
        }
        let mut arcs = Vec::with_capacity(chosen.len() + self.societies() + 2 * self.villages() + 1);
        let mut total = 0i64;
        let mut supply = 0i64;
        for s in 0..self.societies() {
            if self.society_active[s] {
                let capacity = self.room.society[s];
                arcs.push(ArcSpec {
                    from: self.source(),
                    to: s as u32,
                    capacity: to_i32(capacity)?,
                    cost: 0,
                    flow: to_i32(society_flow[s])?,
                });
                supply += capacity;
                total += society_flow[s];
            }
        }
        let mut candidate_arcs = Vec::with_capacity(chosen.len());
        for (&c, &s) in chosen.iter().zip(&society_of) {
            candidate_arcs.push(arcs.len());
            arcs.push(ArcSpec {
                from: s,
                to: self.village_node(self.candidates.village[c as usize]),
                capacity: 1,
                cost: -self.candidates.score[c as usize],
                flow: i32::from(used[c as usize]),
            });
        }
        for v in 0..self.villages() {
            if !self.village_active[v] {
                continue;
            }
            let (node, mut slots, mut flow) = (self.village_node(v as u32), self.room.village[v], village_flow[v]);
            if !self.room.pinned_village[v] {
                let priority = if self.instance.villages[v].priority { self.bonuses.priority } else { 0 };
                let cost = -(self.bonuses.covered + priority);
                let first = flow.min(1);
                arcs.push(ArcSpec { from: node, to: self.sink(), capacity: 1, cost, flow: to_i32(first)? });
                slots -= 1;
                flow -= first;
            }
            if slots > 0 {
                arcs.push(ArcSpec { from: node, to: self.sink(), capacity: to_i32(slots)?, cost: 0, flow: to_i32(flow)? });
            }
        }
        arcs.push(ArcSpec {
            from: self.sink(),
            to: self.source(),
            capacity: to_i32(supply)?,
            cost: 0,
            flow: to_i32(total)?,
        });
        Ok((arcs, candidate_arcs))
    }
}

pub(super) fn solve_valid(instance: &Instance) -> Result<Plan, PairingError> {
    let too_large =
        || PairingError::TooLarge { societies: instance.societies.len(), villages: instance.villages.len() };
    let prepared = Prepared::new(instance);
    let room = Room::new(&prepared);
    let candidates = candidates::candidates(&prepared, &room);
    let used = optimal_candidates(&prepared, &room, &candidates).map_err(|TooLarge| too_large())?;
    Ok(plan(&prepared, &candidates, &used))
}

/// Each scaling phase divides ε by this factor; Goldberg's experiments favour 8–16 for assignment problems.
const ALPHA: i128 = 12;

/// The network over the candidates admitted so far, with the map back from arcs to candidates.
struct Sparse {
    network: Network,
    /// The admitted candidates in index order, and the forward slot of each one's arc.
    admitted: Vec<u32>,
    slots: Vec<u32>,
}

impl Sparse {
    fn new(layout: &Layout, in_network: &[bool], used: &[bool]) -> Result<Self, TooLarge> {
        let admitted: Vec<u32> = (0..in_network.len() as u32).filter(|&c| in_network[c as usize]).collect();
        let (arcs, candidate_arcs) = layout.arcs(&admitted, used)?;
        let (network, forward) = Network::build(layout.nodes(), &arcs)?;
        let slots = candidate_arcs.iter().map(|&arc| forward[arc]).collect();
        Ok(Sparse { network, admitted, slots })
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
/// Cost scaling over a growing network: it starts with a shortlist of the candidates, and after every phase
/// prices the others; those whose reduced cost is below −ε (they would break ε-optimality) are admitted, ε
/// rises to cover them, and scaling goes on. It ends at ε = 1 with no candidate left out below −1, so the
/// circulation with these prices is optimal for the network over all candidates.
fn optimal_candidates(prepared: &Prepared, room: &Room, candidates: &Candidates) -> Result<Vec<bool>, TooLarge> {
    let layout = Layout::new(prepared.instance, candidates, room)?;
    let mut in_network = candidates::shortlist(candidates, room, prepared.instance.villages.len());
    let mut used = vec![false; candidates.len()];
    let mut sparse = Sparse::new(&layout, &in_network, &used)?;
    let mut prices = Prices::new(layout.nodes());
    // With no cost at all (no candidate), the zero circulation is already optimal: start at ε = 1.
    let mut eps = flow::cold_epsilon(&sparse.network, &prices).ok_or(TooLarge)?.max(1);
    if !flow::fits(&sparse.network, &prices, eps) {
        return Err(TooLarge);
    }
    loop {
        if eps > 1 {
            eps = (eps / ALPHA).max(1);
            flow::refine(&mut sparse.network, &mut prices, eps);
        }
        let worst = admit_violations(&layout, &prices, &mut in_network, eps);
        if worst == 0 {
            if eps == 1 {
                sparse.read_flow(&mut used);
                return Ok(used);
            }
            continue;
        }
        sparse.read_flow(&mut used);
        sparse = Sparse::new(&layout, &in_network, &used)?;
        eps = eps.max(worst);
        if !flow::fits(&sparse.network, &prices, eps) {
            // Admissions could in theory push prices towards overflow; start again cold on the larger network.
            used.fill(false);
            sparse = Sparse::new(&layout, &in_network, &used)?;
            prices = Prices::new(layout.nodes());
            eps = flow::cold_epsilon(&sparse.network, &prices).ok_or(TooLarge)?.max(1);
            if !flow::fits(&sparse.network, &prices, eps) {
                return Err(TooLarge);
            }
        }
    }
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

/// Prices the candidates left out and admits, for each society and each village, the most violated ones
/// (reduced cost below −ε). Returns the largest violation admitted, the ε at which the enlarged network's
/// circulation is still ε-optimal, or 0 when nothing was admitted.
fn admit_violations(layout: &Layout, prices: &Prices, in_network: &mut [bool], eps: i128) -> i128 {
    let candidates = layout.candidates;
    let mut by_village = vec![MostViolated::NONE; layout.villages()];
    let mut admitted = Vec::new();
    for (s, w) in candidates.first.windows(2).enumerate() {
        let mut by_society = MostViolated::NONE;
        for c in w[0]..w[1] {
            if !in_network[c as usize] {
                let village = candidates.village[c as usize];
                let reduced = prices.reduced_cost(-candidates.score[c as usize], s as u32, layout.village_node(village));
                if reduced < -eps {
                    by_society.offer((reduced, c));
                    by_village[village as usize].offer((reduced, c));
                }
            }
        }
        admitted.extend(by_society.candidates());
    }
    admitted.extend(by_village.iter().flat_map(MostViolated::candidates));
    let mut worst = 0;
    for (reduced, c) in admitted {
        in_network[c as usize] = true;
        worst = worst.max(-reduced);
    }
    worst
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
        priority_villages_covered: instance.villages.iter().zip(&covered).filter(|(v, c)| v.priority && **c).count(),
        villages_covered: covered.iter().filter(|c| **c).count(),
        total_score,
    };
    let unpaired_villages =
        instance.villages.iter().zip(&covered).filter(|(_, c)| !**c).map(|(v, _)| v.id.clone()).collect();
    Plan { pairs, objective, unpaired_villages }
}

