//! Cases and their steps: each step moves a case on only from the stage the caller saw, with its timeline
//! line and audit row in the same transaction; a revocation also ends the organization's registration.

use chrono::{NaiveDate, Utc};
use domain::dormant::CaseStage;
use domain::paging::PageRequest;
use sqlx::QueryBuilder;

use super::{CaseRow, SELECT_CASE};
use crate::store::credit::timeline;
use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A validated case list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub stage: Option<CaseStage>,
    pub division_prefix: Option<String>,
    pub year: Option<i32>,
    pub organization_id: Option<i64>,
}

/// What a step writes on the case besides its stage (unset fields keep their value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseUpdate {
    pub confirmed_on: Option<NaiveDate>,
    pub interviewee: Option<String>,
    pub interviewed_on: Option<NaiveDate>,
    pub interview_outcome: Option<String>,
    pub rectification_deadline: Option<NaiveDate>,
    pub rectification_requirements: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub matter_id: Option<i64>,
    pub decision_number: Option<String>,
    pub public_notice: Option<String>,
    pub note: Option<String>,
    /// 撤销: the organization's registration ends with the step.
    pub revoke_registration: bool,
}

macro_rules! push_case_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "c.organization_id", "c.division_code");
        if let Some(stage) = $f.stage {
            $qb.push(" AND c.stage = ").push_bind(stage.key());
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "c.division_code", prefix);
        }
        if let Some(year) = $f.year {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
            let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default();
            $qb.push(" AND c.proposed_on >= ")
                .push_bind(first)
                .push(" AND c.proposed_on < ")
                .push_bind(next);
        }
        if let Some(id) = $f.organization_id {
            $qb.push(" AND c.organization_id = ").push_bind(id);
        }
    }};
}

impl Store {
    /// One case, if `visibility` covers it.
    pub async fn find_case(&self, id: i64, visibility: &Visibility) -> Result<Option<CaseRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_CASE);
            query.push(" WHERE c.id = ").push_bind(id);
            push_visibility!(query, visibility, "c.organization_id", "c.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// A page of the cases `visibility` covers that pass `filter`, newest first, and how many pass.
    pub async fn list_cases(
        &self,
        visibility: &Visibility,
        filter: &CaseFilter,
        page: PageRequest,
    ) -> Result<(Vec<CaseRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            // The page's ids from the indexes, then their rows (with their signals' evidence).
            let mut list = QueryBuilder::new(SELECT_CASE);
            list.push(" WHERE c.id IN (SELECT c.id FROM dormant_cases c");
            push_case_where!(list, visibility, filter);
            list.push(" ORDER BY c.id DESC LIMIT ").push_bind(page.limit()).push(" OFFSET ").push_bind(page.offset());
            list.push(") ORDER BY c.id DESC");
            let rows: Vec<CaseRow> = list.build_query_as().fetch_all(pool).await?;
            let total = self.memo_count(format!("dormant cases {visibility:?} {filter:?}"), async {
                let mut count = QueryBuilder::new("SELECT COUNT(*) FROM dormant_cases c");
                push_case_where!(count, visibility, filter);
                let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
                Ok(total as u64)
            }).await?;
            Ok((rows, total))
        })
    }

    /// Moves case `id` from `from` to `to` with `update`, its timeline line and audit row; `Ok(false)` when it
    /// was no longer in `from`.
    pub async fn step_case(
        &self,
        case: &CaseRow,
        from: CaseStage,
        to: CaseStage,
        update: &CaseUpdate,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        let line = format!("僵尸型社会组织处置：{}", to.label_zh());
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE dormant_cases SET stage = $3, confirmed_on = COALESCE($4, confirmed_on),
                     interviewee = COALESCE($5, interviewee), interviewed_on = COALESCE($6, interviewed_on),
                     interview_outcome = COALESCE($7, interview_outcome),
                     rectification_deadline = COALESCE($8, rectification_deadline),
                     rectification_requirements = COALESCE($9, rectification_requirements),
                     closed_on = COALESCE($10, closed_on), matter_id = COALESCE($11, matter_id),
                     decision_number = COALESCE($12, decision_number), public_notice = COALESCE($13, public_notice),
                     note = COALESCE($14, note), updated_at = $15
                 WHERE id = $1 AND stage = $2",
            )
            .bind(case.id).bind(from.key()).bind(to.key()).bind(update.confirmed_on).bind(&update.interviewee)
            .bind(update.interviewed_on).bind(&update.interview_outcome).bind(update.rectification_deadline)
            .bind(&update.rectification_requirements).bind(update.closed_on).bind(update.matter_id)
            .bind(&update.decision_number).bind(&update.public_notice).bind(&update.note).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            if update.revoke_registration {
                sqlx::query("UPDATE organizations SET status = 'revoked', updated_at = $2 WHERE id = $1 AND status = 'normal'")
                    .bind(case.organization_id).bind(now).execute(&mut *tx).await?;
            }
            timeline!(&mut *tx, case.organization_id, "dormant_case", &line, audit.actor);
            true
        }, _ => audit)
    }

    /// Whether matter `matter_id` is an approved deregistration of `organization_id`.
    pub async fn approved_deregistration(
        &self,
        matter_id: i64,
        organization_id: i64,
    ) -> Result<bool, sqlx::Error> {
        let found: Option<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id FROM matters WHERE id = $1 AND organization_id = $2 AND kind = 'deregistration'
                 AND state = 'approved'",
            )
            .bind(matter_id).bind(organization_id).fetch_optional(pool).await?
        });
        Ok(found.is_some())
    }
}
