//! 百社进百村 — rounds and their members (`rounds`), runs of the engine (`runs`) and the agreements a confirmed run becomes (`agreements`).

mod agreements;
pub(crate) mod rounds;
mod runs;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The module's routes.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(agreements::router())
        .merge(runs::router())
        .merge(rounds::router())
}
