//! Penalty cases and their steps.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{NewPenaltyRequest, Page, PenaltyCase, PenaltyQuery, PenaltyStep};
use domain::illegal::required_text;
use domain::paging::PageRequest;
use domain::penalties::{Decision, PenaltyKind, PenaltyStage};
use domain::registry::organization::{OrgStatus, Registration, StatusAction};
use serde_json::json;

use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result, UniqueKey, unique_conflict};
use crate::routes::illegal::refused;
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::penalties::{NewPenalty, PenaltyFilter, PenaltyRow, PenaltyUpdate};
use crate::store::{AuditEntry, Visibility};

/// Two decisions numbered at once: the second is refused and can be retried.
const NUMBER_KEYS: [UniqueKey; 2] = [
    UniqueKey {
        table: "penalty_cases",
        column: "document_number",
        field: "",
        message: "另一份处罚决定正在同时编号，请重试",
    },
    UniqueKey {
        table: "penalty_cases",
        column: "decision_year_decision_serial",
        field: "",
        message: "另一份处罚决定正在同时编号，请重试",
    },
];

/// Cases in the caller's scope, newest first, by stage, division, organization, year decided and the
/// petition that raised them.
#[utoipa::path(get, path = "/penalties", tag = "penalties", params(PenaltyQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<PenaltyCase>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_penalties(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<PenaltyQuery>,
) -> Result<AppJson<Page<PenaltyCase>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = PenaltyFilter {
        stage: key_of(
            "stage",
            "处罚案件阶段",
            query.stage.as_deref(),
            PenaltyStage::parse,
        )?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        organization_id: query.organization_id,
        year: query.year,
        petition_id: query.petition_id,
    };
    let (rows, total) = state
        .store
        .list_penalties(&auth.visibility(), &filter, page)
        .await?;
    Ok(AppJson(Page {
        items: rows.iter().map(PenaltyRow::to_api).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Files a case against a registered organization in normal status, in the caller's scope.
#[utoipa::path(post, path = "/penalties", tag = "penalties", request_body = NewPenaltyRequest,
    security(("session" = ["Staff"])),
    responses((status = 201, body = PenaltyCase), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_penalty(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppJson(body): AppJson<NewPenaltyRequest>,
) -> Result<(StatusCode, AppJson<PenaltyCase>)> {
    let visibility = auth.visibility();
    let org = state
        .store
        .find_organization(&visibility, body.organization_id)
        .await?
        .ok_or_else(|| Error::invalid("organization_id", "未找到该社会组织（organization_id）"))?;
    if OrgStatus::parse(&org.status) != Ok(OrgStatus::Normal) {
        return Err(Error::invalid(
            "organization_id",
            "只能对登记状态正常的社会组织立案处罚（organization_id）",
        ));
    }
    if body.filed_on > today() {
        return Err(Error::invalid("filed_on", "立案日期（filed_on）不能晚于今天"));
    }
    if let Some(id) = body.petition_id {
        state
            .store
            .find_petition(id, &visibility)
            .await?
            .ok_or_else(|| Error::invalid("petition_id", "未找到该信访事项（petition_id）"))?;
    }
    let new = NewPenalty {
        organization_id: org.id,
        division_code: org.division_code.clone(),
        filed_on: body.filed_on,
        facts: required_text("facts", "违法事实", &body.facts, 5000).map_err(refused)?,
        evidence: required_text("evidence", "证据", &body.evidence, 5000).map_err(refused)?,
        rule_broken: required_text("rule_broken", "违反的规定", &body.rule_broken, 500).map_err(refused)?,
        petition_id: body.petition_id,
        recorded_by: auth.actor().name,
    };
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "penalty_case",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(
            json!({ "organization_id": new.organization_id, "filed_on": new.filed_on, "rule_broken": new.rule_broken }),
        ),
        reason: None,
    };
    let id = state.store.insert_penalty(&new, audit).await?;
    let row = visible(&state, &visibility, id).await?;
    Ok((StatusCode::CREATED, AppJson(row.to_api())))
}

async fn visible(state: &AppState, visibility: &Visibility, id: i64) -> Result<PenaltyRow> {
    state
        .store
        .find_penalty(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("处罚案件"))
}

/// One case with its notice, statement, hearing and decision.
#[utoipa::path(get, path = "/penalties/{id}", tag = "penalties", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = PenaltyCase), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_penalty(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<PenaltyCase>> {
    Ok(AppJson(visible(&state, &auth.visibility(), id).await?.to_api()))
}

/// Takes a step: serve the notice, record a statement, a hearing request (within five days of the notice)
/// and the hearing, decide (numbered, with its effects on the registry and the credit lists), or drop.
#[utoipa::path(post, path = "/penalties/{id}/steps", tag = "penalties", params(("id" = i64, Path)),
    request_body = PenaltyStep,
    security(("session" = ["Staff"])),
    responses((status = 200, body = PenaltyCase), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn step_penalty(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(step): AppJson<PenaltyStep>,
) -> Result<AppJson<PenaltyCase>> {
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    let from = row.stage();
    let to = step.apply(&row.state(), today()).map_err(refused)?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "penalty_case",
        entity_id: id.to_string(),
        action: "step",
        before: Some(json!({ "stage": from })),
        after: Some(json!({ "stage": to, "action": step.name() })),
        reason: None,
    };
    let moved = match &step {
        PenaltyStep::Decide(decision) => decide(&state, &row, decision, &audit).await?,
        other => {
            state
                .store
                .step_penalty(&row, to, &PenaltyUpdate::from(other), &audit)
                .await?
        }
    };
    if !moved {
        return Err(Error::conflict("该案件已变化，请刷新后再试"));
    }
    Ok(AppJson(visible(&state, &visibility, id).await?.to_api()))
}

/// Issues a decision; 撤销登记 must be allowed by the registry's status rules first.
async fn decide(
    state: &AppState,
    row: &PenaltyRow,
    decision: &Decision,
    audit: &AuditEntry<'_>,
) -> Result<bool> {
    if decision.kinds.contains(&PenaltyKind::Revocation) {
        let org = state
            .store
            .find_organization(&Visibility::All, row.organization_id)
            .await?
            .ok_or_else(|| Error::not_found("社会组织"))?;
        let status = OrgStatus::parse(&org.status).unwrap_or(OrgStatus::Normal);
        status
            .apply(StatusAction::Revoke, Registration::Registered)
            .map_err(|e| Error::conflict(e.to_string()))?;
    }
    let number = state
        .store
        .decide_penalty(
            row,
            decision,
            domain::publication::due_on(decision.on, &state.registry.calendar),
            audit,
        )
        .await
        .map_err(|e| unique_conflict(e, &NUMBER_KEYS))?;
    Ok(number.is_some())
}
