//! 信访 — the online form and receipt lookup, the petition list, steps and the petitioner in full.

use domain::api::{
    NewPetitionRequest, OnlinePetitionRequest, Page, Petition, PetitionProgress, PetitionQuery,
    PetitionReceipt, PetitionStep, PetitionerFull,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `POST /api/v1/public/petitions` (no account): the receipt number, shown once.
pub async fn submit_online_petition(body: &OnlinePetitionRequest) -> Result<PetitionReceipt> {
    send_json(Method::POST, "/api/v1/public/petitions", body).await
}

/// `GET /api/v1/public/petitions/{receipt}` (no account): the progress only.
pub async fn petition_progress(receipt: &str) -> Result<PetitionProgress> {
    let receipt: String = js_sys::encode_uri_component(receipt.trim()).into();
    get(&format!("/api/v1/public/petitions/{receipt}")).await
}

/// `GET /api/v1/petitions`
pub async fn list_petitions(query: &PetitionQuery) -> Result<Page<Petition>> {
    get(&with_query("/api/v1/petitions", query)).await
}

/// `POST /api/v1/petitions`
pub async fn create_petition(body: &NewPetitionRequest) -> Result<Petition> {
    send_json(Method::POST, "/api/v1/petitions", body).await
}

/// `GET /api/v1/petitions/{id}`
pub async fn find_petition(id: i64) -> Result<Petition> {
    get(&format!("/api/v1/petitions/{id}")).await
}

/// `GET /api/v1/petitions/{id}/petitioner` (bureau; each call is audited)
pub async fn full_petitioner(id: i64) -> Result<PetitionerFull> {
    get(&format!("/api/v1/petitions/{id}/petitioner")).await
}

/// `POST /api/v1/petitions/{id}/steps`
pub async fn step_petition(id: i64, step: &PetitionStep) -> Result<Petition> {
    send_json(Method::POST, &format!("/api/v1/petitions/{id}/steps"), step).await
}
