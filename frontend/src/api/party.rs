//! 党建 — party building: organizations' party records, approvals, coverage, batches, the instructor's
//! workspace and visits.

use domain::api::{
    ApprovalDecisionRequest, ApprovalQuery, AssignRequest, BatchDetail, Coverage, CoverageOrganization,
    CoverageQuery, EvaluationRequest, InstructorAccount, NewApprovalRequest, NewPartyBatchRequest,
    NewPartyRecordRequest, NewVisitRequest, Page, PartyApproval, PartyBatch, PartyProfile, PartyRecord,
    PartyRecordQuery, PartyVisit, ProfileQuery, RecordDecisionRequest, Workspace,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/party/organizations/{id}`
pub async fn party_profile(id: i64, query: &ProfileQuery) -> Result<PartyProfile> {
    get(&with_query(&format!("/api/v1/party/organizations/{id}"), query)).await
}

/// `POST /api/v1/party/organizations/{id}/records`
pub async fn create_party_record(id: i64, body: &NewPartyRecordRequest) -> Result<PartyRecord> {
    send_json(
        Method::POST,
        &format!("/api/v1/party/organizations/{id}/records"),
        body,
    )
    .await
}

/// `GET /api/v1/party/records`
pub async fn list_party_records(query: &PartyRecordQuery) -> Result<Page<PartyRecord>> {
    get(&with_query("/api/v1/party/records", query)).await
}

/// `POST /api/v1/party/records/{id}/decision`
pub async fn decide_party_record(id: i64, body: &RecordDecisionRequest) -> Result<PartyRecord> {
    send_json(
        Method::POST,
        &format!("/api/v1/party/records/{id}/decision"),
        body,
    )
    .await
}

/// `GET /api/v1/party/approvals`
pub async fn list_party_approvals(query: &ApprovalQuery) -> Result<Page<PartyApproval>> {
    get(&with_query("/api/v1/party/approvals", query)).await
}

/// `POST /api/v1/party/approvals`
pub async fn create_party_approval(body: &NewApprovalRequest) -> Result<PartyApproval> {
    send_json(Method::POST, "/api/v1/party/approvals", body).await
}

/// `POST /api/v1/party/approvals/{id}/decision`
pub async fn decide_party_approval(id: i64, body: &ApprovalDecisionRequest) -> Result<PartyApproval> {
    send_json(
        Method::POST,
        &format!("/api/v1/party/approvals/{id}/decision"),
        body,
    )
    .await
}

/// `GET /api/v1/party/coverage`
pub async fn party_coverage(query: &CoverageQuery) -> Result<Coverage> {
    get(&with_query("/api/v1/party/coverage", query)).await
}

/// `GET /api/v1/party/coverage/organizations`
pub async fn coverage_organizations(query: &CoverageQuery) -> Result<Page<CoverageOrganization>> {
    get(&with_query("/api/v1/party/coverage/organizations", query)).await
}

/// `GET /api/v1/party/batches`
pub async fn list_party_batches() -> Result<Vec<PartyBatch>> {
    get("/api/v1/party/batches").await
}

/// `POST /api/v1/party/batches`
pub async fn create_party_batch(body: &NewPartyBatchRequest) -> Result<PartyBatch> {
    send_json(Method::POST, "/api/v1/party/batches", body).await
}

/// `GET /api/v1/party/batches/{id}`
pub async fn party_batch(id: i64) -> Result<BatchDetail> {
    get(&format!("/api/v1/party/batches/{id}")).await
}

/// `PUT /api/v1/party/batches/{id}/instructors/{user_id}`
pub async fn assign_party_instructor(id: i64, user_id: i64, body: &AssignRequest) -> Result<BatchDetail> {
    send_json(
        Method::PUT,
        &format!("/api/v1/party/batches/{id}/instructors/{user_id}"),
        body,
    )
    .await
}

/// `PUT /api/v1/party/batches/{id}/instructors/{user_id}/evaluation`
pub async fn evaluate_party_instructor(
    id: i64,
    user_id: i64,
    body: &EvaluationRequest,
) -> Result<BatchDetail> {
    send_json(
        Method::PUT,
        &format!("/api/v1/party/batches/{id}/instructors/{user_id}/evaluation"),
        body,
    )
    .await
}

/// `GET /api/v1/party/instructors`
pub async fn list_party_instructors() -> Result<Vec<InstructorAccount>> {
    get("/api/v1/party/instructors").await
}

/// `GET /api/v1/party/workspace`
pub async fn party_workspace() -> Result<Workspace> {
    get("/api/v1/party/workspace").await
}

/// `POST /api/v1/party/visits`
pub async fn create_party_visit(body: &NewVisitRequest) -> Result<PartyVisit> {
    send_json(Method::POST, "/api/v1/party/visits", body).await
}
