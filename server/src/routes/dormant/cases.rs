//! Cases, their steps, the counts and returned letters.

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{
    CaseCounts, CaseQuery, CaseStep, CountQuery, DormantCase, Page, ReturnedLetter, ReturnedLetterRequest,
};
use domain::dormant::{CaseStage, revocation_notice};
use domain::paging::PageRequest;
use serde_json::json;

use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::inspection::{key_of, prefix_of, validation};
use crate::state::{AppState, today};
use crate::store::AuditEntry;
use crate::store::dormant::{CaseFilter, CaseRow, CaseUpdate};

/// Cases in the caller's scope, newest first, by stage, division and year proposed.
#[utoipa::path(get, path = "/dormant/cases", tag = "dormant", params(CaseQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<DormantCase>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_cases(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<CaseQuery>,
) -> Result<AppJson<Page<DormantCase>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = CaseFilter {
        stage: key_of("stage", "处置阶段", query.stage.as_deref(), CaseStage::parse)?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        year: query.year,
        organization_id: query.organization_id,
    };
    let (rows, total) = state.store.list_cases(&auth.visibility(), &filter, page).await?;
    Ok(AppJson(Page {
        items: rows.iter().map(CaseRow::to_api).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Counts of the cases confirmed in a period (both ends included), by city: identified, remediated, still
/// in rectification, and each outcome.
#[utoipa::path(get, path = "/dormant/counts", tag = "dormant", params(CountQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = CaseCounts), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn case_counts(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<CountQuery>,
) -> Result<AppJson<CaseCounts>> {
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(Error::invalid("to", "结束日期（to）不能早于开始日期（from）"));
    }
    Ok(AppJson(
        state
            .store
            .case_counts(&auth.visibility(), query.from, query.to)
            .await?,
    ))
}

async fn visible(state: &AppState, auth: &Auth<Staff>, id: i64) -> Result<CaseRow> {
    state
        .store
        .find_case(id, &auth.visibility())
        .await?
        .ok_or_else(|| Error::not_found("处置案件"))
}

/// One case with its signals and evidence.
#[utoipa::path(get, path = "/dormant/cases/{id}", tag = "dormant", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = DormantCase), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_case(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<DormantCase>> {
    Ok(AppJson(visible(&state, &auth, id).await?.to_api()))
}

/// Takes a step on a case: confirm or dismiss a candidate, interview, order rectification, and an outcome —
/// observation, deregistration (an approved 注销登记 matter) or revocation (a penalty decision, published).
#[utoipa::path(post, path = "/dormant/cases/{id}/steps", tag = "dormant", params(("id" = i64, Path)),
    request_body = CaseStep,
    security(("session" = ["Staff"])),
    responses((status = 200, body = DormantCase), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn step_case(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(step): AppJson<CaseStep>,
) -> Result<AppJson<DormantCase>> {
    let case = visible(&state, &auth, id).await?;
    let today = today();
    let from = case.stage();
    let to = step.apply(from, today).map_err(|e| match e.to_field_error() {
        Some(field) => validation(vec![field]),
        None => Error::conflict(e.to_string()),
    })?;
    let update = update_for(&state, &case, &step, today).await?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "dormant_case",
        entity_id: id.to_string(),
        action: "step",
        before: Some(json!({ "stage": from })),
        after: Some(json!({ "stage": to, "step": step })),
        reason: update.note.clone(),
    };
    if !state.store.step_case(&case, from, to, &update, &audit).await? {
        return Err(Error::conflict("该案件的处置阶段已变化，请刷新后再试"));
    }
    if update.revoke_registration {
        revoked_listing(&state, &case, &actor, today).await?;
    }
    Ok(AppJson(visible(&state, &auth, id).await?.to_api()))
}

/// What a step writes on the case; a deregistration must name an approved 注销登记 matter of the organization.
async fn update_for(
    state: &AppState,
    case: &CaseRow,
    step: &CaseStep,
    today: chrono::NaiveDate,
) -> Result<CaseUpdate> {
    let closed = Some(today);
    Ok(match step {
        CaseStep::Confirm { note } => CaseUpdate {
            confirmed_on: closed,
            note: Some(note.clone()).filter(|n| !n.is_empty()),
            ..CaseUpdate::default()
        },
        CaseStep::Dismiss { reason } => CaseUpdate {
            closed_on: closed,
            note: Some(reason.trim().to_owned()),
            ..CaseUpdate::default()
        },
        CaseStep::Interview {
            interviewee,
            on,
            outcome,
        } => CaseUpdate {
            interviewee: Some(interviewee.trim().to_owned()),
            interviewed_on: Some(*on),
            interview_outcome: Some(outcome.trim().to_owned()),
            ..CaseUpdate::default()
        },
        CaseStep::OrderRectification {
            deadline,
            requirements,
        } => CaseUpdate {
            rectification_deadline: Some(*deadline),
            rectification_requirements: Some(requirements.trim().to_owned()),
            ..CaseUpdate::default()
        },
        CaseStep::KeepUnderObservation { note } => CaseUpdate {
            closed_on: closed,
            note: Some(note.trim().to_owned()),
            ..CaseUpdate::default()
        },
        CaseStep::Deregister { matter_id } => {
            if !state
                .store
                .approved_deregistration(*matter_id, case.organization_id)
                .await?
            {
                return Err(Error::invalid(
                    "matter_id",
                    "须为该社会组织已准予的注销登记事项（matter_id）",
                ));
            }
            CaseUpdate {
                closed_on: closed,
                matter_id: Some(*matter_id),
                ..CaseUpdate::default()
            }
        }
        CaseStep::Revoke {
            decision_number,
            decided_on,
        } => CaseUpdate {
            closed_on: closed,
            decision_number: Some(decision_number.trim().to_owned()),
            public_notice: Some(revocation_notice(
                &case.organization_name,
                &case.credit_code,
                decision_number.trim(),
                *decided_on,
            )),
            revoke_registration: true,
            ..CaseUpdate::default()
        },
    })
}

/// 被撤销登记: the revoked organization goes on the serious list (its own audited transaction).
async fn revoked_listing(
    state: &AppState,
    case: &CaseRow,
    actor: &crate::store::Actor,
    today: chrono::NaiveDate,
) -> Result<()> {
    let new = crate::store::credit::NewListing {
        organization_id: case.organization_id,
        reason: domain::credit::ListingReason::RegistrationRevoked,
        event_kind: domain::credit::EventKind::StaffDecision,
        event_id: None,
        summary: "僵尸型社会组织经约谈、限期整改未改正，被撤销登记".to_owned(),
        on: today,
    };
    match state.store.record_listing(&new, actor).await {
        Ok(_) | Err(Ok(_)) => Ok(()),
        Err(Err(e)) => Err(e.into()),
    }
}

/// Records a registered letter to the domicile returned unsigned (evidence of 无法取得联系).
#[utoipa::path(post, path = "/dormant/letters", tag = "dormant", request_body = ReturnedLetterRequest,
    security(("session" = ["Staff"])),
    responses((status = 201, body = ReturnedLetter), (status = 404, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn record_letter(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppJson(body): AppJson<ReturnedLetterRequest>,
) -> Result<(StatusCode, AppJson<ReturnedLetter>)> {
    if body.returned_on < body.sent_on {
        return Err(Error::invalid(
            "returned_on",
            "退回日期（returned_on）不能早于寄出日期",
        ));
    }
    if body.returned_on > today() {
        return Err(Error::invalid(
            "returned_on",
            "退回日期（returned_on）不能晚于今天",
        ));
    }
    let org = state
        .store
        .find_organization(&auth.visibility(), body.organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    let letter = ReturnedLetter {
        id: 0,
        organization_id: body.organization_id,
        sent_on: body.sent_on,
        returned_on: body.returned_on,
        note: body.note.trim().to_owned(),
    };
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "returned_letter",
        entity_id: id.to_string(),
        action: "create",
        before: None,
        after: Some(
            json!({ "organization_id": letter.organization_id, "sent_on": letter.sent_on, "returned_on": letter.returned_on }),
        ),
        reason: None,
    };
    let id = state
        .store
        .record_letter(&letter, &org.division_code, &actor.name, audit)
        .await?;
    Ok((StatusCode::CREATED, AppJson(ReturnedLetter { id, ..letter })))
}
