//! 贡献台账 — the contribution ledger: entries, review, evidence, totals, export.

use domain::api::{LedgerQuery, Page};
use gloo_net::http::{Method, RequestBuilder};

use super::{Error, Result, decode, get, send, send_json};
use crate::routes::with_query;

/// `POST /api/v1/contributions` with the outbox item's idempotency key: a retry never records twice.
pub async fn create_contribution(
    body: &domain::api::CreateContributionRequest,
    idempotency_key: &str,
) -> Result<domain::api::Contribution> {
    let builder = RequestBuilder::new("/api/v1/contributions")
        .method(Method::POST)
        .header("Idempotency-Key", idempotency_key);
    send(builder, Some(body)).await
}

/// The query of `GET /api/v1/contributions`.
/// `GET /api/v1/contributions`
pub async fn list_contributions(query: &LedgerQuery) -> Result<Page<domain::api::Contribution>> {
    get(&with_query("/api/v1/contributions", query)).await
}

/// `GET /api/v1/contributions/totals?by=…`
pub async fn contribution_totals(by: &str) -> Result<domain::api::ContributionTotals> {
    get(&with_query("/api/v1/contributions/totals", &[("by", by)])).await
}

/// `POST /api/v1/contributions/{id}/verify` or `/return`
pub async fn review_contribution(
    id: i64,
    verify: bool,
    body: &domain::api::ReviewRequest,
) -> Result<domain::api::Contribution> {
    let action = if verify { "verify" } else { "return" };
    send_json(
        Method::POST,
        &format!("/api/v1/contributions/{id}/{action}"),
        body,
    )
    .await
}

/// `POST /api/v1/contributions/{id}/evidence`: one file, as multipart (the browser adds `Origin`).
pub async fn upload_evidence(
    id: i64,
    file: &web_sys::Blob,
    name: &str,
) -> Result<Vec<domain::api::EvidenceFile>> {
    let form = web_sys::FormData::new().map_err(|_| Error::Fetch("FormData".to_owned()))?;
    form.append_with_blob_and_filename("file", file, name)
        .map_err(|_| Error::Fetch("FormData".to_owned()))?;
    let request = RequestBuilder::new(&format!("/api/v1/contributions/{id}/evidence"))
        .method(Method::POST)
        .header("Accept", "application/json")
        .body(form)
        .map_err(|e| Error::Fetch(e.to_string()))?;
    let response = request.send().await.map_err(|e| Error::Fetch(e.to_string()))?;
    decode(response).await
}

/// `GET /api/v1/contributions/{id}`
pub async fn find_contribution(id: i64) -> Result<domain::api::Contribution> {
    get(&format!("/api/v1/contributions/{id}")).await
}

/// `POST /api/v1/contributions/{id}/submit`
pub async fn submit_contribution(id: i64) -> Result<domain::api::Contribution> {
    send_json(
        Method::POST,
        &format!("/api/v1/contributions/{id}/submit"),
        &serde_json::json!({}),
    )
    .await
}

/// `GET /api/v1/contributions/{id}/recipients/full` (bureau administrators; each call is audited)
pub async fn full_recipients(id: i64) -> Result<Vec<domain::api::RecipientFull>> {
    get(&format!("/api/v1/contributions/{id}/recipients/full")).await
}

/// `GET /api/v1/contributions/duplicates?year=…` (bureau administrators)
pub async fn duplicate_recipients(year: Option<i32>) -> Result<Vec<domain::api::DuplicateRecipient>> {
    get(&with_query("/api/v1/contributions/duplicates", &[("year", year)])).await
}

/// The URL of one evidence file (a link; the server checks who may see it).
pub fn evidence_url(id: i64, evidence_id: i64) -> String {
    format!("/api/v1/contributions/{id}/evidence/{evidence_id}")
}

/// The URL of the ledger export: the file, or a job for a large ledger (see [`super::export`]).
pub fn contributions_export_url() -> &'static str {
    "/api/v1/contributions/export"
}
