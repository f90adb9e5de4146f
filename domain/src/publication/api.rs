//! Wire types of the publication outbox (`/api/v1/publication/…`) and of the platform push.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::publication::{DecisionKind, PublicationStatus};

/// 公示事项 — one decision's publication item in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicationItem {
    pub id: i64,
    pub kind: DecisionKind,
    /// 决定文书号, also the idempotency key sent to the platform.
    pub document_number: String,
    /// 相对人名称.
    pub organization_name: String,
    pub organization_id: Option<i64>,
    /// 统一社会信用代码 (none for a refused establishment).
    pub credit_code: Option<String>,
    pub division_code: String,
    /// 许可类别 (the matter's kind) or 处罚类别 (the penalties imposed).
    pub category: String,
    /// 内容.
    pub content: String,
    pub decided_on: NaiveDate,
    /// 有效期至 (none: 长期 for a licence, none for a penalty without a time limit).
    pub valid_until: Option<NaiveDate>,
    /// The seventh working day after the decision.
    pub due_on: NaiveDate,
    pub status: PublicationStatus,
    pub attempts: u32,
    /// When the next push is due (pending or failed items with attempts left).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last push failed.
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The day it was published: the day it was sent, the platform's date, or the date staff marked.
    pub published_on: Option<NaiveDate>,
    /// The platform's receipt, or the note of a manual publication.
    pub receipt: Option<String>,
    /// Working days late (published late, or unpublished past its due day); none when on time or not due.
    pub late_days: Option<i64>,
}

/// One push of an item to the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushAttempt {
    pub attempt: u32,
    pub at: DateTime<Utc>,
    /// The status the push left the item in.
    pub outcome: PublicationStatus,
    /// The platform's HTTP status, if it answered.
    pub http_status: Option<u16>,
    pub message: String,
}

/// `GET /publication/items/{id}`: the item and its pushes, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicationDetail {
    pub item: PublicationItem,
    pub attempts: Vec<PushAttempt>,
    /// Whether the server pushes to a platform (false: items are published by upload and marked by hand).
    pub push_configured: bool,
}

/// The query of `GET /publication/items` and its export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PublicationQuery {
    /// `pending`, `sent`, `acknowledged`, `failed` or `manual`.
    pub status: Option<String>,
    /// `licensing` or `penalty`.
    pub kind: Option<String>,
    /// The decisions of a year (`2021`) or month (`2021-03`).
    pub period: Option<String>,
    /// A division code: its items and those below it.
    pub division: Option<String>,
    /// Only the late ones (published late, or unpublished past due).
    pub late: Option<bool>,
    /// The export's format: `xlsx` (default) or `csv`.
    pub format: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// `POST /publication/items/{id}/published`: published by upload on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MarkPublishedRequest {
    pub published_on: NaiveDate,
    /// Where or how (e.g. the platform's batch number).
    #[serde(default)]
    pub note: Option<String>,
}

/// The query of `GET /publication/on-time`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct OnTimeQuery {
    /// A year (`2021`) or month (`2021-03`) of decisions; the current year when absent.
    pub period: Option<String>,
    /// A division code: its rows are the divisions one level below it.
    pub division: Option<String>,
}

/// The on-time figures of a division (or of all, in `total`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OnTimeRow {
    pub division_code: String,
    pub division_name: String,
    pub decided: u64,
    pub on_time: u64,
    pub late: u64,
    /// Unpublished and not yet due.
    pub not_due: u64,
    /// On time over on time and late, 0–1; none while nothing's outcome is known.
    pub rate: Option<f64>,
}

/// `GET /publication/on-time`: per division and in all, and the late items with their delay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OnTimeReport {
    pub period: String,
    pub rows: Vec<OnTimeRow>,
    pub total: OnTimeRow,
    /// The late items, earliest due first (at most 200; `total.late` says how many).
    pub late: Vec<PublicationItem>,
}

/// What the server pushes to the platform (`POST <endpoint>`, JSON, header `Idempotency-Key` = the
/// document number): the platform's item, field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformRecord {
    /// 决定文书号 (the idempotency key).
    pub document_number: String,
    /// 行政许可 or 行政处罚.
    pub decision_kind: String,
    /// 相对人名称.
    pub party_name: String,
    /// 统一社会信用代码.
    pub credit_code: Option<String>,
    /// 行政相对人类别.
    pub party_category: String,
    /// 许可类别 / 处罚类别.
    pub category: String,
    /// 内容.
    pub content: String,
    /// 决定日期.
    pub decided_on: NaiveDate,
    /// 有效期至 (none: 长期).
    pub valid_until: Option<NaiveDate>,
    /// 决定机关.
    pub authority: String,
    /// 数据来源单位.
    pub source_unit: String,
}

/// The platform's answer to a push it accepted. With `published_on` it confirms the publication
/// (acknowledged); without, it has accepted the item for publication (sent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformReceipt {
    #[serde(default)]
    pub receipt: Option<String>,
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
}
