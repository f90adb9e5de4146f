//! Scholarship recipients: stored sealed (name and ID number under the data key), shown masked, matched
//! across organizations by a keyed digest of the ID number, and sealed again when the key rotates.

use domain::contributions::AdmissionKind;
use domain::money::Fen;
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A recipient ready to store: name and ID number sealed (bound to `seal_ref`), masks and match digest
/// computed.
#[derive(Debug, Clone)]
pub struct SealedRecipient {
    pub seal_ref: String,
    pub key_id: String,
    pub name_cipher: String,
    pub id_number_cipher: String,
    pub name_masked: String,
    pub id_number_masked: String,
    pub id_hash: String,
    pub school: String,
    pub admission: AdmissionKind,
    pub amount: Fen,
    pub year: i32,
}

/// A stored recipient, still sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub id: i64,
    pub contribution_id: i64,
    pub key_id: String,
    pub name_cipher: String,
    pub id_number_cipher: String,
    pub name_masked: String,
    pub id_number_masked: String,
    pub id_hash: String,
    pub school: String,
    pub admission: String,
    pub amount_fen: i64,
    pub year: i32,
    /// What its values are sealed with (`crate::crypto::Context`); none before values were bound to rows.
    pub seal_ref: Option<String>,
}

impl RecipientRow {
    /// Where the recipient's `column` is sealed.
    pub fn context(&self, column: &'static str) -> crate::crypto::Context<'_> {
        crate::crypto::Context::new(
            "contribution_recipients",
            column,
            self.seal_ref.as_deref().unwrap_or_default(),
        )
    }
}

/// A recipient's name and ID number sealed again under the current key (`sheguan keys reseal`).
#[derive(Debug, Clone)]
pub struct ResealedRecipient {
    pub id: i64,
    /// The key it was sealed under, and its seal reference: the row is only changed if they still are.
    pub old_key_id: String,
    pub old_seal_ref: Option<String>,
    pub seal_ref: String,
    pub key_id: String,
    pub name_cipher: String,
    pub id_number_cipher: String,
}

/// Inserts `$recipients` (`SealedRecipient`s) of entry `$id` on `$conn`, in chunks: the entry's own
/// transaction, whether it is reported, changed or generated.
macro_rules! insert_recipients {
    ($conn:expr, $id:expr, $recipients:expr) => {
        for chunk in $recipients.chunks(200) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO contribution_recipients (contribution_id, key_id, name_cipher, id_number_cipher,
                     name_masked, id_number_masked, id_hash, school, admission, amount_fen, year, seal_ref) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind($id)
                    .push_bind(&r.key_id)
                    .push_bind(&r.name_cipher)
                    .push_bind(&r.id_number_cipher)
                    .push_bind(&r.name_masked)
                    .push_bind(&r.id_number_masked)
                    .push_bind(&r.id_hash)
                    .push_bind(&r.school)
                    .push_bind(r.admission.key())
                    .push_bind(r.amount.as_i64())
                    .push_bind(r.year)
                    .push_bind(&r.seal_ref);
            });
            insert.build().execute($conn).await?;
        }
    };
}
pub(super) use insert_recipients;

impl Store {
    /// The recipients of the entries `ids`, in entry and entry order (the caller has found the entries in
    /// their visibility first).
    pub async fn contribution_recipients(&self, ids: &[i64]) -> Result<Vec<RecipientRow>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new("SELECT * FROM contribution_recipients WHERE contribution_id IN (");
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY contribution_id, id");
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// Of the recipients of entry `id`, those whose child is also funded in the same year by another
    /// organization's entry (submitted or verified).
    pub async fn recipients_funded_elsewhere(&self, id: i64) -> Result<Vec<i64>, sqlx::Error> {
        let rows: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT r.id FROM contribution_recipients r
                 JOIN contributions c ON c.id = r.contribution_id
                 JOIN contribution_recipients r2 ON r2.year = r.year AND r2.id_hash = r.id_hash AND r2.id <> r.id
                 JOIN contributions c2 ON c2.id = r2.contribution_id
                 WHERE r.contribution_id = $1 AND c2.organization_id <> c.organization_id
                   AND c2.status IN ('submitted', 'verified') AND c2.superseded_by IS NULL",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Recipients whose child is funded by more than one organization in a year — matched across the
    /// province, shown where `visibility` covers the funding entry: (recipient row, organization id,
    /// organization name), grouped by year and match digest.
    pub async fn duplicate_recipients(
        &self,
        visibility: &Visibility,
        year: Option<i32>,
    ) -> Result<Vec<(RecipientRow, i64, String)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            recipient: RecipientRow,
            organization_id: i64,
            organization_name: String,
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT r.*, c.organization_id, o.name AS organization_name
                 FROM contribution_recipients r
                 JOIN contributions c ON c.id = r.contribution_id
                 JOIN organizations o ON o.id = c.organization_id
                 WHERE c.status IN ('submitted', 'verified') AND c.superseded_by IS NULL",
            );
            if let Some(year) = year {
                query.push(" AND r.year = ").push_bind(year);
            }
            push_visibility!(query, visibility, "c.organization_id", "c.division_code");
            query.push(
                " AND (r.year, r.id_hash) IN (
                     SELECT r3.year, r3.id_hash FROM contribution_recipients r3
                     JOIN contributions c3 ON c3.id = r3.contribution_id
                     WHERE c3.status IN ('submitted', 'verified') AND c3.superseded_by IS NULL",
            );
            if let Some(year) = year {
                query.push(" AND r3.year = ").push_bind(year);
            }
            query.push(
                " GROUP BY r3.year, r3.id_hash HAVING COUNT(DISTINCT c3.organization_id) > 1)
                 ORDER BY r.year DESC, r.id_hash, r.id",
            );
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| (r.recipient, r.organization_id, r.organization_name))
            .collect())
    }

    /// Up to `limit` recipients sealed under another key than `current` or not yet bound to their row (no
    /// `seal_ref`), with ids above `after`, in id order.
    pub async fn recipients_sealed_under_other_keys(
        &self,
        current: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<RecipientRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT * FROM contribution_recipients WHERE (key_id <> $1 OR seal_ref IS NULL) AND id > $2
                 ORDER BY id LIMIT $3",
            )
            .bind(current)
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await
        })
    }

    /// Stores re-sealed recipients and one audit row for them, in one transaction. Returns how many rows
    /// changed (a row re-sealed meanwhile by someone else is left alone).
    pub async fn reseal_recipients(
        &self,
        rows: &[ResealedRecipient],
        audit: &AuditEntry<'_>,
    ) -> Result<u64, sqlx::Error> {
        audited!(self, tx => {
            let mut changed = 0;
            for row in rows {
                changed += sqlx::query(
                    "UPDATE contribution_recipients SET key_id = $2, name_cipher = $3, id_number_cipher = $4,
                         seal_ref = $6
                     WHERE id = $1 AND key_id = $5 AND COALESCE(seal_ref, '') = $7",
                )
                .bind(row.id)
                .bind(&row.key_id)
                .bind(&row.name_cipher)
                .bind(&row.id_number_cipher)
                .bind(&row.old_key_id)
                .bind(&row.seal_ref)
                .bind(row.old_seal_ref.as_deref().unwrap_or_default())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            changed
        }, _ => audit)
    }
}
