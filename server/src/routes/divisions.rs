//! `GET /api/v1/divisions`: the province's city → county tree.

use axum::extract::State;
use domain::api::DivisionTree;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppJson, Result};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_divisions))
}

/// The 16 cities of Anhui, each with its county-level units and their centroids.
#[utoipa::path(
    get,
    path = "/divisions",
    tag = "reference",
    security(()),
    responses((status = 200, description = "城市及其所辖县区", body = DivisionTree))
)]
async fn list_divisions(State(state): State<AppState>) -> Result<AppJson<DivisionTree>> {
    Ok(AppJson(state.store.division_tree().await?))
}
