//! Sign-in attempts: the failures the lockout counts (by the name typed, and by client address), the
//! refused attempts with their audit rows, and an account's recent sign-ins.

use chrono::{DateTime, Utc};
use domain::api::LoginEvent;

use crate::store::{AuditEntry, Store, audited, on_pool};

impl Store {
    /// When `username` failed to sign in, since `since` and since its last success.
    pub async fn login_failures(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
        let rows: Vec<(DateTime<Utc>,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT at FROM login_events
                 WHERE username = $1 AND outcome = 'failure' AND at > $2
                   AND at > COALESCE((SELECT MAX(at) FROM login_events WHERE username = $1 AND outcome = 'success'), $2)
                 ORDER BY at",
            )
            .bind(username)
            .bind(since)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(at,)| at).collect())
    }

    /// Unsuccessful sign-in attempts from one client address since `since`.
    pub async fn recent_client_failures(
        &self,
        client_addr: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM login_events WHERE client_addr = $1 AND outcome <> 'success' AND at > $2")
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
