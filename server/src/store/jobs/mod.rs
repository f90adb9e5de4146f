//! Background jobs in the database: queued, claimed by one worker of one server, leased, finished once.
//!
//! A worker claims the oldest ready job — queued and due, or running with a lapsed lease (its server died)
//! — in one statement: PostgreSQL skips rows other servers have locked (`FOR UPDATE SKIP LOCKED`), SQLite
//! has one writer. The claim adds one to `attempts`, which is the claim's fencing token: progress, the
//! result and a failure are written only `WHERE attempts = <the claim's>`, so a worker that lost its lease
//! writes nothing, and a job's file and summary are stored once, in one transaction with its `done`.

mod files;
mod inputs;

use chrono::{DateTime, Utc};
use domain::api::Job;
use domain::jobs::{JobKind, JobStatus};
use domain::paging::PageRequest;
use serde_json::Value;
use sqlx::QueryBuilder;

use super::{Backend, Store, on_pool};

pub use files::FILE_CHUNK_BYTES;
pub(crate) use files::finish_job_on;

/// A job to add to the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    /// What the job needs to run (the export's query, the caller's visibility, …).
    pub params: Value,
    /// Who asked; `None` for a scheduled run.
    pub owner_id: Option<i64>,
    /// A key that makes the job one of its kind (a daily run's `daily:<kind>:<day>`).
    pub run_key: Option<String>,
}

/// A job a worker holds.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: JobKind,
    pub params: Value,
    pub owner_id: Option<i64>,
    /// This claim's attempt, also its fencing token.
    pub attempt: i32,
    pub max_attempts: i32,
}

/// What a finished job leaves: a summary, and for an export its file.
#[derive(Debug, Clone, Default)]
pub struct JobOutcome {
    pub summary: Option<String>,
    /// The file's name, where its bytes are now, and until when it is kept.
    pub file: Option<(String, std::path::PathBuf, DateTime<Utc>)>,
    /// What the job answers besides a file (`Job::result`).
    pub result: Option<Value>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub owner_id: Option<i64>,
    pub owner: Option<String>,
    pub status: String,
    pub progress: f64,
    pub progress_note: Option<String>,
    pub attempts: i32,
    pub error: Option<String>,
    pub summary: Option<String>,
    pub result: Option<String>,
    pub file_name: Option<String>,
    pub file_bytes: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl JobRow {
    /// The job as the API shows it at `now`: the download address only while its file is kept.
    pub fn into_api(self, now: DateTime<Utc>) -> Job {
        let status = JobStatus::parse(&self.status).unwrap_or(JobStatus::Failed);
        let kept = self.expires_at.is_some_and(|at| at > now);
        let has_file = status == JobStatus::Done && self.file_name.is_some() && kept;
        Job {
            id: self.id,
            kind: JobKind::parse(&self.kind).unwrap_or(JobKind::PurgeSessions),
            status,
            progress: if status == JobStatus::Done {
                1.0
            } else {
                self.progress
            },
            progress_note: self.progress_note,
            download: has_file.then(|| format!("/api/v1/jobs/{}/download", self.id)),
            file_name: self.file_name.filter(|_| has_file),
            file_bytes: self.file_bytes.filter(|_| has_file).map(|b| b as u64),
            error: self.error,
            summary: self.summary,
            result: self.result.and_then(|json| serde_json::from_str(&json).ok()),
            attempts: self.attempts.max(0) as u32,
            owner: self.owner,
            created_at: self.created_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            expires_at: self.expires_at.filter(|_| has_file),
        }
    }
}

const SELECT_JOB: &str = "SELECT j.id, j.kind, j.owner_id, u.username AS owner, j.status, j.progress,
        j.progress_note, j.attempts, j.error, j.summary, j.result, j.file_name, j.file_bytes, j.created_at,
        j.started_at, j.finished_at, j.expires_at
    FROM jobs j LEFT JOIN users u ON u.id = j.owner_id";

/// The ready job: queued and due, or running on a lease that lapsed. `$1` is now.
const READY: &str = "SELECT id FROM jobs
    WHERE (status = 'queued' AND run_after <= $1) OR (status = 'running' AND lease_until < $1)
    ORDER BY run_after, id LIMIT 1";

const CLAIM: &str = "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2,
        lease_until = $3, started_at = COALESCE(started_at, $1), error = NULL
    WHERE id = ({ready})
    RETURNING id, kind, params, owner_id, attempts, max_attempts";

impl Store {
    /// Queues a job; `None` when a job with the same `run_key` exists (this day's run was already queued,
    /// by this server or another).
    pub async fn enqueue_job(&self, job: &NewJob, now: DateTime<Utc>) -> Result<Option<i64>, sqlx::Error> {
        let id: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "INSERT INTO jobs (kind, params, owner_id, run_key, status, max_attempts, run_after, created_at)
                 VALUES ($1, $2, $3, $4, 'queued', $5, $6, $6)
                 ON CONFLICT (run_key) DO NOTHING
                 RETURNING id",
            )
            .bind(job.kind.key())
            .bind(job.params.to_string())
            .bind(job.owner_id)
            .bind(job.run_key.as_deref())
            .bind(job.kind.max_attempts() as i32)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(id.map(|(id,)| id))
    }

    /// Claims the ready job for `worker` until `lease_until`, if there is one.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<ClaimedJob>, sqlx::Error> {
        // Look before taking the write lock: an idle server's workers only read.
        let waiting: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(READY).bind(now).fetch_optional(pool).await?
        });
        if waiting.is_none() {
            return Ok(None);
        }
        let ready = match &self.backend {
            // One writer at a time: the statement's read and write cannot interleave with another claim.
            Backend::Sqlite(_) => READY.to_owned(),
            // Servers claiming at once each skip the row another has locked and take the next.
            Backend::Postgres(_) => format!("{READY} FOR UPDATE SKIP LOCKED"),
        };
        let sql = CLAIM.replace("{ready}", &ready);
        let row: Option<(i64, String, String, Option<i64>, i32, i32)> = on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(now)
                .bind(worker)
                .bind(lease_until)
                .fetch_optional(pool)
                .await?
        });
        Ok(
            row.map(|(id, kind, params, owner_id, attempt, max_attempts)| ClaimedJob {
                id,
                kind: JobKind::parse(&kind).unwrap_or(JobKind::PurgeSessions),
                params: serde_json::from_str(&params).unwrap_or(Value::Null),
                owner_id,
                attempt,
                max_attempts,
            }),
        )
    }

    /// Renews the claim's lease and records its progress; false when the claim is no longer this worker's.
    pub async fn job_heartbeat(
        &self,
        job: &ClaimedJob,
        progress: f64,
        note: Option<&str>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query(
                "UPDATE jobs SET progress = $3, progress_note = $4, lease_until = $5
                 WHERE id = $1 AND attempts = $2 AND status = 'running'",
            )
            .bind(job.id)
            .bind(job.attempt)
            .bind(progress)
            .bind(note)
            .bind(lease_until)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
        })
    }

    /// Ends a failed attempt: queued again at `retry_at`, or failed for good without one. False when the
    /// claim had already lapsed.
    pub async fn fail_job(
        &self,
        job: &ClaimedJob,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let (status, run_after, finished_at) = match retry_at {
            Some(at) => ("queued", at, None),
            None => ("failed", now, Some(now)),
        };
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE jobs SET status = $3, error = $4, run_after = $5, finished_at = $6,
                     locked_by = NULL, lease_until = NULL
                 WHERE id = $1 AND attempts = $2 AND status = 'running'",
            )
            .bind(job.id)
            .bind(job.attempt)
            .bind(status)
            .bind(error)
            .bind(run_after)
            .bind(finished_at)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if updated && retry_at.is_none() {
                // Failed for good: the uploaded file is of no more use.
                sqlx::query("DELETE FROM job_inputs WHERE job_id = $1")
                    .bind(job.id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(updated)
        })
    }

    /// A job by id.
    pub async fn job(&self, id: i64) -> Result<Option<JobRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(&format!("{SELECT_JOB} WHERE j.id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await
        })
    }

    /// A page of jobs, newest first: one user's (`owner_id`), or everyone's and the scheduled runs (`None`).
    pub async fn jobs(
        &self,
        owner_id: Option<i64>,
        kind: Option<JobKind>,
        page: PageRequest,
    ) -> Result<(Vec<JobRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_JOB);
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM jobs j");
            for query in [&mut list, &mut count] {
                query.push(" WHERE 1 = 1");
                if let Some(owner) = owner_id {
                    query.push(" AND j.owner_id = ").push_bind(owner);
                }
                if let Some(kind) = kind {
                    query.push(" AND j.kind = ").push_bind(kind.key());
                }
            }
            list.push(" ORDER BY j.id DESC LIMIT ")
                .push_bind(page.limit())
                .push(" OFFSET ")
                .push_bind(page.offset());
            let rows: Vec<JobRow> = list.build_query_as().fetch_all(pool).await?;
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// The latest run of a kind (the schedules page).
    pub async fn latest_job(&self, kind: JobKind) -> Result<Option<JobRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(&format!("{SELECT_JOB} WHERE j.kind = $1 ORDER BY j.id DESC LIMIT 1"))
                .bind(kind.key())
                .fetch_optional(pool)
                .await
        })
    }
}
