//! `TestApp` methods for petitions: `/api/v1/petitions/…` and the online form and receipt lookup.

use domain::api::{
    NewPetitionRequest, OnlinePetitionRequest, Page, Petition, PetitionProgress, PetitionReceipt,
    PetitionStep, PetitionerFull,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `POST /api/v1/public/petitions`
    pub async fn submit_online_petition(&self, body: &OnlinePetitionRequest) -> ApiResult<PetitionReceipt> {
        decode(self.post_json("/api/v1/public/petitions", body).await).await
    }

    /// `GET /api/v1/public/petitions/{receipt}`
    pub async fn petition_progress(&self, receipt: &str) -> ApiResult<PetitionProgress> {
        self.get_json(&format!("/api/v1/public/petitions/{receipt}"))
            .await
    }

    /// `POST /api/v1/petitions`
    pub async fn create_petition(&self, body: &NewPetitionRequest) -> ApiResult<Petition> {
        decode(self.post_json("/api/v1/petitions", body).await).await
    }

    /// `GET /api/v1/petitions?{query}`
    pub async fn list_petitions(&self, query: &str) -> ApiResult<Page<Petition>> {
        self.get_json(&format!("/api/v1/petitions?{query}")).await
    }

    /// `GET /api/v1/petitions/{id}`
    pub async fn find_petition(&self, id: i64) -> ApiResult<Petition> {
        self.get_json(&format!("/api/v1/petitions/{id}")).await
    }

    /// `GET /api/v1/petitions/{id}/petitioner`
    pub async fn full_petitioner(&self, id: i64) -> ApiResult<PetitionerFull> {
        self.get_json(&format!("/api/v1/petitions/{id}/petitioner")).await
    }

    /// `POST /api/v1/petitions/{id}/steps`
    pub async fn step_petition(&self, id: i64, step: &PetitionStep) -> ApiResult<Petition> {
        decode(
            self.post_json(&format!("/api/v1/petitions/{id}/steps"), step)
                .await,
        )
        .await
    }
}
