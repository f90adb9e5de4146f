//! `TestApp` methods for illegal organizations: `/api/v1/illegal/…` and the public report and lists.

use domain::api::{
    EvidenceFile, IllegalBatch, IllegalCase, IllegalStep, NewBatchRequest, NewIllegalCaseRequest, Page,
    PublicIllegalList, PublicReportReceived, PublicReportRequest,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `POST /api/v1/public/illegal-reports`
    pub async fn report_illegal_organization(
        &self,
        body: &PublicReportRequest,
    ) -> ApiResult<PublicReportReceived> {
        decode(self.post_json("/api/v1/public/illegal-reports", body).await).await
    }

    /// `GET /api/v1/public/illegal-organizations?{query}`
    pub async fn public_illegal_organizations(&self, query: &str) -> ApiResult<PublicIllegalList> {
        self.get_json(&format!("/api/v1/public/illegal-organizations?{query}"))
            .await
    }

    /// `GET /api/v1/illegal/cases?{query}`
    pub async fn list_illegal_cases(&self, query: &str) -> ApiResult<Page<IllegalCase>> {
        self.get_json(&format!("/api/v1/illegal/cases?{query}")).await
    }

    /// `POST /api/v1/illegal/cases`
    pub async fn create_illegal_case(&self, body: &NewIllegalCaseRequest) -> ApiResult<IllegalCase> {
        decode(self.post_json("/api/v1/illegal/cases", body).await).await
    }

    /// `GET /api/v1/illegal/cases/{id}`
    pub async fn find_illegal_case(&self, id: i64) -> ApiResult<IllegalCase> {
        self.get_json(&format!("/api/v1/illegal/cases/{id}")).await
    }

    /// `POST /api/v1/illegal/cases/{id}/steps`
    pub async fn step_illegal_case(&self, id: i64, step: &IllegalStep) -> ApiResult<IllegalCase> {
        decode(
            self.post_json(&format!("/api/v1/illegal/cases/{id}/steps"), step)
                .await,
        )
        .await
    }

    /// `GET /api/v1/illegal/batches`
    pub async fn list_illegal_batches(&self) -> ApiResult<Vec<IllegalBatch>> {
        self.get_json("/api/v1/illegal/batches").await
    }

    /// `POST /api/v1/illegal/batches`
    pub async fn publish_batch(&self, body: &NewBatchRequest) -> ApiResult<IllegalBatch> {
        decode(self.post_json("/api/v1/illegal/batches", body).await).await
    }

    /// `POST /api/v1/illegal/cases/{id}/evidence`, one part per `(field, file name, bytes)`.
    pub async fn upload_case_evidence(
        &self,
        id: i64,
        parts: Vec<(&str, &str, Vec<u8>)>,
    ) -> ApiResult<Vec<EvidenceFile>> {
        let path = format!("/api/v1/illegal/cases/{id}/evidence");
        decode(self.upload(&path, parts).await).await
    }

    /// `GET /api/v1/illegal/cases/{id}/evidence/{evidence_id}`, the raw answer (the file).
    pub async fn case_evidence_file(&self, id: i64, evidence_id: i64) -> reqwest::Response {
        self.get(&format!("/api/v1/illegal/cases/{id}/evidence/{evidence_id}"))
            .await
    }
}
