//! 僵尸型社会组织 — dormant cases, their steps, the counts by city and returned letters.

use domain::api::{
    CaseCounts, CaseQuery, CaseStep, CountQuery, DormantCase, Page, ReturnedLetter, ReturnedLetterRequest,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/dormant/cases`
pub async fn list_cases(query: &CaseQuery) -> Result<Page<DormantCase>> {
    get(&with_query("/api/v1/dormant/cases", query)).await
}

/// `GET /api/v1/dormant/cases/{id}`
pub async fn find_case(id: i64) -> Result<DormantCase> {
    get(&format!("/api/v1/dormant/cases/{id}")).await
}

/// `POST /api/v1/dormant/cases/{id}/steps`
pub async fn step_case(id: i64, step: &CaseStep) -> Result<DormantCase> {
    send_json(Method::POST, &format!("/api/v1/dormant/cases/{id}/steps"), step).await
}

/// `GET /api/v1/dormant/counts`
pub async fn case_counts(query: &CountQuery) -> Result<CaseCounts> {
    get(&with_query("/api/v1/dormant/counts", query)).await
}

/// `POST /api/v1/dormant/letters`
pub async fn record_letter(body: &ReturnedLetterRequest) -> Result<ReturnedLetter> {
    send_json(Method::POST, "/api/v1/dormant/letters", body).await
}
