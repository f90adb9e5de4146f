//! A job's end and its file: stored in pieces in the database in the same transaction that marks the job
//! done (so every server can serve it and none keeps it on its own disk), read back piece by piece, and
//! removed when its keeping time is over.

use chrono::{DateTime, Utc};
use tokio::io::AsyncReadExt;

use super::{ClaimedJob, JobOutcome};
use crate::store::{Store, on_pool};

/// The size of one stored piece of a file.
pub const FILE_CHUNK_BYTES: usize = 1024 * 1024;

impl Store {
    /// Marks the claim's job done with its outcome, storing its file. False — and nothing stored — when
    /// the claim had lapsed and another worker holds the job: a job's result is stored once.
    pub async fn finish_job(
        &self,
        job: &ClaimedJob,
        outcome: &JobOutcome,
        now: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let (name, expires_at) = match &outcome.file {
            Some((name, _, expires_at)) => (Some(name.as_str()), Some(*expires_at)),
            None => (None, None),
        };
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // The fence first: a claim that lapsed stores nothing.
            let done = finish_job_on!(
                &mut *tx,
                job,
                outcome.summary.as_deref(),
                outcome.result.as_ref(),
                now
            );
            if !done {
                tx.rollback().await?;
                return Ok(false);
            }
            if name.is_some() {
                sqlx::query("UPDATE jobs SET file_name = $2, expires_at = $3 WHERE id = $1")
                    .bind(job.id)
                    .bind(name)
                    .bind(expires_at)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some((_, path, _)) = &outcome.file {
                let mut file = tokio::fs::File::open(path).await?;
                let mut total = 0_i64;
                let mut buffer = vec![0_u8; FILE_CHUNK_BYTES];
                for seq in 0_i32.. {
                    let read = fill(&mut file, &mut buffer).await?;
                    if read == 0 {
                        break;
                    }
                    sqlx::query("INSERT INTO job_files (job_id, seq, data) VALUES ($1, $2, $3)")
                        .bind(job.id)
                        .bind(seq)
                        .bind(&buffer[..read])
                        .execute(&mut *tx)
                        .await?;
                    total += read as i64;
                }
                sqlx::query("UPDATE jobs SET file_bytes = $2 WHERE id = $1")
                    .bind(job.id)
                    .bind(total)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Piece `seq` of a job's file, while it is kept.
    pub async fn job_file_chunk(
        &self,
        id: i64,
        seq: i32,
        now: DateTime<Utc>,
    ) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let row: Option<(Vec<u8>,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT f.data FROM job_files f JOIN jobs j ON j.id = f.job_id
                 WHERE f.job_id = $1 AND f.seq = $2 AND j.expires_at > $3",
            )
            .bind(id)
            .bind(seq)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(data,)| data))
    }

    /// Removes the files whose keeping time is over (the jobs stay, without a download); how many.
    pub async fn purge_expired_job_files(&self, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs WHERE expires_at <= $1)",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let purged = sqlx::query(
                "UPDATE jobs SET file_name = NULL, file_bytes = NULL, expires_at = NULL
                 WHERE expires_at <= $1",
            )
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            Ok(purged)
        })
    }
}

/// Marks the claim's job done on the caller's transaction — `UPDATE … WHERE attempts = <the claim's>` —
/// with its summary and result, and drops its uploaded input; evaluates to whether the claim still held
/// (when it did not, the caller rolls back: another worker does the job).
macro_rules! finish_job_on {
    ($conn:expr, $job:expr, $summary:expr, $result:expr, $now:expr) => {{
        let job: &$crate::store::jobs::ClaimedJob = $job;
        let result: Option<&serde_json::Value> = $result;
        let updated = sqlx::query(
            "UPDATE jobs SET status = 'done', progress = 1, summary = $3, result = $4, finished_at = $5,
                 error = NULL, locked_by = NULL, lease_until = NULL
             WHERE id = $1 AND attempts = $2 AND status = 'running'",
        )
        .bind(job.id)
        .bind(job.attempt)
        .bind($summary)
        .bind(result.map(|r| r.to_string()))
        .bind($now)
        .execute(&mut *$conn)
        .await?
        .rows_affected();
        if updated == 1 {
            sqlx::query("DELETE FROM job_inputs WHERE job_id = $1")
                .bind(job.id)
                .execute(&mut *$conn)
                .await?;
        }
        updated == 1
    }};
}
pub(crate) use finish_job_on;

/// Reads until `buffer` is full or the file ends; how many bytes.
async fn fill(file: &mut tokio::fs::File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        let read = file.read(&mut buffer[filled..]).await?;
        if read == 0 {
            break;
        }
        filled += read;
    }
    Ok(filled)
}
