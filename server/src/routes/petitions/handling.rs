//! Handling: the petition list with its flags, one petition, the petitioner in full for the bureau (each
//! view audited), and the steps from acceptance to 销号.

use axum::extract::State;
use chrono::Days;
use domain::api::{Page, Petition, PetitionQuery, PetitionStep, PetitionerFull};
use domain::paging::PageRequest;
use domain::petitions::{PetitionChannel, PetitionStage, PetitionState};
use serde_json::json;

use super::{limits, to_api};
use crate::auth::{Auth, BureauOnly, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::illegal::refused;
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::petitions::{PetitionFilter, PetitionRow, PetitionUpdate};
use crate::store::{AuditEntry, Visibility};

/// The petition list (信访清单) in the caller's scope, the earliest due first: by stage, channel,
/// division, organization, and `deadline=overdue|near_due` for the flagged ones. Petitioners masked.
#[utoipa::path(get, path = "/petitions", tag = "petitions", params(PetitionQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<Petition>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_petitions(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<PetitionQuery>,
) -> Result<AppJson<Page<Petition>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let today = today();
    let calendar = &state.registry.calendar;
    let (due_from, due_to) = match query.deadline.as_deref().map(str::trim) {
        None | Some("") => (None, None),
        Some("overdue") => (None, today.checked_sub_days(Days::new(1))),
        // Near due: at most `near_due` working days left, i.e. before the next working day after those.
        Some("near_due") => {
            let next = calendar.add_working_days(today, limits().near_due + 1);
            (Some(today), next.checked_sub_days(Days::new(1)))
        }
        Some(_) => {
            return Err(Error::invalid(
                "deadline",
                "时限状态（deadline）应为 overdue 或 near_due",
            ));
        }
    };
    let filter = PetitionFilter {
        stage: key_of("stage", "办理状态", query.stage.as_deref(), PetitionStage::parse)?,
        channel: key_of(
            "channel",
            "信访渠道",
            query.channel.as_deref(),
            PetitionChannel::parse,
        )?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        organization_id: query.organization_id,
        due_from,
        due_to,
    };
    let (rows, total) = state
        .store
        .list_petitions(&auth.visibility(), &filter, page)
        .await?;
    Ok(AppJson(Page {
        items: rows.iter().map(|r| to_api(r, calendar, today)).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

async fn visible(state: &AppState, visibility: &Visibility, id: i64) -> Result<PetitionRow> {
    state
        .store
        .find_petition(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("信访事项"))
}

/// One petition, the petitioner masked.
#[utoipa::path(get, path = "/petitions/{id}", tag = "petitions", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Petition), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_petition(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Petition>> {
    let row = visible(&state, &auth.visibility(), id).await?;
    Ok(AppJson(to_api(&row, &state.registry.calendar, today())))
}

/// The petitioner in full (name, phone, ID number). Bureau administrators only; each view is recorded in
/// the audit log.
#[utoipa::path(get, path = "/petitions/{id}/petitioner", tag = "petitions", params(("id" = i64, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = PetitionerFull), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn full_petitioner(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<PetitionerFull>> {
    let row = visible(&state, &auth.visibility(), id).await?;
    let keys = &state.settings.keys;
    let full = PetitionerFull {
        name: keys.open(&row.key_id, &row.name_cipher, row.context("name_cipher"))?,
        phone: keys.open(&row.key_id, &row.phone_cipher, row.context("phone_cipher"))?,
        id_number: keys.open(
            &row.key_id,
            &row.id_number_cipher,
            row.context("id_number_cipher"),
        )?,
    };
    let actor = auth.actor();
    state
        .store
        .record_audit(&AuditEntry {
            actor: &actor,
            entity_type: "petition",
            entity_id: id.to_string(),
            action: "view_personal_data",
            before: None,
            after: Some(json!({ "petitioner": row.name_masked })),
            reason: None,
        })
        .await?;
    Ok(AppJson(full))
}

/// Takes a step: accept or decline (within 15 working days of receipt), extend once (up to 30 working
/// days, with a reason), reply in writing, and close (销号) — only once replied — with the petitioner's
/// satisfaction.
#[utoipa::path(post, path = "/petitions/{id}/steps", tag = "petitions", params(("id" = i64, Path)),
    request_body = PetitionStep,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Petition), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn step_petition(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(step): AppJson<PetitionStep>,
) -> Result<AppJson<Petition>> {
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    let today = today();
    let seen = PetitionState {
        stage: row.stage(),
        received_on: row.received_on,
        accepted_on: row.accepted_on,
        replied_on: row.replied_on,
        extension_days: u32::try_from(row.extension_days).unwrap_or(0),
    };
    let to = step.apply(&seen, &limits(), today).map_err(refused)?;
    let update = PetitionUpdate::for_step(&row, &step, &limits(), &state.registry.calendar);
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "petition",
        entity_id: id.to_string(),
        action: "step",
        before: Some(json!({ "stage": seen.stage })),
        after: Some(json!({ "stage": to, "action": step.name(), "due_on": update.due_on })),
        reason: None,
    };
    if !state.store.step_petition(&row, to, &update, &audit).await? {
        return Err(Error::conflict("该信访事项已变化，请刷新后再试"));
    }
    let row = visible(&state, &visibility, id).await?;
    Ok(AppJson(to_api(&row, &state.registry.calendar, today)))
}
