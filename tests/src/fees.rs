//! `TestApp` methods for fee inspections: `/api/v1/fees/…` and `/api/v1/public/fees/…`.

use domain::api::{
    CampaignResults, DrawRequest, DrawVerification, FeeCampaign, FeeCampaignDetail, FeeConflict,
    FeeInspection, NewConflictRequest, NewFeeCampaignRequest, Page, PublishedDraw, RecordInspectionRequest,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `POST /api/v1/fees/campaigns`
    pub async fn create_fee_campaign(&self, body: &NewFeeCampaignRequest) -> ApiResult<FeeCampaignDetail> {
        decode(self.post_json("/api/v1/fees/campaigns", body).await).await
    }

    /// `GET /api/v1/fees/campaigns?{query}`
    pub async fn list_fee_campaigns(&self, query: &str) -> ApiResult<Page<FeeCampaign>> {
        self.get_json(&format!("/api/v1/fees/campaigns?{query}")).await
    }

    /// `GET /api/v1/fees/campaigns/{id}`
    pub async fn find_fee_campaign(&self, id: i64) -> ApiResult<FeeCampaignDetail> {
        self.get_json(&format!("/api/v1/fees/campaigns/{id}")).await
    }

    /// `POST /api/v1/fees/campaigns/{id}/draw`
    pub async fn draw_fee_campaign(&self, id: i64, seed: Option<&str>) -> ApiResult<FeeCampaignDetail> {
        let body = DrawRequest {
            seed: seed.map(str::to_owned),
        };
        decode(
            self.post_json(&format!("/api/v1/fees/campaigns/{id}/draw"), &body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/fees/campaigns/{id}/verify`
    pub async fn verify_fee_draw(&self, id: i64) -> ApiResult<DrawVerification> {
        let body = serde_json::json!({});
        decode(
            self.post_json(&format!("/api/v1/fees/campaigns/{id}/verify"), &body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/fees/campaigns/{id}/close`
    pub async fn close_fee_campaign(&self, id: i64) -> ApiResult<FeeCampaignDetail> {
        let body = serde_json::json!({});
        decode(
            self.post_json(&format!("/api/v1/fees/campaigns/{id}/close"), &body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/fees/campaigns/{id}/results`
    pub async fn fee_campaign_results(&self, id: i64) -> ApiResult<CampaignResults> {
        self.get_json(&format!("/api/v1/fees/campaigns/{id}/results"))
            .await
    }

    /// `GET /api/v1/fees/campaigns/{id}/export`, the raw answer.
    pub async fn export_fee_campaign(&self, id: i64) -> reqwest::Response {
        self.get(&format!("/api/v1/fees/campaigns/{id}/export")).await
    }

    /// `GET /api/v1/public/fees/campaigns/{id}`
    pub async fn published_fee_draw(&self, id: i64) -> ApiResult<PublishedDraw> {
        self.get_json(&format!("/api/v1/public/fees/campaigns/{id}"))
            .await
    }

    /// `POST /api/v1/fees/conflicts`
    pub async fn create_fee_conflict(&self, body: &NewConflictRequest) -> ApiResult<FeeConflict> {
        decode(self.post_json("/api/v1/fees/conflicts", body).await).await
    }

    /// `GET /api/v1/fees/inspections?{query}`
    pub async fn list_fee_inspections(&self, query: &str) -> ApiResult<Page<FeeInspection>> {
        self.get_json(&format!("/api/v1/fees/inspections?{query}")).await
    }

    /// `GET /api/v1/fees/inspections/{id}`
    pub async fn find_fee_inspection(&self, id: i64) -> ApiResult<FeeInspection> {
        self.get_json(&format!("/api/v1/fees/inspections/{id}")).await
    }

    /// `POST /api/v1/fees/inspections/{id}/record`
    pub async fn record_fee_inspection(
        &self,
        id: i64,
        body: &RecordInspectionRequest,
    ) -> ApiResult<FeeInspection> {
        decode(
            self.post_json(&format!("/api/v1/fees/inspections/{id}/record"), body)
                .await,
        )
        .await
    }
}
