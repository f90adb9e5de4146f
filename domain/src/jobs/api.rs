//! Wire types of background jobs (`/api/v1/jobs`).

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::jobs::{JobKind, JobStatus};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// One job: `GET /api/v1/jobs/{id}`, and the body of a `202 Accepted` that started one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Job {
    pub id: i64,
    pub kind: JobKind,
    pub status: JobStatus,
    /// 0.0–1.0.
    pub progress: f64,
    /// What the progress counts, e.g. `已写入 120,000 / 1,000,000 行`.
    pub progress_note: Option<String>,
    /// The file's address once an export is done, until it expires (only for the user who asked).
    pub download: Option<String>,
    /// The file's name and size once an export is done.
    pub file_name: Option<String>,
    pub file_bytes: Option<u64>,
    /// Why the last attempt failed, in Chinese.
    pub error: Option<String>,
    /// What a finished job did, e.g. `删除过期会话 12 个`.
    pub summary: Option<String>,
    /// What a finished job answers besides a file, as its kind defines it: an import's `ImportReport`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub result: Option<serde_json::Value>,
    pub attempts: u32,
    /// Who asked (none for a scheduled run).
    pub owner: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// When the file is removed.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The query of `GET /api/v1/jobs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct JobQuery {
    /// `true`: every user's jobs and the scheduled runs (bureau administrators only); otherwise one's own.
    pub all: Option<bool>,
    /// A job kind's key.
    pub kind: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A daily job and its latest run: `GET /api/v1/jobs/schedules`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ScheduleStatus {
    pub kind: JobKind,
    /// The time of day it runs, China Standard Time.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "03:00:00"))]
    pub at: NaiveTime,
    pub next_run: DateTime<Utc>,
    /// The latest run, if it ever ran.
    pub last_run: Option<Job>,
    /// How long the latest run took, in milliseconds.
    pub last_duration_ms: Option<i64>,
}
