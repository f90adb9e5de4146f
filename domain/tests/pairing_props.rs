//! Property tests for the 百社进百村 pairing engine: its plans are feasible and optimal.
//!
//! Optimality is checked against two independent solvers written here from the rules alone: an exhaustive
//! search over every feasible set of pairs (tiny instances), and successive shortest paths with Bellman–Ford
//! over lexicographic (priority covered, covered, score) costs (medium instances, large enough that the engine
//! has to bring left-out candidates into its network). Scores are recomputed here with the textbook haversine
//! formula, so the engine's chord-based distance is checked too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use domain::pairing::{
    Instance, Need, Objective, PairingError, Plan, Problem, Rules, Society, Village, Weights, solve,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------------------
// The rules, computed a second time.

fn textbook_km(a: (f64, f64), b: (f64, f64)) -> i64 {
    let (p1, p2) = (a.1.to_radians(), b.1.to_radians());
    let (dp, dl) = ((b.1 - a.1).to_radians(), (b.0 - a.0).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    (2.0 * 6371.0 * h.sqrt().asin()).round() as i64
}

fn fit(society: &Society, village: &Village) -> i64 {
    village
        .needs
        .iter()
        .map(|(need, w)| w * society.capabilities.get(need).copied().unwrap_or(0))
        .sum()
}

fn score(instance: &Instance, s: usize, v: usize) -> i64 {
    let (society, village) = (&instance.societies[s], &instance.villages[v]);
    let rules = &instance.rules;
    let km = textbook_km((society.lon, society.lat), (village.lon, village.lat));
    let bonus = if village.priority { rules.priority_bonus } else { 0 };
    fit(society, village) + bonus - rules.distance_penalty_per_km * km
}

fn position(instance: &Instance) -> (HashMap<&str, usize>, HashMap<&str, usize>) {
    let s = instance
        .societies
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    let v = instance
        .villages
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .collect();
    (s, v)
}

fn pair_set(instance: &Instance, pairs: &[(String, String)]) -> BTreeSet<(usize, usize)> {
    let (s, v) = position(instance);
    pairs
        .iter()
        .map(|(a, b)| (s[a.as_str()], v[b.as_str()]))
        .collect()
}

/// The pairs the optimizer may choose (allowed, not pinned, not forbidden), with their scores.
fn free_pairs(instance: &Instance) -> Vec<(usize, usize, i64)> {
    let pins = pair_set(instance, &instance.rules.pins);
    let forbids = pair_set(instance, &instance.rules.forbids);
    let mut pairs = Vec::new();
    for (s, society) in instance.societies.iter().enumerate() {
        for (v, village) in instance.villages.iter().enumerate() {
            let km = textbook_km((society.lon, society.lat), (village.lon, village.lat));
            let allowed = fit(society, village) > 0 && km <= instance.rules.max_distance_km;
            if allowed && !pins.contains(&(s, v)) && !forbids.contains(&(s, v)) {
                pairs.push((s, v, score(instance, s, v)));
            }
        }
    }
    pairs
}

fn objective_of(instance: &Instance, pairs: &BTreeSet<(usize, usize)>) -> Objective {
    let covered: BTreeSet<usize> = pairs.iter().map(|&(_, v)| v).collect();
    Objective {
        priority_villages_covered: covered.iter().filter(|&&v| instance.villages[v].priority).count(),
        villages_covered: covered.len(),
        total_score: pairs.iter().map(|&(s, v)| score(instance, s, v)).sum(),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Oracle 1: every feasible set of pairs.

fn exhaustive_optimum(instance: &Instance) -> Objective {
    let pins = pair_set(instance, &instance.rules.pins);
    let mut society_room: Vec<i64> = instance.societies.iter().map(|s| s.capacity).collect();
    let mut village_room: Vec<i64> = instance.villages.iter().map(|v| v.max_societies).collect();
    for &(s, v) in &pins {
        society_room[s] -= 1;
        village_room[v] -= 1;
    }
    let pairs = free_pairs(instance);
    let mut chosen = pins.clone();
    let mut best = None;
    search(
        instance,
        &pairs,
        0,
        &mut society_room,
        &mut village_room,
        &mut chosen,
        &mut best,
    );
    best.expect("the pins alone are feasible")
}

fn search(
    instance: &Instance,
    pairs: &[(usize, usize, i64)],
    next: usize,
    society_room: &mut [i64],
    village_room: &mut [i64],
    chosen: &mut BTreeSet<(usize, usize)>,
    best: &mut Option<Objective>,
) {
    if next == pairs.len() {
        let objective = objective_of(instance, chosen);
        if best.is_none_or(|b| objective > b) {
            *best = Some(objective);
        }
        return;
    }
    search(
        instance,
        pairs,
        next + 1,
        society_room,
        village_room,
        chosen,
        best,
    );
    let (s, v, _) = pairs[next];
    if society_room[s] > 0 && village_room[v] > 0 {
        society_room[s] -= 1;
        village_room[v] -= 1;
        chosen.insert((s, v));
        search(
            instance,
            pairs,
            next + 1,
            society_room,
            village_room,
            chosen,
            best,
        );
        chosen.remove(&(s, v));
        society_room[s] += 1;
        village_room[v] += 1;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Oracle 2: successive shortest paths over lexicographic costs.

/// A cost (priority villages, villages, score), compared lexicographically; negated, since paths minimise.
type Lex = (i64, i64, i64);

fn add(a: Lex, b: Lex) -> Lex {
    (a.0 + b.0, a.1 + b.1, a.2 + b.2)
}

struct Edge {
    to: usize,
    cap: i64,
    cost: Lex,
}

struct Graph {
    edges: Vec<Edge>,
    out: Vec<Vec<usize>>,
}

impl Graph {
    fn add(&mut self, from: usize, to: usize, cap: i64, cost: Lex) {
        self.out[from].push(self.edges.len());
        self.edges.push(Edge { to, cap, cost });
        self.out[to].push(self.edges.len());
        self.edges.push(Edge {
            to: from,
            cap: 0,
            cost: (-cost.0, -cost.1, -cost.2),
        });
    }
}

fn ssp_optimum(instance: &Instance) -> Objective {
    let (ns, nv) = (instance.societies.len(), instance.villages.len());
    let (source, sink) = (ns + nv, ns + nv + 1);
    let mut graph = Graph {
        edges: Vec::new(),
        out: vec![Vec::new(); ns + nv + 2],
    };
    let pins = pair_set(instance, &instance.rules.pins);
    let mut society_room: Vec<i64> = instance.societies.iter().map(|s| s.capacity).collect();
    let mut village_room: Vec<i64> = instance.villages.iter().map(|v| v.max_societies).collect();
    let mut pinned_village = vec![false; nv];
    for &(s, v) in &pins {
        society_room[s] -= 1;
        village_room[v] -= 1;
        pinned_village[v] = true;
    }
    for (s, &room) in society_room.iter().enumerate() {
        graph.add(source, s, room, (0, 0, 0));
    }
    let mut middle = Vec::new();
    for (s, v, score) in free_pairs(instance) {
        middle.push((graph.edges.len(), s, v));
        graph.add(s, ns + v, 1, (0, 0, -score));
    }
    for v in 0..nv {
        let mut room = village_room[v];
        if !pinned_village[v] && room > 0 {
            let priority = i64::from(instance.villages[v].priority);
            graph.add(ns + v, sink, 1, (-priority, -1, 0));
            room -= 1;
        }
        graph.add(ns + v, sink, room, (0, 0, 0));
    }
    // The initial network has no cycle, so augmenting along shortest paths keeps the flow min-cost for its
    // value; the cost is convex in the value, so stop at the first path that does not lower it.
    loop {
        let n = graph.out.len();
        let mut dist: Vec<Option<Lex>> = vec![None; n];
        let mut via = vec![usize::MAX; n];
        dist[source] = Some((0, 0, 0));
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                let Some(du) = dist[u] else { continue };
                for &e in &graph.out[u] {
                    let edge = &graph.edges[e];
                    let candidate = add(du, edge.cost);
                    if edge.cap > 0 && dist[edge.to].is_none_or(|d| candidate < d) {
                        dist[edge.to] = Some(candidate);
                        via[edge.to] = e;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        match dist[sink] {
            Some(d) if d < (0, 0, 0) => {
                let mut node = sink;
                while node != source {
                    let e = via[node];
                    graph.edges[e].cap -= 1;
                    graph.edges[e ^ 1].cap += 1;
                    node = graph.edges[e ^ 1].to;
                }
            }
            _ => break,
        }
    }
    let mut pairs = pins;
    for (e, s, v) in middle {
        if graph.edges[e].cap == 0 {
            pairs.insert((s, v));
        }
    }
    objective_of(instance, &pairs)
}

// ---------------------------------------------------------------------------------------------------------
// What every plan must satisfy.

fn assert_feasible(instance: &Instance, plan: &Plan) {
    let (sp, vp) = position(instance);
    let pairs: Vec<(usize, usize)> = plan
        .pairs
        .iter()
        .map(|p| (sp[p.society.as_str()], vp[p.village.as_str()]))
        .collect();
    let set: BTreeSet<(usize, usize)> = pairs.iter().copied().collect();
    assert_eq!(set.len(), pairs.len(), "a (society, village) pair appears twice");
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(
        sorted, pairs,
        "pairs are sorted by society then village input order"
    );

    let pins = pair_set(instance, &instance.rules.pins);
    assert!(pins.is_subset(&set), "every pin is in the plan");
    assert!(
        pair_set(instance, &instance.rules.forbids).is_disjoint(&set),
        "no forbidden pair is in the plan"
    );
    let mut per_society: BTreeMap<usize, i64> = BTreeMap::new();
    let mut per_village: BTreeMap<usize, i64> = BTreeMap::new();
    for &(s, v) in &pairs {
        *per_society.entry(s).or_default() += 1;
        *per_village.entry(v).or_default() += 1;
        let society = &instance.societies[s];
        let village = &instance.villages[v];
        let km = textbook_km((society.lon, society.lat), (village.lon, village.lat));
        if !pins.contains(&(s, v)) {
            assert!(
                fit(society, village) > 0 && km <= instance.rules.max_distance_km,
                "({s}, {v}) is allowed"
            );
        }
    }
    for (&s, &n) in &per_society {
        assert!(n <= instance.societies[s].capacity, "society {s} over capacity");
    }
    for (&v, &n) in &per_village {
        assert!(
            n <= instance.villages[v].max_societies,
            "village {v} over its limit"
        );
    }

    for (pair, &(s, v)) in plan.pairs.iter().zip(&pairs) {
        assert_eq!(pair.score, score(instance, s, v), "score of ({s}, {v})");
        assert_eq!(pair.score, pair.fit + pair.priority_bonus - pair.distance_penalty);
        assert_eq!(
            pair.distance_penalty,
            instance.rules.distance_penalty_per_km * pair.distance_km
        );
    }
    assert_eq!(
        plan.objective,
        objective_of(instance, &set),
        "the objective matches the pairs"
    );
    let unpaired: Vec<&str> = instance
        .villages
        .iter()
        .enumerate()
        .filter(|(v, _)| !per_village.contains_key(v))
        .map(|(_, village)| village.id.as_str())
        .collect();
    assert_eq!(plan.unpaired_villages, unpaired);
}

// ---------------------------------------------------------------------------------------------------------
// Instances.

/// Weights over the first three keys only, so that most pairs share a need (a weight may still be 0).
fn weights() -> impl Strategy<Value = Weights> {
    prop::collection::btree_map(prop::sample::select(&Need::ALL[..3]), 0..=10i64, 1..=3)
}

/// A point within `spread` degrees of 合肥, so that some pairs are further apart than the maximum distance.
fn point(spread: f64) -> impl Strategy<Value = (f64, f64)> {
    (117.2 - spread..117.2 + spread, 31.8 - spread..31.8 + spread)
}

/// The shape of generated instances.
#[derive(Debug, Clone, Copy)]
struct Shape {
    max_capacity: i64,
    max_societies: i64,
    spread: f64,
}

fn society(index: usize, shape: Shape) -> impl Strategy<Value = Society> {
    (weights(), 0..=shape.max_capacity, point(shape.spread)).prop_map(
        move |(capabilities, capacity, (lon, lat))| Society {
            id: format!("s{index}"),
            capabilities,
            capacity,
            lon,
            lat,
        },
    )
}

fn village(index: usize, shape: Shape) -> impl Strategy<Value = Village> {
    (
        weights(),
        prop::bool::weighted(0.3),
        0..=shape.max_societies,
        point(shape.spread),
    )
        .prop_map(move |(needs, priority, max_societies, (lon, lat))| Village {
            id: format!("v{index}"),
            needs,
            priority,
            max_societies,
            lon,
            lat,
        })
}

/// Rules whose distance penalty often outweighs the fit, so that negative scores occur.
fn rules() -> impl Strategy<Value = Rules> {
    (0..=300i64, 0..=4i64, 60..=260i64).prop_map(
        |(priority_bonus, distance_penalty_per_km, max_distance_km)| Rules {
            priority_bonus,
            distance_penalty_per_km,
            max_distance_km,
            pins: Vec::new(),
            forbids: Vec::new(),
        },
    )
}

/// An instance with feasible pins and forbids drawn from `picks` (pairs of positions).
fn instance(
    societies: std::ops::RangeInclusive<usize>,
    villages: std::ops::RangeInclusive<usize>,
    shape: Shape,
) -> impl Strategy<Value = Instance> {
    (societies, villages)
        .prop_flat_map(move |(ns, nv)| {
            (
                (0..ns).map(|i| society(i, shape)).collect::<Vec<_>>(),
                (0..nv).map(|i| village(i, shape)).collect::<Vec<_>>(),
                rules(),
                prop::collection::vec((0..ns, 0..nv), 0..=3),
                prop::collection::vec((0..ns, 0..nv), 0..=3),
            )
        })
        .prop_map(|(societies, villages, mut rules, pin_picks, forbid_picks)| {
            let mut society_pins = vec![0; societies.len()];
            let mut village_pins = vec![0; villages.len()];
            for (s, v) in pin_picks {
                let pair = (societies[s].id.clone(), villages[v].id.clone());
                if society_pins[s] < societies[s].capacity
                    && village_pins[v] < villages[v].max_societies
                    && !rules.pins.contains(&pair)
                {
                    society_pins[s] += 1;
                    village_pins[v] += 1;
                    rules.pins.push(pair);
                }
            }
            for (s, v) in forbid_picks {
                let pair = (societies[s].id.clone(), villages[v].id.clone());
                if !rules.pins.contains(&pair) {
                    rules.forbids.push(pair);
                }
            }
            Instance {
                societies,
                villages,
                rules,
            }
        })
}

/// Up to 4 × 6 with capacities up to 2: at most 22⁴ feasible sets, few enough to enumerate.
const TINY: Shape = Shape {
    max_capacity: 2,
    max_societies: 2,
    spread: 0.4,
};
/// Up to 16 × 45: more candidates per society and village than the engine's first shortlist holds.
const MEDIUM: Shape = Shape {
    max_capacity: 5,
    max_societies: 3,
    spread: 1.0,
};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_plan_of_a_tiny_instance_is_as_good_as_the_best_of_all_feasible_sets(
        instance in instance(2..=4, 3..=6, TINY)
    ) {
        let plan = solve(&instance).unwrap();
        assert_feasible(&instance, &plan);
        prop_assert_eq!(plan.objective, exhaustive_optimum(&instance));
    }

    #[test]
    fn the_same_instance_gives_the_same_plan_even_after_a_json_round_trip(
        instance in instance(1..=6, 1..=10, MEDIUM)
    ) {
        let first = solve(&instance).unwrap();
        prop_assert_eq!(&solve(&instance).unwrap(), &first);
        // serde_json may move a coordinate by one unit in the last place; the plan must not notice.
        let again: Instance = serde_json::from_str(&serde_json::to_string(&instance).unwrap()).unwrap();
        prop_assert_eq!(solve(&again).unwrap(), first);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_plan_of_a_medium_instance_matches_successive_shortest_paths(
        instance in instance(6..=16, 20..=45, MEDIUM)
    ) {
        let plan = solve(&instance).unwrap();
        assert_feasible(&instance, &plan);
        prop_assert_eq!(plan.objective, ssp_optimum(&instance));
    }
}

proptest! {
    #[test]
    fn pins_beyond_a_society_s_capacity_are_refused_naming_the_society(
        instance in instance(1..=3, 3..=5, TINY)
    ) {
        let mut instance = instance;
        instance.rules.pins.clear();
        instance.rules.forbids.clear();
        let society = instance.societies[0].clone();
        let over = society.capacity as usize + 1;
        for village in instance.villages.iter_mut().take(over) {
            village.max_societies = village.max_societies.max(1);
        }
        prop_assume!(instance.villages.len() >= over);
        for village in instance.villages.iter().take(over) {
            instance.rules.pins.push((society.id.clone(), village.id.clone()));
        }
        let Err(PairingError::Invalid(problems)) = solve(&instance) else {
            return Err(TestCaseError::fail("pins beyond capacity were accepted"));
        };
        let named = problems.iter().any(|p| matches!(
            p,
            Problem::PinsOverCapacity { society: id, pins, .. } if *id == society.id && *pins == over
        ));
        prop_assert!(named, "{:?}", problems);
        prop_assert!(problems.iter().any(|p| p.to_string().contains(&society.id)));
    }
}

fn example() -> Instance {
    serde_json::from_str(
        r#"{
          "societies": [
            {"id": "s1", "capabilities": {"education": 3, "health": 2}, "capacity": 2, "lon": 117.227, "lat": 31.821},
            {"id": "s2", "capabilities": {"industry": 5}, "capacity": 1, "lon": 118.433, "lat": 31.353}
          ],
          "villages": [
            {"id": "v3", "needs": {"industry": 4, "education": 1}, "priority": true, "lon": 117.5, "lat": 31.6},
            {"id": "v9", "needs": {"health": 5}, "max_societies": 2, "lon": 118.3, "lat": 31.4}
          ],
          "rules": {"priority_bonus": 200, "distance_penalty_per_km": 1, "max_distance_km": 150,
                    "pins": [["s1", "v9"]], "forbids": [["s2", "v3"]]}
        }"#,
    )
    .unwrap()
}

#[test]
fn the_documented_example_round_trips_and_solves() {
    let instance = example();
    let json = serde_json::to_value(&instance).unwrap();
    assert_eq!(serde_json::from_value::<Instance>(json).unwrap(), instance);
    assert_eq!(
        instance.villages[0].max_societies, 1,
        "max_societies defaults to 1"
    );
    assert!(!instance.villages[1].priority, "priority defaults to false");

    let plan = solve(&instance).unwrap();
    assert_feasible(&instance, &plan);
    assert_eq!(plan.objective, exhaustive_optimum(&instance));
    let pairs: Vec<(&str, &str)> = plan
        .pairs
        .iter()
        .map(|p| (p.society.as_str(), p.village.as_str()))
        .collect();
    assert_eq!(pairs, [("s1", "v3"), ("s1", "v9")]);
    let plan_json = serde_json::to_value(&plan).unwrap();
    assert_eq!(serde_json::from_value::<Plan>(plan_json.clone()).unwrap(), plan);
    for key in [
        "society",
        "village",
        "score",
        "fit",
        "priority_bonus",
        "distance_km",
        "distance_penalty",
    ] {
        assert!(plan_json["pairs"][0].get(key).is_some(), "{key}");
    }
    for key in ["priority_villages_covered", "villages_covered", "total_score"] {
        assert!(plan_json["objective"].get(key).is_some(), "{key}");
    }
}

#[test]
fn rules_default_to_the_documented_values() {
    let instance: Instance = serde_json::from_str(r#"{"societies": [], "villages": []}"#).unwrap();
    assert_eq!(instance.rules, Rules::default());
    assert_eq!(
        (
            instance.rules.priority_bonus,
            instance.rules.distance_penalty_per_km,
            instance.rules.max_distance_km
        ),
        (200, 1, 150)
    );
    let plan = solve(&instance).unwrap();
    assert!(plan.pairs.is_empty() && plan.unpaired_villages.is_empty());
}

#[test]
fn unknown_vocabulary_keys_and_misspelt_rules_are_refused_by_the_parser() {
    let bad_need = r#"{"societies": [{"id": "s1", "capabilities": {"farming": 3}, "capacity": 1, "lon": 117, "lat": 31}],
                       "villages": []}"#;
    assert!(serde_json::from_str::<Instance>(bad_need).is_err());
    let bad_rule = r#"{"societies": [], "villages": [], "rules": {"max_distance": 100}}"#;
    assert!(serde_json::from_str::<Instance>(bad_rule).is_err());
}

#[test]
fn every_problem_of_an_invalid_instance_is_reported_at_once() {
    let mut instance = example();
    instance.societies[1].id = "s1".into();
    instance.societies[0].capacity = -1;
    instance.villages[0].needs.insert(Need::Culture, 11);
    instance.villages[1].lon = f64::NAN;
    instance.rules.max_distance_km = -5;
    instance.rules.pins = vec![("s1".into(), "v404".into()), ("s9".into(), "v3".into())];
    instance.rules.forbids = vec![("s1".into(), "v3".into()), ("s1".into(), "v404".into())];
    instance.rules.pins.push(("s1".into(), "v3".into()));

    let Err(PairingError::Invalid(problems)) = solve(&instance) else {
        panic!("accepted")
    };
    let has = |f: &dyn Fn(&Problem) -> bool| problems.iter().any(f);
    assert!(has(
        &|p| matches!(p, Problem::DuplicateSociety { id, .. } if id == "s1")
    ));
    assert!(has(&|p| matches!(
        p,
        Problem::NegativeCapacity { capacity: -1, .. }
    )));
    assert!(has(&|p| matches!(
        p,
        Problem::NeedOutOfRange {
            need: Need::Culture,
            weight: 11,
            ..
        }
    )));
    assert!(has(
        &|p| matches!(p, Problem::VillageCoordinates { id, .. } if id == "v9")
    ));
    assert!(has(&|p| matches!(
        p,
        Problem::RuleOutOfRange {
            field: "max_distance_km",
            ..
        }
    )));
    assert!(has(
        &|p| matches!(p, Problem::PinUnknownVillage { village, .. } if village == "v404")
    ));
    assert!(has(
        &|p| matches!(p, Problem::PinUnknownSociety { society, .. } if society == "s9")
    ));
    assert!(has(
        &|p| matches!(p, Problem::ForbidUnknownVillage { village, .. } if village == "v404")
    ));
    assert!(has(
        &|p| matches!(p, Problem::PinnedAndForbidden { society, village, .. } if society == "s1" && village == "v3")
    ));

    let message = PairingError::Invalid(problems.clone()).to_string();
    assert!(
        message.contains("v404") && message.contains("s9") && message.contains("文化"),
        "{message}"
    );
    assert!(problems.iter().any(|p| p.field() == "rules.pins[0]"));
    assert!(problems.iter().any(|p| p.field() == "villages[0].needs.culture"));
}

#[test]
fn pins_beyond_a_village_s_limit_and_duplicate_pins_are_refused() {
    let mut instance = example();
    instance.societies[1].capacity = 3;
    instance.rules.forbids.clear();
    instance.rules.pins = vec![
        ("s1".into(), "v3".into()),
        ("s2".into(), "v3".into()),
        ("s2".into(), "v9".into()),
    ];
    instance.rules.pins.push(("s2".into(), "v9".into()));
    let Err(PairingError::Invalid(problems)) = solve(&instance) else {
        panic!("accepted")
    };
    assert!(problems.iter().any(|p| matches!(
        p,
        Problem::PinsOverVillageLimit { village, pins: 2, max_societies: 1, .. } if village == "v3"
    )));
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::DuplicatePin { village, .. } if village == "v9"))
    );
}

#[test]
fn a_pin_stays_in_the_plan_even_when_the_pair_is_far_apart_and_shares_no_need() {
    let mut instance = example();
    instance.societies[1].capacity = 1;
    instance.rules.forbids.clear();
    instance.rules.max_distance_km = 10;
    instance.rules.pins = vec![("s2".into(), "v9".into())];
    let plan = solve(&instance).unwrap();
    assert_feasible(&instance, &plan);
    let pin = plan
        .pairs
        .iter()
        .find(|p| p.society == "s2" && p.village == "v9")
        .unwrap();
    assert_eq!(pin.fit, 0);
    assert!(pin.score < 0);
}

#[test]
fn an_explanation_names_the_matched_needs_in_chinese() {
    let instance = example();
    let plan = solve(&instance).unwrap();
    let pin = plan.pairs.iter().find(|p| p.village == "v9").unwrap();
    let explanation = domain::pairing::explain(&instance, pin).unwrap();
    assert!(explanation.pinned);
    assert_eq!(explanation.matched.len(), 1);
    assert_eq!(explanation.pair, *pin);
    let text = explanation.to_string();
    assert!(
        text.contains("工作人员指定") && text.contains("医疗 5×2"),
        "{text}"
    );
}
