//! Staff decisions on an organization's requests: removal (准予 / 不予移出, with reasons for a refusal) and
//! objections (成立: the listing is withdrawn; 不成立: it stands), each with reasons.

use axum::extract::State;
use domain::api::{CreditListing, ObjectionDecisionRequest, RemovalDecisionRequest};
use domain::credit::{ObjectionStatus, RemovalDecision, check_text};
use serde_json::json;

use super::{changed_meanwhile, detail, visible};
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::inspection::validation;
use crate::state::{AppState, today};
use crate::store::AuditEntry;

/// Decides a pending application for removal.
#[utoipa::path(post, path = "/credit-listings/{id}/removal/decision", tag = "credit", params(("id" = i64, Path)),
    request_body = RemovalDecisionRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = CreditListing), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn decide_removal(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RemovalDecisionRequest>,
) -> Result<AppJson<CreditListing>> {
    let reasons = match body.decision {
        RemovalDecision::Refuse => Some(
            check_text("reasons", "不予移出的理由", &body.reasons, 1000).map_err(|e| validation(vec![e]))?,
        ),
        RemovalDecision::Grant => Some(body.reasons.trim().to_owned()).filter(|r| !r.is_empty()),
    };
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    let decided_on = today();
    row.standing()
        .decide_removal(body.decision, decided_on)
        .map_err(|e| Error::conflict(e.to_string()))?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "credit_listing",
        entity_id: id.to_string(),
        action: "decide_removal",
        before: Some(json!({ "removal_applied_on": row.removal_applied_on() })),
        after: Some(json!({ "decision": body.decision, "decided_on": decided_on })),
        reason: reasons.clone(),
    };
    if !state
        .store
        .decide_removal(
            id,
            row.organization_id,
            body.decision,
            decided_on,
            reasons.as_deref(),
            &audit,
        )
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(AppJson(detail(&state, &visibility, id).await?))
}

/// Decides a pending objection: `upheld` withdraws the listing, `dismissed` keeps it.
#[utoipa::path(post, path = "/credit-listings/{id}/objection/decision", tag = "credit", params(("id" = i64, Path)),
    request_body = ObjectionDecisionRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = CreditListing), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn decide_objection(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ObjectionDecisionRequest>,
) -> Result<AppJson<CreditListing>> {
    if body.decision == ObjectionStatus::Pending {
        return Err(Error::invalid(
            "decision",
            "处理结论（decision）应为 upheld（成立）或 dismissed（不成立）",
        ));
    }
    let reasons = check_text("reasons", "处理理由", &body.reasons, 1000).map_err(|e| validation(vec![e]))?;
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    if row.objection_status() != Some(ObjectionStatus::Pending) {
        return Err(Error::conflict("该列入记录没有待处理的异议"));
    }
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "credit_listing",
        entity_id: id.to_string(),
        action: "decide_objection",
        before: Some(json!({ "objection": "pending" })),
        after: Some(json!({ "objection": body.decision })),
        reason: Some(reasons.clone()),
    };
    if !state
        .store
        .decide_objection(id, row.organization_id, body.decision, today(), &reasons, &audit)
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(AppJson(detail(&state, &visibility, id).await?))
}
