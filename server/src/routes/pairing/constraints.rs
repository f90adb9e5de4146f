//! `/api/v1/rounds/{id}/constraints`: staff steer the engine by pinning (指定) or forbidding (禁止) a pair
//! for the next runs — a pin only while the plan stays feasible — or by lifting either.

use axum::extract::State;
use domain::api::{ConstraintKind, FieldError, PairConstraint};
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{find_village, load_round, refuse, require_open};
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::VillageInRound;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_constraints, set_constraint))
}

/// A round's pins and forbids.
#[utoipa::path(get, path = "/rounds/{id}/constraints", tag = "pairing", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<PairConstraint>), (status = 404, body = domain::api::ApiError)))]
async fn list_constraints(
    State(state): State<AppState>,
    _auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<Vec<PairConstraint>>> {
    let round = load_round(&state, id).await?;
    Ok(AppJson(constraints_of(&state, round.id).await?))
}

async fn constraints_of(state: &AppState, round_id: i64) -> Result<Vec<PairConstraint>> {
    let rows = state.store.round_constraints(round_id).await?;
    Ok(rows
        .into_iter()
        .map(|(organization_id, village_code, kind)| PairConstraint {
            organization_id,
            village_code,
            kind: Some(if kind == "pin" {
                ConstraintKind::Pin
            } else {
                ConstraintKind::Forbid
            }),
        })
        .collect())
}

/// Pins (`pin`) or forbids (`forbid`) a pair for the next runs, or lifts either (`null`).
#[utoipa::path(put, path = "/rounds/{id}/constraints", tag = "pairing", params(("id" = i64, Path)),
    request_body = PairConstraint,
    security(("session" = ["Staff"])),
    responses((status = 200, body = Vec<PairConstraint>), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn set_constraint(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<PairConstraint>,
) -> Result<AppJson<Vec<PairConstraint>>> {
    let round = load_round(&state, id).await?;
    require_open(&round)?;
    let village = find_village(&state, round.id, &body.village_code, &auth.visibility()).await?;
    refuse(check_pair(&state, round.id, &body, village.as_ref()).await?)?;
    if body.kind == Some(ConstraintKind::Pin) {
        refuse(check_pin_feasible(&state, round.id, &body).await?)?;
    }
    let kind = body.kind.map(ConstraintKind::as_str);
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_constraint",
        entity_id: format!("{}/{}/{}", round.id, body.organization_id, body.village_code),
        action: kind.unwrap_or("lift"),
        before: None,
        after: Some(json!({ "kind": kind })),
        reason: None,
    };
    state
        .store
        .set_constraint(round.id, body.organization_id, &body.village_code, kind, &audit)
        .await?;
    Ok(AppJson(constraints_of(&state, round.id).await?))
}

/// The pair must be of a society that joined the round and a village of the round with recorded needs.
async fn check_pair(
    state: &AppState,
    round_id: i64,
    pair: &PairConstraint,
    village: Option<&VillageInRound>,
) -> Result<Vec<FieldError>> {
    let mut problems = Vec::new();
    if state
        .store
        .round_society(round_id, pair.organization_id)
        .await?
        .is_none()
    {
        problems.push(FieldError {
            field: "organization_id".into(),
            message: format!("社会组织 {} 未加入本轮", pair.organization_id),
        });
    }
    let recorded = match village {
        Some(village) => state
            .store
            .round_village(round_id, &village.code)
            .await?
            .is_some_and(|v| v.needs.is_some()),
        None => false,
    };
    if !recorded {
        problems.push(FieldError {
            field: "village_code".into(),
            message: format!("村 {} 不在本轮或尚未登记需求", pair.village_code),
        });
    }
    Ok(problems)
}

/// A new pin must leave the plan feasible: the society may not get more pins than villages it takes, and a
/// village (which takes one society) may not be pinned to two societies.
async fn check_pin_feasible(
    state: &AppState,
    round_id: i64,
    pin: &PairConstraint,
) -> Result<Vec<FieldError>> {
    let pins: Vec<(i64, String)> = state
        .store
        .round_constraints(round_id)
        .await?
        .into_iter()
        .filter(|(s, v, kind)| kind == "pin" && !(*s == pin.organization_id && *v == pin.village_code))
        .map(|(s, v, _)| (s, v))
        .collect();
    let mut problems = Vec::new();
    if let Some(society) = state.store.round_society(round_id, pin.organization_id).await? {
        let held = pins.iter().filter(|(s, _)| *s == pin.organization_id).count() as i64;
        if held + 1 > society.capacity {
            problems.push(FieldError {
                field: "kind".into(),
                message: format!(
                    "{}的承接村数为 {}，已有 {held} 个指定配对，再指定将使方案无解",
                    society.organization_name, society.capacity
                ),
            });
        }
    }
    if let Some((other, _)) = pins.iter().find(|(_, v)| *v == pin.village_code) {
        let name = state
            .store
            .organization_name_and_kind(*other)
            .await?
            .map_or_else(|| other.to_string(), |(name, _)| name);
        problems.push(FieldError {
            field: "village_code".into(),
            message: format!(
                "村 {} 已指定给{name}，每个村只结对一个社会组织，再指定将使方案无解",
                pin.village_code
            ),
        });
    }
    Ok(problems)
}
