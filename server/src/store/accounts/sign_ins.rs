//! Sign-in attempts: the failures the lockout counts (by account — or, for a name no account has, by the
//! name typed — and by client address), the refused attempts with their audit rows, and an account's
//! recent sign-ins.

use chrono::{DateTime, Utc};
use domain::api::LoginEvent;

use crate::auth::lockout;
use crate::store::audit::record_audit;
use crate::store::{AuditEntry, Backend, Store, audited, on_pool};

/// What the lockout makes of a sign-in attempt, decided in the same step that records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guess {
    /// The password may be judged. The attempt is recorded as a failure (`id`) until it succeeds;
    /// `failures` are the name's earlier failures that still count.
    Judge { id: i64, failures: Vec<DateTime<Utc>> },
    /// The name is locked: the attempt was recorded as `locked` with its audit row, and is not judged.
    Locked,
}

impl Store {
    /// Records a sign-in attempt on `username` and decides, in the same transaction, whether it may be
    /// judged: the attempts on one name are serialized (PostgreSQL: an advisory lock on the name; SQLite:
    /// the attempt's row is written first, which takes the one writer's lock), so however many arrive
    /// at once, at most `MAX_FAILURES` guesses are judged in a lockout window.
    ///
    /// An attempt on an existing account is recorded and counted under the account: `username` is its
    /// username whichever name was typed (its username or its phone number), and its earlier failures are
    /// found by `user_id` too (those recorded under a typed number before it was so), so failures by phone
    /// and by username lock it together.
    pub async fn reserve_login_guess(
        &self,
        username: &str,
        user_id: Option<i64>,
        user_agent: &str,
        now: DateTime<Utc>,
        locked_audit: &AuditEntry<'_>,
    ) -> Result<Guess, sqlx::Error> {
        let postgres = matches!(self.backend, Backend::Postgres(_));
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))::text")
                    .bind(username)
                    .execute(&mut *tx)
                    .await?;
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO login_events (username, user_id, client_addr, user_agent, outcome, at)
                 VALUES ($1, $2, $3, $4, 'failure', $5) RETURNING id",
            )
            .bind(username)
            .bind(user_id)
            .bind(locked_audit.actor.client_addr.as_str())
            .bind(user_agent)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let since = lockout::failures_since(now);
            let rows: Vec<(DateTime<Utc>,)> = sqlx::query_as(
                "SELECT at FROM login_events
                 WHERE (username = $1 OR user_id = $4) AND outcome = 'failure' AND id <> $3 AND at > $2
                   AND at > COALESCE((SELECT MAX(at) FROM login_events
                                      WHERE (username = $1 OR user_id = $4) AND outcome = 'success'), $2)",
            )
            .bind(username)
            .bind(since)
            .bind(id)
            .bind(user_id)
            .fetch_all(&mut *tx)
            .await?;
            let failures: Vec<DateTime<Utc>> = rows.into_iter().map(|(at,)| at).collect();
            if lockout::is_locked(&failures, now) {
                sqlx::query("UPDATE login_events SET outcome = 'locked' WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                record_audit!(&mut *tx, locked_audit)?;
                tx.commit().await?;
                return Ok(Guess::Locked);
            }
            tx.commit().await?;
            Ok(Guess::Judge { id, failures })
        })
    }

    /// Failed sign-ins (wrong passwords judged) from one client address since `since`.
    pub async fn recent_client_failures(
        &self,
        client_addr: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM login_events WHERE client_addr = $1 AND outcome = 'failure' AND at > $2")
                .bind(client_addr)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// Records an unsuccessful sign-in (`failure`, `locked` or `rate_limited`) and its audit row together.
    pub async fn record_failed_login(
        &self,
        username: &str,
        user_id: Option<i64>,
        outcome: &str,
        user_agent: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            sqlx::query(
                "INSERT INTO login_events (username, user_id, client_addr, user_agent, outcome, at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(username)
            .bind(user_id)
            .bind(audit.actor.client_addr.as_str())
            .bind(user_agent)
            .bind(outcome)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
        }, _ => audit)
    }

    /// The newest sign-in attempts on an account.
    pub async fn recent_logins(&self, user_id: i64, limit: i64) -> Result<Vec<LoginEvent>, sqlx::Error> {
        let rows: Vec<(DateTime<Utc>, String, String, String)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT at, client_addr, outcome, user_agent FROM login_events
                 WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(at, client_addr, outcome, user_agent)| LoginEvent {
                at,
                client_addr,
                outcome,
                user_agent,
            })
            .collect())
    }
}
