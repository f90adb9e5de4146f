//! What an organization asks about its listing — removal after rectification, an objection, a public
//! explanation — and staff's decisions on them. Each write is guarded by the state the caller saw
//! (`Ok(false)` when it changed meanwhile) and carries its audit row and timeline line.

use chrono::{NaiveDate, Utc};
use domain::credit::{ObjectionStatus, RemovalDecision};

use super::timeline;
use crate::store::{AuditEntry, Store, audited};

/// Runs one guarded `UPDATE credit_listings` with its binds, its timeline line and its audit row.
macro_rules! guarded_update {
    ($store:expr, $audit:expr, $org:expr, $line:expr, $sql:expr, $($bind:expr),+ $(,)?) => {{
        let audit: &AuditEntry<'_> = $audit;
        audited!($store, tx => {
            let changed = sqlx::query($sql)$(.bind($bind))+.execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            timeline!(&mut *tx, $org, "credit_listing", $line, audit.actor);
            true
        }, _ => audit)
    }};
}

impl Store {
    /// 申请移出: records the application (to be decided by `decide_by`) on a current listing with none pending.
    pub async fn apply_for_removal(
        &self,
        id: i64,
        organization_id: i64,
        applied_on: NaiveDate,
        decide_by: NaiveDate,
        rectification: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        guarded_update!(self, audit, organization_id, "申请移出信用名单",
            "UPDATE credit_listings SET removal_applied_on = $2, removal_decide_by = $3, removal_rectification = $4,
                 removal_decision = NULL, removal_decided_on = NULL, removal_reasons = NULL, updated_at = $5
             WHERE id = $1 AND ended_on IS NULL AND (removal_applied_on IS NULL OR removal_decision IS NOT NULL)",
            id, applied_on, decide_by, rectification, Utc::now())
    }

    /// 移出决定: granted, the listing ends today; refused, it stands and may be applied for again.
    pub async fn decide_removal(
        &self,
        id: i64,
        organization_id: i64,
        decision: RemovalDecision,
        decided_on: NaiveDate,
        reasons: Option<&str>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let line = format!("移出申请：{}", decision.label_zh());
        guarded_update!(self, audit, organization_id, &line,
            "UPDATE credit_listings SET removal_decision = $2, removal_decided_on = $3, removal_reasons = $4,
                 ended_on = CASE WHEN $2 = 'grant' THEN $3 ELSE NULL END,
                 end_kind = CASE WHEN $2 = 'grant' THEN 'removed' ELSE NULL END, updated_at = $5
             WHERE id = $1 AND ended_on IS NULL AND removal_applied_on IS NOT NULL AND removal_decision IS NULL",
            id, decision.key(), decided_on, reasons, Utc::now())
    }

    /// 异议: records the organization's objection on a listing with none pending.
    pub async fn file_objection(
        &self,
        id: i64,
        organization_id: i64,
        grounds: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        guarded_update!(self, audit, organization_id, "对信用名单列入提出异议",
            "UPDATE credit_listings SET objection_status = 'pending', objection_grounds = $2, objection_filed_at = $3,
                 objection_decided_on = NULL, objection_reasons = NULL, updated_at = $3
             WHERE id = $1 AND ended_on IS NULL AND (objection_status IS NULL OR objection_status <> 'pending')",
            id, grounds, now)
    }

    /// 异议处理: upheld, the listing is withdrawn today; dismissed, it stands.
    pub async fn decide_objection(
        &self,
        id: i64,
        organization_id: i64,
        decision: ObjectionStatus,
        decided_on: NaiveDate,
        reasons: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let line = format!("异议处理：{}", decision.label_zh());
        guarded_update!(self, audit, organization_id, &line,
            "UPDATE credit_listings SET objection_status = $2, objection_decided_on = $3, objection_reasons = $4,
                 ended_on = CASE WHEN $2 = 'upheld' THEN $3 ELSE ended_on END,
                 end_kind = CASE WHEN $2 = 'upheld' THEN 'objection_upheld' ELSE end_kind END, updated_at = $5
             WHERE id = $1 AND objection_status = 'pending'",
            id, decision.key(), decided_on, reasons, Utc::now())
    }

    /// 情况说明: the organization's public explanation, or none.
    pub async fn set_explanation(
        &self,
        id: i64,
        organization_id: i64,
        text: Option<&str>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        guarded_update!(
            self,
            audit,
            organization_id,
            "更新信用名单情况说明",
            "UPDATE credit_listings SET explanation = $2, updated_at = $3 WHERE id = $1",
            id,
            text,
            Utc::now()
        )
    }
}
