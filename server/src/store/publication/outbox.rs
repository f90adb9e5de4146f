//! The outbox's moves: a push run claims due items a slice at a time and records each push's outcome;
//! staff retry an item now or mark it published by upload.
//!
//! A claim is one statement — PostgreSQL skips the rows another server holds (`FOR UPDATE SKIP LOCKED`),
//! SQLite has one writer — that adds one to `attempts` and sets `claimed_by`/`claimed_until`. The attempt
//! number is the claim's fencing token: the outcome is written only `WHERE attempts = <the claim's> AND
//! claimed_by = <the worker>`, so two servers never push one item at once, and a worker whose claim lapsed
//! stores nothing. The platform is sent the decision's number as the idempotency key, so a push repeated
//! after a lost answer publishes nothing twice.

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::PushAttempt;
use domain::publication::PublicationStatus;
use serde_json::json;

use super::{ITEM_COLUMNS, ItemRow};
use crate::store::audit::record_audit;
use crate::store::{AuditEntry, Backend, Store, audited, on_pool};

/// What one push came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// The platform took it (`published_on` the day it was sent) or confirmed it (its date).
    Published {
        status: PublicationStatus,
        http_status: u16,
        published_on: NaiveDate,
        receipt: Option<String>,
        message: String,
    },
    /// It failed; tried again at `retry_at`, or left for staff without one.
    Failed {
        http_status: Option<u16>,
        message: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// The due items: pending or failed, their next attempt reached, not held by a live claim.
const DUE: &str = "status IN ('pending', 'failed') AND next_attempt_at <= $1
    AND (claimed_until IS NULL OR claimed_until < $1)";

#[derive(sqlx::FromRow)]
struct AttemptRow {
    attempt: i32,
    at: DateTime<Utc>,
    outcome: String,
    http_status: Option<i32>,
    message: String,
}

impl Store {
    /// Claims up to `limit` due items with ids above `after` for `worker` until `claimed_until`, in id
    /// order; each claim adds one to the item's attempts.
    pub async fn claim_publications(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        claimed_until: DateTime<Utc>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ItemRow>, sqlx::Error> {
        let due = format!("SELECT id FROM publication_items WHERE {DUE} AND id > $4 ORDER BY id LIMIT $5");
        let due = match &self.backend {
            // One writer at a time: the statement's read and write cannot interleave with another claim.
            Backend::Sqlite(_) => due,
            // Servers claiming at once each skip the rows another holds and take the next.
            Backend::Postgres(_) => format!("{due} FOR UPDATE SKIP LOCKED"),
        };
        let sql = format!(
            "UPDATE publication_items SET claimed_by = $2, claimed_until = $3, attempts = attempts + 1
             WHERE id IN ({due}) RETURNING {ITEM_COLUMNS}"
        );
        let mut rows: Vec<ItemRow> = on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(now).bind(worker).bind(claimed_until).bind(after).bind(limit)
                .fetch_all(pool).await?
        });
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// Stores a push's outcome and its attempt row, if `worker`'s claim on `item` still holds.
    pub async fn record_push(
        &self,
        item: &ItemRow,
        worker: &str,
        outcome: &PushOutcome,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let (status, next, error, sent_at, published_on, receipt, http_status, message) = match outcome {
            PushOutcome::Published {
                status,
                http_status,
                published_on,
                receipt,
                message,
            } => (
                *status,
                None,
                None,
                Some(now),
                Some(*published_on),
                receipt.clone(),
                Some(*http_status),
                message,
            ),
            PushOutcome::Failed {
                http_status,
                message,
                retry_at,
            } => (
                PublicationStatus::Failed,
                *retry_at,
                Some(message.clone()),
                None,
                None,
                None,
                *http_status,
                message,
            ),
        };
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE publication_items SET status = $4, next_attempt_at = $5, last_error = $6,
                     sent_at = COALESCE($7, sent_at), published_on = COALESCE($8, published_on),
                     receipt = COALESCE($9, receipt), claimed_by = NULL, claimed_until = NULL, updated_at = $10
                 WHERE id = $1 AND attempts = $2 AND claimed_by = $3 AND status IN ('pending', 'failed')",
            )
            .bind(item.id).bind(item.attempts).bind(worker).bind(status.key()).bind(next).bind(error)
            .bind(sent_at).bind(published_on).bind(receipt).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO publication_attempts (item_id, attempt, at, outcome, http_status, message)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(item.id).bind(item.attempts).bind(now).bind(status.key())
            .bind(http_status.map(i32::from)).bind(message)
            .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The pushes of an item, newest first.
    pub async fn publication_attempts(&self, item_id: i64) -> Result<Vec<PushAttempt>, sqlx::Error> {
        let rows: Vec<AttemptRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT attempt, at, outcome, http_status, message FROM publication_attempts
                 WHERE item_id = $1 ORDER BY id DESC LIMIT 100",
            )
            .bind(item_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| PushAttempt {
                attempt: r.attempt.max(0) as u32,
                at: r.at,
                outcome: PublicationStatus::parse(&r.outcome).unwrap_or(PublicationStatus::Failed),
                http_status: r.http_status.and_then(|s| u16::try_from(s).ok()),
                message: r.message,
            })
            .collect())
    }

    /// Whether any item's push is due at `now` (the scheduler queues a push run only then).
    pub async fn publications_due(&self, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
        let sql = format!("SELECT id FROM publication_items WHERE {DUE} LIMIT 1");
        let due: Option<(i64,)> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(now).fetch_optional(pool).await?);
        Ok(due.is_some())
    }

    /// 立即重试: makes an unpublished item due now (also one whose attempts are used up), with its audit
    /// row. False when it was published or is being pushed meanwhile.
    pub async fn retry_publication(
        &self,
        item: &ItemRow,
        now: DateTime<Utc>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE publication_items SET next_attempt_at = $2, updated_at = $2
                 WHERE id = $1 AND status IN ('pending', 'failed') AND (claimed_until IS NULL OR claimed_until < $2)",
            )
            .bind(item.id).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }

    /// 标记已公示: an unpublished item published by upload on `on`, with its note and audit row. False
    /// when it was published or is being pushed meanwhile.
    pub async fn mark_published(
        &self,
        item: &ItemRow,
        on: NaiveDate,
        note: Option<&str>,
        now: DateTime<Utc>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE publication_items SET status = 'manual', published_on = $2, receipt = $3,
                     next_attempt_at = NULL, last_error = NULL, updated_at = $4
                 WHERE id = $1 AND status IN ('pending', 'failed') AND (claimed_until IS NULL OR claimed_until < $4)",
            )
            .bind(item.id).bind(on).bind(note).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            let audit = AuditEntry {
                after: Some(json!({ "status": PublicationStatus::Manual, "published_on": on, "note": note })),
                ..audit.clone()
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(true)
        })
    }
}
