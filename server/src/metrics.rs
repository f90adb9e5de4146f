//! Prometheus metrics for operators at `GET /metrics`, through the `metrics` facade and its Prometheus
//! exporter (no listener of its own: the server renders the text on request).
//!
//! - `http_requests_total` and `http_request_duration_seconds` by method, route and status. The route
//!   is axum's matched pattern (`/api/v1/organizations/{id}`), never the raw path, so the number of
//!   series stays bounded whatever clients ask for; the app's pages and files count as `app`.
//! - `sheguan_sign_in_failures_total`, `sheguan_sign_in_lockouts_total` (a name locked by its fifth
//!   failure) and `sheguan_sign_in_refused_total{reason}` (an attempt turned away unjudged).
//! - Read at each scrape from the database: `sheguan_db_pool_connections{state}`,
//!   `sheguan_publication_items{status}` (the 双公示 outbox) and `sheguan_jobs{status}` (the job queue).
//!
//! The endpoint is off unless `--metrics-token` is set, and then answers only a request that carries it
//! as `Authorization: Bearer …`: the figures name routes and backlogs, which are nobody else's business.
//! Every server keeps its own counters; Prometheus scrapes each and sums.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::state::AppState;

/// Latency buckets in seconds: the API's lists answer in milliseconds, exports and imports in seconds.
const LATENCY_BUCKETS: [f64; 12] = [
    0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's Prometheus recorder, installed on first use. One process may build several
/// applications (the tests do): they share it, as they share the process.
fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".to_owned()),
                &LATENCY_BUCKETS,
            )
            .expect("the latency buckets are not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed: /metrics shows only what it records");
        }
        handle
    })
}

/// Installs the recorder, so that counters recorded before the first scrape are kept.
pub fn install() {
    handle();
}

/// Counts the request and its latency under its route's pattern and its status.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "app".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// A wrong password (or an unknown or disabled name); `locks` when it is the failure that locks the name.
pub fn sign_in_failed(locks: bool) {
    metrics::counter!("sheguan_sign_in_failures_total").increment(1);
    if locks {
        metrics::counter!("sheguan_sign_in_lockouts_total").increment(1);
    }
}

/// An attempt turned away before its password was judged: `account_locked` or `address_limited`.
pub fn sign_in_refused(reason: &'static str) {
    metrics::counter!("sheguan_sign_in_refused_total", "reason" => reason).increment(1);
}

/// `GET /metrics`: the text format, for a caller that presents the configured token.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    let Some(expected) = state.settings.metrics_token.as_deref() else {
        return Err(Error::NotFound("没有这个页面".to_owned()));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Digests compared, so the comparison's time says nothing of the token.
    if Sha256::digest(presented.as_bytes()) != Sha256::digest(expected.as_bytes()) {
        return Err(Error::Unauthorized);
    }
    let gauges = state.store.operational_gauges().await?;
    for (connection, count) in [("busy", gauges.pool_busy), ("idle", gauges.pool_idle)] {
        metrics::gauge!("sheguan_db_pool_connections", "state" => connection).set(count as f64);
    }
    for (status, count) in &gauges.publication {
        metrics::gauge!("sheguan_publication_items", "status" => status.clone()).set(*count as f64);
    }
    for (status, count) in &gauges.jobs {
        metrics::gauge!("sheguan_jobs", "status" => status.clone()).set(*count as f64);
    }
    Ok((
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        handle().render(),
    )
        .into_response())
}
