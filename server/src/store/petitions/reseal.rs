//! Key rotation for petitioners: the rows sealed under another key than the current one, and their
//! re-sealed values stored back (only where the row is still under the key it was read with), one audit row
//! per batch — the petitions' half of `sheguan keys reseal`.

use crate::store::{AuditEntry, Store, audited, on_pool};

use super::PetitionRow;

/// A petitioner sealed again under the current key.
#[derive(Debug, Clone)]
pub struct ResealedPetitioner {
    pub id: i64,
    /// The key it was sealed under, and its seal reference: the row is only changed if they still are.
    pub old_key_id: String,
    pub old_seal_ref: Option<String>,
    pub seal_ref: String,
    pub key_id: String,
    pub name_cipher: String,
    pub phone_cipher: String,
    pub id_number_cipher: String,
}

impl Store {
    /// Up to `limit` petitions sealed under another key than `current` or not yet bound to their row (no
    /// `seal_ref`), with ids above `after`, in id order.
    pub async fn petitions_sealed_under_other_keys(
        &self,
        current: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<PetitionRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT p.*, NULL AS organization_name FROM petitions p
                 WHERE (p.key_id <> $1 OR p.seal_ref IS NULL) AND p.id > $2
                 ORDER BY p.id LIMIT $3",
            )
            .bind(current).bind(after).bind(limit).fetch_all(pool).await
        })
    }

    /// Stores re-sealed petitioners and one audit row for them, in one transaction; how many rows changed.
    pub async fn reseal_petitioners(
        &self,
        rows: &[ResealedPetitioner],
        audit: &AuditEntry<'_>,
    ) -> Result<u64, sqlx::Error> {
        audited!(self, tx => {
            let mut changed = 0;
            for row in rows {
                changed += sqlx::query(
                    "UPDATE petitions SET key_id = $2, name_cipher = $3, phone_cipher = $4, id_number_cipher = $5,
                         seal_ref = $7
                     WHERE id = $1 AND key_id = $6 AND COALESCE(seal_ref, '') = $8",
                )
                .bind(row.id).bind(&row.key_id).bind(&row.name_cipher).bind(&row.phone_cipher)
                .bind(&row.id_number_cipher).bind(&row.old_key_id).bind(&row.seal_ref)
                .bind(row.old_seal_ref.as_deref().unwrap_or_default())
                .execute(&mut *tx).await?.rows_affected();
            }
            changed
        }, _ => audit)
    }
}
