//! Two-step verification: an account's TOTP secret (sealed) from enrolment to confirmation and removal,
//! the last time step used (a code works once), recovery codes (hashes, each used once), and the sign-ins
//! that wait for their second step. Every change is audited in its own transaction.

use chrono::{DateTime, Utc};

use crate::store::audit::record_audit;
use crate::store::{AuditEntry, Store, audited, on_pool};

/// An account's TOTP secret as stored: sealed under the data key `key_id`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TotpRecord {
    pub key_id: String,
    pub secret_sealed: String,
    /// `None` while enrolment waits for its first code.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The time step of the last code accepted.
    pub last_step: Option<i64>,
}

/// An account's TOTP secret sealed under another key than the current one, and its re-sealed value:
/// `sheguan keys reseal` stores it only where the row is still what it read.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SealedTotp {
    pub user_id: i64,
    pub key_id: String,
    pub secret_sealed: String,
}

/// Where a user's secret is sealed: bound to the user's row (an account's id never changes), so it opens
/// for that account only.
pub fn totp_secret_context(user_id: &str) -> crate::crypto::Context<'_> {
    crate::crypto::Context::new("user_totp", "secret_sealed", user_id)
}

/// A sign-in whose password was right, waiting for its second step.
#[derive(Debug, Clone)]
pub struct NewChallenge<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    /// The attempt recorded before the password was judged (`Guess::Judge`): it becomes `second_factor`,
    /// neither a failure nor a success.
    pub guess: i64,
}

/// Replaces `$user_id`'s recovery codes with `$hashes` on the open transaction `$tx` (either backend):
/// the old ones stop working.
macro_rules! replace_recovery_codes {
    ($tx:ident, $user_id:expr, $hashes:expr) => {
        sqlx::query("DELETE FROM user_recovery_codes WHERE user_id = $1")
            .bind($user_id)
            .execute(&mut *$tx)
            .await?;
        for hash in $hashes {
            sqlx::query("INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                .bind($user_id)
                .bind(hash)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

impl Store {
    /// Up to `limit` TOTP secrets sealed under another key than `current`, of accounts with ids above
    /// `after`, in id order.
    pub async fn totp_sealed_under_other_keys(
        &self,
        current: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<SealedTotp>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT user_id, key_id, secret_sealed FROM user_totp
                 WHERE key_id <> $1 AND user_id > $2 ORDER BY user_id LIMIT $3",
            )
            .bind(current).bind(after).bind(limit).fetch_all(pool).await
        })
    }

    /// Stores re-sealed secrets (`(as read, as re-sealed)`), each only where the row is still as read, and
    /// one audit row for them, in one transaction; how many rows changed.
    pub async fn reseal_totp(
        &self,
        rows: &[(SealedTotp, SealedTotp)],
        audit: &AuditEntry<'_>,
    ) -> Result<u64, sqlx::Error> {
        audited!(self, tx => {
            let mut changed = 0;
            for (read, resealed) in rows {
                changed += sqlx::query(
                    "UPDATE user_totp SET key_id = $2, secret_sealed = $3
                     WHERE user_id = $1 AND key_id = $4 AND secret_sealed = $5",
                )
                .bind(read.user_id).bind(&resealed.key_id).bind(&resealed.secret_sealed)
                .bind(&read.key_id).bind(&read.secret_sealed)
                .execute(&mut *tx).await?.rows_affected();
            }
            changed
        }, _ => audit)
    }

    /// The account's TOTP secret, confirmed or still being enrolled.
    pub async fn find_totp(&self, user_id: i64) -> Result<Option<TotpRecord>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT key_id, secret_sealed, confirmed_at, last_step FROM user_totp WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(pool)
            .await
        })
    }

    /// Whether the account signs in with a second factor.
    pub async fn has_totp(&self, user_id: i64) -> Result<bool, sqlx::Error> {
        Ok(self
            .find_totp(user_id)
            .await?
            .is_some_and(|t| t.confirmed_at.is_some()))
    }

    /// Stores a new, unconfirmed secret, replacing an unconfirmed one; a confirmed secret is left alone
    /// (`false`).
    pub async fn start_totp(
        &self,
        user_id: i64,
        key_id: &str,
        secret_sealed: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let stored = sqlx::query(
                "INSERT INTO user_totp (user_id, key_id, secret_sealed, confirmed_at, last_step, created_at)
                 VALUES ($1, $2, $3, NULL, NULL, $4)
                 ON CONFLICT (user_id) DO UPDATE
                 SET key_id = excluded.key_id, secret_sealed = excluded.secret_sealed,
                     last_step = NULL, created_at = excluded.created_at
                 WHERE user_totp.confirmed_at IS NULL",
            )
            .bind(user_id)
            .bind(key_id)
            .bind(secret_sealed)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if stored {
                record_audit!(&mut *tx, audit)?;
            }
            tx.commit().await?;
            Ok(stored)
        })
    }

    /// Confirms an enrolment with the step of its first code and stores its recovery codes (hashes);
    /// `false` if there was no enrolment waiting (confirmed meanwhile, or removed).
    pub async fn confirm_totp(
        &self,
        user_id: i64,
        step: i64,
        recovery_hashes: &[String],
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let confirmed = sqlx::query(
                "UPDATE user_totp SET confirmed_at = $2, last_step = $3
                 WHERE user_id = $1 AND confirmed_at IS NULL",
            )
            .bind(user_id)
            .bind(now)
            .bind(step)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if confirmed {
                replace_recovery_codes!(tx, user_id, recovery_hashes);
                record_audit!(&mut *tx, audit)?;
            }
            tx.commit().await?;
            Ok(confirmed)
        })
    }

    /// Replaces an account's recovery codes (the old ones stop working).
    pub async fn replace_recovery_codes(
        &self,
        user_id: i64,
        recovery_hashes: &[String],
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            replace_recovery_codes!(tx, user_id, recovery_hashes);
        }, _ => audit)
    }

    /// Removes an account's second factor: its secret, recovery codes and waiting sign-ins.
    pub async fn remove_totp(&self, user_id: i64, audit: &AuditEntry<'_>) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            for sql in [
                "DELETE FROM user_totp WHERE user_id = $1",
                "DELETE FROM user_recovery_codes WHERE user_id = $1",
                "DELETE FROM sign_in_challenges WHERE user_id = $1",
            ] {
                sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
            }
        }, _ => audit)
    }

    /// Spends time step `step` of the account's codes: `false` if it (or a later one) was already used —
    /// one conditional update, so two requests with the same code cannot both pass.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query(
                "UPDATE user_totp SET last_step = $2
                 WHERE user_id = $1 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)",
            )
            .bind(user_id)
            .bind(step)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
        })
    }

    /// Spends a recovery code: `false` unless it is the account's and unused.
    pub async fn use_recovery_code(&self, user_id: i64, code_hash: &str) -> Result<bool, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query(
                "UPDATE user_recovery_codes SET used_at = $3
                 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            )
            .bind(user_id)
            .bind(code_hash)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1)
        })
    }

    /// How many of the account's recovery codes are unused.
    pub async fn unused_recovery_codes(&self, user_id: i64) -> Result<i64, sqlx::Error> {
        let (count,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL")
                .bind(user_id)
                .fetch_one(pool)
                .await?
        });
        Ok(count)
    }

    /// Records a password step that was right for an account with a second factor: the attempt becomes
    /// `second_factor` and the sign-in waits (`challenge`); the account's earlier waiting sign-ins and
    /// every expired one are dropped. With its audit row.
    pub async fn open_challenge(
        &self,
        challenge: &NewChallenge<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            sqlx::query("UPDATE login_events SET outcome = 'second_factor' WHERE id = $1")
                .bind(challenge.guess)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sign_in_challenges WHERE user_id = $1 OR expires_at <= $2")
                .bind(challenge.user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO sign_in_challenges (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(challenge.token_hash)
            .bind(challenge.user_id)
            .bind(now)
            .bind(challenge.expires_at)
            .execute(&mut *tx)
            .await?;
        }, _ => audit)
    }

    /// The account a waiting sign-in belongs to, if it has not expired.
    pub async fn find_challenge(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, sqlx::Error> {
        let found: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT user_id FROM sign_in_challenges WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.map(|(id,)| id))
    }

    /// Ends a waiting sign-in (completed).
    pub async fn close_challenge(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sign_in_challenges WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|_| ())
        })
    }
}
