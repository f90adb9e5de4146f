//! The demo set's removals (`seed/annual_records.rs`): what [`Store::apply_for_removal`] and a granting
//! [`Store::decide_removal`] write — the application and decision on the listing, two timeline lines, two
//! audit rows — for many listings in one transaction instead of two each.

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::timeline;
use crate::store::audit::record_audit;
use crate::store::{Actor, AuditEntry, Store, on_pool};

/// A removal applied for and granted.
#[derive(Debug, Clone)]
pub struct SeedRemoval {
    pub listing_id: i64,
    pub organization_id: i64,
    pub applied_on: NaiveDate,
    pub decide_by: NaiveDate,
    pub rectification: String,
    pub decided_on: NaiveDate,
}

impl Store {
    /// Applies for and grants each removal (of a current listing with none pending), in one transaction.
    pub async fn seed_removals(&self, removals: &[SeedRemoval], actor: &Actor) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for r in removals {
                let changed = sqlx::query(
                    "UPDATE credit_listings SET removal_applied_on = $2, removal_decide_by = $3, removal_rectification = $4,
                         removal_decision = 'grant', removal_decided_on = $5, removal_reasons = NULL,
                         ended_on = $5, end_kind = 'removed', updated_at = $6
                     WHERE id = $1 AND ended_on IS NULL AND (removal_applied_on IS NULL OR removal_decision IS NOT NULL)",
                )
                .bind(r.listing_id).bind(r.applied_on).bind(r.decide_by).bind(&r.rectification).bind(r.decided_on)
                .bind(now)
                .execute(&mut *tx).await?.rows_affected();
                if changed == 0 {
                    continue;
                }
                timeline!(&mut *tx, r.organization_id, "credit_listing", "申请移出信用名单", actor);
                timeline!(&mut *tx, r.organization_id, "credit_listing", "移出申请：准予移出", actor);
                for (action, after) in [
                    ("apply_removal", json!({ "applied_on": r.applied_on, "rectification": r.rectification })),
                    ("decide_removal", json!({ "decision": "grant", "decided_on": r.decided_on })),
                ] {
                    let audit = AuditEntry {
                        actor,
                        entity_type: "credit_listing",
                        entity_id: r.listing_id.to_string(),
                        action,
                        before: None,
                        after: Some(after),
                        reason: Some("演示数据".to_owned()),
                    };
                    record_audit!(&mut *tx, &audit)?;
                }
            }
            tx.commit().await
        })
    }
}
