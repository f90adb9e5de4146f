//! 年检 — the annual cycles, the reports (an organization's own, staff's lists), verdicts and follow-ups.

use domain::api::{
    AnnualReport, CompleteFollowUpRequest, CycleInput, FollowUp, FollowUpInput, InspectionCycle, Page,
    ReportQuery, ReturnReportRequest, ReviewReportRequest, SaveReportRequest,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/inspection/cycles` (an organization user: the cycles it takes part in)
pub async fn list_cycles() -> Result<Vec<InspectionCycle>> {
    get("/api/v1/inspection/cycles").await
}

/// `POST /api/v1/inspection/cycles`
pub async fn open_cycle(body: &CycleInput) -> Result<InspectionCycle> {
    send_json(Method::POST, "/api/v1/inspection/cycles", body).await
}

/// `GET /api/v1/inspection/reports`
pub async fn list_reports(query: &ReportQuery) -> Result<Page<AnnualReport>> {
    get(&with_query("/api/v1/inspection/reports", query)).await
}

/// `GET /api/v1/inspection/reports/{id}`
pub async fn find_report(id: i64) -> Result<AnnualReport> {
    get(&format!("/api/v1/inspection/reports/{id}")).await
}

/// `PUT /api/v1/inspection/my-reports/{year}`: the draft, or the submission (`submit`).
pub async fn save_my_report(year: i32, body: &SaveReportRequest) -> Result<AnnualReport> {
    send_json(
        Method::PUT,
        &format!("/api/v1/inspection/my-reports/{year}"),
        body,
    )
    .await
}

/// `POST /api/v1/inspection/reports/{id}/review`
pub async fn review_report(id: i64, body: &ReviewReportRequest) -> Result<AnnualReport> {
    send_json(
        Method::POST,
        &format!("/api/v1/inspection/reports/{id}/review"),
        body,
    )
    .await
}

/// `POST /api/v1/inspection/reports/{id}/return`
pub async fn return_report(id: i64, body: &ReturnReportRequest) -> Result<AnnualReport> {
    send_json(
        Method::POST,
        &format!("/api/v1/inspection/reports/{id}/return"),
        body,
    )
    .await
}

/// `POST /api/v1/inspection/reports/{id}/follow-ups`
pub async fn add_follow_up(id: i64, body: &FollowUpInput) -> Result<FollowUp> {
    send_json(
        Method::POST,
        &format!("/api/v1/inspection/reports/{id}/follow-ups"),
        body,
    )
    .await
}

/// `POST /api/v1/inspection/follow-ups/{id}/complete`
pub async fn complete_follow_up(id: i64, body: &CompleteFollowUpRequest) -> Result<FollowUp> {
    send_json(
        Method::POST,
        &format!("/api/v1/inspection/follow-ups/{id}/complete"),
        body,
    )
    .await
}

/// The URL of the report export with the list's filters (paging left out).
pub fn reports_export_url(query: &ReportQuery) -> String {
    with_query(
        "/api/v1/inspection/reports/export",
        &ReportQuery {
            page: None,
            per_page: None,
            ..query.clone()
        },
    )
}
