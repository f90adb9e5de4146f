//! Ledger entries: recording one (idempotently), changing a draft or returned one, finding one, and the
//! list and export of those the caller may see.

use chrono::Utc;
use domain::api::Contribution;
use domain::contributions::{ContributionStatus, ExpoRole, ValidContribution};
use domain::paging::PageRequest;
use sqlx::QueryBuilder;

use super::recipients::{SealedRecipient, insert_recipients};
use super::{ContributionRow, LedgerFilter, SELECT_CONTRIBUTION, city_of, push_ledger_where};
use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A new entry: who reports it, where it counts, its content and (optionally) its idempotency key.
#[derive(Debug, Clone)]
pub struct NewContribution<'a> {
    pub organization_id: i64,
    pub division_code: &'a str,
    pub entry: &'a ValidContribution,
    pub recipients: &'a [SealedRecipient],
    pub status: ContributionStatus,
    pub idempotency_key: Option<&'a str>,
    /// A digest of the request that carried the key: a repeat with another body is refused.
    pub request_hash: Option<&'a str>,
    pub created_by: Option<i64>,
}

/// What `create_contribution` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// A new entry.
    New(i64),
    /// The entry first recorded with the same key and the same request.
    Repeat(i64),
    /// The key was first used with another request: nothing recorded.
    KeyReused,
}

impl Store {
    /// Records a new entry with its recipients and audit row, in one transaction — or, when an entry of the
    /// same organization already carries `idempotency_key`, records nothing and returns that one.
    /// A key first used with another request (`request_hash`) records nothing either: `KeyReused`.
    pub async fn create_contribution<'a>(
        &self,
        new: &NewContribution<'_>,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<Created, sqlx::Error> {
        let now = Utc::now();
        let entry = new.entry;
        let city = city_of(new.division_code);
        let submitted_at = (new.status == ContributionStatus::Submitted).then_some(now);
        audited!(self, tx => {
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO contributions (organization_id, division_code, city_code, kind, date, year, amount_fen,
                     people, expo_role, village_code, description, status, corrects_id, idempotency_key,
                     created_by, created_at, updated_at, submitted_at, request_hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)
                 ON CONFLICT (organization_id, idempotency_key) DO NOTHING
                 RETURNING id",
            )
            .bind(new.organization_id)
            .bind(new.division_code)
            .bind(&city)
            .bind(entry.kind.key())
            .bind(entry.date)
            .bind(entry.year())
            .bind(entry.amount.as_i64())
            .bind(entry.people.map(i64::from))
            .bind(entry.expo_role.map(ExpoRole::key))
            .bind(entry.village_code.as_deref())
            .bind(&entry.description)
            .bind(new.status.key())
            .bind(entry.corrects_id)
            .bind(new.idempotency_key)
            .bind(new.created_by)
            .bind(now)
            .bind(submitted_at)
            .bind(new.request_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else {
                // The same key was used before (or by a request committed a moment ago): answer with that
                // entry — if it was the same request. Nothing was written, so leaving without the audit row
                // (the transaction rolls back) changes nothing.
                let (id, first_hash): (i64, Option<String>) = sqlx::query_as(
                    "SELECT id, request_hash FROM contributions WHERE organization_id = $1 AND idempotency_key = $2",
                )
                .bind(new.organization_id)
                .bind(new.idempotency_key)
                .fetch_one(&mut *tx)
                .await?;
                return Ok(match (first_hash.as_deref(), new.request_hash) {
                    (Some(first), Some(now)) if first != now => Created::KeyReused,
                    _ => Created::Repeat(id),
                });
            };
            insert_recipients!(&mut *tx, id, new.recipients);
            id
        }, id => &audit(*id))
        .map(Created::New)
    }

    /// Replaces the content of a draft or returned entry (and, with `submit`, sends it for review), unless it
    /// changed status meanwhile: `Ok(false)` then.
    pub async fn update_contribution(
        &self,
        id: i64,
        entry: &ValidContribution,
        recipients: &[SealedRecipient],
        status: ContributionStatus,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        let submitted_at = (status == ContributionStatus::Submitted).then_some(now);
        audited!(self, tx => {
            let updated = sqlx::query(
                "UPDATE contributions SET kind = $2, date = $3, year = $4, amount_fen = $5, people = $6,
                     expo_role = $7, village_code = $8, description = $9, status = $10, updated_at = $11,
                     submitted_at = COALESCE($12, submitted_at), return_reason = CASE WHEN $10 = 'submitted' THEN NULL ELSE return_reason END
                 WHERE id = $1 AND status IN ('draft', 'returned')",
            )
            .bind(id)
            .bind(entry.kind.key())
            .bind(entry.date)
            .bind(entry.year())
            .bind(entry.amount.as_i64())
            .bind(entry.people.map(i64::from))
            .bind(entry.expo_role.map(ExpoRole::key))
            .bind(entry.village_code.as_deref())
            .bind(&entry.description)
            .bind(status.key())
            .bind(now)
            .bind(submitted_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            sqlx::query("DELETE FROM contribution_recipients WHERE contribution_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            insert_recipients!(&mut *tx, id, recipients);
            true
        }, _ => audit)
    }

    /// One entry, if `visibility` covers it.
    pub async fn find_contribution(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<Contribution>, sqlx::Error> {
        let row: Option<ContributionRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_CONTRIBUTION);
            query.push(" WHERE c.id = ").push_bind(id);
            push_visibility!(query, visibility, "c.organization_id", "c.division_code");
            query.build_query_as().fetch_optional(pool).await?
        });
        Ok(row.map(Contribution::from))
    }

    /// Entries `visibility` covers that pass `filter`, a page of them, and how many pass in all.
    pub async fn list_contributions(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        page: PageRequest,
    ) -> Result<(Vec<Contribution>, u64), sqlx::Error> {
        self.contribution_rows(visibility, filter, page.limit(), page.offset())
            .await
    }

    /// Up to `limit` entries for an export, and how many pass in all.
    pub async fn export_contributions(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        limit: i64,
    ) -> Result<(Vec<Contribution>, u64), sqlx::Error> {
        self.contribution_rows(visibility, filter, limit, 0).await
    }

    async fn contribution_rows(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Contribution>, u64), sqlx::Error> {
        let order = if filter.oldest_first {
            "c.submitted_at ASC, c.id ASC"
        } else {
            "c.date DESC, c.id DESC"
        };
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_CONTRIBUTION);
            push_ledger_where!(list, visibility, filter);
            list.push(format_args!(" ORDER BY {order} LIMIT ")).push_bind(limit).push(" OFFSET ").push_bind(offset);
            let rows: Vec<ContributionRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM contributions c");
            push_ledger_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows.into_iter().map(Contribution::from).collect(), total as u64))
        })
    }

    /// The export's next slice: up to `limit` entries in the caller's scope that pass the filter, with ids
    /// above `after_id`, in id order — a keyset walk, as fast on the millionth entry as on the first.
    pub async fn contributions_after(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<Contribution>, sqlx::Error> {
        let rows: Vec<ContributionRow> = on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_CONTRIBUTION);
            push_ledger_where!(list, visibility, filter);
            list.push(" AND c.id > ").push_bind(after_id);
            list.push(" ORDER BY c.id LIMIT ").push_bind(limit);
            list.build_query_as().fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Contribution::from).collect())
    }

    /// How many entries in the caller's scope pass the filter.
    pub async fn count_contributions(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
    ) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM contributions c");
            push_ledger_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok(total as u64)
        })
    }

    /// The organization's registering division, if it exists.
    pub async fn organization_division(&self, id: i64) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT division_code FROM organizations WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(code,)| code))
    }

    /// Whether a village (or community) with this code exists.
    pub async fn village_exists(&self, code: &str) -> Result<bool, sqlx::Error> {
        let row: Option<(String,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT code FROM villages WHERE code = $1").bind(code).fetch_optional(pool).await?
        });
        Ok(row.is_some())
    }
}
