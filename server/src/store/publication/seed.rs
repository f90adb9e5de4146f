//! The demo history of publication: past licensing decisions with the platform's acknowledgments, and
//! the items of decisions that have none yet (made before the outbox existed). The generator
//! (`seed/publication.rs`) decides what people did — which matters were decided when, when the platform
//! confirmed each publication; the items are written by the outbox's own `enqueue_on!`.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::calendar::WorkCalendar;
use domain::publication::{DecisionKind, PublicationStatus, due_on};
use domain::registry::matter::MatterKind;

use super::{NewPublication, enqueue_on};
use crate::store::{Store, on_pool};

/// A past licensing decision and its publication, as the generator decided them.
#[derive(Debug, Clone)]
pub struct SeedDecision {
    pub organization_id: i64,
    pub kind: MatterKind,
    pub content: String,
    pub decided_on: NaiveDate,
    pub decided_at: DateTime<Utc>,
    /// The day the platform confirmed the publication, and its receipt.
    pub published_on: NaiveDate,
    pub receipt: String,
}

/// A decision without a publication item.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Unlisted {
    id: i64,
    document_number: String,
    organization_id: Option<i64>,
    organization_name: String,
    credit_code: Option<String>,
    division_code: String,
    category: String,
    content: String,
    decided_on: NaiveDate,
    valid_until: Option<NaiveDate>,
}

impl Store {
    /// Provincial organizations to seed past decisions on (the case study's licensing decisions are the
    /// provincial authority's): `(id, name, credit code, division)`, up to `limit`.
    pub async fn publication_seed_organizations(
        &self,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, name, credit_code, division_code FROM organizations
                 WHERE status = 'normal' AND level = 'provincial' ORDER BY id LIMIT $1",
            )
            .bind(limit).fetch_all(pool).await
        })
    }

    /// How many licensing decisions of `year` there are (the seed runs once per year it covers).
    pub async fn licensing_decisions_in(&self, year: i32) -> Result<u64, sqlx::Error> {
        let (count,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM licensing_decisions WHERE year = $1")
                .bind(year).fetch_one(pool).await?
        });
        Ok(count as u64)
    }

    /// Records past decided matters, their numbered licensing decisions and their publication items,
    /// acknowledged by the platform on the day given — one transaction, numbered in order.
    pub async fn insert_seed_decisions(
        &self,
        decisions: &[SeedDecision],
        calendar: &WorkCalendar,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (serial, d) in (1_i64..).zip(decisions) {
                let (name, code, division): (String, String, String) =
                    sqlx::query_as("SELECT name, credit_code, division_code FROM organizations WHERE id = $1")
                        .bind(d.organization_id).fetch_one(&mut *tx).await?;
                let (matter_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO matters (kind, organization_id, organization_name, division_code, state, state_json,
                         channel, payload_json, note, filed_at, accepted_on, decided_at, updated_at)
                     VALUES ($1, $2, $3, $4, 'approved', '{\"state\":\"approved\"}', 'standard', '{\"changes\":{}}', $5, $6, $7, $6, $6)
                     RETURNING id",
                )
                .bind(d.kind.key()).bind(d.organization_id).bind(&name).bind(&division)
                .bind(format!("{}（演示数据）", d.kind.label_zh())).bind(d.decided_at).bind(d.decided_on)
                .fetch_one(&mut *tx).await?;
                let year = d.decided_on.year();
                let number = format!("皖社许〔{year}〕{serial}号");
                let (decision_id,): (i64,) = sqlx::query_as(
                    "INSERT INTO licensing_decisions (document_number, year, serial, decided_on, organization_id,
                         organization_name, credit_code, matter_id, kind, content, authority_code, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(&number).bind(year).bind(serial as i32).bind(d.decided_on).bind(d.organization_id)
                .bind(&name).bind(&code).bind(matter_id).bind(d.kind.key()).bind(&d.content).bind(&division)
                .bind(d.decided_at)
                .fetch_one(&mut *tx).await?;
                let publication = NewPublication {
                    kind: DecisionKind::Licensing,
                    decision_id,
                    document_number: &number,
                    organization_id: Some(d.organization_id),
                    organization_name: &name,
                    credit_code: Some(code.as_str()),
                    division_code: &division,
                    category: d.kind.label_zh().to_owned(),
                    content: &d.content,
                    decided_on: d.decided_on,
                    valid_until: None,
                    due_on: due_on(d.decided_on, calendar),
                };
                enqueue_on!(tx, &publication);
                acknowledge!(tx, decision_id, d.published_on, &d.receipt);
            }
            tx.commit().await
        })
    }

    /// Writes the items of the decisions that have none (licensing decisions, decided penalty cases),
    /// due by `calendar`; how many.
    pub async fn enqueue_missing_publications(&self, calendar: &WorkCalendar) -> Result<u64, sqlx::Error> {
        let licensing: Vec<Unlisted> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT d.id, d.document_number, d.organization_id, d.organization_name, d.credit_code,
                     d.authority_code AS division_code, d.kind AS category, d.content, d.decided_on,
                     CAST(NULL AS DATE) AS valid_until
                 FROM licensing_decisions d
                 WHERE NOT EXISTS (SELECT 1 FROM publication_items i WHERE i.kind = 'licensing' AND i.decision_id = d.id)",
            )
            .fetch_all(pool).await?
        });
        let penalties: Vec<Unlisted> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT p.id, p.document_number, p.organization_id, o.name AS organization_name, o.credit_code,
                     p.division_code, p.kinds AS category, COALESCE(p.decision_content, '') AS content,
                     p.decided_on, p.suspend_until AS valid_until
                 FROM penalty_cases p JOIN organizations o ON o.id = p.organization_id
                 WHERE p.stage = 'decided' AND p.document_number IS NOT NULL AND p.decided_on IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM publication_items i WHERE i.kind = 'penalty' AND i.decision_id = p.id)",
            )
            .fetch_all(pool).await?
        });
        let count = (licensing.len() + penalties.len()) as u64;
        if count == 0 {
            return Ok(0);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (kind, rows) in [(DecisionKind::Licensing, &licensing), (DecisionKind::Penalty, &penalties)] {
                for row in rows {
                    let category = match kind {
                        DecisionKind::Licensing => {
                            MatterKind::parse(&row.category).map_or(row.category.clone(), |k| k.label_zh().to_owned())
                        }
                        DecisionKind::Penalty => crate::store::penalties::split_kinds(&row.category)
                            .iter().map(|k| k.label_zh()).collect::<Vec<_>>().join("、"),
                    };
                    let publication = NewPublication {
                        kind,
                        decision_id: row.id,
                        document_number: &row.document_number,
                        organization_id: row.organization_id,
                        organization_name: &row.organization_name,
                        credit_code: row.credit_code.as_deref(),
                        division_code: &row.division_code,
                        category,
                        content: &row.content,
                        decided_on: row.decided_on,
                        valid_until: row.valid_until,
                        due_on: due_on(row.decided_on, calendar),
                    };
                    enqueue_on!(tx, &publication);
                }
            }
            tx.commit().await?;
            Ok(count)
        })
    }
}

/// Marks the licensing decision's item acknowledged by the platform on `$on`, with its one push.
macro_rules! acknowledge {
    ($tx:ident, $decision_id:expr, $on:expr, $receipt:expr) => {{
        let on: NaiveDate = $on;
        let at = on.and_hms_opt(2, 0, 0).expect("a time of day").and_utc();
        let (item_id,): (i64,) = sqlx::query_as(
            "UPDATE publication_items SET status = $2, attempts = 1, next_attempt_at = NULL, sent_at = $3,
                 published_on = $4, receipt = $5, updated_at = $3
             WHERE kind = 'licensing' AND decision_id = $1 RETURNING id",
        )
        .bind($decision_id)
        .bind(PublicationStatus::Acknowledged.key())
        .bind(at)
        .bind(on)
        .bind($receipt)
        .fetch_one(&mut *$tx)
        .await?;
        sqlx::query(
            "INSERT INTO publication_attempts (item_id, attempt, at, outcome, http_status, message)
             VALUES ($1, 1, $2, $3, 200, $4)",
        )
        .bind(item_id)
        .bind(at)
        .bind(PublicationStatus::Acknowledged.key())
        .bind(format!("平台已确认公示（{on}）"))
        .execute(&mut *$tx)
        .await?;
    }};
}
use acknowledge;
