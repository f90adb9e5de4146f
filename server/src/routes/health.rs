//! Liveness and readiness, for load balancers and orchestrators; the metrics, for Prometheus (`metrics.rs`).

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::api::Health;

use crate::error::{AppJson, Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(crate::metrics::scrape))
}

/// The process is up.
async fn healthz() -> AppJson<Health> {
    AppJson(Health {
        status: "ok".to_owned(),
        database: None,
    })
}

/// The database answers.
async fn readyz(State(state): State<AppState>) -> Result<AppJson<Health>> {
    state.store.ping().await.map_err(Error::Unavailable)?;
    Ok(AppJson(Health {
        status: "ok".to_owned(),
        database: Some(state.store.backend_name().to_owned()),
    }))
}
