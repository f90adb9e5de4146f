//! 信用名单 — the credit listings (staff and organizations), their removal, objection and explanation, and
//! the public lists.

use domain::api::{
    CreditListing, ExplanationRequest, ListingQuery, NewListingRequest, ObjectionDecisionRequest,
    ObjectionRequest, Page, PublicListQuery, PublicListing, RemovalApplicationRequest,
    RemovalDecisionRequest,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/credit-listings`
pub async fn list_listings(query: &ListingQuery) -> Result<Page<CreditListing>> {
    get(&with_query("/api/v1/credit-listings", query)).await
}

/// `GET /api/v1/credit-listings/{id}` (with its written notice)
pub async fn find_listing(id: i64) -> Result<CreditListing> {
    get(&format!("/api/v1/credit-listings/{id}")).await
}

/// `POST /api/v1/credit-listings`
pub async fn create_listing(body: &NewListingRequest) -> Result<CreditListing> {
    send_json(Method::POST, "/api/v1/credit-listings", body).await
}

/// `POST /api/v1/credit-listings/{id}/removal`
pub async fn apply_for_removal(id: i64, body: &RemovalApplicationRequest) -> Result<CreditListing> {
    send_json(
        Method::POST,
        &format!("/api/v1/credit-listings/{id}/removal"),
        body,
    )
    .await
}

/// `POST /api/v1/credit-listings/{id}/removal/decision`
pub async fn decide_removal(id: i64, body: &RemovalDecisionRequest) -> Result<CreditListing> {
    send_json(
        Method::POST,
        &format!("/api/v1/credit-listings/{id}/removal/decision"),
        body,
    )
    .await
}

/// `POST /api/v1/credit-listings/{id}/objection`
pub async fn file_objection(id: i64, body: &ObjectionRequest) -> Result<CreditListing> {
    send_json(
        Method::POST,
        &format!("/api/v1/credit-listings/{id}/objection"),
        body,
    )
    .await
}

/// `POST /api/v1/credit-listings/{id}/objection/decision`
pub async fn decide_objection(id: i64, body: &ObjectionDecisionRequest) -> Result<CreditListing> {
    send_json(
        Method::POST,
        &format!("/api/v1/credit-listings/{id}/objection/decision"),
        body,
    )
    .await
}

/// `PUT /api/v1/credit-listings/{id}/explanation` (an empty text removes it)
pub async fn set_explanation(id: i64, body: &ExplanationRequest) -> Result<CreditListing> {
    send_json(
        Method::PUT,
        &format!("/api/v1/credit-listings/{id}/explanation"),
        body,
    )
    .await
}

/// `GET /api/v1/public/credit-lists`
pub async fn public_credit_list(query: &PublicListQuery) -> Result<Page<PublicListing>> {
    get(&with_query("/api/v1/public/credit-lists", query)).await
}
