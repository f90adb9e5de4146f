//! 账户 — sign-in and sessions (`auth`), two-step verification (`second_factor`), users (`users`) and the audit log (`audit`).

pub(crate) mod audit;
mod auth;
mod second_factor;
mod users;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The module's routes.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(audit::router())
        .merge(auth::router())
        .merge(second_factor::router())
        .merge(users::router())
}
