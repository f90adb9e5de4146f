//! The demo set's dormant pipeline (`seed/annual.rs`): the cases the real scan proposed are taken through
//! their steps in one transaction — each case's final state with a timeline line, the registration of a
//! deregistered or revoked organization ended — and one audit row for the batch.

use chrono::{NaiveDate, Utc};
use domain::dormant::CaseStage;
use serde_json::json;

use super::CaseUpdate;
use crate::store::audit::record_audit;
use crate::store::credit::timeline;
use crate::store::{Actor, AuditEntry, Store, on_pool};

/// Where a seeded case ends up.
#[derive(Debug, Clone)]
pub struct SeedOutcome {
    pub case_id: i64,
    pub organization_id: i64,
    pub stage: CaseStage,
    pub update: CaseUpdate,
}

impl Store {
    /// The candidates proposed on `day`: (case, organization), by organization.
    pub async fn candidates_proposed_on(&self, day: NaiveDate) -> Result<Vec<(i64, i64)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, organization_id FROM dormant_cases WHERE stage = 'candidate' AND proposed_on = $1
                 ORDER BY organization_id",
            )
            .bind(day).fetch_all(pool).await
        })
    }

    /// Writes each case's final state (from `candidate`), in one transaction with one audit row.
    pub async fn seed_case_outcomes(
        &self,
        outcomes: &[SeedOutcome],
        actor: &Actor,
    ) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for o in outcomes {
                let u = &o.update;
                sqlx::query(
                    "UPDATE dormant_cases SET stage = $2, confirmed_on = $3, interviewee = $4, interviewed_on = $5,
                         interview_outcome = $6, rectification_deadline = $7, rectification_requirements = $8,
                         closed_on = $9, decision_number = $10, public_notice = $11, note = $12, updated_at = $13
                     WHERE id = $1 AND stage = 'candidate'",
                )
                .bind(o.case_id).bind(o.stage.key()).bind(u.confirmed_on).bind(&u.interviewee).bind(u.interviewed_on)
                .bind(&u.interview_outcome).bind(u.rectification_deadline).bind(&u.rectification_requirements)
                .bind(u.closed_on).bind(&u.decision_number).bind(&u.public_notice).bind(&u.note).bind(now)
                .execute(&mut *tx).await?;
                let status = match o.stage {
                    CaseStage::Deregistered => Some("deregistered"),
                    CaseStage::Revoked => Some("revoked"),
                    _ => None,
                };
                if let Some(status) = status {
                    sqlx::query("UPDATE organizations SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'normal'")
                        .bind(o.organization_id).bind(status).bind(now).execute(&mut *tx).await?;
                }
                let line = format!("僵尸型社会组织处置：{}", o.stage.label_zh());
                timeline!(&mut *tx, o.organization_id, "dormant_case", &line, actor);
            }
            let audit = AuditEntry {
                actor,
                entity_type: "dormant_case",
                entity_id: "seed".to_owned(),
                action: "seed",
                before: None,
                after: Some(json!({ "cases": outcomes.len() })),
                reason: Some("演示数据：僵尸型社会组织处置".to_owned()),
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await
        })
    }
}
