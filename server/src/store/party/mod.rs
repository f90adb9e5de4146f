//! Party building's store: the dated records of each organization's party organization (here), the
//! approvals that set up branches (`approvals.rs`), the state on a day and the two rates
//! (`coverage.rs`), the instructors' batches and assignments (`batches.rs`), their visits and workspace
//! (`visits.rs`), and the demo set's bulk inserts (`seed.rs`). Records, approvals, assignments and visits
//! carry the organization's registering division, so `Visibility` applies to all of them.

mod approvals;
mod batches;
mod coverage;
pub mod seed;
mod visits;

pub use approvals::{ApprovalDecision, ApprovalFilter, ApprovalRow, NewApproval};
pub use batches::{AssignmentRow, BatchRow, EvaluationRow, NewBatch, NewEvaluation};
pub use coverage::{CoverageFilter, StateRow};
pub use visits::{CurrentAssignment, NewVisit, TermRow, VisitRow};

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::PartyOrgRef;
use domain::paging::PageRequest;
use domain::party::{PartyInfo, PartyOrgKind, RecordSource, RecordStatus};
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A record ready to store.
#[derive(Debug, Clone)]
pub struct NewRecord {
    pub organization_id: i64,
    pub division_code: String,
    pub effective_on: NaiveDate,
    pub info: PartyInfo,
    pub status: RecordStatus,
    pub source: RecordSource,
    pub approval_id: Option<i64>,
    pub filed_by: String,
}

const SELECT_RECORD: &str = "SELECT r.*, o.name AS organization_name
    FROM party_records r JOIN organizations o ON o.id = r.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub division_code: String,
    pub effective_on: NaiveDate,
    kind: String,
    members: i64,
    approved_on: Option<NaiveDate>,
    approving_body: Option<String>,
    liaison: Option<String>,
    joint_with: String,
    trade_union: bool,
    youth_league: bool,
    womens_federation: bool,
    status: String,
    source: String,
    pub filed_by: String,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// Comma-joined organization ids, as `joint_with` stores them.
pub(crate) fn join_ids(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub(crate) fn split_ids(raw: &str) -> Vec<i64> {
    raw.split(',').filter_map(|id| id.parse().ok()).collect()
}

/// A stored count (never negative: a CHECK constraint) as the wire's `u32`.
pub(crate) fn members_of(stored: i64) -> u32 {
    u32::try_from(stored).unwrap_or(u32::MAX)
}

impl RecordRow {
    // The columns have CHECK constraints on exactly these values.
    pub fn status(&self) -> RecordStatus {
        RecordStatus::parse(&self.status).unwrap_or(RecordStatus::Pending)
    }

    pub fn info(&self) -> PartyInfo {
        PartyInfo {
            kind: PartyOrgKind::parse(&self.kind).unwrap_or(PartyOrgKind::NoBranch),
            members: members_of(self.members),
            approved_on: self.approved_on,
            approving_body: self.approving_body.clone(),
            liaison: self.liaison.clone(),
            joint_with: split_ids(&self.joint_with),
            trade_union: self.trade_union,
            youth_league: self.youth_league,
            womens_federation: self.womens_federation,
        }
    }

    /// The wire form, with the joint branch's organizations named from `names`.
    pub fn to_api(&self, names: &[PartyOrgRef]) -> domain::api::PartyRecord {
        let info = self.info();
        domain::api::PartyRecord {
            id: self.id,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            effective_on: self.effective_on,
            joint: named(&info.joint_with, names),
            info,
            status: self.status(),
            source: RecordSource::parse(&self.source).unwrap_or(RecordSource::Staff),
            filed_by: self.filed_by.clone(),
            created_at: self.created_at,
            decided_by: self.decided_by.clone(),
            decided_at: self.decided_at,
            note: self.note.clone(),
        }
    }
}

/// The organizations of `ids` found in `names`, in the order of `ids`.
pub fn named(ids: &[i64], names: &[PartyOrgRef]) -> Vec<PartyOrgRef> {
    ids.iter()
        .filter_map(|id| names.iter().find(|n| n.id == *id).cloned())
        .collect()
}

/// Inserts a record inside a caller's transaction; its id.
macro_rules! insert_record_on {
    ($tx:expr, $new:expr, $now:expr) => {{
        let new: &$crate::store::party::NewRecord = $new;
        let decided = (new.status == domain::party::RecordStatus::Confirmed).then(|| new.filed_by.clone());
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO party_records (organization_id, division_code, effective_on, kind, members, approved_on,
                 approving_body, liaison, joint_with, trade_union, youth_league, womens_federation, status, source,
                 approval_id, filed_by, created_at, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        )
        .bind(new.organization_id).bind(&new.division_code).bind(new.effective_on).bind(new.info.kind.key())
        .bind(i64::from(new.info.members)).bind(new.info.approved_on).bind(new.info.approving_body.as_deref())
        .bind(new.info.liaison.as_deref()).bind($crate::store::party::join_ids(&new.info.joint_with))
        .bind(new.info.trade_union).bind(new.info.youth_league).bind(new.info.womens_federation)
        .bind(new.status.key()).bind(new.source.key()).bind(new.approval_id).bind(&new.filed_by).bind($now)
        .bind(decided.as_deref()).bind(decided.as_ref().map(|_| $now))
        .fetch_one(&mut *$tx).await?;
        id
    }};
}
pub(crate) use insert_record_on;

impl Store {
    /// Stores a record (staff's confirmed, an organization's pending) with its audit row.
    pub async fn insert_party_record<'a>(
        &self,
        new: &NewRecord,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => { insert_record_on!(tx, new, now) }, id => &audit(*id))
    }

    /// One record, if `visibility` covers its organization.
    pub async fn find_party_record(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<RecordRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_RECORD);
            query.push(" WHERE r.id = ").push_bind(id);
            push_visibility!(query, visibility, "r.organization_id", "r.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// An organization's records, newest effective first.
    pub async fn party_history(&self, organization_id: i64) -> Result<Vec<RecordRow>, sqlx::Error> {
        let sql =
            format!("{SELECT_RECORD} WHERE r.organization_id = $1 ORDER BY r.effective_on DESC, r.id DESC");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(organization_id).fetch_all(pool).await)
    }

    /// A page of the records in `visibility` with `status` (staff's queue of updates to confirm), oldest
    /// first, under `division_prefix`, and how many there are.
    pub async fn list_party_records(
        &self,
        visibility: &Visibility,
        status: RecordStatus,
        division_prefix: Option<&str>,
        page: PageRequest,
    ) -> Result<(Vec<RecordRow>, u64), sqlx::Error> {
        macro_rules! push_where {
            ($qb:expr) => {{
                $qb.push(" WHERE r.status = ").push_bind(status.key());
                push_visibility!($qb, visibility, "r.organization_id", "r.division_code");
                if let Some(prefix) = division_prefix {
                    crate::store::push_division_prefix!($qb, "r.division_code", prefix);
                }
            }};
        }
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_RECORD);
            push_where!(list);
            list.push(" ORDER BY r.id LIMIT ").push_bind(page.limit()).push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<RecordRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM party_records r");
            push_where!(count);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// Confirms or returns a pending record, if it is still pending, with its audit row.
    pub async fn decide_party_record(
        &self,
        id: i64,
        to: RecordStatus,
        decided_by: &str,
        note: Option<&str>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE party_records SET status = $2, decided_by = $3, decided_at = $4, note = $5
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(id).bind(to.key()).bind(decided_by).bind(Utc::now()).bind(note)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }

    /// The names of organizations `ids` (those that exist).
    pub async fn party_org_names(&self, ids: &[i64]) -> Result<Vec<PartyOrgRef>, sqlx::Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new("SELECT id, name FROM organizations WHERE id IN (");
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY id");
            let rows: Vec<(i64, String)> = query.build_query_as().fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(id, name)| PartyOrgRef { id, name }).collect())
        })
    }
}
