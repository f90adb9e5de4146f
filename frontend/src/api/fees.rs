//! 涉企收费检查 — fee inspections: campaigns, the draw and its re-run, inspections, results, the published draw.

use domain::api::{
    CampaignQuery, CampaignResults, DrawRequest, DrawVerification, FeeCampaign, FeeCampaignDetail,
    FeeInspection, InspectionQuery, NewFeeCampaignRequest, Page, PublishedDraw, RecordInspectionRequest,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/fees/campaigns`
pub async fn list_fee_campaigns(query: &CampaignQuery) -> Result<Page<FeeCampaign>> {
    get(&with_query("/api/v1/fees/campaigns", query)).await
}

/// `POST /api/v1/fees/campaigns`
pub async fn create_fee_campaign(body: &NewFeeCampaignRequest) -> Result<FeeCampaignDetail> {
    send_json(Method::POST, "/api/v1/fees/campaigns", body).await
}

/// `GET /api/v1/fees/campaigns/{id}`
pub async fn find_fee_campaign(id: i64) -> Result<FeeCampaignDetail> {
    get(&format!("/api/v1/fees/campaigns/{id}")).await
}

/// `POST /api/v1/fees/campaigns/{id}/draw`
pub async fn draw_fee_campaign(id: i64, body: &DrawRequest) -> Result<FeeCampaignDetail> {
    send_json(Method::POST, &format!("/api/v1/fees/campaigns/{id}/draw"), body).await
}

/// `POST /api/v1/fees/campaigns/{id}/verify`
pub async fn verify_fee_draw(id: i64) -> Result<DrawVerification> {
    send_json(
        Method::POST,
        &format!("/api/v1/fees/campaigns/{id}/verify"),
        &serde_json::json!({}),
    )
    .await
}

/// `POST /api/v1/fees/campaigns/{id}/close`
pub async fn close_fee_campaign(id: i64) -> Result<FeeCampaignDetail> {
    send_json(
        Method::POST,
        &format!("/api/v1/fees/campaigns/{id}/close"),
        &serde_json::json!({}),
    )
    .await
}

/// `GET /api/v1/fees/campaigns/{id}/results`
pub async fn fee_campaign_results(id: i64) -> Result<CampaignResults> {
    get(&format!("/api/v1/fees/campaigns/{id}/results")).await
}

/// The URL of `GET /api/v1/fees/campaigns/{id}/export` (for the export button).
pub fn fee_export_url(id: i64) -> String {
    format!("/api/v1/fees/campaigns/{id}/export")
}

/// `GET /api/v1/fees/inspections`
pub async fn list_fee_inspections(query: &InspectionQuery) -> Result<Page<FeeInspection>> {
    get(&with_query("/api/v1/fees/inspections", query)).await
}

/// `GET /api/v1/fees/inspections/{id}`
pub async fn find_fee_inspection(id: i64) -> Result<FeeInspection> {
    get(&format!("/api/v1/fees/inspections/{id}")).await
}

/// `POST /api/v1/fees/inspections/{id}/record`
pub async fn record_fee_inspection(id: i64, body: &RecordInspectionRequest) -> Result<FeeInspection> {
    send_json(
        Method::POST,
        &format!("/api/v1/fees/inspections/{id}/record"),
        body,
    )
    .await
}

/// `GET /api/v1/public/fees/campaigns/{id}`
pub async fn published_fee_draw(id: i64) -> Result<PublishedDraw> {
    get(&format!("/api/v1/public/fees/campaigns/{id}")).await
}
