//! Runs of the engine: each stored with who ran it, what it read and the plan it proposed, so that any two
//! can be compared and one confirmed.

use chrono::{DateTime, Utc};

use crate::store::{AuditEntry, Store, audited, on_pool};

/// A run as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RunRecord {
    pub id: i64,
    pub round_id: i64,
    pub run_by: String,
    pub run_at: DateTime<Utc>,
    pub input_summary: String,
    pub instance: String,
    pub plan: String,
    pub priority_villages_covered: i64,
    pub villages_covered: i64,
    pub total_score: i64,
}

/// A new run to store.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub run_by: String,
    pub input_summary: String,
    pub instance: String,
    pub plan: String,
    pub objective: domain::pairing::Objective,
}

impl Store {
    /// Stores a run of the engine with its audit row (which may name the new id).
    pub async fn record_run<'a>(
        &self,
        round_id: i64,
        run: &NewRun,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO pairing_runs (round_id, run_by, run_at, input_summary, instance, plan,
                                           priority_villages_covered, villages_covered, total_score)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(round_id)
            .bind(&run.run_by)
            .bind(now)
            .bind(&run.input_summary)
            .bind(&run.instance)
            .bind(&run.plan)
            .bind(run.objective.priority_villages_covered as i64)
            .bind(run.objective.villages_covered as i64)
            .bind(run.objective.total_score)
            .fetch_one(&mut *tx)
            .await?;
            id
        }, id => &audit(*id))
    }

    /// A round's runs, newest first.
    pub async fn list_runs(&self, round_id: i64) -> Result<Vec<RunRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM pairing_runs WHERE round_id = $1 ORDER BY id DESC")
                .bind(round_id)
                .fetch_all(pool)
                .await
        })
    }

    pub async fn find_run(&self, round_id: i64, run_id: i64) -> Result<Option<RunRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM pairing_runs WHERE round_id = $1 AND id = $2")
                .bind(round_id)
                .bind(run_id)
                .fetch_optional(pool)
                .await
        })
    }

    /// The run of the same round just before `run_id`.
    pub async fn previous_run(&self, round_id: i64, run_id: i64) -> Result<Option<RunRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM pairing_runs WHERE round_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1")
                .bind(round_id)
                .bind(run_id)
                .fetch_optional(pool)
                .await
        })
    }
}
