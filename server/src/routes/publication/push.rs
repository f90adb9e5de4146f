//! The platform adapter: pushes due items to the provincial credit platform as JSON over HTTP
//! (`--publication-endpoint`), with a timeout, the decision's number as the `Idempotency-Key`
//! (percent-encoded, `domain::publication::idempotency_key`). Unset, the
//! server is in manual mode: items are exported in the platform's item list, uploaded, and marked
//! published by hand.
//!
//! A push run (the `publication_push` job) claims the due items a slice at a time (`store/publication/
//! outbox.rs` — no two servers hold one item) and records each push: 2xx is sent (or acknowledged, when
//! the platform answers with its publication date); 409 means the platform has the item already (an
//! earlier push whose answer was lost) and counts as sent; anything else, or no answer in time, is a
//! failure with its reason, retried after `domain::publication::retry_after`.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use domain::api::{PlatformReceipt, PlatformRecord};
use domain::jobs::JobKind;
use domain::publication::{PublicationStatus, idempotency_key, retry_after};
use serde_json::json;

use crate::error::{Error, Result};
use crate::jobs::Progress;
use crate::state::{AppState, today};
use crate::store::jobs::NewJob;
use crate::store::publication::{ItemRow, PushOutcome};

/// Items claimed at a time.
const SLICE: i64 = 20;
/// 行政相对人类别 of a social organization.
pub const PARTY_CATEGORY: &str = "法人及非法人组织";
/// The longest part of a platform's error body kept as the reason.
const REASON_MAX_CHARS: usize = 200;

/// Where and how decisions are pushed.
#[derive(Debug, Clone)]
pub struct Platform {
    /// The platform's push address; `None` in manual mode.
    pub endpoint: Option<String>,
    /// How long one push may take.
    pub timeout: Duration,
}

impl Platform {
    /// The configured platform: `endpoint` must be an `http://` address (the server has no TLS client; a
    /// platform reached over HTTPS goes through a local gateway), checked when the server starts.
    pub fn new(endpoint: Option<&str>, timeout: Duration) -> anyhow::Result<Platform> {
        let endpoint = endpoint.map(str::trim).filter(|e| !e.is_empty());
        if let Some(address) = endpoint {
            let url = reqwest::Url::parse(address)
                .map_err(|e| anyhow::anyhow!("--publication-endpoint {address}: {e}"))?;
            anyhow::ensure!(
                url.scheme() == "http",
                "--publication-endpoint must be an http:// address (HTTPS goes through a local gateway): {address}"
            );
        }
        Ok(Platform {
            endpoint: endpoint.map(str::to_owned),
            timeout,
        })
    }
}

/// A 409 unless the server pushes to a platform.
pub(super) fn configured(state: &AppState) -> Result<()> {
    match state.settings.publication.endpoint {
        Some(_) => Ok(()),
        None => Err(Error::conflict(
            "未配置公示平台推送地址（手工公示模式）：请导出事项上传平台后标记已公示",
        )),
    }
}

/// Queues a push run; its job id.
pub(super) async fn queue(state: &AppState, owner_id: Option<i64>) -> Result<i64> {
    let job = NewJob {
        kind: JobKind::PublicationPush,
        params: json!({}),
        owner_id,
        run_key: None,
    };
    Ok(state.jobs.enqueue(&state.store, job).await?.unwrap_or_default())
}

/// The scheduler's minute: queues a push run when an item is due and a platform is configured — one
/// per minute however many servers ask (`publication_push:<minute>`).
pub(crate) async fn queue_when_due(state: &AppState, now: chrono::DateTime<Utc>) {
    if state.settings.publication.endpoint.is_none() {
        return;
    }
    let due = state.store.publications_due(now).await;
    if let Err(e) = &due {
        tracing::warn!(error = %e, "could not look for due publications");
    }
    if due.unwrap_or(false) {
        let job = NewJob {
            kind: JobKind::PublicationPush,
            params: json!({}),
            owner_id: None,
            run_key: Some(format!("publication_push:{}", now.format("%Y-%m-%dT%H:%M"))),
        };
        if let Err(e) = state.jobs.enqueue(&state.store, job).await {
            tracing::warn!(error = %e, "could not queue a publication push");
        }
    }
}

/// Pushes every due item once; a summary of what happened.
pub(crate) async fn run(state: &AppState, progress: &Progress) -> anyhow::Result<String> {
    let Some(endpoint) = state.settings.publication.endpoint.as_deref() else {
        return Ok("未配置推送地址（手工公示模式），未推送".to_owned());
    };
    let timeout = state.settings.publication.timeout;
    let client = reqwest::Client::builder().timeout(timeout).build()?;
    let names: HashMap<String, String> = state
        .store
        .list_divisions()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let store = &state.store;
    let worker = &state.jobs.worker_id;
    // A slice's claim outlasts its pushes, each at most `timeout`.
    let hold = chrono::Duration::from_std(timeout * SLICE as u32 + Duration::from_secs(30))?;
    let (mut after, mut published, mut failed) = (0_i64, 0_u64, 0_u64);
    loop {
        let now = Utc::now();
        let slice = store
            .claim_publications(worker, now, now + hold, after, SLICE)
            .await?;
        let Some(last) = slice.last() else { break };
        after = last.id;
        for item in &slice {
            let record = record_of(item, &names);
            let outcome = push_one(&client, endpoint, &record, item.attempts, timeout).await;
            match &outcome {
                PushOutcome::Published { .. } => published += 1,
                PushOutcome::Failed { message, .. } => {
                    failed += 1;
                    tracing::warn!(item = item.id, number = %item.document_number, %message, "publication push failed");
                }
            }
            store.record_push(item, worker, &outcome, Utc::now()).await?;
        }
        progress.set(
            published + failed,
            published + failed,
            format!("已推送 {published} 条，失败 {failed} 条"),
        );
    }
    Ok(format!(
        "推送成功 {published} 条，失败 {failed} 条（失败的将按间隔重试）"
    ))
}

/// The deciding authority's name: 安徽省民政厅, or the city's or county's 民政局.
pub fn authority(division_code: &str, names: &HashMap<String, String>) -> String {
    if division_code == domain::division::PROVINCE_CODE {
        return "安徽省民政厅".to_owned();
    }
    match names.get(division_code) {
        Some(name) => format!("{name}民政局"),
        None => "安徽省民政厅".to_owned(),
    }
}

/// The item as the platform takes it.
pub fn record_of(item: &ItemRow, names: &HashMap<String, String>) -> PlatformRecord {
    let authority = authority(&item.division_code, names);
    PlatformRecord {
        document_number: item.document_number.clone(),
        decision_kind: item.kind().label_zh().to_owned(),
        party_name: item.organization_name.clone(),
        credit_code: item.credit_code.clone(),
        party_category: PARTY_CATEGORY.to_owned(),
        category: item.category.clone(),
        content: item.content.clone(),
        decided_on: item.decided_on,
        valid_until: item.valid_until,
        source_unit: authority.clone(),
        authority,
    }
}

/// One push and what it came to.
async fn push_one(
    client: &reqwest::Client,
    endpoint: &str,
    record: &PlatformRecord,
    attempt: i32,
    timeout: Duration,
) -> PushOutcome {
    let retry_at = || retry_after(attempt.max(1) as u32).map(|wait| Utc::now() + wait);
    let answer = client
        .post(endpoint)
        .header("Idempotency-Key", idempotency_key(&record.document_number))
        .json(record)
        .send()
        .await;
    let response = match answer {
        Ok(response) => response,
        Err(e) => {
            let message = if e.is_timeout() {
                format!("公示平台 {} 秒内未应答", timeout.as_secs())
            } else {
                format!("无法连接公示平台：{e}")
            };
            return PushOutcome::Failed {
                http_status: None,
                message,
                retry_at: retry_at(),
            };
        }
    };
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if status.is_success() {
        let receipt: PlatformReceipt = serde_json::from_str(&body).unwrap_or_default();
        let (state, published_on, message) = match receipt.published_on {
            Some(on) => (
                PublicationStatus::Acknowledged,
                on,
                format!("平台已确认公示（{on}）"),
            ),
            None => (PublicationStatus::Sent, today(), "平台已接收".to_owned()),
        };
        return PushOutcome::Published {
            status: state,
            http_status: status.as_u16(),
            published_on,
            receipt: receipt.receipt,
            message,
        };
    }
    if status == reqwest::StatusCode::CONFLICT {
        // The platform has this number already: an earlier push got through and its answer was lost.
        return PushOutcome::Published {
            status: PublicationStatus::Sent,
            http_status: status.as_u16(),
            published_on: today(),
            receipt: None,
            message: "平台已有该决定，未重复公示".to_owned(),
        };
    }
    let reason: String = body.trim().chars().take(REASON_MAX_CHARS).collect();
    PushOutcome::Failed {
        http_status: Some(status.as_u16()),
        message: format!("公示平台返回 HTTP {}：{reason}", status.as_u16()),
        retry_at: retry_at(),
    }
}
