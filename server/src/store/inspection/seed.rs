//! What the demo set's annual history writes in bulk (`seed/annual.rs`): cycles, the reports organizations
//! sent (multi-row inserts, one transaction per year) and follow-ups. The records the rules write — the
//! 未报送 reports at a deadline, the listings — are left to the rules themselves.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use crate::store::contributions::city_of;
use crate::store::{Store, on_pool};

/// Rows per multi-row insert: well under both backends' limits on bound parameters.
const ROWS_PER_INSERT: usize = 1_000;

/// An organization as the generator needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SeedOrganization {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub division_code: String,
    pub level: String,
    pub founded_on: Option<NaiveDate>,
    pub status: String,
    /// `social_group`, `social_service` or `foundation`.
    pub kind: String,
}

/// A report an organization sent (or keeps as a draft).
#[derive(Debug, Clone)]
pub struct SeedReport {
    pub organization_id: i64,
    pub division_code: String,
    pub level: String,
    pub stage: &'static str,
    pub result: Option<&'static str>,
    pub reasons: Option<String>,
    pub revenue_fen: i64,
    pub expenses_fen: i64,
    pub net_assets_fen: i64,
    pub content_json: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// A follow-up on a report.
#[derive(Debug, Clone)]
pub struct SeedFollowUp {
    pub report_id: i64,
    pub organization_id: i64,
    pub division_code: String,
    pub kind: &'static str,
    pub on_date: NaiveDate,
    pub interviewee: Option<String>,
    pub working_days: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub outcome: String,
}

impl Store {
    /// Whether any annual cycle exists (the demo history is loaded once).
    pub async fn has_inspection_cycles(&self) -> Result<bool, sqlx::Error> {
        let (n,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM inspection_cycles").fetch_one(pool).await?
        });
        Ok(n > 0)
    }

    /// Every organization, in id order.
    pub async fn seed_organizations(&self) -> Result<Vec<SeedOrganization>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT id, name, credit_code, division_code, level, founded_on, status, kind FROM organizations ORDER BY id")
                .fetch_all(pool).await
        })
    }

    /// Opens the province's cycle of `year` for `levels`, as the bureau would have on `opened_at`.
    pub async fn seed_cycle(
        &self,
        year: i32,
        deadline: NaiveDate,
        levels: &str,
        opened_at: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error> {
        on_pool!(self, pool => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO inspection_cycles (year, deadline, levels, division_code, division_prefix, opened_at)
                 VALUES ($1, $2, $3, '340000', '34', $4) RETURNING id",
            )
            .bind(year).bind(deadline).bind(levels).bind(opened_at)
            .fetch_one(pool).await?;
            Ok(id)
        })
    }

    /// Inserts a year's reports in one transaction.
    pub async fn insert_seed_reports(
        &self,
        cycle_id: i64,
        year: i32,
        reports: &[SeedReport],
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in reports.chunks(ROWS_PER_INSERT) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO annual_reports (cycle_id, year, organization_id, division_code, city_code, level, stage,
                         result, reasons, revenue_fen, expenses_fen, net_assets_fen, content_json, created_at, updated_at,
                         submitted_at, reviewed_at) ",
                );
                insert.push_values(chunk, |mut row, r| {
                    let created = r.submitted_at.unwrap_or_else(Utc::now);
                    row.push_bind(cycle_id).push_bind(year).push_bind(r.organization_id)
                        .push_bind(r.division_code.clone()).push_bind(city_of(&r.division_code))
                        .push_bind(r.level.clone()).push_bind(r.stage).push_bind(r.result)
                        .push_bind(r.reasons.clone()).push_bind(r.revenue_fen).push_bind(r.expenses_fen)
                        .push_bind(r.net_assets_fen).push_bind(r.content_json.clone()).push_bind(created)
                        .push_bind(r.reviewed_at.unwrap_or(created)).push_bind(r.submitted_at)
                        .push_bind(r.reviewed_at);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }

    /// The 未报送 reports of `year`: (report, organization, division, level).
    pub async fn not_filed_reports(&self, year: i32) -> Result<Vec<(i64, i64, String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, organization_id, division_code, level FROM annual_reports
                 WHERE year = $1 AND stage = 'not_filed' ORDER BY id",
            )
            .bind(year).fetch_all(pool).await
        })
    }

    /// The submission day of each organization's report of `year` (sent ones only).
    pub async fn submitted_reports(&self, year: i32) -> Result<Vec<(i64, DateTime<Utc>)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT organization_id, submitted_at FROM annual_reports
                 WHERE year = $1 AND submitted_at IS NOT NULL ORDER BY organization_id",
            )
            .bind(year).fetch_all(pool).await
        })
    }

    /// Inserts follow-ups in one transaction.
    pub async fn insert_seed_follow_ups(&self, rows: &[SeedFollowUp]) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for chunk in rows.chunks(ROWS_PER_INSERT) {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO inspection_follow_ups (report_id, organization_id, division_code, kind, on_date,
                         interviewee, working_days, due_on, completed_on, outcome, recorded_by, created_at) ",
                );
                insert.push_values(chunk, |mut row, f| {
                    row.push_bind(f.report_id).push_bind(f.organization_id).push_bind(f.division_code.clone())
                        .push_bind(f.kind).push_bind(f.on_date).push_bind(f.interviewee.clone())
                        .push_bind(f.working_days).push_bind(f.due_on).push_bind(f.completed_on)
                        .push_bind(f.outcome.clone()).push_bind("system").push_bind(now);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await
        })
    }
}
