//! `/api/v1/rounds/{id}/runs`: staff run the pairing engine on a round, read the proposal with each pair's
//! score breakdown and compare it with the run before. Confirming one is in `agreements`.

use axum::extract::State;
use domain::api::{PairBreakdown, RunComparison, RunDetail, RunSummary};
use domain::pairing::{self, Pair};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::proposal::{
    comparison, decode_run, detail, labels, load_run, round_instance, run_input, solve, to_json,
};
use super::{load_round, require_open};
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::NewRun;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_runs, run_round))
        .routes(routes!(find_run))
        .routes(routes!(explain_pair))
        .routes(routes!(compare_runs))
}

/// A round's runs, newest first.
#[utoipa::path(get, path = "/rounds/{id}/runs", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<RunSummary>), (status = 404, body = domain::api::ApiError)))]
async fn list_runs(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
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
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<RunDetail>> {
    let round = load_round(&state, id).await?;
    require_open(&round)?;
    let instance = round_instance(&state, &round).await?;
    let labels = labels(&state, round.id).await?;
    let plan = solve(&instance, &labels).await?;
    let input = run_input(&instance, &round);
    let new = NewRun {
        run_by: auth.user.display_name.clone(),
        input_summary: to_json(&input),
        instance: to_json(&instance),
        plan: to_json(&plan),
        objective: plan.objective,
    };
    let actor = auth.actor();
    let after = json!({ "round_id": round.id, "input": input, "objective": plan.objective });
    let run_id = state
        .store
        .record_run(round.id, &new, |run_id| AuditEntry {
            actor: &actor,
            entity_type: "pairing_run",
            entity_id: run_id.to_string(),
            action: "run",
            before: None,
            after: Some(after),
            reason: None,
        })
        .await?;
    Ok(AppJson(detail(
        load_run(&state, round.id, run_id).await?,
        &labels,
    )))
}

/// One run with its proposal.
#[utoipa::path(get, path = "/rounds/{id}/runs/{run}", tag = "pairing",
    params(("id" = i64, Path), ("run" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = RunDetail), (status = 404, body = domain::api::ApiError)))]
async fn find_run(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    AppPath((id, run)): AppPath<(i64, i64)>,
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
    AppPath((id, run, organization_id, village_code)): AppPath<(i64, i64, i64, String)>,
) -> Result<AppJson<PairBreakdown>> {
    let round = load_round(&state, id).await?;
    let run = load_run(&state, round.id, run).await?;
    // `explain` scores the pair afresh from the run's instance; only who and where matter here.
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
    AppPath((id, run)): AppPath<(i64, i64)>,
    AppQuery(query): AppQuery<CompareQuery>,
) -> Result<AppJson<RunComparison>> {
    let round = load_round(&state, id).await?;
    let to = load_run(&state, round.id, run).await?;
    let from = match query.with {
        Some(other) => load_run(&state, round.id, other).await?,
        None => decode_run(
            state
                .store
                .previous_run(round.id, run)
                .await?
                .ok_or_else(|| Error::NotFound("这是本轮的第一次运行，没有可比较的上一次方案".into()))?,
        )?,
    };
    let labels = labels(&state, round.id).await?;
    Ok(AppJson(comparison(&from, &to, &labels)))
}
