//! 行政处罚 — penalty cases and their steps.

use domain::api::{NewPenaltyRequest, Page, PenaltyCase, PenaltyQuery, PenaltyStep};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/penalties`
pub async fn list_penalties(query: &PenaltyQuery) -> Result<Page<PenaltyCase>> {
    get(&with_query("/api/v1/penalties", query)).await
}

/// `POST /api/v1/penalties`
pub async fn create_penalty(body: &NewPenaltyRequest) -> Result<PenaltyCase> {
    send_json(Method::POST, "/api/v1/penalties", body).await
}

/// `GET /api/v1/penalties/{id}`
pub async fn find_penalty(id: i64) -> Result<PenaltyCase> {
    get(&format!("/api/v1/penalties/{id}")).await
}

/// `POST /api/v1/penalties/{id}/steps`
pub async fn step_penalty(id: i64, step: &PenaltyStep) -> Result<PenaltyCase> {
    send_json(Method::POST, &format!("/api/v1/penalties/{id}/steps"), step).await
}
