//! 结对协议: the agreements a confirmed round created — a society's own ("my pairings"), a village's
//! societies, the staff's list, and concluding one.

use axum::extract::{Path, State};
use domain::api::{Agreement, ConcludeAgreementRequest};
use domain::pairing::round::{self, AgreementStatus};
use domain::policy::Scope;
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rounds::{conflict, covers_county, refuse};
use crate::auth::{Auth, OrgUsers, Staff};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::{AppState, today};
use crate::store::AuditEntry;
use crate::store::pairing::AgreementFilter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_my_pairings))
        .routes(routes!(list_village_societies))
        .routes(routes!(list_agreements))
        .routes(routes!(conclude_agreement))
}

/// The villages the caller's society is paired with.
#[utoipa::path(get, path = "/my/pairings", tag = "pairing",
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Vec<Agreement>)))]
async fn list_my_pairings(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
) -> Result<AppJson<Vec<Agreement>>> {
    let Scope::Organization { id, .. } = auth.user.scope else {
        return Err(Error::Forbidden);
    };
    let filter = AgreementFilter {
        organization_id: Some(id),
        ..Default::default()
    };
    let rows = state.store.list_agreements(&filter).await?;
    Ok(AppJson(rows.into_iter().map(|a| a.agreement).collect()))
}

/// The societies a village is paired with: public, as the pairing lists are announced.
#[utoipa::path(get, path = "/villages/{code}/societies", tag = "pairing", params(("code" = String, Path)),
    security(()),
    responses((status = 200, body = Vec<Agreement>)))]
async fn list_village_societies(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<AppJson<Vec<Agreement>>> {
    let filter = AgreementFilter {
        village_code: Some(code),
        ..Default::default()
    };
    let rows = state.store.list_agreements(&filter).await?;
    // Who concluded an agreement and why is staff business, not an announcement (docs/API.md).
    Ok(AppJson(
        rows.into_iter()
            .map(|a| Agreement {
                concluded_by: None,
                conclusion_reason: None,
                ..a.agreement
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
    let rows = state.store.list_agreements(&filter).await?;
    Ok(AppJson(
        rows.into_iter()
            .filter(|a| covers_county(&auth.user, &a.county_code))
            .map(|a| a.agreement)
            .collect(),
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
    Path(id): Path<i64>,
    AppJson(body): AppJson<ConcludeAgreementRequest>,
) -> Result<AppJson<Agreement>> {
    let filter = AgreementFilter {
        id: Some(id),
        ..Default::default()
    };
    let found = state.store.list_agreements(&filter).await?.pop();
    let found = found
        .filter(|a| covers_county(&auth.user, &a.county_code))
        .ok_or_else(|| Error::not_found("结对协议"))?;
    let next = found
        .agreement
        .status
        .conclude()
        .map_err(|e| conflict(&e.to_string()))?;
    refuse(round::check_conclusion(
        found.agreement.start_date,
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
    let mut rows = state.store.list_agreements(&filter).await?;
    rows.pop()
        .map(|a| AppJson(a.agreement))
        .ok_or_else(|| Error::not_found("结对协议"))
}
