//! The JSON API under `/api/v1`: one module per resource, each with its `router()`.

mod divisions;
mod docs;
mod health;
mod villages;

use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "社管 Sheguan API",
        version = env!("CARGO_PKG_VERSION"),
        description = "社会组织登记管理与百社进百村服务平台的 JSON 接口。错误一律以统一的错误信封返回，见 docs/API.md。"
    ),
    components(schemas(domain::api::ApiError, domain::api::ErrorBody, domain::api::FieldError, domain::api::ErrorCode))
)]
struct ApiDoc;

/// The API's routes with their OpenAPI descriptions, before the document is split off.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(divisions::router())
        .merge(villages::router())
}

/// `/healthz`, `/readyz` and everything under `/api/v1`, with the OpenAPI document and its reference page.
/// Unknown paths fall through to the caller's fallback (see `web.rs`), which answers `/api/…` in JSON.
pub fn router(state: AppState) -> Router {
    let (api_router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api())
        .split_for_parts();
    Router::new()
        .merge(health::router())
        .merge(api_router)
        .merge(docs::router(std::sync::Arc::new(openapi)))
        .method_not_allowed_fallback(error::api_method_not_allowed)
        .with_state(state)
}

/// The OpenAPI document, for tools and tests that want it without a server.
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api())
        .split_for_parts()
        .1
}
