//! `TestApp` methods for the publication outbox (`/api/v1/publication/…`), and [`FakePlatform`]: the
//! provincial credit platform in-process — an axum router on port 0 that takes pushes, can be told to fail
//! the next N of them, to answer slowly or to confirm each publication with its date, and remembers what it
//! published under which idempotency key.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use domain::api::{
    Job, MarkPublishedRequest, OnTimeReport, Page, PlatformReceipt, PlatformRecord, PublicationDetail,
    PublicationItem,
};
use domain::publication::idempotency_key;

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/publication/items?{query}`
    pub async fn list_publications(&self, query: &str) -> ApiResult<Page<PublicationItem>> {
        self.get_json(&format!("/api/v1/publication/items?{query}")).await
    }

    /// `GET /api/v1/publication/items/{id}`
    pub async fn find_publication(&self, id: i64) -> ApiResult<PublicationDetail> {
        self.get_json(&format!("/api/v1/publication/items/{id}")).await
    }

    /// `POST /api/v1/publication/items/{id}/retry`: the push run's job.
    pub async fn retry_publication(&self, id: i64) -> ApiResult<Job> {
        let path = format!("/api/v1/publication/items/{id}/retry");
        decode(self.post_json(&path, &serde_json::json!({})).await).await
    }

    /// `POST /api/v1/publication/items/{id}/published`
    pub async fn mark_published(&self, id: i64, body: &MarkPublishedRequest) -> ApiResult<PublicationDetail> {
        let path = format!("/api/v1/publication/items/{id}/published");
        decode(self.post_json(&path, body).await).await
    }

    /// `POST /api/v1/publication/push`: the push run's job.
    pub async fn push_publications(&self) -> ApiResult<Job> {
        decode(
            self.post_json("/api/v1/publication/push", &serde_json::json!({}))
                .await,
        )
        .await
    }

    /// Pushes the due items and waits for the run to end; the finished job.
    pub async fn push_and_wait(&self) -> Job {
        let job = self.push_publications().await.expect("a push run");
        self.wait_for_job(job.id).await
    }

    /// `GET /api/v1/publication/on-time?{query}`
    pub async fn publication_on_time(&self, query: &str) -> ApiResult<OnTimeReport> {
        self.get_json(&format!("/api/v1/publication/on-time?{query}"))
            .await
    }

    /// `GET /api/v1/publication/items/export?{query}`, the raw answer.
    pub async fn export_publications(&self, query: &str) -> reqwest::Response {
        self.get(&format!("/api/v1/publication/items/export?{query}"))
            .await
    }
}

/// What the fake platform remembers.
#[derive(Debug, Default)]
struct Platform {
    fail_next: AtomicU32,
    delay_ms: AtomicU64,
    /// The publication date it confirms in its answer; none, it only takes the item.
    confirms: Mutex<Option<chrono::NaiveDate>>,
    /// Every push: its document number (empty when the idempotency key was not it) and the status answered.
    requests: Mutex<Vec<(String, u16)>>,
    /// What it published, by idempotency key.
    published: Mutex<HashMap<String, PlatformRecord>>,
}

/// The provincial credit platform, in-process. Stops when dropped.
#[derive(Debug)]
pub struct FakePlatform {
    /// The push address to configure (`--publication-endpoint`).
    pub url: String,
    state: Arc<Platform>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakePlatform {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakePlatform {
    pub async fn start() -> FakePlatform {
        let state = Arc::new(Platform::default());
        let app = axum::Router::new()
            .route("/api/items", post(take))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake platform");
        let addr: SocketAddr = listener.local_addr().expect("its address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the fake platform");
        });
        FakePlatform {
            url: format!("http://{addr}/api/items"),
            state,
            task,
        }
    }

    /// The next `n` pushes answer 503.
    pub fn fail_next(&self, n: u32) {
        self.state.fail_next.store(n, Ordering::SeqCst);
    }

    /// Each push waits this long before it is answered.
    pub fn answer_after(&self, delay: Duration) {
        self.state
            .delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// Each item it takes is answered as published on `day` (the platform's confirmation).
    pub fn confirm_on(&self, day: chrono::NaiveDate) {
        *self.state.confirms.lock().unwrap() = Some(day);
    }

    /// Every push so far: its idempotency key and the status answered.
    pub fn requests(&self) -> Vec<(String, u16)> {
        self.state.requests.lock().unwrap().clone()
    }

    /// What it published under `key`.
    pub fn published(&self, key: &str) -> Option<PlatformRecord> {
        self.state.published.lock().unwrap().get(key).cloned()
    }
}

/// One push: fails while told to, answers 409 to a key it has, else publishes.
async fn take(
    State(platform): State<Arc<Platform>>,
    headers: HeaderMap,
    Json(record): Json<PlatformRecord>,
) -> Response {
    let delay = platform.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // The key is the document number, percent-encoded; remembered as the number.
    let key = if key == idempotency_key(&record.document_number) {
        record.document_number.clone()
    } else {
        String::new()
    };
    let failing = platform
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let status = if failing {
        StatusCode::SERVICE_UNAVAILABLE
    } else if key.is_empty() {
        StatusCode::BAD_REQUEST
    } else {
        let mut published = platform.published.lock().unwrap();
        if published.contains_key(&key) {
            StatusCode::CONFLICT
        } else {
            published.insert(key.clone(), record);
            StatusCode::OK
        }
    };
    let count = {
        let mut requests = platform.requests.lock().unwrap();
        requests.push((key, status.as_u16()));
        requests.len()
    };
    match status {
        StatusCode::OK => Json(PlatformReceipt {
            receipt: Some(format!("XYAH-{count:06}")),
            published_on: *platform.confirms.lock().unwrap(),
        })
        .into_response(),
        StatusCode::SERVICE_UNAVAILABLE => (status, "平台维护中").into_response(),
        other => other.into_response(),
    }
}
