//! `TestApp` methods for dormant organizations: `/api/v1/dormant/…`.

use domain::api::{CaseCounts, CaseStep, DormantCase, Page, ReturnedLetter, ReturnedLetterRequest};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/dormant/cases?{query}`
    pub async fn list_cases(&self, query: &str) -> ApiResult<Page<DormantCase>> {
        self.get_json(&format!("/api/v1/dormant/cases?{query}")).await
    }

    /// `GET /api/v1/dormant/cases/{id}`
    pub async fn find_case(&self, id: i64) -> ApiResult<DormantCase> {
        self.get_json(&format!("/api/v1/dormant/cases/{id}")).await
    }

    /// `POST /api/v1/dormant/cases/{id}/steps`
    pub async fn step_case(&self, id: i64, step: &CaseStep) -> ApiResult<DormantCase> {
        decode(
            self.post_json(&format!("/api/v1/dormant/cases/{id}/steps"), step)
                .await,
        )
        .await
    }

    /// `GET /api/v1/dormant/counts?{query}`
    pub async fn case_counts(&self, query: &str) -> ApiResult<CaseCounts> {
        self.get_json(&format!("/api/v1/dormant/counts?{query}")).await
    }

    /// `POST /api/v1/dormant/letters`
    pub async fn record_letter(&self, body: &ReturnedLetterRequest) -> ApiResult<ReturnedLetter> {
        decode(self.post_json("/api/v1/dormant/letters", body).await).await
    }
}
