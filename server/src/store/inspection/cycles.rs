//! Annual cycles: the bureau opens one per year; when its deadline has passed, the daily rules close it —
//! every organization in it that sent nothing gets a 未报送 report (result 未参检), the record the
//! abnormal-list rule then reads.

use chrono::{NaiveDate, Utc};
use domain::inspection::CycleInput;
use serde_json::json;

use super::CycleRow;
use crate::store::audit::record_audit;
use crate::store::{Actor, AuditEntry, Store, on_pool};

/// What closing the cycles did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClosedCycles {
    pub cycles: u64,
    pub reports: u64,
}

const SELECT_CYCLE: &str =
    "SELECT id, year, deadline, levels, division_code, division_prefix, opened_at, closed_on
    FROM inspection_cycles";

impl Store {
    /// Opens the cycle of `input.year` for `prefix`'s organizations; a year opened twice is a unique violation.
    pub async fn open_cycle<'a>(
        &self,
        input: &CycleInput,
        prefix: &str,
        opened_by: i64,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        let levels: Vec<&str> = input.levels().into_iter().map(|l| l.key()).collect();
        crate::store::audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO inspection_cycles (year, deadline, levels, division_code, division_prefix, opened_by, opened_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(input.year).bind(input.deadline).bind(levels.join(",")).bind(&input.division_code)
            .bind(prefix).bind(opened_by).bind(Utc::now())
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    /// Every cycle, newest year first.
    pub async fn list_cycles(&self) -> Result<Vec<CycleRow>, sqlx::Error> {
        let sql = format!("{SELECT_CYCLE} ORDER BY year DESC");
        on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)
    }

    /// The cycle of `year`, if the bureau opened it.
    pub async fn cycle_of_year(&self, year: i32) -> Result<Option<CycleRow>, sqlx::Error> {
        let sql = format!("{SELECT_CYCLE} WHERE year = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(year).fetch_optional(pool).await)
    }

    /// Closes each cycle whose deadline is before `today`, each in one transaction with its audit row:
    /// drafts become 未报送, and every organization in the cycle (normal status, registered by the end of the
    /// year) without a report gets a 未报送 one. Closed cycles are left alone, so a second run does nothing.
    pub async fn close_inspection_cycles(
        &self,
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<ClosedCycles, sqlx::Error> {
        let sql = format!("{SELECT_CYCLE} WHERE closed_on IS NULL AND deadline < $1 ORDER BY year");
        let due: Vec<CycleRow> =
            on_pool!(self, pool => sqlx::query_as(&sql).bind(today).fetch_all(pool).await?);
        let mut closed = ClosedCycles::default();
        for cycle in due {
            closed.reports += self.close_cycle(&cycle, today, actor).await?;
            closed.cycles += 1;
        }
        Ok(closed)
    }

    async fn close_cycle(
        &self,
        cycle: &CycleRow,
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<u64, sqlx::Error> {
        let now = Utc::now();
        let year_end = NaiveDate::from_ymd_opt(cycle.year, 12, 31).unwrap_or(today);
        let levels: Vec<String> = cycle.levels().iter().map(|l| l.key().to_owned()).collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let claimed = sqlx::query("UPDATE inspection_cycles SET closed_on = $2 WHERE id = $1 AND closed_on IS NULL")
                .bind(cycle.id).bind(today).execute(&mut *tx).await?.rows_affected();
            if claimed == 0 {
                return Ok(0);
            }
            let drafts = sqlx::query(
                "UPDATE annual_reports SET stage = 'not_filed', result = 'not_inspected', updated_at = $2
                 WHERE cycle_id = $1 AND stage = 'draft'",
            )
            .bind(cycle.id).bind(now).execute(&mut *tx).await?.rows_affected();
            let mut missing = sqlx::QueryBuilder::new(
                "INSERT INTO annual_reports (cycle_id, year, organization_id, division_code, city_code, level, stage,
                     result, content_json, created_at, updated_at)
                 SELECT ",
            );
            missing.push_bind(cycle.id).push(", ").push_bind(cycle.year).push(
                ", o.id, o.division_code,
                   CASE WHEN o.division_code LIKE '%0000' THEN o.division_code ELSE SUBSTR(o.division_code, 1, 4) || '00' END,
                   o.level, 'not_filed', 'not_inspected', '{}', ",
            );
            missing.push_bind(now).push(", ").push_bind(now);
            missing.push(" FROM organizations o WHERE o.status = 'normal'");
            crate::store::push_division_prefix!(missing, "o.division_code", &cycle.division_prefix);
            missing.push(" AND (o.founded_on IS NULL OR o.founded_on <= ").push_bind(year_end).push(") AND o.level IN (");
            let mut list = missing.separated(", ");
            for level in &levels {
                list.push_bind(level.clone());
            }
            missing.push(") AND NOT EXISTS (SELECT 1 FROM annual_reports r WHERE r.organization_id = o.id AND r.year = ")
                .push_bind(cycle.year).push(")");
            let inserted = missing.build().execute(&mut *tx).await?.rows_affected();
            let audit = AuditEntry {
                actor,
                entity_type: "inspection_cycle",
                entity_id: cycle.id.to_string(),
                action: "close",
                before: Some(json!({ "closed_on": null })),
                after: Some(json!({ "closed_on": today, "drafts_not_filed": drafts, "missing_not_filed": inserted })),
                reason: Some(format!("{} 年度工作报告截止日 {} 已过", cycle.year, cycle.deadline)),
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(drafts + inserted)
        })
    }
}
