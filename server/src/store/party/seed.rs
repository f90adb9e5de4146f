//! What the demo set's party history writes in bulk (`seed/party.rs`): records, approvals, batches with
//! their assignments, visits and evaluations — in one transaction, so that a restart finds all or nothing.

use chrono::{DateTime, NaiveDate, Utc};
use domain::party::{ApprovalStatus, PartyInfo, PartyOrgKind, Rating, RecordSource, RecordStatus, Term};
use sqlx::QueryBuilder;

use super::join_ids;
use crate::store::{Store, on_pool};

/// Rows per multi-row insert: well under both backends' limits on bound parameters.
const ROWS_PER_INSERT: usize = 1_000;

/// A record the generator decided.
#[derive(Debug, Clone)]
pub struct SeedRecord {
    pub organization_id: i64,
    pub division_code: String,
    pub effective_on: NaiveDate,
    pub info: PartyInfo,
    pub status: RecordStatus,
    pub source: RecordSource,
    /// The approval (an index into [`PartySeed::approvals`]) this record follows from.
    pub approval: Option<usize>,
    pub filed_by: &'static str,
    pub created_at: DateTime<Utc>,
}

/// An application and, unless pending, its decision.
#[derive(Debug, Clone)]
pub struct SeedApproval {
    pub organization_id: i64,
    pub division_code: String,
    pub kind: PartyOrgKind,
    pub members: u32,
    pub joint_with: Vec<i64>,
    pub applied_on: NaiveDate,
    pub approving_body: String,
    pub status: ApprovalStatus,
    pub decided_on: Option<NaiveDate>,
    pub note: Option<String>,
}

/// A batch with everything that happened in it.
#[derive(Debug, Clone)]
pub struct SeedBatch {
    pub number: i64,
    pub term: Term,
    /// `(instructor, organization, division)`.
    pub assignments: Vec<(i64, i64, String)>,
    /// `(instructor, organization, division, day, note)`.
    pub visits: Vec<(i64, i64, String, NaiveDate, String)>,
    /// `(instructor, rating, reasons, day)`.
    pub evaluations: Vec<(i64, Rating, String, NaiveDate)>,
}

/// The whole party history.
#[derive(Debug, Clone, Default)]
pub struct PartySeed {
    pub records: Vec<SeedRecord>,
    pub approvals: Vec<SeedApproval>,
    pub batches: Vec<SeedBatch>,
}

const SEED_ACTOR: &str = "system";

impl Store {
    /// Whether the party history is there (the demo set loads it once).
    pub async fn has_party_batches(&self) -> Result<bool, sqlx::Error> {
        let (n,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM party_batches").fetch_one(pool).await?
        });
        Ok(n > 0)
    }

    /// Writes the party history in one transaction.
    pub async fn insert_party_seed(&self, seed: &PartySeed) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut approval_ids = Vec::with_capacity(seed.approvals.len());
            for chunk in seed.approvals.chunks(ROWS_PER_INSERT) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO party_approvals (organization_id, division_code, kind, members, joint_with, applied_on,
                         approving_body, status, decided_on, note, filed_by, decided_by, created_at, updated_at) ",
                );
                query.push_values(chunk, |mut row, a| {
                    let decided_by = (a.status != ApprovalStatus::Pending).then_some(SEED_ACTOR);
                    row.push_bind(a.organization_id).push_bind(&a.division_code).push_bind(a.kind.key())
                        .push_bind(i64::from(a.members)).push_bind(join_ids(&a.joint_with)).push_bind(a.applied_on)
                        .push_bind(&a.approving_body).push_bind(a.status.key()).push_bind(a.decided_on)
                        .push_bind(&a.note).push_bind(SEED_ACTOR).push_bind(decided_by).push_bind(now).push_bind(now);
                });
                // Both backends return the rows of one multi-row insert in the order of its VALUES.
                query.push(" RETURNING id");
                let ids: Vec<(i64,)> = query.build_query_as().fetch_all(&mut *tx).await?;
                approval_ids.extend(ids.into_iter().map(|(id,)| id));
            }
            for chunk in seed.records.chunks(ROWS_PER_INSERT) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO party_records (organization_id, division_code, effective_on, kind, members, approved_on,
                         approving_body, liaison, joint_with, trade_union, youth_league, womens_federation, status,
                         source, approval_id, filed_by, created_at, decided_by, decided_at) ",
                );
                query.push_values(chunk, |mut row, r| {
                    let decided = (r.status != RecordStatus::Pending).then_some(r.created_at);
                    row.push_bind(r.organization_id).push_bind(&r.division_code).push_bind(r.effective_on)
                        .push_bind(r.info.kind.key()).push_bind(i64::from(r.info.members)).push_bind(r.info.approved_on)
                        .push_bind(&r.info.approving_body).push_bind(&r.info.liaison)
                        .push_bind(join_ids(&r.info.joint_with)).push_bind(r.info.trade_union)
                        .push_bind(r.info.youth_league).push_bind(r.info.womens_federation).push_bind(r.status.key())
                        .push_bind(r.source.key()).push_bind(r.approval.and_then(|i| approval_ids.get(i).copied()))
                        .push_bind(r.filed_by).push_bind(r.created_at).push_bind(decided.map(|_| SEED_ACTOR))
                        .push_bind(decided);
                });
                query.build().execute(&mut *tx).await?;
            }
            for batch in &seed.batches {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO party_batches (number, term_start, term_end, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(batch.number).bind(batch.term.start).bind(batch.term.end).bind(SEED_ACTOR).bind(now)
                .fetch_one(&mut *tx).await?;
                for chunk in batch.assignments.chunks(ROWS_PER_INSERT) {
                    let mut query = QueryBuilder::new(
                        "INSERT INTO party_assignments (batch_id, instructor_id, organization_id, division_code, assigned_at) ",
                    );
                    query.push_values(chunk, |mut row, (instructor, org, division)| {
                        row.push_bind(id).push_bind(*instructor).push_bind(*org).push_bind(division).push_bind(now);
                    });
                    query.build().execute(&mut *tx).await?;
                }
                for chunk in batch.visits.chunks(ROWS_PER_INSERT) {
                    let mut query = QueryBuilder::new(
                        "INSERT INTO party_visits (batch_id, instructor_id, organization_id, division_code, visited_on,
                             note, created_at) ",
                    );
                    query.push_values(chunk, |mut row, (instructor, org, division, on, note)| {
                        row.push_bind(id).push_bind(*instructor).push_bind(*org).push_bind(division).push_bind(*on)
                            .push_bind(note).push_bind(now);
                    });
                    query.build().execute(&mut *tx).await?;
                }
                for (instructor, rating, reasons, on) in &batch.evaluations {
                    sqlx::query(
                        "INSERT INTO party_evaluations (batch_id, instructor_id, rating, reasons, evaluated_on,
                             evaluated_by, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id).bind(*instructor).bind(rating.key()).bind(reasons).bind(*on).bind(SEED_ACTOR).bind(now)
                    .execute(&mut *tx).await?;
                }
            }
            tx.commit().await
        })
    }
}
