//! The audit log's hash chain: each row carries the SHA-256 of its content and of the row before it, so
//! that a row changed, removed or slipped in behind the application's back — by someone with the database
//! in hand, past the append-only triggers — breaks the chain at that row, and `sheguan audit verify` names
//! it.
//!
//! Rows are appended to the chain one writer at a time: the head (`audit_chain`, one row: how many rows
//! are chained and the last hash) is locked by updating it first — a row lock on PostgreSQL, the write
//! lock on SQLite — then the new rows are hashed from it and the head moves, all in the transaction of
//! the change the rows describe. The lock is held from the audit row, the last statement of a change, to
//! its commit.

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::AuditEntry;
use crate::store::{Store, on_pool};

/// The hash before the first row of the chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit row as stored and as hashed.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub actor_role: Option<String>,
    pub client_addr: String,
    pub entity_type: String,
    pub entity_id: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub reason: Option<String>,
}

impl AuditRow {
    /// The row of `entry` written at `at` (to the microsecond, as both backends keep it).
    pub fn of(entry: &AuditEntry<'_>, at: DateTime<Utc>) -> AuditRow {
        AuditRow {
            at: at.trunc_subsecs(6),
            actor_id: entry.actor.user_id,
            actor_name: entry.actor.name.clone(),
            actor_role: entry.actor.role.map(|r| r.key().to_owned()),
            client_addr: entry.actor.client_addr.clone(),
            entity_type: entry.entity_type.to_owned(),
            entity_id: entry.entity_id.clone(),
            action: entry.action.to_owned(),
            before_json: entry.before.as_ref().map(|v| v.to_string()),
            after_json: entry.after.as_ref().map(|v| v.to_string()),
            reason: entry.reason.clone(),
        }
    }

    /// The row's link: SHA-256 (hex) of the previous link and every field, as one JSON array — an
    /// encoding with no ambiguity between fields.
    pub fn hash(&self, previous: &str) -> String {
        let canonical = json!([
            previous,
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            self.actor_id,
            self.actor_name,
            self.actor_role,
            self.client_addr,
            self.entity_type,
            self.entity_id,
            self.action,
            self.before_json,
            self.after_json,
            self.reason,
        ]);
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Appends `$rows` (`&[AuditRow]`) to the log and its chain on `$conn`, a transaction's connection
/// (`&mut *tx`); evaluates to `Result<(), sqlx::Error>`.
macro_rules! append_chained {
    ($conn:expr, $rows:expr) => {
        async {
            let rows: &[$crate::store::audit::chain::AuditRow] = $rows;
            // Updating the head first takes the chain's lock until the transaction ends.
            let (_, mut previous): (i64, String) = sqlx::query_as(
                "UPDATE audit_chain SET chained = chained WHERE id = 1 RETURNING chained, hash",
            )
            .fetch_one(&mut *$conn)
            .await?;
            for batch in rows.chunks(500) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO audit_log (at, actor_id, actor_name, actor_role, client_addr, entity_type,
                        entity_id, action, before_json, after_json, reason, hash) ",
                );
                let mut hashes = Vec::with_capacity(batch.len());
                for row in batch {
                    let hash = row.hash(&previous);
                    previous = hash.clone();
                    hashes.push(hash);
                }
                insert.push_values(batch.iter().zip(&hashes), |mut values, (row, hash)| {
                    values
                        .push_bind(row.at)
                        .push_bind(row.actor_id)
                        .push_bind(&row.actor_name)
                        .push_bind(&row.actor_role)
                        .push_bind(&row.client_addr)
                        .push_bind(&row.entity_type)
                        .push_bind(&row.entity_id)
                        .push_bind(&row.action)
                        .push_bind(&row.before_json)
                        .push_bind(&row.after_json)
                        .push_bind(&row.reason)
                        .push_bind(hash);
                });
                insert.build().execute(&mut *$conn).await?;
            }
            sqlx::query("UPDATE audit_chain SET chained = chained + $1, hash = $2 WHERE id = 1")
                .bind(rows.len() as i64)
                .bind(&previous)
                .execute(&mut *$conn)
                .await?;
            Ok::<(), sqlx::Error>(())
        }
        .await
    };
}
pub(crate) use append_chained;

/// What `sheguan audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Rows written before the chain existed (they lead the log, unhashed).
    pub before_chain: u64,
    /// Rows whose link was recomputed and matched.
    pub verified: u64,
    /// The first row that does not fit, and why; `None` when the whole log holds.
    pub broken: Option<(i64, String)>,
}

impl ChainReport {
    pub fn holds(&self) -> bool {
        self.broken.is_none()
    }
}

/// A stored row with its id and link.
#[derive(Debug, sqlx::FromRow)]
struct StoredRow {
    id: i64,
    hash: Option<String>,
    #[sqlx(flatten)]
    row: AuditRow,
}

impl Store {
    /// Walks the whole audit log in order, recomputing each link, and checks the chain's head: the first
    /// row that does not fit — changed, removed, inserted, or the last rows cut off — and why.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, sqlx::Error> {
        let mut report = ChainReport {
            before_chain: 0,
            verified: 0,
            broken: None,
        };
        // `None` until the first chained row: the rows before it were written before the chain existed.
        let mut previous: Option<String> = None;
        let mut after = 0_i64;
        loop {
            let rows: Vec<StoredRow> = on_pool!(self, pool => {
                sqlx::query_as(
                    "SELECT id, hash, at, actor_id, actor_name, actor_role, client_addr, entity_type, entity_id,
                        action, before_json, after_json, reason
                     FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
                )
                .bind(after)
                .fetch_all(pool)
                .await?
            });
            if rows.is_empty() {
                break;
            }
            for stored in rows {
                after = stored.id;
                match (stored.hash, previous.as_deref()) {
                    (None, None) => report.before_chain += 1,
                    (None, Some(_)) => {
                        report.broken = Some((stored.id, "该行没有哈希值：不是由本系统写入的".to_owned()));
                        return Ok(report);
                    }
                    (Some(hash), link) => {
                        if stored.row.hash(link.unwrap_or(GENESIS)) != hash {
                            report.broken = Some((
                                stored.id,
                                "该行与哈希链不符：它或它之前的一行被改动、删除或插入".to_owned(),
                            ));
                            return Ok(report);
                        }
                        report.verified += 1;
                        previous = Some(hash);
                    }
                }
            }
        }
        // The head knows how many rows were chained and the last link: rows cut off the end show here.
        let (rows, head): (i64, String) = on_pool!(self, pool => {
            sqlx::query_as("SELECT chained, hash FROM audit_chain WHERE id = 1")
                .fetch_one(pool)
                .await?
        });
        if rows as u64 != report.verified || head != previous.as_deref().unwrap_or(GENESIS) {
            report.broken = Some((
                after,
                format!(
                    "哈希链的末尾不符：链头记载 {rows} 行，日志中有 {} 行；最后的记录被删除或替换",
                    report.verified
                ),
            ));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Actor;

    #[test]
    fn a_link_covers_every_field_and_the_previous_link() {
        let actor = Actor {
            user_id: Some(7),
            name: "admin".to_owned(),
            role: None,
            client_addr: "127.0.0.1".to_owned(),
        };
        let entry = AuditEntry {
            actor: &actor,
            entity_type: "organization",
            entity_id: "12".to_owned(),
            action: "update",
            before: Some(json!({"name": "甲"})),
            after: Some(json!({"name": "乙"})),
            reason: None,
        };
        let row = AuditRow::of(&entry, Utc::now());
        let link = row.hash(GENESIS);
        assert_eq!(link.len(), 64);
        assert_eq!(link, row.hash(GENESIS), "the same row and link hash alike");
        assert_ne!(link, row.hash(&link), "the previous link is part of it");
        let mut changed = row.clone();
        changed.after_json = Some(json!({"name": "丙"}).to_string());
        assert_ne!(link, changed.hash(GENESIS));
        let mut moved = row.clone();
        moved.entity_id = "1".to_owned();
        moved.action = "2update".to_owned();
        assert_ne!(link, moved.hash(GENESIS), "fields cannot trade characters");
    }
}
