//! `/api/v1/rounds/{id}/runs`: staff run the pairing engine on a round, read the proposal with each pair's
//! score breakdown, compare it with the run before, and a bureau administrator confirms one as agreements.

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Path, State};
use domain::api::{
    Agreement, ConfirmRunRequest, FieldError, ObjectiveDelta, PairBreakdown, ProposedPair, RunComparison,
    RunDetail, RunInput, RunSummary,
};
use domain::pairing::{self, Instance, Pair, PairingError, Plan, Problem, Rules, Society, Village};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rounds::{conflict, load_round, refuse, require_open};
use crate::auth::{Auth, BureauOnly, Staff};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::{AgreementFilter, NewRun, RoundRecord, RoundVillageFilter, RunRecord};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_runs, run_round))
        .routes(routes!(find_run))
        .routes(routes!(explain_pair))
        .routes(routes!(compare_runs))
        .routes(routes!(confirm_run))
}

/// The names a proposal is shown with: society names, and village name, county and priority by code.
struct Labels {
    societies: HashMap<String, String>,
    villages: HashMap<String, (String, String)>,
}

async fn labels(state: &AppState, round_id: i64) -> Result<Labels> {
    let societies = state.store.round_societies(round_id, None).await?;
    let filter = RoundVillageFilter {
        recorded_only: true,
        ..Default::default()
    };
    let (villages, _) = state
        .store
        .round_villages(round_id, &filter, 1_000_000, 0)
        .await?;
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
async fn round_instance(state: &AppState, round: &RoundRecord) -> Result<Instance> {
    let societies = state.store.round_societies(round.id, None).await?;
    let filter = RoundVillageFilter {
        recorded_only: true,
        ..Default::default()
    };
    let (villages, _) = state
        .store
        .round_villages(round.id, &filter, 1_000_000, 0)
        .await?;
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

/// Turns the engine's refusal into a 422 naming each field.
pub(crate) fn pairing_error(error: PairingError) -> Error {
    match error {
        PairingError::Invalid(problems) => {
            let fields = problems
                .iter()
                .map(|p| FieldError {
                    field: p.field(),
                    message: p.to_string(),
                })
                .collect();
            refuse(fields).unwrap_err()
        }
        too_large @ PairingError::TooLarge { .. } => Error::invalid("round", too_large.to_string()),
    }
}

/// The engine's refusal of a round's instance, in the round's words: pins that cannot all hold name the
/// society or village by name under the field `pins`; anything else as `pairing_error`.
fn round_pairing_error(error: PairingError, labels: &Labels) -> Error {
    let problems = match error {
        PairingError::Invalid(problems) => problems,
        other => return pairing_error(other),
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

fn run_input(instance: &Instance, round: &RoundRecord) -> RunInput {
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
struct Run {
    summary: RunSummary,
    instance: Instance,
    plan: Plan,
}

fn decode_run(record: RunRecord) -> Result<Run> {
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

fn detail(run: Run, labels: &Labels) -> RunDetail {
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

async fn load_run(state: &AppState, round_id: i64, run_id: i64) -> Result<Run> {
    let record = state
        .store
        .find_run(round_id, run_id)
        .await?
        .ok_or_else(|| Error::not_found("配对运行记录"))?;
    decode_run(record)
}

/// A round's runs, newest first.
#[utoipa::path(get, path = "/rounds/{id}/runs", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<RunSummary>), (status = 404, body = domain::api::ApiError)))]
async fn list_runs(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    Path(id): Path<i64>,
) -> Result<AppJson<Vec<RunSummary>>> {
    let round = load_round(&state, id).await?;
    let runs = state.store.list_runs(round.id).await?;
    Ok(AppJson(
        runs.into_iter()
            .map(|r| decode_run(r).map(|r| r.summary))
            .collect::<Result<_>>()?,
    ))
}

/// Runs the engine on the round as it stands and stores the proposal (who ran it, what it read, the plan).
#[utoipa::path(post, path = "/rounds/{id}/runs", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = RunDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn run_round(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    Path(id): Path<i64>,
) -> Result<AppJson<RunDetail>> {
    let round = load_round(&state, id).await?;
    require_open(&round)?;
    let instance = round_instance(&state, &round).await?;
    let labels = labels(&state, round.id).await?;
    // The engine is CPU-bound: keep it off the threads that serve requests.
    let solving = instance.clone();
    let plan = tokio::task::spawn_blocking(move || pairing::solve(&solving))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|e| round_pairing_error(e, &labels))?;
    let input = run_input(&instance, &round);
    let new = NewRun {
        run_by: auth.user.display_name.clone(),
        input_summary: to_json(&input),
        instance: to_json(&instance),
        plan: to_json(&plan),
        objective: plan.objective,
    };
    let actor = auth.actor();
    let run_id = state
        .store
        .record_run(round.id, &new, |run_id| AuditEntry {
            actor: &actor,
            entity_type: "pairing_run",
            entity_id: run_id.to_string(),
            action: "run",
            before: None,
            after: Some(json!({ "round_id": round.id, "input": input, "objective": plan.objective })),
            reason: None,
        })
        .await?;
    Ok(AppJson(detail(
        load_run(&state, round.id, run_id).await?,
        &labels,
    )))
}

/// The JSON text a run's parts are stored as; these types always serialize.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// One run with its proposal.
#[utoipa::path(get, path = "/rounds/{id}/runs/{run}", tag = "pairing",
    params(("id" = i64, Path), ("run" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = RunDetail), (status = 404, body = domain::api::ApiError)))]
async fn find_run(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    Path((id, run)): Path<(i64, i64)>,
) -> Result<AppJson<RunDetail>> {
    let round = load_round(&state, id).await?;
    let run = load_run(&state, round.id, run).await?;
    Ok(AppJson(detail(run, &labels(&state, round.id).await?)))
}

/// Why a pair scores what it does in a run: the fit per need, the priority bonus, the distance and its penalty.
#[utoipa::path(get, path = "/rounds/{id}/runs/{run}/pairs/{organization_id}/{village_code}", tag = "pairing",
    params(("id" = i64, Path), ("run" = i64, Path), ("organization_id" = i64, Path), ("village_code" = String, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = PairBreakdown), (status = 404, body = domain::api::ApiError)))]
async fn explain_pair(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    Path((id, run, organization_id, village_code)): Path<(i64, i64, i64, String)>,
) -> Result<AppJson<PairBreakdown>> {
    let round = load_round(&state, id).await?;
    let run = load_run(&state, round.id, run).await?;
    let pair = Pair {
        society: organization_id.to_string(),
        village: village_code,
        score: 0,
        fit: 0,
        priority_bonus: 0,
        distance_km: 0,
        distance_penalty: 0,
    };
    let explanation = pairing::explain(&run.instance, &pair).ok_or_else(|| Error::not_found("结对"))?;
    Ok(AppJson(PairBreakdown {
        text: explanation.to_string(),
        explanation,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct CompareQuery {
    /// The earlier run; by default the run just before this one.
    with: Option<i64>,
}

/// What changed from an earlier run (by default the previous one) to this one: pairs added and removed,
/// and the change of each level of the objective.
#[utoipa::path(get, path = "/rounds/{id}/runs/{run}/comparison", tag = "pairing",
    params(("id" = i64, Path), ("run" = i64, Path), CompareQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = RunComparison), (status = 404, body = domain::api::ApiError)))]
async fn compare_runs(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    Path((id, run)): Path<(i64, i64)>,
    AppQuery(query): AppQuery<CompareQuery>,
) -> Result<AppJson<RunComparison>> {
    let round = load_round(&state, id).await?;
    let to = load_run(&state, round.id, run).await?;
    let from = match query.with {
        Some(other) => load_run(&state, round.id, other).await?,
        None => {
            let previous = state.store.previous_run(round.id, run).await?;
            decode_run(
                previous
                    .ok_or_else(|| Error::NotFound("这是本轮的第一次运行，没有可比较的上一次方案".into()))?,
            )?
        }
    };
    let labels = labels(&state, round.id).await?;
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
            .map(|p| proposed(p, &run.instance, &labels))
            .collect()
    };
    let (a, b) = (from.plan.objective, to.plan.objective);
    Ok(AppJson(RunComparison {
        from_run: from.summary.id,
        to_run: to.summary.id,
        added: only(&to, &old),
        removed: only(&from, &new),
        objective_delta: ObjectiveDelta {
            priority_villages_covered: b.priority_villages_covered as i64
                - a.priority_villages_covered as i64,
            villages_covered: b.villages_covered as i64 - a.villages_covered as i64,
            total_score: b.total_score - a.total_score,
        },
    }))
}

/// Confirms a run: its pairs become active agreements for the term given, and the round closes.
#[utoipa::path(post, path = "/rounds/{id}/runs/{run}/confirm", tag = "pairing",
    params(("id" = i64, Path), ("run" = i64, Path)), request_body = ConfirmRunRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<Agreement>), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn confirm_run(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    Path((id, run)): Path<(i64, i64)>,
    AppJson(body): AppJson<ConfirmRunRequest>,
) -> Result<AppJson<Vec<Agreement>>> {
    let round = load_round(&state, id).await?;
    let run = load_run(&state, round.id, run).await?;
    require_open(&round)?;
    if body.end_date <= body.start_date {
        return Err(Error::invalid("end_date", "结束日期须晚于开始日期"));
    }
    let pairs: Vec<(i64, String)> = run
        .plan
        .pairs
        .iter()
        .filter_map(|p| p.society.parse().ok().map(|s| (s, p.village.clone())))
        .collect();
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_round",
        entity_id: round.id.to_string(),
        action: "confirm",
        before: Some(json!({ "status": "open" })),
        after: Some(
            json!({ "status": "confirmed", "run_id": run.summary.id, "pairs": pairs.len(),
                            "start_date": body.start_date, "end_date": body.end_date }),
        ),
        reason: None,
    };
    let term = (body.start_date, body.end_date);
    let confirmed_by = auth.user.display_name.clone();
    if !state
        .store
        .confirm_run(round.id, run.summary.id, &pairs, term, &confirmed_by, &audit)
        .await?
    {
        return Err(conflict("本轮配对方案已确认，不能再次确认"));
    }
    let filter = AgreementFilter {
        round_id: Some(round.id),
        ..Default::default()
    };
    let agreements = state.store.list_agreements(&filter).await?;
    Ok(AppJson(agreements.into_iter().map(|a| a.agreement).collect()))
}
