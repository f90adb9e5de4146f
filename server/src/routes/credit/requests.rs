//! What an organization does about its own listing: apply for removal after rectifying (decided within
//! five working days), object (异议), attach a public explanation.

use axum::extract::State;
use domain::api::{CreditListing, ExplanationRequest, ObjectionRequest, RemovalApplicationRequest};
use domain::credit::{CreditStanding, ListingReason, check_text};
use domain::inspection::ReportStage;
use serde_json::json;

use super::{changed_meanwhile, detail, visible};
use crate::auth::{Auth, OrgUsers};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::routes::inspection::validation;
use crate::state::{AppState, today};
use crate::store::credit::ListingRow;
use crate::store::{AuditEntry, Visibility};

fn audit<'a>(
    actor: &'a crate::store::Actor,
    id: i64,
    action: &'a str,
    after: serde_json::Value,
) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "credit_listing",
        entity_id: id.to_string(),
        action,
        before: None,
        after: Some(after),
        reason: None,
    }
}

/// Checks that a listing for a missing annual report has been rectified: the report is filed now.
async fn check_rectified(state: &AppState, row: &ListingRow) -> Result<()> {
    if row.reason() != ListingReason::AnnualReportMissing {
        return Ok(());
    }
    let report = match row.event_id {
        Some(id) => state.store.find_report(id, &Visibility::All).await?,
        None => None,
    };
    match report {
        Some(r) if matches!(r.stage(), ReportStage::Submitted | ReportStage::Reviewed) => Ok(()),
        Some(r) => Err(Error::invalid(
            "rectification",
            format!(
                "尚未补报 {} 年度工作报告，整改完成后方可申请移出（rectification）",
                r.year
            ),
        )),
        None => Ok(()),
    }
}

/// Applies for removal from the list after rectifying; the bureau decides within five working days.
#[utoipa::path(post, path = "/credit-listings/{id}/removal", tag = "credit", params(("id" = i64, Path)),
    request_body = RemovalApplicationRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = CreditListing), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn apply_for_removal(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RemovalApplicationRequest>,
) -> Result<AppJson<CreditListing>> {
    let rectification = check_text("rectification", "整改情况", &body.rectification, 1000)
        .map_err(|e| validation(vec![e]))?;
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    check_rectified(&state, &row).await?;
    let applied_on = today();
    let after = row
        .standing()
        .apply_for_removal(applied_on, &state.registry.calendar)
        .map_err(|e| Error::conflict(e.to_string()))?;
    let CreditStanding::Listed(listing) = after else {
        return Err(changed_meanwhile());
    };
    let decide_by = listing.removal.map_or(applied_on, |r| r.decide_by);
    let actor = auth.actor();
    let entry = audit(
        &actor,
        id,
        "apply_removal",
        json!({ "applied_on": applied_on, "decide_by": decide_by }),
    );
    let entry = AuditEntry {
        reason: Some(rectification.clone()),
        ..entry
    };
    if !state
        .store
        .apply_for_removal(
            id,
            row.organization_id,
            applied_on,
            decide_by,
            &rectification,
            &entry,
        )
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(AppJson(detail(&state, &visibility, id).await?))
}

/// Objects to a listing; the public list shows that an objection is pending until staff decide.
#[utoipa::path(post, path = "/credit-listings/{id}/objection", tag = "credit", params(("id" = i64, Path)),
    request_body = ObjectionRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = CreditListing), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn file_objection(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ObjectionRequest>,
) -> Result<AppJson<CreditListing>> {
    let grounds = check_text("grounds", "异议理由", &body.grounds, 2000).map_err(|e| validation(vec![e]))?;
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    let actor = auth.actor();
    let entry = AuditEntry {
        reason: Some(grounds.clone()),
        ..audit(&actor, id, "object", json!({ "objection": "pending" }))
    };
    if !state
        .store
        .file_objection(id, row.organization_id, &grounds, &entry)
        .await?
    {
        return Err(Error::conflict("该列入记录已结束，或已有异议正在处理"));
    }
    Ok(AppJson(detail(&state, &visibility, id).await?))
}

/// Attaches (or, with an empty text, removes) the organization's public explanation of a listing.
#[utoipa::path(put, path = "/credit-listings/{id}/explanation", tag = "credit", params(("id" = i64, Path)),
    request_body = ExplanationRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = CreditListing), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn set_explanation(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ExplanationRequest>,
) -> Result<AppJson<CreditListing>> {
    let text = body.text.trim();
    if text.chars().count() > 500 {
        return Err(Error::invalid("text", "情况说明（text）不超过 500 个字"));
    }
    let text = Some(text).filter(|t| !t.is_empty());
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    let actor = auth.actor();
    let entry = audit(&actor, id, "explain", json!({ "explanation": text }));
    if !state
        .store
        .set_explanation(id, row.organization_id, text, &entry)
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(AppJson(detail(&state, &visibility, id).await?))
}
