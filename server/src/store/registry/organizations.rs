//! Organizations: inserting registry rows as they are (seed and import).

use chrono::{NaiveDate, Utc};
use sqlx::QueryBuilder;

use crate::store::{Actor, AuditEntry, Store, audited, on_pool};

/// An organization to insert as it is (seed and import); `credit_code` is already validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationSeed {
    pub credit_code: String,
    pub name: String,
    pub kind: String,
    pub level: String,
    pub division_code: String,
    /// Comma-joined category keys; `other` when empty.
    pub categories: String,
    pub emerging_industry: Option<String>,
    pub supervisory_unit: Option<String>,
    pub legal_representative: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub registered_funds_fen: Option<i64>,
    pub domicile: Option<String>,
    pub business_scope: Option<String>,
    pub contact_phone: Option<String>,
    pub status: Option<String>,
}

/// `INSERT INTO organizations (…) VALUES (…), …` for a chunk of rows, each seen as an [`OrganizationSeed`]
/// through the closure-like last argument: the one column list both the demo seed and the import write.
macro_rules! organizations_insert {
    ($chunk:expr, $now:expr, |$item:ident| $seed:expr) => {{
        let mut insert = QueryBuilder::new(
            "INSERT INTO organizations (credit_code, name, kind, level, division_code, status, created_at,
                updated_at, categories, emerging_industry, supervisory_unit, legal_representative, founded_on,
                registered_funds_fen, domicile, business_scope, contact_phone) ",
        );
        insert.push_values($chunk, |mut row, $item| {
            let o: &OrganizationSeed = $seed;
            let categories = if o.categories.is_empty() {
                "other"
            } else {
                o.categories.as_str()
            };
            row.push_bind(&o.credit_code)
                .push_bind(&o.name)
                .push_bind(&o.kind)
                .push_bind(&o.level)
                .push_bind(&o.division_code)
                .push_bind(o.status.as_deref().unwrap_or("normal"))
                .push_bind($now)
                .push_bind($now)
                .push_bind(categories)
                .push_bind(o.emerging_industry.as_deref())
                .push_bind(o.supervisory_unit.as_deref())
                .push_bind(o.legal_representative.as_deref())
                .push_bind(o.founded_on)
                .push_bind(o.registered_funds_fen)
                .push_bind(o.domicile.as_deref())
                .push_bind(o.business_scope.as_deref())
                .push_bind(o.contact_phone.as_deref());
        });
        insert
    }};
}

impl Store {
    /// Inserts organizations, skipping any whose credit code is already registered, and gives each new one
    /// the first entry of its timeline.
    pub async fn insert_organizations(&self, rows: &[OrganizationSeed]) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in rows.chunks(500) {
                let mut insert = organizations_insert!(chunk, now, |o| o);
                // Any duplicate (credit code or name) is skipped: seeding and re-seeding never fail on one.
                insert.push(" ON CONFLICT DO NOTHING");
                insert.build().execute(&mut *tx).await?;
            }
            sqlx::query(
                "INSERT INTO organization_events (organization_id, matter_id, at, kind, summary, actor_name)
                 SELECT o.id, NULL, o.created_at, 'registered', '登记在册（存量数据导入）', 'system' FROM organizations o
                 WHERE NOT EXISTS (SELECT 1 FROM organization_events e WHERE e.organization_id = o.id)",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    /// The id of the organization with this credit code.
    pub async fn organization_id_by_credit_code(
        &self,
        credit_code: &str,
    ) -> Result<Option<i64>, sqlx::Error> {
        let found: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id FROM organizations WHERE credit_code = $1")
                .bind(credit_code)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.map(|(id,)| id))
    }
}

/// What an import stores for each organization, besides its row: the audit row's `after` (no phone).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub organization: OrganizationSeed,
    pub audit_after: serde_json::Value,
}

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
        let reason = format!("批量导入：{file_name}（共 {} 个）", rows.len());
        let summary = format!("登记在册（由文件「{file_name}」导入名录）");
        let file_entry = |ids: &[i64]| AuditEntry {
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
            reason: Some(reason.clone()),
        };
        // Each organization's audit row is written with its batch (one INSERT of up to 500 rows, which
        // `record_audit!` cannot express); the file's own row closes the transaction.
        audited!(self, tx => {
            let mut ids = Vec::with_capacity(rows.len());
            for chunk in rows.chunks(500) {
                let mut insert = organizations_insert!(chunk, now, |r| &r.organization);
                insert.push(" RETURNING id, credit_code");
                let inserted: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut *tx).await?;
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
                events.build().execute(&mut *tx).await?;
                insert_import_audit!(&mut *tx, chunk, &chunk_ids, now, actor, &reason);
                ids.extend(chunk_ids);
            }
            ids
        }, ids => &file_entry(ids))
    }
}

/// One audit row per imported organization of a batch, in one `INSERT`: the import's rows are written
/// batch by batch, which `record_audit!` (one row) cannot express.
macro_rules! insert_import_audit {
    ($conn:expr, $chunk:expr, $ids:expr, $now:expr, $actor:expr, $reason:expr) => {{
        let (chunk, chunk_ids, actor): (&[ImportRow], &[i64], &Actor) = ($chunk, $ids, $actor);
        let (now, reason): (_, &str) = ($now, $reason);
        let mut audit = QueryBuilder::new(
            "INSERT INTO audit_log (at, actor_id, actor_name, actor_role, client_addr, entity_type, entity_id,
                action, before_json, after_json, reason) ",
        );
        audit.push_values(chunk.iter().zip(chunk_ids), |mut row, (r, id)| {
            row.push_bind(now)
                .push_bind(actor.user_id)
                .push_bind(&actor.name)
                .push_bind(actor.role.map(domain::policy::Role::key))
                .push_bind(&actor.client_addr)
                .push_bind("organization")
                .push_bind(id.to_string())
                .push_bind("import")
                .push_bind(None::<String>)
                .push_bind(r.audit_after.to_string())
                .push_bind(reason);
        });
        audit.build().execute($conn).await?;
    }};
}
use insert_import_audit;
