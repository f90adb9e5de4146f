//! A job's uploaded input (a large import file): stored in pieces with the job in the transaction that
//! queues it, so that whichever server claims the job can read it, and removed when the job ends
//! (`finish_job_on!`, `fail_job`).

use chrono::{DateTime, Utc};

use super::{FILE_CHUNK_BYTES, NewJob};
use crate::store::{Store, on_pool};

impl Store {
    /// Queues a job with its input file, in one transaction: no worker sees the job before its file.
    pub async fn enqueue_job_with_input(
        &self,
        job: &NewJob,
        input: &[u8],
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO jobs (kind, params, owner_id, run_key, status, max_attempts, run_after, created_at)
                 VALUES ($1, $2, $3, $4, 'queued', $5, $6, $6)
                 RETURNING id",
            )
            .bind(job.kind.key())
            .bind(job.params.to_string())
            .bind(job.owner_id)
            .bind(job.run_key.as_deref())
            .bind(job.kind.max_attempts() as i32)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for (seq, piece) in input.chunks(FILE_CHUNK_BYTES).enumerate() {
                sqlx::query("INSERT INTO job_inputs (job_id, seq, data) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(seq as i32)
                    .bind(piece)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A job's input file, whole (at most the upload limit); empty once the job has ended.
    pub async fn job_input(&self, id: i64) -> Result<Vec<u8>, sqlx::Error> {
        let pieces: Vec<(Vec<u8>,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT data FROM job_inputs WHERE job_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(pool)
                .await?
        });
        Ok(pieces.into_iter().flat_map(|(data,)| data).collect())
    }
}
