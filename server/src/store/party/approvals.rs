//! 党组织审批: applications staff file and decide. An approval writes, in its own transaction, the
//! confirmed record that sets up the branch from the day decided — which is what moves the rates.

use chrono::{NaiveDate, Utc};
use domain::api::{PartyApproval, PartyOrgRef};
use domain::paging::PageRequest;
use domain::party::{ApprovalStatus, PartyOrgKind};
use domain::registry::organization::Level;
use sqlx::QueryBuilder;

use super::{NewRecord, insert_record_on, join_ids, members_of, named, split_ids};
use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// An application ready to store.
#[derive(Debug, Clone)]
pub struct NewApproval {
    pub organization_id: i64,
    pub division_code: String,
    pub kind: PartyOrgKind,
    pub members: u32,
    pub joint_with: Vec<i64>,
    pub applied_on: NaiveDate,
    pub approving_body: String,
    pub filed_by: String,
}

/// A decision on an application.
#[derive(Debug, Clone)]
pub struct ApprovalDecision {
    pub to: ApprovalStatus,
    pub decided_on: NaiveDate,
    pub note: Option<String>,
    pub decided_by: String,
}

/// A validated approval list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalFilter {
    pub status: Option<ApprovalStatus>,
    pub kind: Option<PartyOrgKind>,
    pub year: Option<i32>,
    pub level: Option<Level>,
    pub division_prefix: Option<String>,
    pub organization_id: Option<i64>,
}

const SELECT_APPROVAL: &str = "SELECT a.*, o.name AS organization_name
    FROM party_approvals a JOIN organizations o ON o.id = a.organization_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApprovalRow {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub division_code: String,
    kind: String,
    members: i64,
    joint_with: String,
    pub applied_on: NaiveDate,
    approving_body: String,
    status: String,
    decided_on: Option<NaiveDate>,
    note: Option<String>,
    filed_by: String,
    decided_by: Option<String>,
}

impl ApprovalRow {
    // The columns have CHECK constraints on exactly these values.
    pub fn status(&self) -> ApprovalStatus {
        ApprovalStatus::parse(&self.status).unwrap_or(ApprovalStatus::Pending)
    }

    pub fn kind(&self) -> PartyOrgKind {
        PartyOrgKind::parse(&self.kind).unwrap_or(PartyOrgKind::Functional)
    }

    pub fn joint_with(&self) -> Vec<i64> {
        split_ids(&self.joint_with)
    }

    pub fn members(&self) -> u32 {
        members_of(self.members)
    }

    pub fn approving_body(&self) -> &str {
        &self.approving_body
    }

    pub fn to_api(&self, names: &[PartyOrgRef]) -> PartyApproval {
        PartyApproval {
            id: self.id,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            division_code: self.division_code.clone(),
            kind: self.kind(),
            members: self.members(),
            joint: named(&self.joint_with(), names),
            applied_on: self.applied_on,
            approving_body: self.approving_body.clone(),
            status: self.status(),
            decided_on: self.decided_on,
            note: self.note.clone(),
            filed_by: self.filed_by.clone(),
            decided_by: self.decided_by.clone(),
        }
    }
}

macro_rules! push_approval_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "a.organization_id", "a.division_code");
        if let Some(status) = $f.status {
            $qb.push(" AND a.status = ").push_bind(status.key());
        }
        if let Some(kind) = $f.kind {
            $qb.push(" AND a.kind = ").push_bind(kind.key());
        }
        if let Some(year) = $f.year {
            let first = NaiveDate::from_ymd_opt(year, 1, 1);
            let last = NaiveDate::from_ymd_opt(year, 12, 31);
            $qb.push(" AND a.decided_on >= ").push_bind(first);
            $qb.push(" AND a.decided_on <= ").push_bind(last);
        }
        if let Some(level) = $f.level {
            $qb.push(
                " AND EXISTS (SELECT 1 FROM organizations lo WHERE lo.id = a.organization_id AND lo.level = ",
            )
            .push_bind(level.key())
            .push(")");
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "a.division_code", prefix);
        }
        if let Some(id) = $f.organization_id {
            $qb.push(" AND a.organization_id = ").push_bind(id);
        }
    }};
}

impl Store {
    /// Files an application with its audit row.
    pub async fn insert_party_approval<'a>(
        &self,
        new: &NewApproval,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO party_approvals (organization_id, division_code, kind, members, joint_with, applied_on,
                     approving_body, status, filed_by, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9, $9) RETURNING id",
            )
            .bind(new.organization_id).bind(&new.division_code).bind(new.kind.key()).bind(i64::from(new.members))
            .bind(join_ids(&new.joint_with)).bind(new.applied_on).bind(&new.approving_body).bind(&new.filed_by)
            .bind(now)
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    /// One application, if `visibility` covers its organization.
    pub async fn find_party_approval(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<ApprovalRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_APPROVAL);
            query.push(" WHERE a.id = ").push_bind(id);
            push_visibility!(query, visibility, "a.organization_id", "a.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// A page of the applications in `visibility` that pass `filter`, newest first, and how many pass.
    pub async fn list_party_approvals(
        &self,
        visibility: &Visibility,
        filter: &ApprovalFilter,
        page: PageRequest,
    ) -> Result<(Vec<ApprovalRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_APPROVAL);
            push_approval_where!(list, visibility, filter);
            list.push(" ORDER BY a.id DESC LIMIT ").push_bind(page.limit()).push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<ApprovalRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM party_approvals a");
            push_approval_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }

    /// Decides a pending application; an approval also stores `record` (the branch, confirmed from the day
    /// decided). Nothing is written when the application was decided meanwhile.
    pub async fn decide_party_approval(
        &self,
        row: &ApprovalRow,
        decision: &ApprovalDecision,
        record: Option<&NewRecord>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE party_approvals SET status = $2, decided_on = $3, note = $4, decided_by = $5, updated_at = $6
                 WHERE id = $1 AND status = 'pending'",
            )
            .bind(row.id).bind(decision.to.key()).bind(decision.decided_on).bind(decision.note.as_deref())
            .bind(&decision.decided_by).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            if let Some(record) = record {
                insert_record_on!(tx, record, now);
            }
            true
        }, _ => audit)
    }
}
