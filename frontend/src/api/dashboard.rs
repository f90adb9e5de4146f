//! 工作成效 — the year's figures, the records behind each, the public headlines and the annual work report.

use domain::api::{Dashboard, DashboardQuery, FigureRecord, FigureRecordsQuery, Page, WorkReport};

use super::{Result, get};
use crate::routes::with_query;

/// `GET /api/v1/dashboard`
pub async fn dashboard(query: &DashboardQuery) -> Result<Dashboard> {
    get(&with_query("/api/v1/dashboard", query)).await
}

/// `GET /api/v1/public/dashboard`
pub async fn public_dashboard(query: &DashboardQuery) -> Result<Dashboard> {
    get(&with_query("/api/v1/public/dashboard", query)).await
}

/// `GET /api/v1/dashboard/records`
pub async fn figure_records(query: &FigureRecordsQuery) -> Result<Page<FigureRecord>> {
    get(&with_query("/api/v1/dashboard/records", query)).await
}

/// `GET /api/v1/reports/annual/{year}`
pub async fn annual_work_report(year: i32, city: Option<String>) -> Result<WorkReport> {
    get(&annual_report_url(year, city, "")).await
}

/// The Word file of the annual report (a download link).
pub fn annual_report_document_url(year: i32, city: Option<String>) -> String {
    annual_report_url(year, city, "/document")
}

fn annual_report_url(year: i32, city: Option<String>, tail: &str) -> String {
    let query = DashboardQuery { year: None, city };
    with_query(&format!("/api/v1/reports/annual/{year}{tail}"), &query)
}
