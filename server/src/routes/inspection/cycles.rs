//! Cycles: the bureau opens a year (its deadline, levels and division); staff see them all, an
//! organization the ones it takes part in (the years it reports on).

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{CycleInput, InspectionCycle};
use domain::division::DivisionCode;
use domain::registry::organization::Level;
use serde_json::json;

use super::validation;
use crate::auth::{Auth, BureauOnly, StaffOrOrg};
use crate::error::{AppJson, Error, Result, ResultExt, UniqueKey};
use crate::state::{AppState, today};
use crate::store::AuditEntry;
use crate::store::visibility::division_prefix;

const YEAR_KEY: [UniqueKey; 1] = [UniqueKey {
    table: "inspection_cycles",
    column: "year",
    field: "year",
    message: "该年度的年检已经开启",
}];

/// Every cycle, newest year first; an organization user sees those covering its organization (its level
/// and division), so that its page offers exactly the years it must report on.
#[utoipa::path(get, path = "/inspection/cycles", tag = "inspection",
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Vec<InspectionCycle>)))]
pub(super) async fn list_cycles(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
) -> Result<AppJson<Vec<InspectionCycle>>> {
    let mut cycles = state.store.list_cycles().await?;
    if let Ok(organization_id) = auth.own_organization() {
        let org = state
            .store
            .find_organization(&auth.visibility(), organization_id)
            .await?
            .ok_or_else(|| Error::not_found("社会组织"))?;
        let level = Level::parse(&org.level).unwrap_or(Level::County);
        cycles.retain(|cycle| cycle.covers(level, &org.division_code));
    }
    Ok(AppJson(cycles.iter().map(|c| c.to_api()).collect()))
}

/// Opens a year's cycle: the year reported on (past), the deadline (not past), the levels and division.
#[utoipa::path(post, path = "/inspection/cycles", tag = "inspection", request_body = CycleInput,
    security(("session" = ["BureauOnly"])),
    responses((status = 201, body = InspectionCycle), (status = 409, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn open_cycle(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppJson(body): AppJson<CycleInput>,
) -> Result<(StatusCode, AppJson<InspectionCycle>)> {
    body.validate(today()).map_err(validation)?;
    let code = DivisionCode::parse(&body.division_code)
        .map_err(|e| Error::invalid("division_code", e.to_string()))?;
    let actor = auth.actor();
    let audit = |id: i64| AuditEntry {
        actor: &actor,
        entity_type: "inspection_cycle",
        entity_id: id.to_string(),
        action: "open",
        before: None,
        after: Some(json!(body)),
        reason: None,
    };
    state
        .store
        .open_cycle(&body, division_prefix(&code), auth.user.user_id, audit)
        .await
        .on_unique(&YEAR_KEY)?;
    let cycle = state
        .store
        .cycle_of_year(body.year)
        .await?
        .ok_or_else(|| Error::not_found("年检周期"))?;
    Ok((StatusCode::CREATED, AppJson(cycle.to_api())))
}
