//! 非法社会组织 — the public report and published list, staff cases, steps, evidence and batches.

use domain::api::{
    EvidenceFile, IllegalBatch, IllegalCase, IllegalCaseQuery, IllegalStep, NewBatchRequest,
    NewIllegalCaseRequest, Page, PublicIllegalList, PublicIllegalQuery, PublicReportReceived,
    PublicReportRequest,
};
use gloo_net::http::{Method, RequestBuilder};

use super::{Error, Result, decode, get, send_json};
use crate::routes::with_query;

/// `POST /api/v1/public/illegal-reports` (no account)
pub async fn report_illegal_organization(body: &PublicReportRequest) -> Result<PublicReportReceived> {
    send_json(Method::POST, "/api/v1/public/illegal-reports", body).await
}

/// `GET /api/v1/public/illegal-organizations?batch=&q=` (no account)
pub async fn public_illegal_organizations(query: &PublicIllegalQuery) -> Result<PublicIllegalList> {
    get(&with_query("/api/v1/public/illegal-organizations", query)).await
}

/// `GET /api/v1/illegal/cases`
pub async fn list_illegal_cases(query: &IllegalCaseQuery) -> Result<Page<IllegalCase>> {
    get(&with_query("/api/v1/illegal/cases", query)).await
}

/// `POST /api/v1/illegal/cases`
pub async fn create_illegal_case(body: &NewIllegalCaseRequest) -> Result<IllegalCase> {
    send_json(Method::POST, "/api/v1/illegal/cases", body).await
}

/// `GET /api/v1/illegal/cases/{id}`
pub async fn find_illegal_case(id: i64) -> Result<IllegalCase> {
    get(&format!("/api/v1/illegal/cases/{id}")).await
}

/// `POST /api/v1/illegal/cases/{id}/steps`
pub async fn step_illegal_case(id: i64, step: &IllegalStep) -> Result<IllegalCase> {
    send_json(Method::POST, &format!("/api/v1/illegal/cases/{id}/steps"), step).await
}

/// `POST /api/v1/illegal/cases/{id}/evidence`: one file, as multipart (the browser adds `Origin`).
pub async fn upload_case_evidence(id: i64, file: &web_sys::Blob, name: &str) -> Result<Vec<EvidenceFile>> {
    let form = web_sys::FormData::new().map_err(|_| Error::Fetch("FormData".to_owned()))?;
    form.append_with_blob_and_filename("file", file, name)
        .map_err(|_| Error::Fetch("FormData".to_owned()))?;
    let request = RequestBuilder::new(&format!("/api/v1/illegal/cases/{id}/evidence"))
        .method(Method::POST)
        .header("Accept", "application/json")
        .body(form)
        .map_err(|e| Error::Fetch(e.to_string()))?;
    let response = request.send().await.map_err(|e| Error::Fetch(e.to_string()))?;
    decode(response).await
}

/// The URL of one evidence file of a case (a link; the server checks the caller's scope and audits it).
pub fn case_evidence_url(id: i64, evidence_id: i64) -> String {
    format!("/api/v1/illegal/cases/{id}/evidence/{evidence_id}")
}

/// `GET /api/v1/illegal/batches`
pub async fn list_illegal_batches() -> Result<Vec<IllegalBatch>> {
    get("/api/v1/illegal/batches").await
}

/// `POST /api/v1/illegal/batches` (bureau)
pub async fn publish_batch(body: &NewBatchRequest) -> Result<IllegalBatch> {
    send_json(Method::POST, "/api/v1/illegal/batches", body).await
}
