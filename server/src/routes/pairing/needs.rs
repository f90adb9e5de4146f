//! `/api/v1/rounds/{id}/villages`: the villages of a round's counties within the caller's divisions, and
//! their needs and priority class as county or city staff (or the bureau) record them.

use axum::extract::State;
use domain::api::{Page, RoundVillage, RoundVillageQuery, VillageNeedsRequest};
use domain::paging::PageRequest;
use domain::pairing::round;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{find_village, load_round, refuse, require_open};
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::pairing::{RoundVillageFilter, VillageInRound};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_round_villages))
        .routes(routes!(record_village_needs))
}

/// The villages of a round's counties within the caller's scope, with their needs if recorded.
#[utoipa::path(get, path = "/rounds/{id}/villages", tag = "pairing", params(("id" = i64, Path), RoundVillageQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<RoundVillage>), (status = 404, body = domain::api::ApiError)))]
async fn list_round_villages(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
    AppQuery(query): AppQuery<RoundVillageQuery>,
) -> Result<AppJson<Page<RoundVillage>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let round = load_round(&state, id).await?;
    let filter = RoundVillageFilter {
        county: query.county.filter(|c| !c.is_empty()),
        code: None,
        recorded_only: query.recorded.unwrap_or(false),
    };
    let (items, total) = state
        .store
        .round_villages(round.id, &filter, &auth.visibility(), page.limit(), page.offset())
        .await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// Records a village's needs and priority class (staff of its county or city, or the bureau).
#[utoipa::path(put, path = "/rounds/{id}/villages/{code}", tag = "pairing",
    params(("id" = i64, Path), ("code" = String, Path)), request_body = VillageNeedsRequest,
    security(("session" = ["Staff"])),
    responses((status = 200, body = RoundVillage), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn record_village_needs(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath((id, code)): AppPath<(i64, String)>,
    AppJson(body): AppJson<VillageNeedsRequest>,
) -> Result<AppJson<RoundVillage>> {
    let round = load_round(&state, id).await?;
    let village = find_village(&state, round.id, &code, &auth.visibility())
        .await?
        .ok_or_else(|| Error::not_found("村（社区）"))?;
    require_open(&round)?;
    require_pairing_village(&village)?;
    let needs = round::parse_weights("needs", &body.needs).map_err(|p| refuse(p).unwrap_err())?;
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "pairing_village_needs",
        entity_id: format!("{}/{code}", round.id),
        action: "record",
        before: None,
        after: Some(json!({ "needs": needs, "priority_class": body.priority_class })),
        reason: None,
    };
    state
        .store
        .record_village_needs(round.id, &code, &needs, body.priority_class, &audit)
        .await?;
    let recorded = state.store.round_village(round.id, &code).await?;
    recorded
        .map(AppJson)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("needs not stored")))
}

/// Only administrative villages (行政村) in one of the round's counties take part.
fn require_pairing_village(village: &VillageInRound) -> Result<()> {
    if village.kind != "village" {
        return Err(Error::invalid(
            "village_code",
            format!("{} 是社区而非行政村，不参加百社进百村", village.code),
        ));
    }
    if village.in_round == 0 {
        return Err(Error::invalid(
            "county",
            format!(
                "村 {} 所在县区 {} 不在本轮范围内",
                village.code, village.county_code
            ),
        ));
    }
    Ok(())
}
