//! An organization's party record: the state on a day, the dated history, and changes — recorded by staff
//! (counting at once) or reported by the organization itself (counting once staff confirm).

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{
    NewPartyRecordRequest, Page, PartyProfile, PartyRecord, PartyRecordQuery, ProfileInstructor,
    ProfileQuery, RecordDecisionRequest,
};
use domain::illegal::required_text;
use domain::paging::PageRequest;
use domain::party::{PartyInfo, RecordSource, RecordStatus};
use domain::policy::Role;
use domain::registry::organization::Level;
use serde_json::json;

use super::{joint_organizations, organization_in};
use crate::auth::{AnyRole, Auth, Staff, StaffOrOrg};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::illegal::refused;
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::party::{NewRecord, RecordRow, named};
use crate::store::{AuditEntry, Visibility};

/// The visits a profile shows.
const PROFILE_VISITS: i64 = 20;

/// An organization's party record: its state on `on` (today by default), every record, its approvals,
/// instructors and latest visits. Anyone whose scope covers the organization; 404 otherwise.
#[utoipa::path(get, path = "/party/organizations/{id}", tag = "party", params(("id" = i64, Path), ProfileQuery),
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = PartyProfile), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_party_profile(
    State(state): State<AppState>,
    auth: Auth<AnyRole>,
    AppPath(id): AppPath<i64>,
    AppQuery(query): AppQuery<ProfileQuery>,
) -> Result<AppJson<PartyProfile>> {
    let org = organization_in(&state, &auth.visibility(), id).await?;
    let on = query.on.unwrap_or_else(today);
    let history = state.store.party_history(id).await?;
    let current = state_on(&history, on);
    let (approvals, _) = state
        .store
        .list_party_approvals(
            &Visibility::Organizations(vec![id]),
            &Default::default(),
            PageRequest::new(Some(1), Some(100))?,
        )
        .await?;
    let mut joint_ids: Vec<i64> = history.iter().flat_map(|r| r.info().joint_with).collect();
    joint_ids.extend(current.joint_with.iter().copied());
    joint_ids.extend(approvals.iter().flat_map(|a| a.joint_with()));
    joint_ids.sort_unstable();
    joint_ids.dedup();
    let names = state.store.party_org_names(&joint_ids).await?;
    let instructors = state.store.organization_party_instructors(id).await?;
    let visits = state.store.organization_party_visits(id, PROFILE_VISITS).await?;
    Ok(AppJson(PartyProfile {
        organization_id: org.id,
        name: org.name.clone(),
        credit_code: org.credit_code.clone(),
        level: Level::parse(&org.level).unwrap_or(Level::Provincial),
        division_code: org.division_code.clone(),
        on,
        joint: named(&current.joint_with, &names),
        current,
        history: history.iter().map(|r| r.to_api(&names)).collect(),
        approvals: approvals.iter().map(|a| a.to_api(&names)).collect(),
        instructors: instructors
            .into_iter()
            .map(
                |(batch_number, term_start, term_end, instructor_name)| ProfileInstructor {
                    batch_number,
                    term_start,
                    term_end,
                    instructor_name,
                },
            )
            .collect(),
        visits: visits.iter().map(|v| v.to_api()).collect(),
    }))
}

/// The confirmed state on `on` in a history ordered newest first: the latest confirmed record effective
/// by then (as `Store::party_states_on` reads it for every organization at once).
fn state_on(history: &[RecordRow], on: chrono::NaiveDate) -> PartyInfo {
    history
        .iter()
        .find(|r| r.status() == RecordStatus::Confirmed && r.effective_on <= on)
        .map_or_else(PartyInfo::nothing, RecordRow::info)
}

/// Records a change of an organization's party information from a day: staff's counts at once, an
/// organization user's own report waits for staff to confirm it.
#[utoipa::path(post, path = "/party/organizations/{id}/records", tag = "party", params(("id" = i64, Path)),
    request_body = NewPartyRecordRequest,
    security(("session" = ["StaffOrOrg"])),
    responses((status = 201, body = PartyRecord), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_party_record(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NewPartyRecordRequest>,
) -> Result<(StatusCode, AppJson<PartyRecord>)> {
    let visibility = auth.visibility();
    let org = organization_in(&state, &visibility, id).await?;
    let today = today();
    if body.effective_on > today {
        return Err(Error::invalid(
            "effective_on",
            "生效日期（effective_on）不能晚于今天",
        ));
    }
    let info = body.info.checked(org.id, today).map_err(refused)?;
    let names = joint_organizations(&state, &info.joint_with).await?;
    let (status, source) = match auth.user.role {
        Role::OrgUser => (RecordStatus::Pending, RecordSource::Organization),
        _ => (RecordStatus::Confirmed, RecordSource::Staff),
    };
    let new = NewRecord {
        organization_id: org.id,
        division_code: org.division_code.clone(),
        effective_on: body.effective_on,
        info,
        status,
        source,
        approval_id: None,
        filed_by: auth.actor().name,
    };
    let actor = auth.actor();
    let audit = |record: i64| AuditEntry {
        actor: &actor,
        entity_type: "party_record",
        entity_id: record.to_string(),
        action: "create",
        before: None,
        after: Some(
            json!({ "organization_id": new.organization_id, "effective_on": new.effective_on,
                            "info": new.info, "status": new.status }),
        ),
        reason: None,
    };
    let record = state.store.insert_party_record(&new, audit).await?;
    let row = record_in(&state, &visibility, record).await?;
    Ok((StatusCode::CREATED, AppJson(row.to_api(&names))))
}

async fn record_in(state: &AppState, visibility: &Visibility, id: i64) -> Result<RecordRow> {
    state
        .store
        .find_party_record(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("党建信息记录"))
}

/// Records in the caller's scope by status (pending by default: staff's queue to confirm), oldest first.
#[utoipa::path(get, path = "/party/records", tag = "party", params(PartyRecordQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<PartyRecord>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_party_records(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<PartyRecordQuery>,
) -> Result<AppJson<Page<PartyRecord>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let status = key_of(
        "status",
        "党建信息状态",
        query.status.as_deref(),
        RecordStatus::parse,
    )?
    .unwrap_or(RecordStatus::Pending);
    let prefix = prefix_of("division", query.division.as_deref())?;
    let (rows, total) = state
        .store
        .list_party_records(&auth.visibility(), status, prefix.as_deref(), page)
        .await?;
    let ids: Vec<i64> = rows.iter().flat_map(|r| r.info().joint_with).collect();
    let names = state.store.party_org_names(&ids).await?;
    Ok(AppJson(Page {
        items: rows.iter().map(|r| r.to_api(&names)).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Confirms an organization's update (it counts from its effective date) or returns it with a reason.
#[utoipa::path(post, path = "/party/records/{id}/decision", tag = "party", params(("id" = i64, Path)),
    request_body = RecordDecisionRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = PartyRecord), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn decide_party_record(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RecordDecisionRequest>,
) -> Result<AppJson<PartyRecord>> {
    let visibility = auth.visibility();
    let row = record_in(&state, &visibility, id).await?;
    if row.status() != RecordStatus::Pending {
        return Err(Error::conflict(format!(
            "该记录{}，不能再确认或退回",
            row.status().label_zh()
        )));
    }
    let (to, note) = if body.confirm {
        (RecordStatus::Confirmed, None)
    } else {
        let note =
            required_text("note", "退回理由", body.note.as_deref().unwrap_or(""), 500).map_err(refused)?;
        (RecordStatus::Rejected, Some(note))
    };
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "party_record",
        entity_id: id.to_string(),
        action: if body.confirm { "confirm" } else { "return" },
        before: Some(json!({ "status": RecordStatus::Pending })),
        after: Some(json!({ "status": to })),
        reason: note.clone(),
    };
    let decided = state
        .store
        .decide_party_record(id, to, &actor.name, note.as_deref(), &audit)
        .await?;
    if !decided {
        return Err(Error::conflict("该记录已被处理，请刷新后再试"));
    }
    let row = record_in(&state, &visibility, id).await?;
    let names = state.store.party_org_names(&row.info().joint_with).await?;
    Ok(AppJson(row.to_api(&names)))
}
