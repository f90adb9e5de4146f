//! 我的工作台: an instructor's organizations in the terms running today, each one's party status and what
//! is due, their record for each term — and logging a visit to one of them. Organizations outside the
//! current assignments are not found (404).

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{NewVisitRequest, PartyVisit, Workspace, WorkspaceOrganization, WorkspaceTerm};
use domain::party::{PartyInfo, Term, check_visit, due};
use serde_json::json;

use crate::auth::{Auth, Instructors};
use crate::error::{AppJson, Error, Result};
use crate::routes::illegal::refused;
use crate::state::{AppState, today};
use crate::store::party::{CoverageFilter, NewVisit};
use crate::store::{AuditEntry, Visibility};

/// The visits the workspace lists.
const WORKSPACE_VISITS: i64 = 50;

/// The signed-in instructor's workspace.
#[utoipa::path(get, path = "/party/workspace", tag = "party",
    security(("session" = ["Instructors"])),
    responses((status = 200, body = Workspace)))]
pub(super) async fn find_party_workspace(
    State(state): State<AppState>,
    auth: Auth<Instructors>,
) -> Result<AppJson<Workspace>> {
    let me = auth.user.user_id;
    let today = today();
    let assignments = state.store.current_party_assignments(me, today).await?;
    let ids: Vec<i64> = assignments.iter().map(|a| a.organization_id).collect();
    let filter = CoverageFilter {
        on: today,
        level: None,
        division_prefix: None,
        q: None,
    };
    let states = state
        .store
        .party_states_on(&Visibility::Organizations(ids.clone()), &filter)
        .await?;
    let pending = state.store.organizations_with_pending_party_records(&ids).await?;
    let mut batch_ids: Vec<i64> = assignments.iter().map(|a| a.batch_id).collect();
    batch_ids.dedup();
    let mut counts = Vec::new();
    for batch in &batch_ids {
        counts.extend(state.store.instructor_visit_counts(me, *batch).await?);
    }
    let organizations = states
        .iter()
        .filter_map(|org| {
            let assignment = assignments.iter().find(|a| a.organization_id == org.id)?;
            let (visits, last_visit) = counts
                .iter()
                .find(|(id, _, _)| *id == org.id)
                .map_or((0, None), |(_, n, last)| (*n, *last));
            let info = PartyInfo {
                kind: org.kind(),
                members: org.members(),
                ..PartyInfo::nothing()
            };
            Some(WorkspaceOrganization {
                organization_id: org.id,
                name: org.name.clone(),
                batch_number: assignment.batch_number,
                kind: info.kind,
                members: info.members,
                last_visit,
                visits: visits.max(0) as u64,
                due: due(&info, last_visit, pending.contains(&org.id), today),
            })
        })
        .collect();
    let evaluations = state.store.instructor_party_evaluations(me).await?;
    let terms = state
        .store
        .instructor_party_terms(me)
        .await?
        .into_iter()
        .map(|t| WorkspaceTerm {
            batch_number: t.batch_number,
            current: Term {
                start: t.term_start,
                end: t.term_end,
            }
            .contains(today),
            term_start: t.term_start,
            term_end: t.term_end,
            organizations: t.organizations.max(0) as u64,
            visits: t.visits.max(0) as u64,
            evaluation: evaluations
                .iter()
                .find(|e| e.batch_id == t.batch_id)
                .map(|e| e.to_api()),
        })
        .collect();
    let visits = state
        .store
        .instructor_party_visits(me, &batch_ids, WORKSPACE_VISITS)
        .await?;
    Ok(AppJson(Workspace {
        today,
        terms,
        organizations,
        visits: visits.iter().map(|v| v.to_api()).collect(),
    }))
}

/// Logs a visit to one of the instructor's organizations: the day (within the term, not in the future)
/// and what was done.
#[utoipa::path(post, path = "/party/visits", tag = "party", request_body = NewVisitRequest,
    security(("session" = ["Instructors"])),
    responses((status = 201, body = PartyVisit), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_party_visit(
    State(state): State<AppState>,
    auth: Auth<Instructors>,
    AppJson(body): AppJson<NewVisitRequest>,
) -> Result<(StatusCode, AppJson<PartyVisit>)> {
    let me = auth.user.user_id;
    let today = today();
    let assignment = state
        .store
        .current_party_assignments(me, today)
        .await?
        .into_iter()
        .find(|a| a.organization_id == body.organization_id)
        .ok_or_else(|| Error::not_found("社会组织"))?;
    let term = Term {
        start: assignment.term_start,
        end: assignment.term_end,
    };
    let new = NewVisit {
        batch_id: assignment.batch_id,
        instructor_id: me,
        organization_id: assignment.organization_id,
        division_code: assignment.division_code.clone(),
        visited_on: body.visited_on,
        note: check_visit(term, body.visited_on, &body.note, today).map_err(refused)?,
    };
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "party_visit",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(json!({ "organization_id": new.organization_id, "visited_on": new.visited_on })),
        reason: None,
    };
    let id = state.store.insert_party_visit(&new, audit).await?;
    let visit = state
        .store
        .find_party_visit(id)
        .await?
        .ok_or_else(|| Error::not_found("走访记录"))?;
    Ok((StatusCode::CREATED, AppJson(visit.to_api())))
}
