//! 党建指导员批次: the bureau dispatches numbered batches with a term, assigns each instructor several
//! organizations (their scope while the term runs) and evaluates each at the term's end; staff read them,
//! local staff seeing the assignments in their division only.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{
    AssignRequest, BatchDetail, BatchInstructor, EvaluationRequest, InstructorAccount, NewPartyBatchRequest,
    PartyBatch, PartyOrgRef,
};
use domain::party::{Term, check_batch_number, check_evaluation};
use serde_json::json;

use super::organization_in;
use crate::auth::{Auth, BureauOnly, Staff};
use crate::error::{AppJson, AppPath, Error, Result, ResultExt, UniqueKey};
use crate::routes::illegal::refused;
use crate::state::{AppState, today};
use crate::store::party::{BatchRow, NewBatch, NewEvaluation};
use crate::store::{AuditEntry, Visibility};

/// The most organizations one instructor is assigned in a batch.
const MAX_ASSIGNED: usize = 50;

const NUMBER_KEY: [UniqueKey; 1] = [UniqueKey {
    table: "party_batches",
    column: "number",
    field: "number",
    message: "该批次编号已存在（number）",
}];

/// An organization is assigned to one instructor per batch.
const ASSIGNMENT_KEYS: [UniqueKey; 2] = [
    UniqueKey {
        table: "party_assignments",
        column: "batch_id_organization_id",
        field: "organization_ids",
        message: "所选社会组织已分配给本批次的其他指导员（organization_ids）",
    },
    UniqueKey {
        table: "party_assignments",
        column: "batch_id",
        field: "organization_ids",
        message: "所选社会组织已分配给本批次的其他指导员（organization_ids）",
    },
];

/// Every batch, newest first, with its counts.
#[utoipa::path(get, path = "/party/batches", tag = "party",
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<PartyBatch>)))]
pub(super) async fn list_party_batches(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
) -> Result<AppJson<Vec<PartyBatch>>> {
    let rows = state.store.list_party_batches().await?;
    Ok(AppJson(rows.iter().map(BatchRow::to_api).collect()))
}

/// Dispatches a batch: its number and term.
#[utoipa::path(post, path = "/party/batches", tag = "party", request_body = NewPartyBatchRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 201, body = PartyBatch), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_party_batch(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<NewPartyBatchRequest>,
) -> Result<(StatusCode, AppJson<PartyBatch>)> {
    let new = NewBatch {
        number: check_batch_number(body.number).map_err(refused)?,
        term: Term::new(body.term_start, body.term_end).map_err(refused)?,
        created_by: auth.actor().name,
    };
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "party_batch",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({ "number": new.number, "term": new.term })),
        reason: None,
    };
    let id = state
        .store
        .insert_party_batch(&new, audit)
        .await
        .on_unique(&NUMBER_KEY)?;
    Ok((StatusCode::CREATED, AppJson(batch(&state, id).await?.to_api())))
}

async fn batch(state: &AppState, id: i64) -> Result<BatchRow> {
    state
        .store
        .find_party_batch(id)
        .await?
        .ok_or_else(|| Error::not_found("党建指导员批次"))
}

/// A batch with its instructors: the organizations each is assigned (in the caller's scope), their visits
/// and evaluation.
#[utoipa::path(get, path = "/party/batches/{id}", tag = "party", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = BatchDetail), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_party_batch(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<BatchDetail>> {
    Ok(AppJson(detail(&state, id, &auth.visibility()).await?))
}

async fn detail(state: &AppState, id: i64, visibility: &Visibility) -> Result<BatchDetail> {
    let row = batch(state, id).await?;
    let assignments = state.store.party_batch_assignments(id, visibility).await?;
    let visits = state.store.party_batch_visit_counts(id).await?;
    let evaluations = state.store.party_batch_evaluations(id).await?;
    let mut instructors: Vec<BatchInstructor> = Vec::new();
    for a in &assignments {
        if instructors.last().is_none_or(|i| i.user_id != a.instructor_id) {
            let (count, last) = visits
                .iter()
                .find(|(who, _, _)| *who == a.instructor_id)
                .map_or((0, None), |(_, n, last)| (*n, *last));
            instructors.push(BatchInstructor {
                user_id: a.instructor_id,
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                organizations: Vec::new(),
                visits: count.max(0) as u64,
                last_visit: last,
                evaluation: evaluations
                    .iter()
                    .find(|e| e.instructor_id == a.instructor_id)
                    .map(|e| e.to_api()),
            });
        }
        if let Some(current) = instructors.last_mut() {
            current.organizations.push(PartyOrgRef {
                id: a.organization_id,
                name: a.organization_name.clone(),
            });
        }
    }
    Ok(BatchDetail {
        batch: row.to_api(),
        instructors,
    })
}

/// Assigns an instructor the organizations of the request for the batch (replacing their previous
/// assignment in it): while the term runs, these are the organizations the instructor sees.
#[utoipa::path(put, path = "/party/batches/{id}/instructors/{user_id}", tag = "party",
    params(("id" = i64, Path), ("user_id" = i64, Path)), request_body = AssignRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = BatchDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn assign_party_instructor(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath((id, user_id)): AppPath<(i64, i64)>,
    AppJson(body): AppJson<AssignRequest>,
) -> Result<AppJson<BatchDetail>> {
    let row = batch(&state, id).await?;
    if row.term().end < today() {
        return Err(Error::conflict(format!(
            "第{}批任期已于 {} 结束，不能再分配",
            row.number, row.term_end
        )));
    }
    instructor(&state, user_id).await?;
    let mut ids = body.organization_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_ASSIGNED {
        return Err(Error::invalid(
            "organization_ids",
            format!("请选择 1 至 {MAX_ASSIGNED} 个社会组织（organization_ids）"),
        ));
    }
    let mut organizations = Vec::with_capacity(ids.len());
    for org in &ids {
        let org = organization_in(&state, &Visibility::All, *org)
            .await
            .map_err(|_| {
                Error::invalid(
                    "organization_ids",
                    format!("社会组织 {org} 不存在（organization_ids）"),
                )
            })?;
        organizations.push((org.id, org.division_code));
    }
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "party_batch",
        entity_id: id.to_string(),
        action: "assign",
        before: None,
        after: Some(json!({ "instructor_id": user_id, "organization_ids": ids })),
        reason: None,
    };
    state
        .store
        .assign_party_organizations(id, user_id, &organizations, &audit)
        .await
        .on_unique(&ASSIGNMENT_KEYS)?;
    Ok(AppJson(detail(&state, id, &Visibility::All).await?))
}

/// An instructor account, or 404.
async fn instructor(state: &AppState, user_id: i64) -> Result<InstructorAccount> {
    state
        .store
        .instructor_accounts()
        .await?
        .into_iter()
        .find(|(id, _, _)| *id == user_id)
        .map(|(user_id, username, display_name)| InstructorAccount {
            user_id,
            username,
            display_name,
        })
        .ok_or_else(|| Error::not_found("党建指导员"))
}

/// Evaluates an instructor of the batch once its term has ended: 优秀, 合格 or 不合格, with reasons.
#[utoipa::path(put, path = "/party/batches/{id}/instructors/{user_id}/evaluation", tag = "party",
    params(("id" = i64, Path), ("user_id" = i64, Path)), request_body = EvaluationRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = BatchDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn evaluate_party_instructor(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath((id, user_id)): AppPath<(i64, i64)>,
    AppJson(body): AppJson<EvaluationRequest>,
) -> Result<AppJson<BatchDetail>> {
    let row = batch(&state, id).await?;
    let assigned = state.store.party_batch_assignments(id, &Visibility::All).await?;
    if !assigned.iter().any(|a| a.instructor_id == user_id) {
        return Err(Error::not_found("本批次的党建指导员"));
    }
    let reasons = check_evaluation(row.term(), body.evaluated_on, &body.reasons, today()).map_err(refused)?;
    let actor = auth.actor();
    let new = NewEvaluation {
        batch_id: id,
        instructor_id: user_id,
        rating: body.rating,
        reasons,
        evaluated_on: body.evaluated_on,
        evaluated_by: actor.name.clone(),
    };
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "party_batch",
        entity_id: id.to_string(),
        action: "evaluate",
        before: None,
        after: Some(
            json!({ "instructor_id": user_id, "rating": new.rating, "evaluated_on": new.evaluated_on }),
        ),
        reason: Some(new.reasons.clone()),
    };
    if !state.store.insert_party_evaluation(&new, &audit).await? {
        return Err(Error::conflict("该指导员本批次已考核"));
    }
    Ok(AppJson(detail(&state, id, &Visibility::All).await?))
}

/// The instructor accounts the bureau can assign.
#[utoipa::path(get, path = "/party/instructors", tag = "party",
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<InstructorAccount>)))]
pub(super) async fn list_party_instructors(
    State(state): State<AppState>,
    _auth: Auth<BureauOnly>,
) -> Result<AppJson<Vec<InstructorAccount>>> {
    let rows = state.store.instructor_accounts().await?;
    Ok(AppJson(
        rows.into_iter()
            .map(|(user_id, username, display_name)| InstructorAccount {
                user_id,
                username,
                display_name,
            })
            .collect(),
    ))
}
