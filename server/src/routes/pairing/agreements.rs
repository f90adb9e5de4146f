//! 结对协议: a bureau administrator confirms a run, whose pairs become the agreements; a society's own
//! ("my pairings"), a village's societies, the staff's list within their divisions, and concluding one.

use axum::extract::State;
use domain::api::{Agreement, ConcludeAgreementRequest, ConfirmRunRequest};
use domain::pairing::Plan;
use domain::pairing::round::{self, AgreementStatus};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::proposal::load_run;
use super::{conflict, load_round, refuse, require_open};
use crate::auth::{Auth, BureauOnly, OrgUsers, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::{AppState, today};
use crate::store::pairing::{AgreementFilter, Confirmation};
use crate::store::{AuditEntry, Visibility};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(confirm_run))
        .routes(routes!(list_my_pairings))
        .routes(routes!(list_village_societies))
        .routes(routes!(list_agreements))
        .routes(routes!(conclude_agreement))
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
    AppPath((id, run)): AppPath<(i64, i64)>,
    AppJson(body): AppJson<ConfirmRunRequest>,
) -> Result<AppJson<Vec<Agreement>>> {
    let round = load_round(&state, id).await?;
    let run = load_run(&state, round.id, run).await?;
    require_open(&round)?;
    if body.end_date <= body.start_date {
        return Err(Error::invalid("end_date", "结束日期须晚于开始日期"));
    }
    let confirmation = Confirmation {
        run_id: run.summary.id,
        pairs: agreed_pairs(&run.plan),
        term: (body.start_date, body.end_date),
        confirmed_by: auth.user.display_name.clone(),
    };
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_round",
        entity_id: round.id.to_string(),
        action: "confirm",
        before: Some(json!({ "status": "open" })),
        after: Some(
            json!({ "status": "confirmed", "run_id": run.summary.id, "pairs": confirmation.pairs.len(),
                            "start_date": body.start_date, "end_date": body.end_date }),
        ),
        reason: None,
    };
    if !state.store.confirm_run(round.id, &confirmation, &audit).await? {
        return Err(conflict("本轮配对方案已确认，不能再次确认"));
    }
    let filter = AgreementFilter {
        round_id: Some(round.id),
        ..Default::default()
    };
    Ok(AppJson(
        state.store.list_agreements(&filter, &auth.visibility()).await?,
    ))
}

/// A plan's pairs as (organization id, village code), the rows the agreements are made of.
fn agreed_pairs(plan: &Plan) -> Vec<(i64, String)> {
    plan.pairs
        .iter()
        .filter_map(|p| p.society.parse().ok().map(|s| (s, p.village.clone())))
        .collect()
}

/// The villages the caller's society is paired with.
#[utoipa::path(get, path = "/my/pairings", tag = "pairing",
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Vec<Agreement>)))]
async fn list_my_pairings(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
) -> Result<AppJson<Vec<Agreement>>> {
    let filter = AgreementFilter {
        organization_id: Some(auth.own_organization()?),
        ..Default::default()
    };
    Ok(AppJson(
        state.store.list_agreements(&filter, &auth.visibility()).await?,
    ))
}

/// The societies a village is paired with: public, as the pairing lists are announced.
#[utoipa::path(get, path = "/villages/{code}/societies", tag = "pairing", params(("code" = String, Path)),
    security(()),
    responses((status = 200, body = Vec<Agreement>)))]
async fn list_village_societies(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
) -> Result<AppJson<Vec<Agreement>>> {
    let filter = AgreementFilter {
        village_code: Some(code),
        ..Default::default()
    };
    // Announced to everyone, so not limited by any visibility.
    let rows = state.store.list_agreements(&filter, &Visibility::All).await?;
    // Who concluded an agreement and why is staff business, not an announcement (docs/API.md).
    Ok(AppJson(
        rows.into_iter()
            .map(|a| Agreement {
                concluded_by: None,
                conclusion_reason: None,
                ..a
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct AgreementQuery {
    /// Only this round's agreements.
    round: Option<i64>,
}

/// Agreements in the caller's scope, optionally of one round.
#[utoipa::path(get, path = "/agreements", tag = "pairing", params(AgreementQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<Agreement>)))]
async fn list_agreements(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<AgreementQuery>,
) -> Result<AppJson<Vec<Agreement>>> {
    let filter = AgreementFilter {
        round_id: query.round,
        ..Default::default()
    };
    Ok(AppJson(
        state.store.list_agreements(&filter, &auth.visibility()).await?,
    ))
}

/// Concludes an active agreement (结束结对) on a day between its start and today, for a reason.
#[utoipa::path(post, path = "/agreements/{id}/conclude", tag = "pairing", params(("id" = i64, Path)),
    request_body = ConcludeAgreementRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Agreement), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn conclude_agreement(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ConcludeAgreementRequest>,
) -> Result<AppJson<Agreement>> {
    let visibility = auth.visibility();
    let found = find_agreement(&state, id, &visibility).await?;
    let next = found.status.conclude().map_err(|e| conflict(&e.to_string()))?;
    refuse(round::check_conclusion(
        found.start_date,
        body.concluded_on,
        today(),
        &body.reason,
    ))?;
    let reason = body.reason.trim().to_owned();
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_agreement",
        entity_id: id.to_string(),
        action: "conclude",
        before: Some(json!({ "status": AgreementStatus::Active })),
        after: Some(json!({ "status": next, "concluded_on": body.concluded_on })),
        reason: Some(reason.clone()),
    };
    if !state
        .store
        .conclude_agreement(id, &auth.user.display_name, body.concluded_on, &reason, &audit)
        .await?
    {
        return Err(conflict("该结对协议已结束，不能再次结束"));
    }
    Ok(AppJson(find_agreement(&state, id, &visibility).await?))
}

/// An agreement within `visibility`, or 404 — whether it does not exist or lies outside the caller's scope.
async fn find_agreement(state: &AppState, id: i64, visibility: &Visibility) -> Result<Agreement> {
    state
        .store
        .find_agreement(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("结对协议"))
}
