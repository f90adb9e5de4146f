//! The audit log: one row per write, in the same transaction as the write, linked into a hash chain
//! (`chain.rs`); read back with filters, and verified whole by `sheguan audit verify`.

pub mod chain;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::AuditRecord;
use domain::paging::PageRequest;
use domain::policy::Role;
use serde_json::Value;

use super::{Store, on_pool};

/// Who did it, from where: taken from the signed-in session (or the attempted username for sign-ins).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub role: Option<Role>,
    pub client_addr: String,
}

/// One change to record. `before` and `after` must already have personal fields masked.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry<'a> {
    pub actor: &'a Actor,
    pub entity_type: &'a str,
    pub entity_id: String,
    pub action: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<String>,
}

/// Appends `$entry` (an `&AuditEntry`) on `$conn` — the transaction of the change it describes, as
/// `&mut *tx` — and links it into the hash chain (`chain.rs`); evaluates to `Result<(), sqlx::Error>`.
macro_rules! record_audit {
    ($conn:expr, $entry:expr) => {{
        let entry: &$crate::store::AuditEntry<'_> = $entry;
        let row = $crate::store::audit::chain::AuditRow::of(entry, chrono::Utc::now());
        $crate::store::audit::chain::append_chained!($conn, std::slice::from_ref(&row))
    }};
}
pub(crate) use record_audit;

/// Runs a change and its audit row in one transaction on the store's backend, then commits.
///
/// `audited!(self, tx => { …change on &mut *tx… ; value }, value => audit_entry)`: the block runs with
/// `tx` open (`?` and `return` leave it, rolling back), then `audit_entry` — an `&AuditEntry`, which may
/// read the block's value through the `value` pattern, e.g. `id => &audit(*id)` — is appended, the
/// transaction commits and the whole is `Ok(value)`. The one "write + audit row" tail of every module.
macro_rules! audited {
    ($store:expr, $tx:ident => $body:block, $value:pat => $audit:expr) => {
        $crate::store::on_pool!($store, pool => {
            let mut $tx = pool.begin().await?;
            let value = $body;
            {
                let $value = &value;
                $crate::store::audit::record_audit!(&mut *$tx, $audit)?;
            }
            $tx.commit().await?;
            Ok(value)
        })
    };
}
pub(crate) use audited;

/// A validated audit-log filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditFilter {
    /// The instants the dates bound: from the start of `from` to before the day after `to`.
    fn bounds(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let from = self.from.and_then(start);
        let to = self.to.and_then(|d| d.succ_opt()).and_then(start);
        (from, to)
    }
}

#[derive(Debug, sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    actor_name: String,
    actor_role: Option<String>,
    client_addr: String,
    entity_type: String,
    entity_id: String,
    action: String,
    before_json: Option<String>,
    after_json: Option<String>,
    reason: Option<String>,
}

impl From<AuditRow> for AuditRecord {
    fn from(row: AuditRow) -> Self {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        AuditRecord {
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            actor_name: row.actor_name,
            actor_role: row.actor_role.as_deref().and_then(Role::parse),
            client_addr: row.client_addr,
            entity_type: row.entity_type,
            entity_id: row.entity_id,
            action: row.action,
            before: json(row.before_json),
            after: json(row.after_json),
            reason: row.reason,
        }
    }
}

const AUDIT_FILTER: &str = "WHERE ($1 IS NULL OR actor_name = $1)
      AND ($2 IS NULL OR entity_type = $2)
      AND ($3 IS NULL OR entity_id = $3)
      AND ($4 IS NULL OR action = $4)
      AND ($5 IS NULL OR at >= $5)
      AND ($6 IS NULL OR at < $6)";

impl Store {
    /// Appends one audit row on its own (for events that change nothing else, e.g. viewing personal data).
    pub async fn record_audit(&self, entry: &AuditEntry<'_>) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            record_audit!(&mut *tx, entry)?;
            tx.commit().await
        })
    }

    /// The newest audit rows first; `page` of the rows that match, and how many match in all.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        page: PageRequest,
    ) -> Result<(Vec<AuditRecord>, u64), sqlx::Error> {
        self.audit_rows(filter, page.limit(), page.offset()).await
    }

    /// The export's next slice: up to `limit` rows that pass the filter with ids below `before_id` (all
    /// when `None`), newest first — a keyset walk, as fast at the end of the log as at its start.
    pub async fn audit_before(
        &self,
        filter: &AuditFilter,
        before_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, sqlx::Error> {
        let (from, to) = filter.bounds();
        let sql = format!(
            "SELECT * FROM audit_log {AUDIT_FILTER} AND ($7 IS NULL OR id < $7) ORDER BY id DESC LIMIT $8"
        );
        let rows: Vec<AuditRow> = on_pool!(self, pool => {
            sqlx::query_as(&sql)
                .bind(filter.actor.as_deref())
                .bind(filter.entity_type.as_deref())
                .bind(filter.entity_id.as_deref())
                .bind(filter.action.as_deref())
                .bind(from)
                .bind(to)
                .bind(before_id)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(AuditRecord::from).collect())
    }

    /// How many rows pass the filter.
    pub async fn count_audit(&self, filter: &AuditFilter) -> Result<u64, sqlx::Error> {
        Ok(self.audit_rows(filter, 0, 0).await?.1)
    }

    async fn audit_rows(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditRecord>, u64), sqlx::Error> {
        let (from, to) = filter.bounds();
        let list_sql = format!("SELECT * FROM audit_log {AUDIT_FILTER} ORDER BY id DESC LIMIT $7 OFFSET $8");
        let count_sql = format!("SELECT COUNT(*) FROM audit_log {AUDIT_FILTER}");
        on_pool!(self, pool => {
            let rows: Vec<AuditRow> = sqlx::query_as(&list_sql)
                .bind(filter.actor.as_deref())
                .bind(filter.entity_type.as_deref())
                .bind(filter.entity_id.as_deref())
                .bind(filter.action.as_deref())
                .bind(from)
                .bind(to)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let (total,): (i64,) = sqlx::query_as(&count_sql)
                .bind(filter.actor.as_deref())
                .bind(filter.entity_type.as_deref())
                .bind(filter.entity_id.as_deref())
                .bind(filter.action.as_deref())
                .bind(from)
                .bind(to)
                .fetch_one(pool)
                .await?;
            Ok((rows.into_iter().map(AuditRecord::from).collect(), total as u64))
        })
    }
}
