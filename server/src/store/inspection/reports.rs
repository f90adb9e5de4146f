//! Reports: an organization keeps a draft and submits it (also late, 补报, after the deadline); staff give
//! a verdict or return it; lists by year, result, stage, division and level, and the export.

use chrono::Utc;
use domain::inspection::{InspectionResult, ReportInput, ReportStage};
use domain::paging::PageRequest;
use domain::registry::organization::Level;
use sqlx::QueryBuilder;

use super::{ReportRow, SELECT_REPORT};
use crate::store::contributions::city_of;
use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A validated report list filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    pub year: Option<i32>,
    pub result: Option<InspectionResult>,
    pub stage: Option<ReportStage>,
    /// A division code prefix (`3401`).
    pub division_prefix: Option<String>,
    pub level: Option<Level>,
    pub organization_id: Option<i64>,
}

/// A change of a report's stage, applied only from the stage the caller saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange<'a> {
    pub from: ReportStage,
    pub to: ReportStage,
    pub result: Option<InspectionResult>,
    pub reasons: Option<&'a str>,
    pub reviewer: Option<i64>,
}

macro_rules! push_report_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "r.organization_id", "r.division_code");
        if let Some(year) = $f.year {
            $qb.push(" AND r.year = ").push_bind(year);
        }
        if let Some(stage) = $f.stage {
            $qb.push(" AND r.stage = ").push_bind(stage.key());
        }
        if let Some(result) = $f.result {
            $qb.push(" AND r.result = ").push_bind(result.key());
        }
        if let Some(prefix) = &$f.division_prefix {
            crate::store::push_division_prefix!($qb, "r.division_code", prefix);
        }
        if let Some(level) = $f.level {
            $qb.push(" AND r.level = ").push_bind(level.key());
        }
        if let Some(id) = $f.organization_id {
            $qb.push(" AND r.organization_id = ").push_bind(id);
        }
    }};
}

/// Where a report is saved: its organization, cycle and the organization's place when it reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPlace<'a> {
    pub organization_id: i64,
    pub cycle_id: i64,
    pub year: i32,
    pub division_code: &'a str,
    pub level: Level,
}

impl Store {
    /// Saves the organization's report of a year: a new row, or the content of the one it has (only from
    /// `from`, the stage the caller saw). `Ok(None)` when the report changed meanwhile.
    pub async fn save_report<'a>(
        &self,
        place: &ReportPlace<'_>,
        existing: Option<(i64, ReportStage)>,
        content: &ReportInput,
        to: ReportStage,
        late: bool,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<Option<i64>, sqlx::Error> {
        let now = Utc::now();
        let json = serde_json::to_string(content).unwrap_or_else(|_| "{}".to_owned());
        let submitted_at = (to == ReportStage::Submitted).then_some(now);
        audited!(self, tx => {
            let id = match existing {
                Some((id, from)) => {
                    let changed = sqlx::query(
                        "UPDATE annual_reports SET content_json = $3, revenue_fen = $4, expenses_fen = $5, net_assets_fen = $6,
                             stage = $7, late = (late OR $8), updated_at = $9, submitted_at = COALESCE($10, submitted_at),
                             result = CASE WHEN $7 = 'submitted' THEN NULL ELSE result END
                         WHERE id = $1 AND stage = $2",
                    )
                    .bind(id).bind(from.key()).bind(&json).bind(content.revenue_fen).bind(content.expenses_fen)
                    .bind(content.net_assets_fen).bind(to.key()).bind(late).bind(now).bind(submitted_at)
                    .execute(&mut *tx).await?.rows_affected();
                    if changed == 0 {
                        return Ok(None);
                    }
                    id
                }
                None => {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO annual_reports (cycle_id, year, organization_id, division_code, city_code, level, stage,
                             late, revenue_fen, expenses_fen, net_assets_fen, content_json, created_at, updated_at, submitted_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
                    )
                    .bind(place.cycle_id).bind(place.year).bind(place.organization_id).bind(place.division_code)
                    .bind(city_of(place.division_code)).bind(place.level.key()).bind(to.key()).bind(late)
                    .bind(content.revenue_fen).bind(content.expenses_fen).bind(content.net_assets_fen).bind(&json)
                    .bind(now).bind(submitted_at)
                    .fetch_one(&mut *tx).await?;
                    id
                }
            };
            Some(id)
        }, id => &audit(id.unwrap_or_default()))
    }

    /// One report, if `visibility` covers it.
    pub async fn find_report(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<ReportRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_REPORT);
            query.push(" WHERE r.id = ").push_bind(id);
            push_visibility!(query, visibility, "r.organization_id", "r.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// The organization's report of `year`, if it has one.
    pub async fn report_of(&self, organization_id: i64, year: i32) -> Result<Option<ReportRow>, sqlx::Error> {
        let sql = format!("{SELECT_REPORT} WHERE r.organization_id = $1 AND r.year = $2");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(organization_id).bind(year).fetch_optional(pool).await)
    }

    /// A page of the reports `visibility` covers that pass `filter` (newest year first, then by place and
    /// in the order they were made), and how many pass.
    pub async fn list_reports(
        &self,
        visibility: &Visibility,
        filter: &ReportFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ReportRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            // The page's ids first, from the indexes alone, then their rows: sorting a year's 35,000 whole
            // reports (each with its content) to keep 20 cost more than everything else. The order is the
            // one of the year's indexes (year, result|stage|level, division_code, then the row id), so a
            // page reads its 20 entries and stops instead of sorting every match.
            let mut list = QueryBuilder::new(SELECT_REPORT);
            list.push(" WHERE r.id IN (SELECT r.id FROM annual_reports r");
            push_report_where!(list, visibility, filter);
            list.push(" ORDER BY r.year DESC, r.division_code, r.id LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
            list.push(") ORDER BY r.year DESC, r.division_code, r.id");
            let rows: Vec<ReportRow> = list.build_query_as().fetch_all(pool).await?;
            let total = self.memo_count(format!("reports {visibility:?} {filter:?}"), async {
                let mut count = QueryBuilder::new("SELECT COUNT(*) FROM annual_reports r");
                push_report_where!(count, visibility, filter);
                let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
                Ok(total as u64)
            }).await?;
            Ok((rows, total))
        })
    }

    /// How many reports `visibility` covers pass `filter`.
    pub async fn count_reports(
        &self,
        visibility: &Visibility,
        filter: &ReportFilter,
    ) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM annual_reports r");
            push_report_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok(total as u64)
        })
    }

    /// The next `limit` reports after id `after` (in id order) that `visibility` covers and pass `filter`:
    /// the export's keyset slices.
    pub async fn reports_after(
        &self,
        visibility: &Visibility,
        filter: &ReportFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ReportRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_REPORT);
            push_report_where!(list, visibility, filter);
            list.push(" AND r.id > ").push_bind(after).push(" ORDER BY r.id LIMIT ").push_bind(limit);
            list.build_query_as().fetch_all(pool).await
        })
    }

    /// A page of reports (the list endpoint's form of [`Store::list_reports`]).
    pub async fn page_reports(
        &self,
        visibility: &Visibility,
        filter: &ReportFilter,
        page: PageRequest,
    ) -> Result<(Vec<ReportRow>, u64), sqlx::Error> {
        self.list_reports(visibility, filter, page.limit(), page.offset())
            .await
    }

    /// Moves a report from `change.from` to `change.to` with the verdict or reason; `Ok(false)` when it
    /// was no longer in `from`.
    pub async fn change_report_stage(
        &self,
        id: i64,
        change: &StageChange<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE annual_reports SET stage = $3, result = $4, reasons = $5, reviewed_by = $6,
                     reviewed_at = $7, updated_at = $7
                 WHERE id = $1 AND stage = $2",
            )
            .bind(id).bind(change.from.key()).bind(change.to.key()).bind(change.result.map(InspectionResult::key))
            .bind(change.reasons).bind(change.reviewer).bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }
}
