//! Sessions: opened at sign-in (the old one closed, so the id changes), found and touched on each request,
//! closed at sign-out, purged past their idle or absolute limit.

use chrono::{DateTime, Utc};

use super::UserRecord;
use crate::store::{AuditEntry, Store, audited, on_pool};

/// A new sign-in: the session to open and where it comes from.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub client_addr: &'a str,
    pub user_agent: &'a str,
    /// The session the browser presented, if any: closed, so that the id changes at sign-in.
    pub replaces: Option<&'a str>,
    /// The sign-in attempt recorded before its password was judged (`Guess::Judge`), which succeeded.
    pub guess: Option<i64>,
}

impl Store {
    /// Opens a session: the old one (if any) is closed, the attempt and the audit row recorded, in one
    /// transaction.
    pub async fn open_session(
        &self,
        username: &str,
        session: &NewSession<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            // The attempt was recorded as a failure until judged; it was not one.
            if let Some(guess) = session.guess {
                sqlx::query("DELETE FROM login_events WHERE id = $1").bind(guess).execute(&mut *tx).await?;
            }
            if let Some(old) = session.replaces {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(old).execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_addr, user_agent)
                 VALUES ($1, $2, $3, $3, $4, $5, $6)",
            )
            .bind(session.token_hash)
            .bind(session.user_id)
            .bind(now)
            .bind(session.expires_at)
            .bind(session.client_addr)
            .bind(session.user_agent)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO login_events (username, user_id, client_addr, user_agent, outcome, at)
                 VALUES ($1, $2, $3, $4, 'success', $5)",
            )
            .bind(username)
            .bind(session.user_id)
            .bind(session.client_addr)
            .bind(session.user_agent)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE users SET last_login_at = $1 WHERE id = $2")
                .bind(now)
                .bind(session.user_id)
                .execute(&mut *tx)
                .await?;
        }, _ => audit)
    }

    /// The live session with this token hash: not past its absolute expiry, used after `idle_cutoff`, and
    /// its account enabled. Returns the account and when the session was last seen.
    pub async fn find_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Option<(UserRecord, DateTime<Utc>)>, sqlx::Error> {
        let sql = "SELECT s.last_seen_at, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND NOT u.disabled";
        let found: Option<(DateTime<Utc>, i64)> = on_pool!(self, pool => {
            sqlx::query_as(sql).bind(token_hash).bind(now).bind(idle_cutoff).fetch_optional(pool).await?
        });
        let Some((last_seen, user_id)) = found else {
            return Ok(None);
        };
        Ok(self.find_user(user_id).await?.map(|user| (user, last_seen)))
    }

    pub async fn touch_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }

    /// Closes a session (sign-out), with its audit row.
    pub async fn close_session(&self, token_hash: &str, audit: &AuditEntry<'_>) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        }, _ => audit)
    }

    /// Removes sessions past their absolute or idle limit.
    pub async fn purge_sessions(
        &self,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
                .bind(now)
                .bind(idle_cutoff)
                .execute(pool)
                .await
                .map(|r| r.rows_affected())
        })
    }
}
