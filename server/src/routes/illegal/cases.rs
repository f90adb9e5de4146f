//! Clues and cases for staff, their steps, and the bureau's numbered batches.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{
    IllegalBatch, IllegalCase, IllegalCaseQuery, IllegalStep, NewBatchRequest, NewIllegalCaseRequest, Page,
};
use domain::illegal::{ClueSource, IllegalStage, required_text};
use domain::paging::PageRequest;
use domain::registry::organization::{OrgStatus, Registration, StatusAction};
use serde_json::json;

use super::{division_in, refused};
use crate::auth::{Auth, BureauOnly, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result, UniqueKey, unique_conflict};
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::illegal::{BatchError, IllegalFilter, IllegalRow, NewClue, NewStep};
use crate::store::{AuditEntry, Visibility};

const BATCH_KEY: [UniqueKey; 1] = [UniqueKey {
    table: "illegal_batches",
    column: "number",
    field: "",
    message: "另一批名单正在同时公布，请刷新后再试",
}];

/// Clues and cases in the caller's scope, newest first, by stage, source, division, batch, name and the
/// petition that raised them.
#[utoipa::path(get, path = "/illegal/cases", tag = "illegal", params(IllegalCaseQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<IllegalCase>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_illegal_cases(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<IllegalCaseQuery>,
) -> Result<AppJson<Page<IllegalCase>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = IllegalFilter {
        stage: key_of("stage", "案件阶段", query.stage.as_deref(), IllegalStage::parse)?,
        source: key_of("source", "线索来源", query.source.as_deref(), ClueSource::parse)?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        batch: query.batch,
        name: query.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
        petition_id: query.petition_id,
    };
    let (items, total) = state
        .store
        .list_illegal_cases(&auth.visibility(), &filter, page)
        .await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Records a clue from a petition, an inspection or another agency; with `organization_id`, a revoked or
/// deregistered organization still acting.
#[utoipa::path(post, path = "/illegal/cases", tag = "illegal", request_body = NewIllegalCaseRequest,
    security(("session" = ["Staff"])),
    responses((status = 201, body = IllegalCase), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_illegal_case(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppJson(body): AppJson<NewIllegalCaseRequest>,
) -> Result<(StatusCode, AppJson<IllegalCase>)> {
    let visibility = auth.visibility();
    if body.source == ClueSource::PublicReport {
        return Err(Error::invalid(
            "source",
            "群众举报请通过公开举报表单提交（source）",
        ));
    }
    let mut division = division_in(&state, &visibility, "division_code", &body.division_code).await?;
    if let Some(id) = body.organization_id {
        division = still_acting(&state, &visibility, id).await?;
    }
    if let Some(id) = body.petition_id {
        state
            .store
            .find_petition(id, &visibility)
            .await?
            .ok_or_else(|| Error::invalid("petition_id", "未找到该信访事项（petition_id）"))?;
    }
    let new = NewClue {
        name: required_text("name", "名称", &body.name, 100).map_err(refused)?,
        division_code: division,
        address: body.address.trim().chars().take(200).collect(),
        activities: required_text("activities", "活动情况", &body.activities, 2000).map_err(refused)?,
        evidence: body.evidence.trim().chars().take(2000).collect(),
        source: body.source,
        organization_id: body.organization_id,
        petition_id: body.petition_id,
        contact: None,
        recorded_by: auth.actor().name,
    };
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "illegal_case",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({ "name": new.name, "division_code": new.division_code, "source": new.source })),
        reason: None,
    };
    let id = state.store.insert_clue(&new, today(), audit).await?;
    let case = state
        .store
        .find_illegal_case(id, &visibility)
        .await?
        .ok_or_else(|| Error::not_found("案件"))?;
    Ok((StatusCode::CREATED, AppJson(case)))
}

/// The division of organization `id` when it may be a case: in scope, and revoked or deregistered.
async fn still_acting(state: &AppState, visibility: &Visibility, id: i64) -> Result<String> {
    let org = state
        .store
        .find_organization(visibility, id)
        .await?
        .ok_or_else(|| Error::invalid("organization_id", "未找到该社会组织（organization_id）"))?;
    if OrgStatus::parse(&org.status) == Ok(OrgStatus::Normal) {
        return Err(Error::invalid(
            "organization_id",
            "依法登记且状态正常的社会组织不是非法社会组织；有违法行为的应立案处罚（organization_id）",
        ));
    }
    Ok(org.division_code)
}

pub(super) async fn visible(state: &AppState, visibility: &Visibility, id: i64) -> Result<IllegalRow> {
    state
        .store
        .illegal_row(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("案件"))
}

/// One clue or case with its dated steps (the reporter's contact masked).
#[utoipa::path(get, path = "/illegal/cases/{id}", tag = "illegal", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = IllegalCase), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_illegal_case(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<IllegalCase>> {
    let case = state.store.find_illegal_case(id, &auth.visibility()).await?;
    Ok(AppJson(case.ok_or_else(|| Error::not_found("案件"))?))
}

/// Takes a step: investigate a clue, record what was done with which agencies, or an outcome — 取缔
/// (the body's registry status becomes 取缔), 劝散, 依法登记 (an approved establishment matter), 结案.
#[utoipa::path(post, path = "/illegal/cases/{id}/steps", tag = "illegal", params(("id" = i64, Path)),
    request_body = IllegalStep,
    security(("session" = ["Staff"])),
    responses((status = 200, body = IllegalCase), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn step_illegal_case(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(step): AppJson<IllegalStep>,
) -> Result<AppJson<IllegalCase>> {
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    let from = row.stage();
    let to = step.apply(from, today()).map_err(refused)?;
    let new = step_for(&state, &row, &step, to).await?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "illegal_case",
        entity_id: id.to_string(),
        action: "step",
        before: Some(json!({ "stage": from })),
        after: Some(json!({ "stage": to, "step": step })),
        reason: None,
    };
    if !state
        .store
        .step_illegal_case(&row, &new, &actor.name, &audit)
        .await?
    {
        return Err(Error::conflict("该案件已变化，请刷新后再试"));
    }
    let case = state.store.find_illegal_case(id, &visibility).await?;
    Ok(AppJson(case.ok_or_else(|| Error::not_found("案件"))?))
}

/// What a step records, after the checks an outcome needs: a ban goes through the registry's status
/// rules (an unregistered body, or a revoked or deregistered organization still acting), lawful
/// registration names an approved establishment matter.
async fn step_for(
    state: &AppState,
    row: &IllegalRow,
    step: &IllegalStep,
    to: IllegalStage,
) -> Result<NewStep> {
    if let IllegalStep::Ban { .. } = step {
        check_ban(state, row).await?;
    }
    if let IllegalStep::RegisterLawfully { matter_id, .. } = step
        && !state.store.approved_establishment(*matter_id).await?
    {
        return Err(Error::invalid(
            "matter_id",
            "须为已准予的成立登记事项（matter_id）",
        ));
    }
    Ok(NewStep::for_step(step, to))
}

/// 取缔 applies to an unregistered body, or to an organization whose registration ended (the registry's rule).
async fn check_ban(state: &AppState, row: &IllegalRow) -> Result<()> {
    let (status, registration) = match row.organization_id {
        Some(id) => {
            let org = state
                .store
                .find_organization(&Visibility::All, id)
                .await?
                .ok_or_else(|| Error::not_found("社会组织"))?;
            (
                OrgStatus::parse(&org.status).unwrap_or(OrgStatus::Normal),
                Registration::Registered,
            )
        }
        None => (OrgStatus::Normal, Registration::Unregistered),
    };
    status
        .apply(StatusAction::Ban, registration)
        .map_err(|e| Error::conflict(e.to_string()))?;
    Ok(())
}

/// Every published batch, newest first.
#[utoipa::path(get, path = "/illegal/batches", tag = "illegal",
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<IllegalBatch>)))]
pub(super) async fn list_illegal_batches(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
) -> Result<AppJson<Vec<IllegalBatch>>> {
    Ok(AppJson(state.store.illegal_batches().await?))
}

/// Publishes cases under investigation as the next numbered batch (涉嫌非法社会组织名单 第N批); the province
/// keeps one series, so the bureau publishes.
#[utoipa::path(post, path = "/illegal/batches", tag = "illegal", request_body = NewBatchRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 201, body = IllegalBatch), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn publish_batch(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<NewBatchRequest>,
) -> Result<(StatusCode, AppJson<IllegalBatch>)> {
    let mut ids = body.case_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > 200 {
        return Err(Error::invalid(
            "case_ids",
            "请选择 1 至 200 个调查中的案件（case_ids）",
        ));
    }
    if body.published_on > today() {
        return Err(Error::invalid(
            "published_on",
            "公布日期（published_on）不能晚于今天",
        ));
    }
    for id in &ids {
        visible(&state, &auth.visibility(), *id)
            .await
            .map_err(|_| Error::invalid("case_ids", format!("未找到案件 #{id}（case_ids）")))?;
    }
    let actor = auth.actor();
    let audit = |number: i64| AuditEntry {
        actor: &actor,
        entity_type: "illegal_batch",
        entity_id: number.to_string(),
        action: "publish",
        before: None,
        after: Some(json!({ "case_ids": ids, "published_on": body.published_on })),
        reason: None,
    };
    let number = state
        .store
        .publish_batch(&ids, body.published_on, &actor.name, audit)
        .await
        .map_err(|e| match e {
            BatchError::NotInvestigating => Error::Conflict {
                message: "只能公布调查中的案件".to_owned(),
                fields: vec![domain::api::FieldError {
                    field: "case_ids".to_owned(),
                    message: "只能公布调查中的案件（case_ids）".to_owned(),
                }],
            },
            BatchError::Database(e) => unique_conflict(e, &BATCH_KEY),
        })?;
    let batch = IllegalBatch {
        number,
        title: domain::illegal::batch_title(number),
        published_on: body.published_on,
        cases: ids.len() as u64,
    };
    Ok((StatusCode::CREATED, AppJson(batch)))
}
