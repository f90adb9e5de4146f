//! Review: staff in scope give a verdict (合格 / 基本合格 / 不合格, with reasons) or return a report for
//! correction, and record follow-ups — 约谈, 限期整改 (its last working day counted by the calendar),
//! 移送行政处罚, 审计抽查 — each a record with its audit row.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{
    AnnualReport, CompleteFollowUpRequest, FollowUp, FollowUpInput, ReturnReportRequest, ReviewReportRequest,
};
use domain::inspection::{FollowUpKind, check_verdict};
use serde_json::json;

use super::reports::detail;
use super::validation;
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::state::{AppState, today};
use crate::store::AuditEntry;
use crate::store::inspection::{ReportRow, StageChange};

async fn visible(state: &AppState, auth: &Auth<Staff>, id: i64) -> Result<ReportRow> {
    state
        .store
        .find_report(id, &auth.visibility())
        .await?
        .ok_or_else(|| Error::not_found("年度工作报告"))
}

/// Gives the verdict on a submitted report of the caller's division.
#[utoipa::path(post, path = "/inspection/reports/{id}/review", tag = "inspection", params(("id" = i64, Path)),
    request_body = ReviewReportRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = AnnualReport), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn review_report(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReviewReportRequest>,
) -> Result<AppJson<AnnualReport>> {
    check_verdict(body.result, &body.reasons).map_err(|e| validation(vec![e]))?;
    let row = visible(&state, &auth, id).await?;
    let to = row
        .stage()
        .review(body.result)
        .map_err(|e| Error::conflict(e.to_string()))?;
    let reasons = Some(body.reasons.trim()).filter(|r| !r.is_empty());
    let change = StageChange {
        from: row.stage(),
        to,
        result: Some(body.result),
        reasons,
        reviewer: Some(auth.user.user_id),
    };
    step(&state, &auth, &row, &change, "review").await
}

/// Returns a submitted report to its organization for correction, with the reason.
#[utoipa::path(post, path = "/inspection/reports/{id}/return", tag = "inspection", params(("id" = i64, Path)),
    request_body = ReturnReportRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = AnnualReport), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn return_report(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ReturnReportRequest>,
) -> Result<AppJson<AnnualReport>> {
    let reason = domain::credit::check_text("reason", "退回原因", &body.reason, 500)
        .map_err(|e| validation(vec![e]))?;
    let row = visible(&state, &auth, id).await?;
    let to = row
        .stage()
        .return_for_correction()
        .map_err(|e| Error::conflict(e.to_string()))?;
    let change = StageChange {
        from: row.stage(),
        to,
        result: None,
        reasons: Some(&reason),
        reviewer: Some(auth.user.user_id),
    };
    step(&state, &auth, &row, &change, "return").await
}

async fn step(
    state: &AppState,
    auth: &Auth<Staff>,
    row: &ReportRow,
    change: &StageChange<'_>,
    action: &'static str,
) -> Result<AppJson<AnnualReport>> {
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "annual_report",
        entity_id: row.id.to_string(),
        action,
        before: Some(json!({ "stage": change.from, "result": row.result() })),
        after: Some(json!({ "stage": change.to, "result": change.result })),
        reason: change.reasons.map(str::to_owned),
    };
    if !state.store.change_report_stage(row.id, change, &audit).await? {
        return Err(Error::conflict("该报告的状态已变化，请刷新后再试"));
    }
    Ok(AppJson(detail(state, auth, row.id).await?))
}

/// Records a follow-up on a report of the caller's division; a rectification order's last working day is
/// counted by the working-day calendar.
#[utoipa::path(post, path = "/inspection/reports/{id}/follow-ups", tag = "inspection", params(("id" = i64, Path)),
    request_body = FollowUpInput,
    security(("session" = ["Staff"])),
    responses((status = 201, body = FollowUp), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn add_follow_up(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<FollowUpInput>,
) -> Result<(StatusCode, AppJson<FollowUp>)> {
    body.validate(today()).map_err(validation)?;
    let row = visible(&state, &auth, id).await?;
    let due_on = match (body.kind, body.working_days) {
        (FollowUpKind::Rectification, Some(days)) => {
            Some(state.registry.calendar.add_working_days(body.on, days))
        }
        _ => None,
    };
    let actor = auth.actor();
    let audit = |follow_up: i64| AuditEntry {
        actor: &actor,
        entity_type: "inspection_follow_up",
        entity_id: follow_up.to_string(),
        action: "create",
        before: None,
        after: Some(json!({ "report_id": row.id, "kind": body.kind, "on": body.on, "due_on": due_on })),
        reason: Some(body.outcome.clone()).filter(|o| !o.trim().is_empty()),
    };
    let follow_up = state
        .store
        .add_follow_up(
            row.id,
            row.organization_id,
            &row.division_code,
            &body,
            due_on,
            audit,
        )
        .await?;
    let stored = state
        .store
        .find_follow_up(follow_up)
        .await?
        .ok_or_else(|| Error::not_found("后续处理记录"))?;
    Ok((StatusCode::CREATED, AppJson(stored.to_api())))
}

/// Records a rectification order done (so the daily rule does not list the organization).
#[utoipa::path(post, path = "/inspection/follow-ups/{id}/complete", tag = "inspection", params(("id" = i64, Path)),
    request_body = CompleteFollowUpRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = FollowUp), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn complete_follow_up(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<CompleteFollowUpRequest>,
) -> Result<AppJson<FollowUp>> {
    let follow_up = state
        .store
        .find_follow_up(id)
        .await?
        .ok_or_else(|| Error::not_found("后续处理记录"))?;
    // The follow-up is seen through its report: out of scope is not found.
    visible(&state, &auth, follow_up.report_id).await?;
    if body.on > today() {
        return Err(Error::invalid("on", "完成日期（on）不能晚于今天"));
    }
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "inspection_follow_up",
        entity_id: id.to_string(),
        action: "complete",
        before: Some(json!({ "completed_on": null })),
        after: Some(json!({ "completed_on": body.on })),
        reason: Some(body.note.clone()).filter(|n| !n.trim().is_empty()),
    };
    if !state.store.complete_follow_up(id, body.on, &audit).await? {
        return Err(Error::conflict("只有尚未完成的限期整改可以记为完成"));
    }
    let stored = state
        .store
        .find_follow_up(id)
        .await?
        .ok_or_else(|| Error::not_found("后续处理记录"))?;
    Ok(AppJson(stored.to_api()))
}
