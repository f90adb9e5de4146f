//! `TestApp` methods for the village endpoints: `/api/v1/villages`.

use domain::api::{Page, Village};

use crate::{ApiResult, TestApp};

impl TestApp {
    /// `GET /api/v1/villages?{query}`
    pub async fn list_villages(&self, query: &str) -> ApiResult<Page<Village>> {
        self.get_json(&format!("/api/v1/villages?{query}")).await
    }

    /// `GET /api/v1/villages/{code}`
    pub async fn find_village(&self, code: &str) -> ApiResult<Village> {
        self.get_json(&format!("/api/v1/villages/{code}")).await
    }
}
