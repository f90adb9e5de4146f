//! Follow-ups on a report (约谈, 限期整改, 移送处罚, 审计抽查): each a record with its audit row; a
//! rectification order carries its last working day, and the daily rules list the organization when it
//! passes undone.

use chrono::{NaiveDate, Utc};
use domain::inspection::FollowUpInput;

use super::FollowUpRow;
use crate::store::credit::timeline;
use crate::store::{AuditEntry, Store, audited, on_pool};

const SELECT_FOLLOW_UP: &str =
    "SELECT id, report_id, organization_id, kind, on_date, interviewee, working_days,
    due_on, completed_on, outcome, recorded_by FROM inspection_follow_ups";

impl Store {
    /// Records a follow-up on a report of `organization_id` (registered in `division_code`).
    pub async fn add_follow_up<'a>(
        &self,
        report_id: i64,
        organization_id: i64,
        division_code: &str,
        input: &FollowUpInput,
        due_on: Option<NaiveDate>,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let now = Utc::now();
        let line = format!("年检后续处理：{}", input.kind.label_zh());
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO inspection_follow_ups (report_id, organization_id, division_code, kind, on_date, interviewee,
                     working_days, due_on, outcome, recorded_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10) RETURNING id",
            )
            .bind(report_id).bind(organization_id).bind(division_code).bind(input.kind.key()).bind(input.on)
            .bind(input.interviewee.as_deref().map(str::trim)).bind(input.working_days.map(i64::from)).bind(due_on)
            .bind(input.outcome.trim()).bind(now)
            .fetch_one(&mut *tx).await?;
            let entry = audit(id);
            sqlx::query("UPDATE inspection_follow_ups SET recorded_by = $2 WHERE id = $1")
                .bind(id).bind(&entry.actor.name).execute(&mut *tx).await?;
            timeline!(&mut *tx, organization_id, "inspection_follow_up", &line, entry.actor);
            (id, entry)
        }, (_, entry) => entry)
        .map(|(id, _)| id)
    }

    /// The follow-ups of a report, oldest first.
    pub async fn follow_ups(&self, report_id: i64) -> Result<Vec<FollowUpRow>, sqlx::Error> {
        let sql = format!("{SELECT_FOLLOW_UP} WHERE report_id = $1 ORDER BY on_date, id");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(report_id).fetch_all(pool).await)
    }

    /// One follow-up.
    pub async fn find_follow_up(&self, id: i64) -> Result<Option<FollowUpRow>, sqlx::Error> {
        let sql = format!("{SELECT_FOLLOW_UP} WHERE id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// Records a rectification order done on `on`; `Ok(false)` when it was already.
    pub async fn complete_follow_up(
        &self,
        id: i64,
        on: NaiveDate,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE inspection_follow_ups SET completed_on = $2 WHERE id = $1 AND kind = 'rectification'
                 AND completed_on IS NULL",
            )
            .bind(id).bind(on).execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }
}
