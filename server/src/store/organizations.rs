//! Organizations: the registry's rows.

use chrono::Utc;
use sqlx::QueryBuilder;

use super::{Store, on_pool};

/// An organization to insert as it is (seed and import); `credit_code` is already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationSeed {
    pub credit_code: String,
    pub name: String,
    pub kind: String,
    pub level: String,
    pub division_code: String,
}

impl Store {
    /// Inserts organizations, skipping any whose credit code is already registered.
    pub async fn insert_organizations(&self, rows: &[OrganizationSeed]) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in rows.chunks(500) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO organizations (credit_code, name, kind, level, division_code, status, created_at, updated_at) ",
                );
                insert.push_values(chunk, |mut row, o| {
                    row.push_bind(&o.credit_code)
                        .push_bind(&o.name)
                        .push_bind(&o.kind)
                        .push_bind(&o.level)
                        .push_bind(&o.division_code)
                        .push_bind("normal")
                        .push_bind(now)
                        .push_bind(now);
                });
                insert.push(" ON CONFLICT (credit_code) DO NOTHING");
                insert.build().execute(&mut *tx).await?;
            }
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
