//! Pins and forbids: the pairs staff steer the engine towards or away from in a round's next runs.

use crate::store::{AuditEntry, Store, audited, on_pool};

impl Store {
    /// Pins or forbids a pair (`kind` `pin`/`forbid`), or lifts it (`None`), with the audit row.
    pub async fn set_constraint(
        &self,
        round_id: i64,
        organization_id: i64,
        village_code: &str,
        kind: Option<&str>,
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        audited!(self, tx => {
            match kind {
                Some(kind) => sqlx::query(
                    "INSERT INTO pairing_constraints (round_id, organization_id, village_code, kind) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (round_id, organization_id, village_code) DO UPDATE SET kind = excluded.kind",
                )
                .bind(round_id)
                .bind(organization_id)
                .bind(village_code)
                .bind(kind)
                .execute(&mut *tx)
                .await?,
                None => sqlx::query(
                    "DELETE FROM pairing_constraints WHERE round_id = $1 AND organization_id = $2 AND village_code = $3",
                )
                .bind(round_id)
                .bind(organization_id)
                .bind(village_code)
                .execute(&mut *tx)
                .await?,
            };
        }, _ => audit)
    }

    /// A round's pins and forbids as (organization, village, kind), in a stable order.
    pub async fn round_constraints(&self, round_id: i64) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT organization_id, village_code, kind FROM pairing_constraints WHERE round_id = $1
                 ORDER BY organization_id, village_code",
            )
            .bind(round_id)
            .fetch_all(pool)
            .await
        })
    }
}
