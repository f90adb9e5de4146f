//! 账户 — sign-in and sessions (`auth`), users (`users`) and the audit log (`audit`).

pub(crate) mod audit;
mod auth;
mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The module's routes.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(audit::router())
        .merge(auth::router())
        .merge(users::router())
}
