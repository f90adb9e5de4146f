//! Review: an organization sends an entry (again) for review; staff of its division verify it — it counts
//! in the totals and is locked from then on — or return it with a reason.

use axum::extract::State;
use domain::api::{Contribution, ReviewRequest};
use domain::contributions::{ContributionStatus, TransitionError};
use serde_json::json;

use super::{changed_meanwhile, detail, load, transition_error};
use crate::auth::{Auth, OrgUsers, Rule, Staff};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;

/// Sends a draft, or a returned entry again, for review.
#[utoipa::path(post, path = "/contributions/{id}/submit", tag = "contributions", params(("id" = i64, Path)),
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
pub(super) async fn submit_contribution(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Contribution>> {
    let action = |from| {
        if from == ContributionStatus::Returned {
            "resubmit"
        } else {
            "submit"
        }
    };
    review(&state, &auth, id, ContributionStatus::submit, action, None).await
}

/// Confirms a submitted entry of the staff member's division; it is locked from then on.
#[utoipa::path(post, path = "/contributions/{id}/verify", tag = "contributions", params(("id" = i64, Path)),
    request_body = ReviewRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
pub(super) async fn verify_contribution(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReviewRequest>,
) -> Result<AppJson<Contribution>> {
    let note = body.reason.filter(|r| !r.trim().is_empty());
    review(&state, &auth, id, ContributionStatus::verify, |_| "verify", note).await
}

/// Sends a submitted entry back to its organization with a reason (required).
#[utoipa::path(post, path = "/contributions/{id}/return", tag = "contributions", params(("id" = i64, Path)),
    request_body = ReviewRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Contribution), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn return_contribution(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReviewRequest>,
) -> Result<AppJson<Contribution>> {
    let reason = body
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty() && r.chars().count() <= 500)
        .ok_or_else(|| Error::invalid("reason", "请填写退回原因（不超过 500 个字）"))?;
    let transition = ContributionStatus::return_to_organization;
    review(&state, &auth, id, transition, |_| "return", Some(reason)).await
}

/// One step of review: the entry must be visible to the caller and its status must allow `transition`;
/// the change, its audit row and (on verification) the rollup are written together.
async fn review<R: Rule>(
    state: &AppState,
    auth: &Auth<R>,
    id: i64,
    transition: fn(ContributionStatus) -> Result<ContributionStatus, TransitionError>,
    action: impl Fn(ContributionStatus) -> &'static str,
    reason: Option<String>,
) -> Result<AppJson<Contribution>> {
    let before = load(state, &auth.visibility(), id).await?;
    let to = transition(before.status).map_err(transition_error)?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "contribution",
        entity_id: id.to_string(),
        action: action(before.status),
        before: Some(json!({ "status": before.status })),
        after: Some(json!({ "status": to })),
        reason: reason.clone(),
    };
    let reviewer = auth.user.role.is_staff().then_some(auth.user.user_id);
    // Only a return keeps its reason on the entry; a verification's note lives in the audit row.
    let reason = (to == ContributionStatus::Returned).then_some(reason).flatten();
    if !state
        .store
        .change_contribution_status(id, before.status, to, reason.as_deref(), reviewer, &audit)
        .await?
    {
        return Err(changed_meanwhile());
    }
    Ok(AppJson(detail(state, auth, id).await?))
}
