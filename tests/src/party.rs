//! `TestApp` methods for party building: `/api/v1/party/…`.

use domain::api::{
    ApprovalDecisionRequest, AssignRequest, BatchDetail, Coverage, CoverageOrganization, EvaluationRequest,
    InstructorAccount, NewApprovalRequest, NewPartyBatchRequest, NewPartyRecordRequest, NewVisitRequest,
    Page, PartyApproval, PartyBatch, PartyProfile, PartyRecord, PartyVisit, RecordDecisionRequest, Workspace,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/party/organizations/{id}?{query}`
    pub async fn party_profile(&self, id: i64, query: &str) -> ApiResult<PartyProfile> {
        self.get_json(&format!("/api/v1/party/organizations/{id}?{query}"))
            .await
    }

    /// `POST /api/v1/party/organizations/{id}/records`
    pub async fn create_party_record(&self, id: i64, body: &NewPartyRecordRequest) -> ApiResult<PartyRecord> {
        decode(
            self.post_json(&format!("/api/v1/party/organizations/{id}/records"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/party/records?{query}`
    pub async fn list_party_records(&self, query: &str) -> ApiResult<Page<PartyRecord>> {
        self.get_json(&format!("/api/v1/party/records?{query}")).await
    }

    /// `POST /api/v1/party/records/{id}/decision`
    pub async fn decide_party_record(&self, id: i64, body: &RecordDecisionRequest) -> ApiResult<PartyRecord> {
        decode(
            self.post_json(&format!("/api/v1/party/records/{id}/decision"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/party/approvals?{query}`
    pub async fn list_party_approvals(&self, query: &str) -> ApiResult<Page<PartyApproval>> {
        self.get_json(&format!("/api/v1/party/approvals?{query}")).await
    }

    /// `POST /api/v1/party/approvals`
    pub async fn create_party_approval(&self, body: &NewApprovalRequest) -> ApiResult<PartyApproval> {
        decode(self.post_json("/api/v1/party/approvals", body).await).await
    }

    /// `POST /api/v1/party/approvals/{id}/decision`
    pub async fn decide_party_approval(
        &self,
        id: i64,
        body: &ApprovalDecisionRequest,
    ) -> ApiResult<PartyApproval> {
        decode(
            self.post_json(&format!("/api/v1/party/approvals/{id}/decision"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/party/coverage?{query}`
    pub async fn party_coverage(&self, query: &str) -> ApiResult<Coverage> {
        self.get_json(&format!("/api/v1/party/coverage?{query}")).await
    }

    /// `GET /api/v1/party/coverage/organizations?{query}`
    pub async fn coverage_organizations(&self, query: &str) -> ApiResult<Page<CoverageOrganization>> {
        self.get_json(&format!("/api/v1/party/coverage/organizations?{query}"))
            .await
    }

    /// `GET /api/v1/party/batches`
    pub async fn list_party_batches(&self) -> ApiResult<Vec<PartyBatch>> {
        self.get_json("/api/v1/party/batches").await
    }

    /// `POST /api/v1/party/batches`
    pub async fn create_party_batch(&self, body: &NewPartyBatchRequest) -> ApiResult<PartyBatch> {
        decode(self.post_json("/api/v1/party/batches", body).await).await
    }

    /// `GET /api/v1/party/batches/{id}`
    pub async fn party_batch(&self, id: i64) -> ApiResult<BatchDetail> {
        self.get_json(&format!("/api/v1/party/batches/{id}")).await
    }

    /// `PUT /api/v1/party/batches/{id}/instructors/{user_id}`
    pub async fn assign_party_instructor(
        &self,
        id: i64,
        user_id: i64,
        body: &AssignRequest,
    ) -> ApiResult<BatchDetail> {
        decode(
            self.put_json(&format!("/api/v1/party/batches/{id}/instructors/{user_id}"), body)
                .await,
        )
        .await
    }

    /// `PUT /api/v1/party/batches/{id}/instructors/{user_id}/evaluation`
    pub async fn evaluate_party_instructor(
        &self,
        id: i64,
        user_id: i64,
        body: &EvaluationRequest,
    ) -> ApiResult<BatchDetail> {
        let path = format!("/api/v1/party/batches/{id}/instructors/{user_id}/evaluation");
        decode(self.put_json(&path, body).await).await
    }

    /// `GET /api/v1/party/instructors`
    pub async fn list_party_instructors(&self) -> ApiResult<Vec<InstructorAccount>> {
        self.get_json("/api/v1/party/instructors").await
    }

    /// `GET /api/v1/party/workspace`
    pub async fn party_workspace(&self) -> ApiResult<Workspace> {
        self.get_json("/api/v1/party/workspace").await
    }

    /// `POST /api/v1/party/visits`
    pub async fn create_party_visit(&self, body: &NewVisitRequest) -> ApiResult<PartyVisit> {
        decode(self.post_json("/api/v1/party/visits", body).await).await
    }
}
