//! 党组织审批: staff file an application an organization made to set up a party organization, and decide
//! it. An approval records the branch from the day decided, in the same transaction — so the coverage and
//! formation rates move from that day.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{ApprovalDecisionRequest, ApprovalQuery, NewApprovalRequest, Page, PartyApproval};
use domain::illegal::required_text;
use domain::paging::PageRequest;
use domain::party::{
    ApprovalStatus, PartyInfo, PartyOrgKind, RecordSource, RecordStatus, check_application, check_decision,
    checked_joint,
};
use domain::registry::organization::Level;
use serde_json::json;

use super::{joint_organizations, organization_in};
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::illegal::refused;
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::party::{ApprovalDecision, ApprovalFilter, ApprovalRow, NewApproval, NewRecord};
use crate::store::{AuditEntry, Visibility};

/// Applications in the caller's scope, newest first, by status, kind, year decided, level and division.
#[utoipa::path(get, path = "/party/approvals", tag = "party", params(ApprovalQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<PartyApproval>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_party_approvals(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<ApprovalQuery>,
) -> Result<AppJson<Page<PartyApproval>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = ApprovalFilter {
        status: key_of(
            "status",
            "审批状态",
            query.status.as_deref(),
            ApprovalStatus::parse,
        )?,
        kind: key_of("kind", "党组织形式", query.kind.as_deref(), PartyOrgKind::parse)?,
        year: query.year,
        level: key_of("level", "登记级别", query.level.as_deref(), |l| {
            Level::parse(l).ok()
        })?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        organization_id: query.organization_id,
    };
    let (rows, total) = state
        .store
        .list_party_approvals(&auth.visibility(), &filter, page)
        .await?;
    let ids: Vec<i64> = rows.iter().flat_map(ApprovalRow::joint_with).collect();
    let names = state.store.party_org_names(&ids).await?;
    Ok(AppJson(Page {
        items: rows.iter().map(|a| a.to_api(&names)).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Files an application received from an organization in the caller's scope.
#[utoipa::path(post, path = "/party/approvals", tag = "party", request_body = NewApprovalRequest,
    security(("session" = ["Staff"])),
    responses((status = 201, body = PartyApproval), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_party_approval(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppJson(body): AppJson<NewApprovalRequest>,
) -> Result<(StatusCode, AppJson<PartyApproval>)> {
    let visibility = auth.visibility();
    let org = organization_in(&state, &visibility, body.organization_id)
        .await
        .map_err(|_| Error::invalid("organization_id", "未找到该社会组织（organization_id）"))?;
    check_application(body.kind, body.members, body.applied_on, today()).map_err(refused)?;
    let joint_with = checked_joint(body.kind, &body.joint_with, org.id).map_err(refused)?;
    let names = joint_organizations(&state, &joint_with).await?;
    let new = NewApproval {
        organization_id: org.id,
        division_code: org.division_code.clone(),
        kind: body.kind,
        members: body.members,
        joint_with,
        applied_on: body.applied_on,
        approving_body: required_text("approving_body", "审批机关", &body.approving_body, 100)
            .map_err(refused)?,
        filed_by: auth.actor().name,
    };
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "party_approval",
        entity_id: id.to_string(),
        action: "file",
        before: None,
        after: Some(
            json!({ "organization_id": new.organization_id, "kind": new.kind, "members": new.members,
                            "applied_on": new.applied_on }),
        ),
        reason: None,
    };
    let id = state.store.insert_party_approval(&new, audit).await?;
    let row = approval_in(&state, &visibility, id).await?;
    Ok((StatusCode::CREATED, AppJson(row.to_api(&names))))
}

async fn approval_in(state: &AppState, visibility: &Visibility, id: i64) -> Result<ApprovalRow> {
    state
        .store
        .find_party_approval(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("党组织审批"))
}

/// Approves (the branch is recorded from the day decided, keeping the organization's 群团 flags) or refuses
/// (with a reason) a pending application.
#[utoipa::path(post, path = "/party/approvals/{id}/decision", tag = "party", params(("id" = i64, Path)),
    request_body = ApprovalDecisionRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = PartyApproval), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn decide_party_approval(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<ApprovalDecisionRequest>,
) -> Result<AppJson<PartyApproval>> {
    let visibility = auth.visibility();
    let row = approval_in(&state, &visibility, id).await?;
    let to = check_decision(
        row.status(),
        body.approve,
        row.applied_on,
        body.decided_on,
        body.note.as_deref(),
        today(),
    )
    .map_err(refused)?;
    let actor = auth.actor();
    let record = match to {
        ApprovalStatus::Approved => Some(branch_record(&state, &row, body.decided_on, &actor.name).await?),
        _ => None,
    };
    let decision = ApprovalDecision {
        to,
        decided_on: body.decided_on,
        note: body
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        decided_by: actor.name.clone(),
    };
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "party_approval",
        entity_id: id.to_string(),
        action: if body.approve { "approve" } else { "reject" },
        before: Some(json!({ "status": ApprovalStatus::Pending })),
        after: Some(json!({ "status": to, "decided_on": body.decided_on })),
        reason: decision.note.clone(),
    };
    let decided = state
        .store
        .decide_party_approval(&row, &decision, record.as_ref(), &audit)
        .await?;
    if !decided {
        return Err(Error::conflict("该申请已被审批，请刷新后再试"));
    }
    let row = approval_in(&state, &visibility, id).await?;
    let names = state.store.party_org_names(&row.joint_with()).await?;
    Ok(AppJson(row.to_api(&names)))
}

/// The record an approval writes: the branch applied for, from the day decided, keeping what else the
/// organization's latest state says (its 群团 flags).
async fn branch_record(
    state: &AppState,
    row: &ApprovalRow,
    decided_on: chrono::NaiveDate,
    decided_by: &str,
) -> Result<NewRecord> {
    let history = state.store.party_history(row.organization_id).await?;
    let before = history
        .iter()
        .find(|r| r.status() == RecordStatus::Confirmed)
        .map_or_else(PartyInfo::nothing, |r| r.info());
    Ok(NewRecord {
        organization_id: row.organization_id,
        division_code: row.division_code.clone(),
        effective_on: decided_on,
        info: PartyInfo {
            kind: row.kind(),
            members: row.members(),
            approved_on: Some(decided_on),
            approving_body: Some(row.approving_body().to_owned()),
            liaison: None,
            joint_with: row.joint_with(),
            ..before
        },
        status: RecordStatus::Confirmed,
        source: RecordSource::Approval,
        approval_id: Some(row.id),
        filed_by: decided_by.to_owned(),
    })
}
