//! `TestApp` methods for the credit lists: `/api/v1/credit-listings` and `/api/v1/public/credit-lists`.

use domain::api::{
    CreditListing, ExplanationRequest, NewListingRequest, ObjectionDecisionRequest, ObjectionRequest, Page,
    PublicListing, RemovalApplicationRequest, RemovalDecisionRequest,
};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/credit-listings?{query}`
    pub async fn list_listings(&self, query: &str) -> ApiResult<Page<CreditListing>> {
        self.get_json(&format!("/api/v1/credit-listings?{query}")).await
    }

    /// `GET /api/v1/credit-listings/{id}`
    pub async fn find_listing(&self, id: i64) -> ApiResult<CreditListing> {
        self.get_json(&format!("/api/v1/credit-listings/{id}")).await
    }

    /// `POST /api/v1/credit-listings`
    pub async fn create_listing(&self, body: &NewListingRequest) -> ApiResult<CreditListing> {
        decode(self.post_json("/api/v1/credit-listings", body).await).await
    }

    /// `POST /api/v1/credit-listings/{id}/removal`
    pub async fn apply_for_removal(&self, id: i64, rectification: &str) -> ApiResult<CreditListing> {
        let body = RemovalApplicationRequest {
            rectification: rectification.to_owned(),
        };
        decode(
            self.post_json(&format!("/api/v1/credit-listings/{id}/removal"), &body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/credit-listings/{id}/removal/decision`
    pub async fn decide_removal(&self, id: i64, body: &RemovalDecisionRequest) -> ApiResult<CreditListing> {
        decode(
            self.post_json(&format!("/api/v1/credit-listings/{id}/removal/decision"), body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/credit-listings/{id}/objection`
    pub async fn file_objection(&self, id: i64, grounds: &str) -> ApiResult<CreditListing> {
        let body = ObjectionRequest {
            grounds: grounds.to_owned(),
        };
        decode(
            self.post_json(&format!("/api/v1/credit-listings/{id}/objection"), &body)
                .await,
        )
        .await
    }

    /// `POST /api/v1/credit-listings/{id}/objection/decision`
    pub async fn decide_objection(
        &self,
        id: i64,
        body: &ObjectionDecisionRequest,
    ) -> ApiResult<CreditListing> {
        decode(
            self.post_json(&format!("/api/v1/credit-listings/{id}/objection/decision"), body)
                .await,
        )
        .await
    }

    /// `PUT /api/v1/credit-listings/{id}/explanation`
    pub async fn set_explanation(&self, id: i64, text: &str) -> ApiResult<CreditListing> {
        let body = ExplanationRequest {
            text: text.to_owned(),
        };
        decode(
            self.put_json(&format!("/api/v1/credit-listings/{id}/explanation"), &body)
                .await,
        )
        .await
    }

    /// `GET /api/v1/public/credit-lists?{query}`
    pub async fn public_credit_list(&self, query: &str) -> ApiResult<Page<PublicListing>> {
        self.get_json(&format!("/api/v1/public/credit-lists?{query}"))
            .await
    }
}
