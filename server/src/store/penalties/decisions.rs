//! The penalty decision: numbered in its year (皖社罚〔2026〕3号, like the licensing decisions), and in
//! the same transaction as everything it changes — 撤销登记 revokes the registration, the credit-list
//! records list the organization (through `credit::record_listing_on!`), the organization's timeline shows
//! the decision — so a decision is never on record without its effects, nor the effects without it.

use chrono::{Datelike, Days, Utc};
use domain::credit::EventKind;
use domain::penalties::{Decision, PenaltyKind, document_number, is_minor, listing_reason};
use domain::publication::DecisionKind;
use serde_json::json;

use super::{PenaltyRow, join_kinds, split_kinds};
use crate::store::audit::record_audit;
use crate::store::credit::{NewListing, record_listing_on, timeline};
use crate::store::publication::{NewPublication, enqueue_on};
use crate::store::{AuditEntry, Store, on_pool};

/// 三年内: the window in which a second warning or small fine counts as repeated.
const REPEAT_WINDOW_DAYS: u64 = 3 * 365;

impl Store {
    /// Issues `decision` on case `row` (still noticed): numbers it, revokes the registration when it says
    /// so, lists the organization, adds the timeline line, its publication item (due `publish_by`) and the
    /// audit rows. The document number, or `None` when the case moved on meanwhile.
    pub async fn decide_penalty(
        &self,
        row: &PenaltyRow,
        decision: &Decision,
        publish_by: chrono::NaiveDate,
        audit: &AuditEntry<'_>,
    ) -> Result<Option<String>, sqlx::Error> {
        let now = Utc::now();
        let year = decision.on.year();
        let revoke = decision.kinds.contains(&PenaltyKind::Revocation);
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let (serial,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(MAX(decision_serial), 0) + 1 AS BIGINT) FROM penalty_cases WHERE decision_year = $1",
            )
            .bind(year).fetch_one(&mut *tx).await?;
            let number = document_number(year, serial);
            let changed = sqlx::query(
                "UPDATE penalty_cases SET stage = 'decided', decided_on = $2, kinds = $3, fine_fen = $4,
                     confiscated_fen = $5, suspend_until = $6, decision_content = $7, document_number = $8,
                     decision_year = $9, decision_serial = $10, closed_on = $2, updated_at = $11
                 WHERE id = $1 AND stage = 'noticed'",
            )
            .bind(row.id).bind(decision.on).bind(join_kinds(&decision.kinds))
            .bind(decision.fine_fen.map(|f| f.as_i64())).bind(decision.confiscated_fen.map(|f| f.as_i64()))
            .bind(decision.suspend_until).bind(decision.content.trim()).bind(&number).bind(year).bind(serial)
            .bind(now)
            .execute(&mut *tx).await?.rows_affected();
            if changed == 0 {
                return Ok(None);
            }
            if revoke {
                sqlx::query("UPDATE organizations SET status = 'revoked', updated_at = $2 WHERE id = $1 AND status = 'normal'")
                    .bind(row.organization_id).bind(now).execute(&mut *tx).await?;
            }
            let labels: Vec<&str> = decision.kinds.iter().map(|k| k.label_zh()).collect();
            let line = format!("行政处罚决定 {number}：{}", labels.join("、"));
            timeline!(&mut *tx, row.organization_id, "penalty_decision", &line, audit.actor);
            let publication = NewPublication {
                kind: DecisionKind::Penalty,
                decision_id: row.id,
                document_number: &number,
                organization_id: Some(row.organization_id),
                organization_name: &row.organization_name,
                credit_code: Some(row.credit_code.as_str()),
                division_code: &row.division_code,
                category: labels.join("、"),
                content: decision.content.trim(),
                decided_on: decision.on,
                valid_until: decision.suspend_until,
                due_on: publish_by,
            };
            enqueue_on!(tx, &publication);
            // 三年内两次以上: earlier warnings or small fines of the organization in the window.
            let since = decision.on.checked_sub_days(Days::new(REPEAT_WINDOW_DAYS)).unwrap_or(decision.on);
            let earlier: Vec<(String, Option<i64>, chrono::NaiveDate)> = sqlx::query_as(
                "SELECT kinds, fine_fen, decided_on FROM penalty_cases
                 WHERE organization_id = $1 AND stage = 'decided' AND id <> $2 AND decided_on > $3",
            )
            .bind(row.organization_id).bind(row.id).bind(since).fetch_all(&mut *tx).await?;
            let repeated = earlier.into_iter().any(|(kinds, fine, on)| {
                is_minor(&Decision {
                    on,
                    kinds: split_kinds(&kinds),
                    fine_fen: fine.map(domain::money::Fen::new),
                    confiscated_fen: None,
                    suspend_until: None,
                    content: String::new(),
                })
            });
            if let Some(reason) = listing_reason(decision, repeated) {
                let new = NewListing {
                    organization_id: row.organization_id,
                    reason,
                    event_kind: EventKind::StaffDecision,
                    // The case's id: a decision lists once, however often the write is retried.
                    event_id: Some(row.id),
                    summary: format!("行政处罚决定 {number}（{}）", labels.join("、")),
                    on: decision.on,
                };
                // The lists' own rules may refuse (already on the serious list): the decision stands.
                let _ = record_listing_on!(tx, &new, audit.actor);
            }
            let audit = AuditEntry {
                after: Some(json!({
                    "document_number": number, "kinds": decision.kinds, "fine_fen": decision.fine_fen,
                    "decided_on": decision.on, "revoked": revoke,
                })),
                ..audit.clone()
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(Some(number))
        })
    }
}
