//! Moving an entry through review — submit, verify, return — and keeping the rollup in step: an entry
//! counts from its verification, and the verified entry a correction replaces stops counting then.

use chrono::Utc;
use domain::contributions::ContributionStatus;

use crate::store::{AuditEntry, Store, audited};

/// Adds entry `$id` to the rollup (`$sign` = 1) or takes it out (`$sign` = -1), on `$conn`.
macro_rules! rollup_entry {
    ($conn:expr, $id:expr, $sign:expr) => {
        sqlx::query(
            "INSERT INTO contribution_rollup (division_code, city_code, year, kind, entries, amount_fen, people)
             SELECT division_code, city_code, year, kind, $2, $2 * amount_fen, $2 * COALESCE(people, 0)
             FROM contributions WHERE id = $1
             ON CONFLICT (division_code, year, kind) DO UPDATE SET
                 entries = contribution_rollup.entries + excluded.entries,
                 amount_fen = contribution_rollup.amount_fen + excluded.amount_fen,
                 people = contribution_rollup.people + excluded.people",
        )
        .bind($id)
        .bind($sign)
        .execute($conn)
        .await?
    };
}

impl Store {
    /// Moves an entry from `from` to `to` (submit, verify, return), with the reason and reviewer where they
    /// apply; verifying a correction takes the entry it corrects out of the totals. The status, the rollup
    /// and the audit row change in one transaction. `Ok(false)` when the entry is no longer in `from`.
    pub async fn change_contribution_status(
        &self,
        id: i64,
        from: ContributionStatus,
        to: ContributionStatus,
        reason: Option<&str>,
        reviewer: Option<i64>,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let changed = sqlx::query(
                "UPDATE contributions SET status = $3, updated_at = $4,
                     return_reason = CASE WHEN $3 = 'returned' THEN $5 ELSE NULL END,
                     submitted_at = CASE WHEN $3 = 'submitted' THEN $4 ELSE submitted_at END,
                     reviewed_at = CASE WHEN $3 IN ('verified', 'returned') THEN $4 ELSE reviewed_at END,
                     reviewed_by = CASE WHEN $3 IN ('verified', 'returned') THEN $6 ELSE reviewed_by END
                 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(from.key())
            .bind(to.key())
            .bind(now)
            .bind(reason)
            .bind(reviewer)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(false);
            }
            if to == ContributionStatus::Verified {
                // It counts from now on; the verified entry it corrects (if any) stops counting.
                rollup_entry!(&mut *tx, id, 1i64);
                let corrects: Option<(i64,)> = sqlx::query_as(
                    "UPDATE contributions SET superseded_by = $1
                     WHERE id = (SELECT corrects_id FROM contributions WHERE id = $1) AND superseded_by IS NULL
                       AND status = 'verified'
                     RETURNING id",
                )
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some((original,)) = corrects {
                    rollup_entry!(&mut *tx, original, -1i64);
                }
            }
            true
        }, _ => audit)
    }
}
