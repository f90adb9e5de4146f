//! The demo data set's and the benchmarks' share of the ledger: generated entries bulk-loaded with their
//! recipients and their part of the rollup.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Utc};
use domain::contributions::{ContributionKind, ContributionStatus, ExpoRole};
use domain::money::Fen;
use sqlx::QueryBuilder;

use super::city_of;
use super::recipients::{SealedRecipient, insert_recipients};
use crate::store::{Store, on_pool};

/// A generated entry for the demo data set and benchmarks: already valid, verified unless said otherwise.
#[derive(Debug, Clone)]
pub struct SeedContribution {
    pub organization_id: i64,
    pub division_code: String,
    pub kind: ContributionKind,
    pub date: NaiveDate,
    pub amount: Fen,
    pub people: Option<i64>,
    pub expo_role: Option<ExpoRole>,
    pub status: ContributionStatus,
    pub description: String,
    pub seed_key: String,
    pub recipients: Vec<SealedRecipient>,
}

/// A rollup cell — (division, year, kind) — and its sums: (entries, amount in fen, people).
type RollupCell = ((String, i32, ContributionKind), (i64, i64, i64));

/// Adds `$rollup` (the cells of a batch, from [`seed_rollup`]) to `contribution_rollup` on `$conn`, in the
/// batch's transaction.
macro_rules! upsert_seed_rollup {
    ($conn:expr, $rollup:expr) => {
        let rollup: Vec<RollupCell> = $rollup;
        if !rollup.is_empty() {
            let mut upsert = QueryBuilder::new(
                "INSERT INTO contribution_rollup (division_code, city_code, year, kind, entries, amount_fen,
                     people) ",
            );
            upsert.push_values(
                &rollup,
                |mut row, ((division, year, kind), (entries, amount, people))| {
                    row.push_bind(division.as_str())
                        .push_bind(city_of(division))
                        .push_bind(*year)
                        .push_bind(kind.key())
                        .push_bind(*entries)
                        .push_bind(*amount)
                        .push_bind(*people);
                },
            );
            upsert.push(
                " ON CONFLICT (division_code, year, kind) DO UPDATE SET
                     entries = contribution_rollup.entries + excluded.entries,
                     amount_fen = contribution_rollup.amount_fen + excluded.amount_fen,
                     people = contribution_rollup.people + excluded.people",
            );
            upsert.build().execute($conn).await?;
        }
    };
}

impl Store {
    /// Whether any generated entry is stored (so the demo load runs once).
    pub async fn has_seed_contributions(&self) -> Result<bool, sqlx::Error> {
        let row: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id FROM contributions WHERE idempotency_key LIKE 'seed-%' LIMIT 1")
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    /// The ids and divisions of every organization, for generators.
    pub async fn organization_divisions(&self) -> Result<Vec<(i64, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT id, division_code FROM organizations ORDER BY id").fetch_all(pool).await
        })
    }

    /// Bulk-inserts generated entries, their recipients and their share of the rollup in one transaction,
    /// as multi-row inserts of 1,000 entries. Each entry's `seed_key` becomes its idempotency key, which
    /// maps the returned ids back to the entries. A bulk load is not a user's change, so it has no audit
    /// row and its transaction is written out here rather than through `audited!`.
    pub async fn insert_seed_contributions(&self, entries: &[SeedContribution]) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in entries.chunks(1000) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO contributions (organization_id, division_code, city_code, kind, date, year, amount_fen,
                         people, expo_role, description, status, idempotency_key, created_at, updated_at,
                         submitted_at, reviewed_at) ",
                );
                insert.push_values(chunk, |mut row, e| {
                    let reviewed = matches!(e.status, ContributionStatus::Verified | ContributionStatus::Returned);
                    row.push_bind(e.organization_id)
                        .push_bind(&e.division_code)
                        .push_bind(city_of(&e.division_code))
                        .push_bind(e.kind.key())
                        .push_bind(e.date)
                        .push_bind(e.date.year())
                        .push_bind(e.amount.as_i64())
                        .push_bind(e.people)
                        .push_bind(e.expo_role.map(ExpoRole::key))
                        .push_bind(&e.description)
                        .push_bind(e.status.key())
                        .push_bind(&e.seed_key)
                        .push_bind(now)
                        .push_bind(now)
                        .push_bind((e.status != ContributionStatus::Draft).then_some(now))
                        .push_bind(reviewed.then_some(now));
                });
                insert.push(" RETURNING id, idempotency_key");
                let ids: Vec<(i64, String)> = insert.build_query_as().fetch_all(&mut *tx).await?;
                let by_key: HashMap<&str, i64> = ids.iter().map(|(id, key)| (key.as_str(), *id)).collect();
                for e in chunk.iter().filter(|e| !e.recipients.is_empty()) {
                    let id = by_key[e.seed_key.as_str()];
                    insert_recipients!(&mut *tx, id, e.recipients);
                }
                upsert_seed_rollup!(&mut *tx, seed_rollup(chunk));
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Refreshes the planner's statistics after a bulk load.
    pub async fn analyze(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => sqlx::query("ANALYZE").execute(pool).await.map(|_| ()))
    }
}

/// The verified entries of a seed batch summed by division, year and kind.
fn seed_rollup(entries: &[SeedContribution]) -> Vec<RollupCell> {
    let mut sums: BTreeMap<(String, i32, ContributionKind), (i64, i64, i64)> = BTreeMap::new();
    for e in entries
        .iter()
        .filter(|e| e.status == ContributionStatus::Verified)
    {
        let sum = sums
            .entry((e.division_code.clone(), e.date.year(), e.kind))
            .or_default();
        sum.0 += 1;
        sum.1 += e.amount.as_i64();
        sum.2 += e.people.unwrap_or(0);
    }
    sums.into_iter().collect()
}
