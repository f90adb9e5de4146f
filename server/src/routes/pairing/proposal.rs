//! What a run reads and shows: the engine's instance built from a round, a stored run decoded, its pairs
//! with names and coordinates, the difference between two runs, and the engine's refusals in the round's
//! words.

use std::collections::{BTreeSet, HashMap};

use domain::api::{FieldError, ObjectiveDelta, ProposedPair, RunComparison, RunDetail, RunInput, RunSummary};
use domain::pairing::{self, Instance, Pair, PairingError, Plan, Problem, Rules, Society, Village};

use super::refuse;
use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::pairing::{RoundRecord, RoundVillageFilter, RunRecord};

/// The names a proposal is shown with: society names, and village name and county name by code.
pub(super) struct Labels {
    societies: HashMap<String, String>,
    villages: HashMap<String, (String, String)>,
}

/// The villages of a round that take part in a run: those with recorded needs, in every county — a run is
/// the province's, whoever starts it.
async fn recorded_villages(state: &AppState, round_id: i64) -> Result<Vec<domain::api::RoundVillage>> {
    let filter = RoundVillageFilter {
        recorded_only: true,
        ..Default::default()
    };
    let (villages, _) = state
        .store
        .round_villages(round_id, &filter, &Visibility::All, 1_000_000, 0)
        .await?;
    Ok(villages)
}

pub(super) async fn labels(state: &AppState, round_id: i64) -> Result<Labels> {
    let societies = state.store.round_societies(round_id, None).await?;
    let villages = recorded_villages(state, round_id).await?;
    Ok(Labels {
        societies: societies
            .into_iter()
            .map(|s| (s.organization_id.to_string(), s.organization_name))
            .collect(),
        villages: villages
            .into_iter()
            .map(|v| (v.code, (v.name, v.county_name)))
            .collect(),
    })
}

/// The engine's instance for a round: its societies, its villages with recorded needs, its rules, pins
/// and forbids. Societies sit at their home county's centroid, villages near their county's.
pub(super) async fn round_instance(state: &AppState, round: &RoundRecord) -> Result<Instance> {
    let societies = state.store.round_societies(round.id, None).await?;
    let villages = recorded_villages(state, round.id).await?;
    let (mut pins, mut forbids) = (Vec::new(), Vec::new());
    for (organization_id, village_code, kind) in state.store.round_constraints(round.id).await? {
        let pair = (organization_id.to_string(), village_code);
        if kind == "pin" {
            pins.push(pair)
        } else {
            forbids.push(pair)
        }
    }
    let rules = round.rules();
    Ok(Instance {
        societies: societies
            .into_iter()
            .map(|s| Society {
                id: s.organization_id.to_string(),
                capabilities: s.capabilities,
                capacity: s.capacity,
                lon: s.lon,
                lat: s.lat,
            })
            .collect(),
        villages: villages
            .into_iter()
            .map(|v| Village {
                id: v.code,
                needs: v.needs.unwrap_or_default(),
                priority: v.priority_class.is_some(),
                max_societies: 1,
                lon: v.lon,
                lat: v.lat,
            })
            .collect(),
        rules: Rules {
            priority_bonus: rules.priority_bonus,
            distance_penalty_per_km: rules.distance_penalty_per_km,
            max_distance_km: rules.max_distance_km,
            pins,
            forbids,
        },
    })
}

/// The engine's refusal of a round's instance, in the round's words: pins that cannot all hold name the
/// society or village by name under the field `pins`; other problems under their own field; an instance
/// too large as a 422 on `round`.
fn round_pairing_error(error: PairingError, labels: &Labels) -> Error {
    let problems = match error {
        PairingError::Invalid(problems) => problems,
        too_large @ PairingError::TooLarge { .. } => return Error::invalid("round", too_large.to_string()),
    };
    let society = |id: &str| labels.societies.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let village = |id: &str| {
        labels
            .villages
            .get(id)
            .map_or_else(|| id.to_owned(), |(name, _)| name.clone())
    };
    let fields: Vec<FieldError> = problems
        .iter()
        .map(|p| match p {
            Problem::PinsOverCapacity {
                society: s,
                pins,
                capacity,
                ..
            } => FieldError {
                field: "pins".into(),
                message: format!(
                    "{}有 {pins} 个指定配对，超过其承接村数 {capacity}，请取消部分指定后再运行",
                    society(s)
                ),
            },
            Problem::PinsOverVillageLimit { village: v, pins, .. } => FieldError {
                field: "pins".into(),
                message: format!(
                    "{}被指定给 {pins} 个社会组织，每个村只结对一个，请取消部分指定后再运行",
                    village(v)
                ),
            },
            other => FieldError {
                field: other.field(),
                message: other.to_string(),
            },
        })
        .collect();
    refuse(fields).unwrap_err()
}

/// Runs the engine on `instance`; a refusal names the round's societies and villages.
pub(super) async fn solve(instance: &Instance, labels: &Labels) -> Result<Plan> {
    // The engine is CPU-bound: keep it off the threads that serve requests.
    let solving = instance.clone();
    tokio::task::spawn_blocking(move || pairing::solve(&solving))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|e| round_pairing_error(e, labels))
}

/// What a run read, as its summary shows it.
pub(super) fn run_input(instance: &Instance, round: &RoundRecord) -> RunInput {
    RunInput {
        societies: instance.societies.len(),
        villages: instance.villages.len(),
        priority_villages: instance.villages.iter().filter(|v| v.priority).count(),
        pins: instance.rules.pins.len(),
        forbids: instance.rules.forbids.len(),
        rules: round.rules(),
    }
}

/// A stored run, decoded.
pub(super) struct Run {
    pub summary: RunSummary,
    pub instance: Instance,
    pub plan: Plan,
}

pub(super) fn decode_run(record: RunRecord) -> Result<Run> {
    let corrupt = |e: serde_json::Error| Error::Internal(anyhow::anyhow!("stored run {}: {e}", record.id));
    let input: RunInput = serde_json::from_str(&record.input_summary).map_err(corrupt)?;
    let instance: Instance = serde_json::from_str(&record.instance).map_err(corrupt)?;
    let plan: Plan = serde_json::from_str(&record.plan).map_err(corrupt)?;
    Ok(Run {
        summary: RunSummary {
            id: record.id,
            round_id: record.round_id,
            run_by: record.run_by,
            run_at: record.run_at,
            input,
            objective: plan.objective,
        },
        instance,
        plan,
    })
}

pub(super) async fn load_run(state: &AppState, round_id: i64, run_id: i64) -> Result<Run> {
    let record = state
        .store
        .find_run(round_id, run_id)
        .await?
        .ok_or_else(|| Error::not_found("配对运行记录"))?;
    decode_run(record)
}

/// The JSON text a run's parts are stored as; these types always serialize.
pub(super) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn proposed(pair: &Pair, instance: &Instance, labels: &Labels) -> ProposedPair {
    let society = instance.societies.iter().find(|s| s.id == pair.society);
    let village = instance.villages.iter().find(|v| v.id == pair.village);
    let (village_name, county_name) = labels.villages.get(&pair.village).cloned().unwrap_or_default();
    ProposedPair {
        organization_id: pair.society.parse().unwrap_or_default(),
        organization_name: labels
            .societies
            .get(&pair.society)
            .cloned()
            .unwrap_or_else(|| pair.society.clone()),
        village_code: pair.village.clone(),
        village_name,
        county_name,
        priority: village.is_some_and(|v| v.priority),
        pinned: instance
            .rules
            .pins
            .iter()
            .any(|(s, v)| *s == pair.society && *v == pair.village),
        score: pair.score,
        fit: pair.fit,
        priority_bonus: pair.priority_bonus,
        distance_km: pair.distance_km,
        distance_penalty: pair.distance_penalty,
        society_lon: society.map_or(0.0, |s| s.lon),
        society_lat: society.map_or(0.0, |s| s.lat),
        village_lon: village.map_or(0.0, |v| v.lon),
        village_lat: village.map_or(0.0, |v| v.lat),
    }
}

/// A run with its proposal, every pair named.
pub(super) fn detail(run: Run, labels: &Labels) -> RunDetail {
    let pairs = run
        .plan
        .pairs
        .iter()
        .map(|p| proposed(p, &run.instance, labels))
        .collect();
    RunDetail {
        run: run.summary,
        pairs,
        unpaired_villages: run.plan.unpaired_villages,
    }
}

/// What changed from run `from` to run `to`: pairs added and removed, and each level of the objective.
pub(super) fn comparison(from: &Run, to: &Run, labels: &Labels) -> RunComparison {
    let keys = |plan: &Plan| -> BTreeSet<(String, String)> {
        plan.pairs
            .iter()
            .map(|p| (p.society.clone(), p.village.clone()))
            .collect()
    };
    let (old, new) = (keys(&from.plan), keys(&to.plan));
    let only = |run: &Run, other: &BTreeSet<(String, String)>| -> Vec<ProposedPair> {
        run.plan
            .pairs
            .iter()
            .filter(|p| !other.contains(&(p.society.clone(), p.village.clone())))
            .map(|p| proposed(p, &run.instance, labels))
            .collect()
    };
    let (a, b) = (from.plan.objective, to.plan.objective);
    RunComparison {
        from_run: from.summary.id,
        to_run: to.summary.id,
        added: only(to, &old),
        removed: only(from, &new),
        objective_delta: ObjectiveDelta {
            priority_villages_covered: b.priority_villages_covered as i64
                - a.priority_villages_covered as i64,
            villages_covered: b.villages_covered as i64 - a.villages_covered as i64,
            total_score: b.total_score - a.total_score,
        },
    }
}
