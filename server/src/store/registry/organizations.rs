//! Organizations: inserting registry rows as they are (the demo seed; the import in `import.rs`), their
//! contact phones sealed (`phones.rs`).

use chrono::{NaiveDate, Utc};
use sqlx::QueryBuilder;

use crate::store::{Store, on_pool};

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
/// The phone is sealed under `$keys` (`Option<&DataKeys>`, see `phones.rs`).
macro_rules! organizations_insert {
    ($chunk:expr, $now:expr, $keys:expr, |$item:ident| $seed:expr) => {{
        let keys: Option<&$crate::crypto::DataKeys> = $keys;
        let mut insert = QueryBuilder::new(
            "INSERT INTO organizations (credit_code, name, kind, level, division_code, status, created_at,
                updated_at, categories, emerging_industry, supervisory_unit, legal_representative, founded_on,
                registered_funds_fen, domicile, business_scope, contact_phone, seal_ref, phone_key_id,
                phone_cipher, phone_masked) ",
        );
        insert.push_values($chunk, |mut row, $item| {
            let o: &OrganizationSeed = $seed;
            let phone =
                $crate::store::registry::phones::phone_columns(keys, o.contact_phone.as_deref(), None);
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
                .push_bind(phone.clear)
                .push_bind(phone.seal_ref)
                .push_bind(phone.phone_key_id)
                .push_bind(phone.phone_cipher)
                .push_bind(phone.phone_masked);
        });
        insert
    }};
}
pub(super) use organizations_insert;

impl Store {
    /// Inserts organizations, skipping any whose credit code is already registered, and gives each new one
    /// the first entry of its timeline.
    pub async fn insert_organizations(&self, rows: &[OrganizationSeed]) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in rows.chunks(500) {
                let mut insert = organizations_insert!(chunk, now, self.data_keys(), |o| o);
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
