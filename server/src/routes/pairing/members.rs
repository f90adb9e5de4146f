//! `/api/v1/rounds/{id}/societies` and `…/membership`: the societies of a round — staff list them, a
//! society joins from the organization portal and changes what it offers while the round is open.

use axum::extract::State;
use domain::api::{FieldError, JoinRoundRequest, RoundSociety};
use domain::pairing::round;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::rounds::check_county;
use super::{load_round, refuse, require_open};
use crate::auth::{Auth, OrgUsers, Staff};
use crate::error::{AppJson, AppPath, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::Membership;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_round_societies))
        .routes(routes!(find_membership, join_round))
}

/// The societies that joined a round.
#[utoipa::path(get, path = "/rounds/{id}/societies", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<RoundSociety>), (status = 404, body = domain::api::ApiError)))]
async fn list_round_societies(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Vec<RoundSociety>>> {
    let round = load_round(&state, id).await?;
    Ok(AppJson(state.store.round_societies(round.id, None).await?))
}

/// What the caller's society offers in a round, or `null` until it joins (a society that has not joined
/// yet is the normal case on the join form, not an error).
#[utoipa::path(get, path = "/rounds/{id}/membership", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = Option<RoundSociety>), (status = 404, body = domain::api::ApiError)))]
async fn find_membership(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Option<RoundSociety>>> {
    let organization_id = auth.own_organization()?;
    let round = load_round(&state, id).await?;
    Ok(AppJson(
        state.store.round_society(round.id, organization_id).await?,
    ))
}

/// The caller's society joins a round, or changes its capabilities, capacity, home county and funds.
#[utoipa::path(put, path = "/rounds/{id}/membership", tag = "pairing", params(("id" = i64, Path)),
    request_body = JoinRoundRequest,
    security(("session" = ["OrgUsers"])),
    responses((status = 200, body = RoundSociety), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn join_round(
    State(state): State<AppState>,
    auth: Auth<OrgUsers>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<JoinRoundRequest>,
) -> Result<AppJson<RoundSociety>> {
    let organization_id = auth.own_organization()?;
    let round = load_round(&state, id).await?;
    require_open(&round)?;
    require_social_group(&state, organization_id).await?;
    let membership = check_membership(&state, round.id, organization_id, &body).await?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_society",
        entity_id: format!("{}/{organization_id}", round.id),
        action: "join",
        before: None,
        after: Some(
            json!({ "capabilities": membership.capabilities, "capacity": membership.capacity,
                            "home_county": membership.home_county, "funds_fen": membership.funds_fen }),
        ),
        reason: None,
    };
    state
        .store
        .join_round(round.id, organization_id, &membership, &audit)
        .await?;
    let joined = state.store.round_society(round.id, organization_id).await?;
    joined
        .map(AppJson)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("membership not stored")))
}

/// Only social groups (社会团体) take part in 百社进百村.
async fn require_social_group(state: &AppState, organization_id: i64) -> Result<()> {
    let (_, kind) = state
        .store
        .organization_name_and_kind(organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    if kind != "social_group" {
        return Err(Error::invalid("organization", "只有社会团体可以参加百社进百村"));
    }
    Ok(())
}

/// The membership `body` asks for, or a 422 naming every problem with it.
async fn check_membership(
    state: &AppState,
    round_id: i64,
    organization_id: i64,
    body: &JoinRoundRequest,
) -> Result<Membership> {
    let mut problems = Vec::new();
    let capabilities = round::parse_weights("capabilities", &body.capabilities).unwrap_or_else(|p| {
        problems.extend(p);
        Default::default()
    });
    problems.extend(round::check_capacity_and_funds(body.capacity, body.funds_fen));
    problems.extend(check_capacity_covers_pins(state, round_id, organization_id, body.capacity).await?);
    problems.extend(check_county(state, "home_county", &body.home_county).await?);
    refuse(problems)?;
    Ok(Membership {
        capabilities,
        capacity: body.capacity,
        home_county: body.home_county.clone(),
        funds_fen: body.funds_fen,
    })
}

/// A society may not take fewer villages than the pairs staff pinned to it.
async fn check_capacity_covers_pins(
    state: &AppState,
    round_id: i64,
    organization_id: i64,
    capacity: i64,
) -> Result<Option<FieldError>> {
    let pins = state
        .store
        .round_constraints(round_id)
        .await?
        .into_iter()
        .filter(|(s, _, kind)| *s == organization_id && kind == "pin")
        .count() as i64;
    Ok((capacity >= 0 && capacity < pins).then(|| FieldError {
        field: "capacity".into(),
        message: format!("工作人员已为本组织指定 {pins} 个结对村，承接村数（capacity）不能少于 {pins}"),
    }))
}
