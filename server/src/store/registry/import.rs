//! Importing organizations from a file: all or nothing, in one transaction — inside a request for a small
//! file, or as a job for a large one, whose `done` is written in that same transaction under the job's
//! fence, so that an import stored by a worker that lost its claim is rolled back and stored once.

use chrono::Utc;
use serde_json::Value;
use sqlx::QueryBuilder;

use super::organizations::{OrganizationSeed, organizations_insert};
use crate::store::audit::chain::{AuditRow, append_chained};
use crate::store::audit::record_audit;
use crate::store::jobs::{ClaimedJob, finish_job_on};
use crate::store::{Actor, AuditEntry, Store, audited, on_pool};

/// How many organizations one `INSERT` stores.
pub const IMPORT_BATCH: usize = 500;

/// What an import stores for each organization, besides its row: the audit row's `after` (no phone).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub organization: OrganizationSeed,
    pub audit_after: Value,
}

/// What a finished import job answers: its summary line and its report (JSON), from the new ids.
pub type ImportOutcome<'a> = &'a (dyn Fn(&[i64]) -> (String, Value) + Sync);

impl Store {
    /// Every credit code and name in the registry (the import's duplicate checks).
    pub async fn registry_keys(&self) -> Result<Vec<(String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT credit_code, name FROM organizations")
                .fetch_all(pool)
                .await
        })
    }

    /// Imports organizations all or nothing: in one transaction every row, its first timeline event and
    /// its audit row, then one audit row for the file. A duplicate credit code or name (someone else was
    /// faster since the check) fails the whole import. Returns the new ids in row order.
    pub async fn import_organizations(
        &self,
        rows: &[ImportRow],
        file_name: &str,
        actor: &Actor,
    ) -> Result<Vec<i64>, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            import_batches!(&mut tx, rows, file_name, actor, now, &|_| {}, self.data_keys())
        }, ids => &file_entry(actor, file_name, rows.len(), ids))
    }

    /// As [`Store::import_organizations`], for the claimed `job`: the same transaction also marks the job
    /// done with `outcome`'s summary and report — only while the claim is still the worker's. `stored` hears
    /// how many rows are in after each batch. `Ok(None)`: the claim had lapsed, nothing was stored.
    pub async fn import_organizations_for_job(
        &self,
        rows: &[ImportRow],
        file_name: &str,
        actor: &Actor,
        job: &ClaimedJob,
        outcome: ImportOutcome<'_>,
        stored: &(dyn Fn(usize) + Sync),
    ) -> Result<Option<Vec<i64>>, sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let ids = import_batches!(&mut tx, rows, file_name, actor, now, stored, self.data_keys());
            record_audit!(&mut *tx, &file_entry(actor, file_name, rows.len(), &ids))?;
            let (summary, report) = outcome(&ids);
            // The fence last: a worker whose claim lapsed while it stored rolls everything back.
            if !finish_job_on!(&mut *tx, job, Some(summary.as_str()), Some(&report), now) {
                tx.rollback().await?;
                return Ok(None);
            }
            tx.commit().await?;
            Ok(Some(ids))
        })
    }
}

/// The file's own audit row, which closes the import's transaction.
fn file_entry<'a>(actor: &'a Actor, file_name: &str, rows: usize, ids: &[i64]) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        entity_type: "organization_import",
        entity_id: file_name.to_owned(),
        action: "import",
        before: None,
        after: Some(serde_json::json!({
            "file": file_name,
            "organizations": ids.len(),
            "first_id": ids.first(),
            "last_id": ids.last(),
        })),
        reason: Some(import_reason(file_name, rows)),
    }
}

fn import_reason(file_name: &str, rows: usize) -> String {
    format!("批量导入：{file_name}（共 {rows} 个）")
}

/// Inserts the rows in batches of [`IMPORT_BATCH`] on the transaction — each organization, its first
/// timeline event and its audit row — calling `stored(n)` after each; evaluates to the new ids in row order.
macro_rules! import_batches {
    ($tx:expr, $rows:expr, $file_name:expr, $actor:expr, $now:expr, $stored:expr, $keys:expr) => {{
        let tx = $tx;
        let keys: Option<&crate::crypto::DataKeys> = $keys;
        let (rows, file_name, actor): (&[ImportRow], &str, &Actor) = ($rows, $file_name, $actor);
        let stored: &(dyn Fn(usize) + Sync) = $stored;
        let now = $now;
        let reason = import_reason(file_name, rows.len());
        let summary = format!("登记在册（由文件「{file_name}」导入名录）");
        let mut ids = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(IMPORT_BATCH) {
            let mut insert = organizations_insert!(chunk, now, keys, |r| &r.organization);
            insert.push(" RETURNING id, credit_code");
            let inserted: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut **tx).await?;
            let by_code: std::collections::HashMap<&str, i64> =
                inserted.iter().map(|(id, code)| (code.as_str(), *id)).collect();
            let chunk_ids: Vec<i64> = chunk
                .iter()
                .map(|r| by_code.get(r.organization.credit_code.as_str()).copied().unwrap_or_default())
                .collect();
            let mut events = QueryBuilder::new(
                "INSERT INTO organization_events (organization_id, matter_id, at, kind, summary, actor_name) ",
            );
            events.push_values(&chunk_ids, |mut row, id| {
                row.push_bind(*id)
                    .push_bind(None::<i64>)
                    .push_bind(now)
                    .push_bind("imported")
                    .push_bind(&summary)
                    .push_bind(&actor.name);
            });
            events.build().execute(&mut **tx).await?;
            insert_import_audit!(&mut **tx, chunk, &chunk_ids, now, actor, &reason);
            ids.extend(chunk_ids);
            stored(ids.len());
        }
        ids
    }};
}
use import_batches;

/// One audit row per imported organization of a batch, appended to the chain together: the import's rows
/// are written batch by batch, which `record_audit!` (one row) cannot express.
macro_rules! insert_import_audit {
    ($conn:expr, $chunk:expr, $ids:expr, $now:expr, $actor:expr, $reason:expr) => {{
        let (chunk, chunk_ids, actor): (&[ImportRow], &[i64], &Actor) = ($chunk, $ids, $actor);
        let (now, reason): (_, &str) = ($now, $reason);
        let rows: Vec<AuditRow> = chunk
            .iter()
            .zip(chunk_ids)
            .map(|(r, id)| {
                let entry = AuditEntry {
                    actor,
                    entity_type: "organization",
                    entity_id: id.to_string(),
                    action: "import",
                    before: None,
                    after: Some(r.audit_after.clone()),
                    reason: Some(reason.to_owned()),
                };
                AuditRow::of(&entry, now)
            })
            .collect();
        append_chained!($conn, &rows)?;
    }};
}
use insert_import_audit;
