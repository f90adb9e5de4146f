//! 最小费用环流 — a min-cost circulation solver by cost scaling (push–relabel), the exact core of pairing.
//!
//! The caller drives the scaling: it keeps a circulation and prices that are ε-optimal (no residual arc has a
//! reduced cost below −ε), and calls `refine` with a smaller ε, down to ε = 1 in scaled units. Costs are
//! multiplied by n + 1, so ε = 1 is below 1/n in real units; costs are integers, so every residual cycle then
//! has cost > −1, i.e. ≥ 0, and the circulation is optimal.
//!
//! The network is stored as compressed rows: every arc has a forward and a reverse slot next to the other
//! arcs of its tail, with `u32` indices and residual capacities, so that it is scanned in memory order.

use std::collections::VecDeque;
use std::ops::Range;

/// The network is too large for the integer types of the solver (more than 2³¹ arcs, or weights whose
/// scaled prices could overflow `i128`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// One arc to build: `flow` units of its `capacity` are already in use (a warm start).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ArcSpec {
    pub from: u32,
    pub to: u32,
    pub capacity: i32,
    pub cost: i64,
    pub flow: i32,
}

/// A residual network: capacities are residual capacities and change while the solver runs.
#[derive(Debug, Clone)]
pub(crate) struct Network {
    first_out: Vec<u32>,
    head: Vec<u32>,
    rev: Vec<u32>,
    cap: Vec<i32>,
    cost: Vec<i64>,
}

impl Network {
    /// Builds the network of `nodes` nodes. Slots keep the order of `arcs`, which makes every run over the same
    /// input identical. Returns the network and the forward slot of each arc.
    pub(crate) fn build(nodes: usize, arcs: &[ArcSpec]) -> Result<(Self, Vec<u32>), TooLarge> {
        if arcs.len() > (u32::MAX / 2) as usize {
            return Err(TooLarge);
        }
        let mut first_out = vec![0u32; nodes + 1];
        for arc in arcs {
            first_out[arc.from as usize + 1] += 1;
            first_out[arc.to as usize + 1] += 1;
        }
        for node in 0..nodes {
            first_out[node + 1] += first_out[node];
        }
        let slots = 2 * arcs.len();
        let mut network = Network {
            first_out,
            head: vec![0; slots],
            rev: vec![0; slots],
            cap: vec![0; slots],
            cost: vec![0; slots],
        };
        let mut next = network.first_out.clone();
        let mut forward_slots = Vec::with_capacity(arcs.len());
        for arc in arcs {
            let (f, b) = (next[arc.from as usize], next[arc.to as usize]);
            next[arc.from as usize] += 1;
            next[arc.to as usize] += 1;
            let (fi, bi) = (f as usize, b as usize);
            (network.head[fi], network.rev[fi], network.cap[fi], network.cost[fi]) =
                (arc.to, b, arc.capacity - arc.flow, arc.cost);
            (network.head[bi], network.rev[bi], network.cap[bi], network.cost[bi]) =
                (arc.from, f, arc.flow, -arc.cost);
            forward_slots.push(f);
        }
        Ok((network, forward_slots))
    }

    fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }

    /// The slots of the arcs leaving `node` (forward arcs and the reverse slots of arcs entering it).
    fn slots(&self, node: usize) -> Range<usize> {
        self.first_out[node] as usize..self.first_out[node + 1] as usize
    }

    /// The flow on a forward slot: what its reverse slot can send back.
    pub(crate) fn flow(&self, slot: u32) -> i32 {
        self.cap[self.rev[slot as usize] as usize]
    }

    fn max_abs_cost(&self) -> i128 {
        self.cost.iter().map(|c| i128::from(c.unsigned_abs())).max().unwrap_or(0)
    }
}

/// Node prices (dual variables), kept across phases and across rebuilds of the network.
#[derive(Debug, Clone)]
pub(crate) struct Prices {
    value: Vec<i128>,
    /// Every cost is multiplied by this (n + 1), so that ε = 1 in scaled units is below 1/n in real units.
    scale: i128,
}

/// Prices beyond this magnitude could overflow a reduced-cost sum.
const PRICE_LIMIT: i128 = 1 << 120;

impl Prices {
    pub(crate) fn new(nodes: usize) -> Self {
        Self { value: vec![0; nodes], scale: nodes as i128 + 1 }
    }

    /// The reduced cost, in scaled units, of an arc `from → to` of cost `cost`.
    pub(crate) fn reduced_cost(&self, cost: i64, from: u32, to: u32) -> i128 {
        i128::from(cost) * self.scale + self.value[from as usize] - self.value[to as usize]
    }

    fn max_abs(&self) -> i128 {
        self.value.iter().map(|p| p.abs()).max().unwrap_or(0)
    }
}

/// The ε at which any circulation with zero prices is ε-optimal: where a cold start begins.
pub(crate) fn cold_epsilon(net: &Network, prices: &Prices) -> Option<i128> {
    net.max_abs_cost().checked_mul(prices.scale)
}

/// Whether scaling down from `eps` keeps every price and reduced cost inside `i128`: in one phase a price
/// moves by at most 3nε (Goldberg and Tarjan), ε shrinks geometrically, so in all it moves by less than 4·3nε.
pub(crate) fn fits(net: &Network, prices: &Prices, eps: i128) -> bool {
    let bound = eps
        .checked_mul(4 * (3 * net.node_count() as i128 + 3))
        .and_then(|movement| movement.checked_add(net.max_abs_cost().checked_mul(prices.scale)?))
        .and_then(|sum| sum.checked_add(prices.max_abs()));
    bound.is_some_and(|bound| bound < PRICE_LIMIT)
}

/// Per-node state of the push–relabel method.
struct State {
    excess: Vec<i64>,
    /// The current-arc pointer: slots before it are known not to be admissible since the last relabel.
    current: Vec<u32>,
    queue: VecDeque<u32>,
    /// Relabels since the last global update.
    relabels: usize,
    rank: Vec<u32>,
    buckets: Vec<Vec<u32>>,
}

/// One scaling phase: turns a circulation that is (α·ε)-optimal into one that is ε-optimal. It saturates every
/// arc whose reduced cost is below −ε, then pushes the excesses this creates along admissible arcs (reduced
/// cost < 0), relabelling a node when it has none. Any input circulation is accepted (the saturation makes the
/// pseudoflow ε-optimal); a nearly ε-optimal input only makes the phase short.
pub(crate) fn refine(net: &mut Network, prices: &mut Prices, eps: i128) {
    let nodes = net.node_count();
    let mut state = State {
        excess: vec![0; nodes],
        current: net.first_out[..nodes].to_vec(),
        queue: VecDeque::new(),
        relabels: 0,
        rank: vec![0; nodes],
        buckets: Vec::new(),
    };
    for node in 0..nodes {
        for slot in net.slots(node) {
            if net.cap[slot] > 0 && prices.reduced_cost(net.cost[slot], node as u32, net.head[slot]) < -eps {
                let amount = net.cap[slot];
                push(net, &mut state, node, slot, amount);
            }
        }
    }
    for node in 0..nodes {
        if state.excess[node] > 0 {
            state.queue.push_back(node as u32);
        }
    }
    if state.queue.is_empty() {
        return;
    }
    global_update(net, prices, &mut state, eps);
    while let Some(node) = state.queue.pop_front() {
        discharge(net, prices, &mut state, node as usize, eps);
        // Goldberg's experiments: a global update every O(n) relabels pays for itself many times over.
        if state.relabels > nodes {
            global_update(net, prices, &mut state, eps);
        }
    }
}

fn push(net: &mut Network, state: &mut State, node: usize, slot: usize, amount: i32) {
    net.cap[slot] -= amount;
    net.cap[net.rev[slot] as usize] += amount;
    state.excess[node] -= i64::from(amount);
    state.excess[net.head[slot] as usize] += i64::from(amount);
}

fn discharge(net: &mut Network, prices: &mut Prices, state: &mut State, node: usize, eps: i128) {
    let end = net.first_out[node + 1] as usize;
    while state.excess[node] > 0 {
        let mut slot = state.current[node] as usize;
        while slot < end {
            if net.cap[slot] > 0 && prices.reduced_cost(net.cost[slot], node as u32, net.head[slot]) < 0 {
                let head = net.head[slot] as usize;
                let amount = i64::from(net.cap[slot]).min(state.excess[node]) as i32;
                let was_active = state.excess[head] > 0;
                push(net, state, node, slot, amount);
                if !was_active && state.excess[head] > 0 {
                    state.queue.push_back(head as u32);
                }
                if state.excess[node] == 0 {
                    break;
                }
            }
            slot += 1;
        }
        if slot < end {
            state.current[node] = slot as u32;
            return;
        }
        relabel(net, prices, state, node, eps);
    }
}

/// Lowers the node's price just enough that its cheapest residual arc becomes admissible (reduced cost −ε).
fn relabel(net: &Network, prices: &mut Prices, state: &mut State, node: usize, eps: i128) {
    let mut best = i128::MIN;
    for slot in net.slots(node) {
        if net.cap[slot] > 0 {
            let candidate = prices.value[net.head[slot] as usize] - i128::from(net.cost[slot]) * prices.scale;
            best = best.max(candidate);
        }
    }
    // A node with excess always has a residual arc (the one its excess came in by), so `best` is set.
    prices.value[node] = best - eps;
    state.current[node] = net.first_out[node];
    state.relabels += 1;
}

/// Goldberg's global price update: lowers each price by ε times its distance to the nearest deficit, where a
/// residual arc of reduced cost c is ⌊c/ε⌋ + 1 long (0 for an admissible arc), found by a bucket-based
/// Dijkstra search backwards from the deficits. Afterwards every node with excess has an admissible path
/// towards a deficit, which saves most relabels. ε-optimality is kept: a node's rank is at most its
/// neighbour's plus the arc's length, so an arc's reduced cost drops by at most that length times ε.
fn global_update(net: &Network, prices: &mut Prices, state: &mut State, eps: i128) {
    state.relabels = 0;
    let nodes = net.node_count();
    // A shortest path has fewer than n arcs; ranks beyond n are never needed (the node keeps rank n).
    let max_rank = nodes as u32 + 1;
    let mut remaining: i64 = 0;
    for bucket in &mut state.buckets {
        bucket.clear();
    }
    if state.buckets.is_empty() {
        state.buckets.push(Vec::new());
    }
    for node in 0..nodes {
        if state.excess[node] < 0 {
            state.rank[node] = 0;
            state.buckets[0].push(node as u32);
        } else {
            state.rank[node] = max_rank;
            remaining += state.excess[node];
        }
    }
    let mut r = 0usize;
    'search: while r < state.buckets.len() {
        while let Some(node) = state.buckets[r].pop() {
            let node = node as usize;
            if state.rank[node] != r as u32 {
                continue; // a stale entry: the node was reached by a shorter path
            }
            for slot in net.slots(node) {
                let back = net.rev[slot] as usize;
                let from = net.head[slot];
                if net.cap[back] == 0 || state.rank[from as usize] <= r as u32 {
                    continue;
                }
                let rank = r as i128 + arc_length(prices.reduced_cost(net.cost[back], from, node as u32), eps);
                if rank < i128::from(state.rank[from as usize]) {
                    let rank = rank as usize;
                    state.rank[from as usize] = rank as u32;
                    if state.buckets.len() <= rank {
                        state.buckets.resize_with(rank + 1, Vec::new);
                    }
                    state.buckets[rank].push(from);
                }
            }
            if state.excess[node] > 0 {
                remaining -= state.excess[node];
                if remaining <= 0 {
                    break 'search;
                }
            }
        }
        r += 1;
    }
    for node in 0..nodes {
        let k = state.rank[node].min(r as u32);
        if k > 0 {
            prices.value[node] -= eps * i128::from(k);
            state.current[node] = net.first_out[node];
        }
    }
}

/// ⌊reduced / ε⌋ + 1 for a residual arc (reduced ≥ −ε), with the common cases spared a 128-bit division.
fn arc_length(reduced: i128, eps: i128) -> i128 {
    if reduced < 0 {
        0
    } else if reduced < eps {
        1
    } else {
        match (i64::try_from(reduced), i64::try_from(eps)) {
            (Ok(reduced), Ok(eps)) => i128::from(reduced / eps + 1),
            _ => reduced / eps + 1,
        }
    }
}
