//! `TestApp` methods for administrative penalties: `/api/v1/penalties/…`.

use domain::api::{NewPenaltyRequest, Page, PenaltyCase, PenaltyStep};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `POST /api/v1/penalties`
    pub async fn create_penalty(&self, body: &NewPenaltyRequest) -> ApiResult<PenaltyCase> {
        decode(self.post_json("/api/v1/penalties", body).await).await
    }

    /// `GET /api/v1/penalties?{query}`
    pub async fn list_penalties(&self, query: &str) -> ApiResult<Page<PenaltyCase>> {
        self.get_json(&format!("/api/v1/penalties?{query}")).await
    }

    /// `GET /api/v1/penalties/{id}`
    pub async fn find_penalty(&self, id: i64) -> ApiResult<PenaltyCase> {
        self.get_json(&format!("/api/v1/penalties/{id}")).await
    }

    /// `POST /api/v1/penalties/{id}/steps`
    pub async fn step_penalty(&self, id: i64, step: &PenaltyStep) -> ApiResult<PenaltyCase> {
        decode(
            self.post_json(&format!("/api/v1/penalties/{id}/steps"), step)
                .await,
        )
        .await
    }
}
