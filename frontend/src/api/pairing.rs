//! 百社进百村 — rounds, their villages, runs and agreements.

use domain::api::Page;
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/rounds`
pub async fn list_rounds() -> Result<Vec<domain::api::Round>> {
    get("/api/v1/rounds").await
}

/// `POST /api/v1/rounds`
pub async fn open_round(body: &domain::api::OpenRoundRequest) -> Result<domain::api::Round> {
    send_json(Method::POST, "/api/v1/rounds", body).await
}

/// `GET /api/v1/rounds/{id}`
pub async fn find_round(id: i64) -> Result<domain::api::Round> {
    get(&format!("/api/v1/rounds/{id}")).await
}

/// `GET /api/v1/rounds/{id}/membership` (`None` until the society joins)
pub async fn find_membership(round: i64) -> Result<Option<domain::api::RoundSociety>> {
    get(&format!("/api/v1/rounds/{round}/membership")).await
}

/// `PUT /api/v1/rounds/{id}/membership`
pub async fn join_round(
    round: i64,
    body: &domain::api::JoinRoundRequest,
) -> Result<domain::api::RoundSociety> {
    send_json(Method::PUT, &format!("/api/v1/rounds/{round}/membership"), body).await
}

/// `GET /api/v1/rounds/{id}/villages`
pub async fn list_round_villages(
    round: i64,
    query: &domain::api::RoundVillageQuery,
) -> Result<Page<domain::api::RoundVillage>> {
    get(&with_query(&format!("/api/v1/rounds/{round}/villages"), query)).await
}

/// `PUT /api/v1/rounds/{id}/villages/{code}`
pub async fn record_village_needs(
    round: i64,
    code: &str,
    body: &domain::api::VillageNeedsRequest,
) -> Result<domain::api::RoundVillage> {
    send_json(
        Method::PUT,
        &format!("/api/v1/rounds/{round}/villages/{code}"),
        body,
    )
    .await
}

/// `PUT /api/v1/rounds/{id}/constraints`
pub async fn set_constraint(
    round: i64,
    body: &domain::api::PairConstraint,
) -> Result<Vec<domain::api::PairConstraint>> {
    send_json(Method::PUT, &format!("/api/v1/rounds/{round}/constraints"), body).await
}

/// `GET /api/v1/rounds/{id}/runs`
pub async fn list_runs(round: i64) -> Result<Vec<domain::api::RunSummary>> {
    get(&format!("/api/v1/rounds/{round}/runs")).await
}

/// `POST /api/v1/rounds/{id}/runs`
pub async fn run_round(round: i64) -> Result<domain::api::RunDetail> {
    send_json(
        Method::POST,
        &format!("/api/v1/rounds/{round}/runs"),
        &serde_json::json!({}),
    )
    .await
}

/// `GET /api/v1/rounds/{id}/runs/{run}`
pub async fn find_run(round: i64, run: i64) -> Result<domain::api::RunDetail> {
    get(&format!("/api/v1/rounds/{round}/runs/{run}")).await
}

/// `GET /api/v1/rounds/{id}/runs/{run}/pairs/{organization_id}/{village_code}`
pub async fn explain_pair(
    round: i64,
    run: i64,
    organization: i64,
    village: &str,
) -> Result<domain::api::PairBreakdown> {
    get(&format!(
        "/api/v1/rounds/{round}/runs/{run}/pairs/{organization}/{village}"
    ))
    .await
}

/// `GET /api/v1/rounds/{id}/runs/{run}/comparison`
pub async fn compare_runs(round: i64, run: i64) -> Result<domain::api::RunComparison> {
    get(&format!("/api/v1/rounds/{round}/runs/{run}/comparison")).await
}

/// `POST /api/v1/rounds/{id}/runs/{run}/confirm`
pub async fn confirm_run(
    round: i64,
    run: i64,
    body: &domain::api::ConfirmRunRequest,
) -> Result<Vec<domain::api::Agreement>> {
    send_json(
        Method::POST,
        &format!("/api/v1/rounds/{round}/runs/{run}/confirm"),
        body,
    )
    .await
}

/// `GET /api/v1/my/pairings`
pub async fn list_my_pairings() -> Result<Vec<domain::api::Agreement>> {
    get("/api/v1/my/pairings").await
}

/// `GET /api/v1/agreements?round=`
pub async fn list_agreements(round: i64) -> Result<Vec<domain::api::Agreement>> {
    get(&format!("/api/v1/agreements?round={round}")).await
}

/// `POST /api/v1/agreements/{id}/conclude`
pub async fn conclude_agreement(
    id: i64,
    body: &domain::api::ConcludeAgreementRequest,
) -> Result<domain::api::Agreement> {
    send_json(Method::POST, &format!("/api/v1/agreements/{id}/conclude"), body).await
}
