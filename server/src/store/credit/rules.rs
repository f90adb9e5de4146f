//! The daily credit rules (社会组织信用信息管理办法), run by the job runner once a day: close the annual
//! cycles whose deadline passed (their missing reports become 未报送/未参检), list each organization whose
//! report is missing or whose rectification order ran out, and move those two years on the abnormal list to
//! the serious list. Every event is recorded once (`credit_listing_events`' unique key), with its audit row,
//! so a second run the same day changes nothing.

use chrono::{Months, NaiveDate};
use domain::credit::{ABNORMAL_MONTHS_BEFORE_SERIOUS, EventKind, ListingReason};
use serde::Serialize;

use super::NewListing;
use crate::store::{Actor, Store, on_pool};

/// What one run of [`Store::apply_credit_rules`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RuleRunSummary {
    /// Annual cycles whose deadline passed, closed in this run.
    pub cycles_closed: u64,
    /// Reports marked 未报送 (未参检) by those closings.
    pub reports_not_filed: u64,
    /// Organizations put on the abnormal list for a missing annual report.
    pub listed_report_missing: u64,
    /// Organizations put on the abnormal list for a rectification order not met.
    pub listed_rectification_overdue: u64,
    /// Organizations moved from the abnormal to the serious list after two years.
    pub moved_to_serious: u64,
    /// Events the rules of the lists refused (e.g. already on the serious list).
    pub skipped: u64,
}

/// How many listing events one transaction records: the first run on a large registry lists thousands,
/// and a transaction each would cost a commit each.
const EVENTS_PER_TRANSACTION: usize = 500;

/// The actor of the rules' audit rows.
pub(crate) fn system_actor() -> Actor {
    Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "daily-job".to_owned(),
    }
}

impl Store {
    /// Runs the daily credit rules as of `today`. Idempotent: run twice, the second run changes nothing.
    pub async fn apply_credit_rules(&self, today: NaiveDate) -> Result<RuleRunSummary, sqlx::Error> {
        let actor = system_actor();
        let closed = self.close_inspection_cycles(today, &actor).await?;
        let mut summary = RuleRunSummary {
            cycles_closed: closed.cycles,
            reports_not_filed: closed.reports,
            ..RuleRunSummary::default()
        };
        let missing = self.missing_report_events().await?;
        summary.listed_report_missing = self.apply_rule(&missing, &actor, &mut summary.skipped).await?;
        let overdue = self.overdue_rectification_events(today).await?;
        summary.listed_rectification_overdue =
            self.apply_rule(&overdue, &actor, &mut summary.skipped).await?;
        let escalations = self.escalation_events(today).await?;
        summary.moved_to_serious = self
            .apply_rule(&escalations, &actor, &mut summary.skipped)
            .await?;
        Ok(summary)
    }

    /// Records the events in order, [`EVENTS_PER_TRANSACTION`] to a transaction: how many were recorded
    /// (refusals are added to `skipped`; events seen before count as neither).
    async fn apply_rule(
        &self,
        events: &[NewListing],
        actor: &Actor,
        skipped: &mut u64,
    ) -> Result<u64, sqlx::Error> {
        let mut recorded = 0;
        for (n, batch) in events.chunks(EVENTS_PER_TRANSACTION).enumerate() {
            if n > 0 {
                crate::store::other_writers_turn().await;
            }
            for done in self.record_listings(batch, actor).await? {
                match done {
                    Ok(Some(_)) => recorded += 1,
                    Ok(None) => {}
                    Err(_refused) => *skipped += 1,
                }
            }
        }
        Ok(recorded)
    }

    /// 未报送 reports of closed cycles not yet behind a listing: listed the day after the deadline.
    async fn missing_report_events(&self) -> Result<Vec<NewListing>, sqlx::Error> {
        let rows: Vec<(i64, i64, i32, NaiveDate)> = on_pool!(self, pool => {
            sqlx::query_as(
                // CROSS JOIN keeps SQLite's planner on the reports' stage index (it would rather scan every
                // organization and each one's reports); PostgreSQL reads it as the inner join it is.
                "SELECT r.id, r.organization_id, r.year, c.deadline FROM annual_reports r
                 CROSS JOIN inspection_cycles c CROSS JOIN organizations o
                 WHERE c.id = r.cycle_id AND o.id = r.organization_id
                   AND r.stage = 'not_filed' AND o.status = 'normal' AND NOT EXISTS (
                     SELECT 1 FROM credit_listing_events e
                     WHERE e.event_kind = 'annual_report' AND e.event_id = r.id AND e.reason = 'annual_report_missing')
                 ORDER BY c.deadline, r.id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, organization_id, year, deadline)| NewListing {
                organization_id,
                reason: ListingReason::AnnualReportMissing,
                event_kind: EventKind::AnnualReport,
                event_id: Some(id),
                summary: format!("{year} 年度工作报告未在 {deadline} 前报送"),
                on: deadline.succ_opt().unwrap_or(deadline),
            })
            .collect())
    }

    /// 限期整改 orders past their last day and not done: listed the day after it.
    async fn overdue_rectification_events(&self, today: NaiveDate) -> Result<Vec<NewListing>, sqlx::Error> {
        let rows: Vec<(i64, i64, NaiveDate)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT f.id, f.organization_id, f.due_on FROM inspection_follow_ups f
                 JOIN organizations o ON o.id = f.organization_id
                 WHERE f.kind = 'rectification' AND f.completed_on IS NULL AND f.due_on < $1 AND o.status = 'normal'
                   AND NOT EXISTS (SELECT 1 FROM credit_listing_events e
                       WHERE e.event_kind = 'rectification' AND e.event_id = f.id)
                 ORDER BY f.due_on, f.id",
            )
            .bind(today)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, organization_id, due_on)| NewListing {
                organization_id,
                reason: ListingReason::RectificationOverdue,
                event_kind: EventKind::Rectification,
                event_id: Some(id),
                summary: format!("限期整改未在 {due_on} 前完成"),
                on: due_on.succ_opt().unwrap_or(due_on),
            })
            .collect())
    }

    /// Current abnormal listings whose period has run two years: moved on the day it ran out.
    async fn escalation_events(&self, today: NaiveDate) -> Result<Vec<NewListing>, sqlx::Error> {
        let Some(started_by) = today.checked_sub_months(Months::new(ABNORMAL_MONTHS_BEFORE_SERIOUS)) else {
            return Ok(Vec::new());
        };
        let rows: Vec<(i64, i64, NaiveDate)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT l.id, l.organization_id, l.period_start FROM credit_listings l
                 WHERE l.ended_on IS NULL AND l.list = 'abnormal' AND l.period_start <= $1 ORDER BY l.id",
            )
            .bind(started_by)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, organization_id, since)| {
                let on = since
                    .checked_add_months(Months::new(ABNORMAL_MONTHS_BEFORE_SERIOUS))
                    .unwrap_or(today);
                NewListing {
                    organization_id,
                    reason: ListingReason::AbnormalForTwoYears,
                    event_kind: EventKind::AbnormalListing,
                    event_id: Some(id),
                    summary: format!("自 {since} 起列入活动异常名录满两年"),
                    on,
                }
            })
            .collect())
    }
}
