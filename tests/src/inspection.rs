//! `TestApp` methods for the annual inspection: `/api/v1/inspection/…`.

use domain::api::{
    AnnualReport, CycleInput, FollowUp, FollowUpInput, InspectionCycle, Page, ReturnReportRequest,
    ReviewReportRequest, SaveReportRequest,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `POST /api/v1/inspection/cycles`
    pub async fn open_cycle(&self, body: &CycleInput) -> ApiResult<InspectionCycle> {
        decode(self.post_json("/api/v1/inspection/cycles", body).await).await
    }

    /// `GET /api/v1/inspection/cycles`
    pub async fn list_cycles(&self) -> ApiResult<Vec<InspectionCycle>> {
        self.get_json("/api/v1/inspection/cycles").await
    }

    /// `PUT /api/v1/inspection/my-reports/{year}`
    pub async fn save_my_report(&self, year: i32, body: &SaveReportRequest) -> ApiResult<AnnualReport> {
        decode(
            self.put_json(&format!("/api/v1/inspection/my-reports/{year}"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/inspection/reports?{query}`
    pub async fn list_reports(&self, query: &str) -> ApiResult<Page<AnnualReport>> {
        self.get_json(&format!("/api/v1/inspection/reports?{query}"))
            .await
    }

    /// `GET /api/v1/inspection/reports/{id}`
    pub async fn find_report(&self, id: i64) -> ApiResult<AnnualReport> {
        self.get_json(&format!("/api/v1/inspection/reports/{id}")).await
    }

    /// `POST /api/v1/inspection/reports/{id}/review`
    pub async fn review_report(&self, id: i64, body: &ReviewReportRequest) -> ApiResult<AnnualReport> {
        decode(
            self.post_json(&format!("/api/v1/inspection/reports/{id}/review"), body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/inspection/reports/{id}/return`
    pub async fn return_report(&self, id: i64, reason: &str) -> ApiResult<AnnualReport> {
        let body = ReturnReportRequest {
            reason: reason.to_owned(),
        };
        decode(
            self.post_json(&format!("/api/v1/inspection/reports/{id}/return"), &body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/inspection/reports/{id}/follow-ups`
    pub async fn add_follow_up(&self, id: i64, body: &FollowUpInput) -> ApiResult<FollowUp> {
        decode(
            self.post_json(&format!("/api/v1/inspection/reports/{id}/follow-ups"), body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/inspection/reports/export?{query}`, the raw answer.
    pub async fn export_reports(&self, query: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/inspection/reports/export?{query}"))
            .await
    }
}
