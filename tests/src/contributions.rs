//! `TestApp` methods for the contribution ledger: `/api/v1/contributions` with its review, recipients,
//! evidence files, totals, duplicates and export.

use domain::api::{
    Contribution, ContributionTotals, CreateContributionRequest, DuplicateRecipient, EvidenceFile, Page,
    RecipientFull, ReviewRequest,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/contributions?{query}`
    pub async fn list_contributions(&self, query: &str) -> ApiResult<Page<Contribution>> {
        decode(self.list_contributions_response(query).await).await
    }

    /// `GET /api/v1/contributions?{query}`, the raw answer.
    pub async fn list_contributions_response(&self, query: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/contributions?{query}")).await
    }

    /// `POST /api/v1/contributions` without an `Idempotency-Key`.
    pub async fn create_contribution(&self, body: &CreateContributionRequest) -> ApiResult<Contribution> {
        decode(self.create_contribution_response(body, None).await).await
    }

    /// `POST /api/v1/contributions` with an `Idempotency-Key`: the status (201 for a new entry, 200 for
    /// the entry the key already recorded) and the entry.
    pub async fn create_contribution_with_key(
        &self,
        body: &CreateContributionRequest,
        key: &str,
    ) -> ApiResult<(reqwest::StatusCode, Contribution)> {
        let response = self.create_contribution_response(body, Some(key)).await;
        let status = response.status();
        decode(response).await.map(|entry| (status, entry))
    }

    /// `POST /api/v1/contributions`, any JSON body (as the browser's outbox may write it), the raw answer.
    pub async fn create_contribution_response(
        &self,
        body: &impl serde::Serialize,
        idempotency_key: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url("/api/v1/contributions")).json(body);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        request.send().await.expect("request")
    }

    /// `GET /api/v1/contributions/{id}`
    pub async fn find_contribution(&self, id: i64) -> ApiResult<Contribution> {
        decode(self.find_contribution_response(id).await).await
    }

    /// `GET /api/v1/contributions/{id}`, the raw answer.
    pub async fn find_contribution_response(&self, id: i64) -> reqwest::Response {
        self.get(&format!("/api/v1/contributions/{id}")).await
    }

    /// `PUT /api/v1/contributions/{id}`: edits a draft or a returned entry (and submits it unless a draft).
    pub async fn update_contribution(
        &self,
        id: i64,
        body: &CreateContributionRequest,
    ) -> ApiResult<Contribution> {
        decode(self.put_json(&format!("/api/v1/contributions/{id}"), body).await).await
    }

    /// `POST /api/v1/contributions/{id}/submit`
    pub async fn submit_contribution(&self, id: i64) -> ApiResult<Contribution> {
        let path = format!("/api/v1/contributions/{id}/submit");
        decode(self.post_json(&path, &serde_json::json!({})).await).await
    }

    /// `POST /api/v1/contributions/{id}/verify`
    pub async fn verify_contribution(&self, id: i64) -> ApiResult<Contribution> {
        let path = format!("/api/v1/contributions/{id}/verify");
        decode(self.post_json(&path, &ReviewRequest::default()).await).await
    }

    /// `POST /api/v1/contributions/{id}/return`, with the reason the organization must read (`None` is
    /// refused).
    pub async fn return_contribution(&self, id: i64, reason: Option<&str>) -> ApiResult<Contribution> {
        let path = format!("/api/v1/contributions/{id}/return");
        let body = ReviewRequest {
            reason: reason.map(str::to_owned),
        };
        decode(self.post_json(&path, &body).await).await
    }

    /// `GET /api/v1/contributions/{id}/recipients/full`: names and ID numbers in full (audited).
    pub async fn full_recipients(&self, id: i64) -> ApiResult<Vec<RecipientFull>> {
        self.get_json(&format!("/api/v1/contributions/{id}/recipients/full"))
            .await
    }

    /// `POST /api/v1/contributions/{id}/evidence`, one part per `(field, file name, bytes)`.
    pub async fn upload_evidence(
        &self,
        id: i64,
        parts: Vec<(&str, &str, Vec<u8>)>,
    ) -> ApiResult<Vec<EvidenceFile>> {
        let path = format!("/api/v1/contributions/{id}/evidence");
        decode(self.upload(&path, parts).await).await
    }

    /// `GET /api/v1/contributions/{id}/evidence/{evidence_id}`, the raw answer (the file).
    pub async fn evidence_file(&self, id: i64, evidence_id: i64) -> reqwest::Response {
        self.get(&format!("/api/v1/contributions/{id}/evidence/{evidence_id}"))
            .await
    }

    /// `GET /api/v1/contributions/totals?{query}`
    pub async fn contribution_totals(&self, query: &str) -> ApiResult<ContributionTotals> {
        self.get_json(&format!("/api/v1/contributions/totals?{query}"))
            .await
    }

    /// `GET /api/v1/contributions/duplicates?{query}`
    pub async fn duplicate_recipients(&self, query: &str) -> ApiResult<Vec<DuplicateRecipient>> {
        self.get_json(&format!("/api/v1/contributions/duplicates?{query}"))
            .await
    }

    /// `GET /api/v1/contributions/export?{query}`, the raw answer (an .xlsx file).
    pub async fn export_contributions(&self, query: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/contributions/export?{query}")).await
    }
}
