//! 名录与登记 — organizations (`organizations`), registry files (`files`), registration matters (`matters`) and the public lookup (`public`).

pub(crate) mod files;
pub(crate) mod matters;
pub(crate) mod organizations;
mod public;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The module's routes.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(files::router())
        .merge(matters::router())
        .merge(organizations::router())
        .merge(public::router())
}
