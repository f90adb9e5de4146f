//! 双公示 — the publication outbox: items in scope with their pushes, the bureau's push, retry and manual
//! publication, the on-time rate, and the export of the platform's item list.

use domain::api::{
    Job, MarkPublishedRequest, OnTimeQuery, OnTimeReport, Page, PublicationDetail, PublicationItem,
    PublicationQuery,
};
use gloo_net::http::Method;

use super::{Result, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/publication/items`
pub async fn list_publications(query: &PublicationQuery) -> Result<Page<PublicationItem>> {
    get(&with_query("/api/v1/publication/items", query)).await
}

/// `GET /api/v1/publication/items/{id}`
pub async fn find_publication(id: i64) -> Result<PublicationDetail> {
    get(&format!("/api/v1/publication/items/{id}")).await
}

/// `POST /api/v1/publication/items/{id}/retry` (bureau): the push run it queued.
pub async fn retry_publication(id: i64) -> Result<Job> {
    let url = format!("/api/v1/publication/items/{id}/retry");
    send_json(Method::POST, &url, &serde_json::json!({})).await
}

/// `POST /api/v1/publication/items/{id}/published` (bureau)
pub async fn mark_published(id: i64, body: &MarkPublishedRequest) -> Result<PublicationDetail> {
    let url = format!("/api/v1/publication/items/{id}/published");
    send_json(Method::POST, &url, body).await
}

/// `POST /api/v1/publication/push` (bureau): the push run it queued.
pub async fn push_publications() -> Result<Job> {
    send_json(Method::POST, "/api/v1/publication/push", &serde_json::json!({})).await
}

/// `GET /api/v1/publication/on-time`
pub async fn publication_on_time(query: &OnTimeQuery) -> Result<OnTimeReport> {
    get(&with_query("/api/v1/publication/on-time", query)).await
}

/// The export's URL for the list's filter (`.xlsx`, or CSV with `format=csv`).
pub fn publications_export_url(query: &PublicationQuery, format: &str) -> String {
    let query = PublicationQuery {
        page: None,
        per_page: None,
        format: Some(format.to_owned()),
        ..query.clone()
    };
    with_query("/api/v1/publication/items/export", &query)
}
