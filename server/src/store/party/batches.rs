//! 党建指导员批次: numbered batches with a term, the organizations each instructor is assigned (which is
//! the instructor's scope while the term runs: `instructor_organizations` reads it), and the evaluation of
//! each instructor at the term's end.

use chrono::{NaiveDate, Utc};
use domain::party::{Rating, Term};
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// A batch ready to store.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub number: i64,
    pub term: Term,
    pub created_by: String,
}

/// An evaluation ready to store.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    pub batch_id: i64,
    pub instructor_id: i64,
    pub rating: Rating,
    pub reasons: String,
    pub evaluated_on: NaiveDate,
    pub evaluated_by: String,
}

/// A batch with its counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    instructors: i64,
    organizations: i64,
    visits: i64,
    evaluated: i64,
    excellent: i64,
}

impl BatchRow {
    pub fn term(&self) -> Term {
        Term {
            start: self.term_start,
            end: self.term_end,
        }
    }

    pub fn to_api(&self) -> domain::api::PartyBatch {
        let count = |n: i64| n.max(0) as u64;
        domain::api::PartyBatch {
            id: self.id,
            number: self.number,
            term_start: self.term_start,
            term_end: self.term_end,
            instructors: count(self.instructors),
            organizations: count(self.organizations),
            visits: count(self.visits),
            evaluated: count(self.evaluated),
            excellent: count(self.excellent),
        }
    }
}

/// An organization assigned to an instructor in a batch.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub instructor_id: i64,
    pub username: String,
    pub display_name: String,
    pub organization_id: i64,
    pub organization_name: String,
}

/// An instructor's evaluation in a batch.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvaluationRow {
    pub batch_id: i64,
    pub instructor_id: i64,
    rating: String,
    reasons: String,
    evaluated_on: NaiveDate,
    evaluated_by: String,
}

impl EvaluationRow {
    pub fn to_api(&self) -> domain::api::Evaluation {
        domain::api::Evaluation {
            // The column has a CHECK constraint on exactly these values.
            rating: Rating::parse(&self.rating).unwrap_or(Rating::Qualified),
            reasons: self.reasons.clone(),
            evaluated_on: self.evaluated_on,
            evaluated_by: self.evaluated_by.clone(),
        }
    }
}

/// A batch and its counts: instructors, organizations, visits, evaluations and 优秀 among them.
fn select_batch() -> String {
    format!(
        "SELECT b.id, b.number, b.term_start, b.term_end,
            (SELECT COUNT(DISTINCT a.instructor_id) FROM party_assignments a WHERE a.batch_id = b.id) AS instructors,
            (SELECT COUNT(*) FROM party_assignments a WHERE a.batch_id = b.id) AS organizations,
            (SELECT COUNT(*) FROM party_visits v WHERE v.batch_id = b.id) AS visits,
            (SELECT COUNT(*) FROM party_evaluations e WHERE e.batch_id = b.id) AS evaluated,
            (SELECT COUNT(*) FROM party_evaluations e WHERE e.batch_id = b.id AND e.rating = '{}') AS excellent
         FROM party_batches b",
        Rating::Excellent.key()
    )
}

impl Store {
    /// Every batch, newest number first.
    pub async fn list_party_batches(&self) -> Result<Vec<BatchRow>, sqlx::Error> {
        let sql = format!("{} ORDER BY b.number DESC", select_batch());
        on_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)
    }

    pub async fn find_party_batch(&self, id: i64) -> Result<Option<BatchRow>, sqlx::Error> {
        let sql = format!("{} WHERE b.id = $1", select_batch());
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// Stores a batch with its audit row.
    pub async fn insert_party_batch<'a>(
        &self,
        new: &NewBatch,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO party_batches (number, term_start, term_end, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(new.number).bind(new.term.start).bind(new.term.end).bind(&new.created_by).bind(Utc::now())
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    /// The assignments of a batch whose organizations `visibility` covers, by instructor and name.
    pub async fn party_batch_assignments(
        &self,
        batch_id: i64,
        visibility: &Visibility,
    ) -> Result<Vec<AssignmentRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT a.instructor_id, u.username, u.display_name, a.organization_id, o.name AS organization_name
                 FROM party_assignments a JOIN users u ON u.id = a.instructor_id
                 JOIN organizations o ON o.id = a.organization_id WHERE a.batch_id = ",
            );
            query.push_bind(batch_id);
            push_visibility!(query, visibility, "a.organization_id", "a.division_code");
            query.push(" ORDER BY u.display_name, u.id, o.name");
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// Per instructor of a batch: the visits logged and the latest day.
    pub async fn party_batch_visit_counts(
        &self,
        batch_id: i64,
    ) -> Result<Vec<(i64, i64, Option<NaiveDate>)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT instructor_id, COUNT(*), MAX(visited_on) FROM party_visits WHERE batch_id = $1
                 GROUP BY instructor_id",
            )
            .bind(batch_id).fetch_all(pool).await
        })
    }

    /// The evaluations of a batch.
    pub async fn party_batch_evaluations(&self, batch_id: i64) -> Result<Vec<EvaluationRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM party_evaluations WHERE batch_id = $1")
                .bind(batch_id).fetch_all(pool).await
        })
    }

    /// Replaces the organizations (`(id, division)`) assigned to an instructor in a batch, with its audit
    /// row. An organization another instructor holds in the batch is refused by the unique key.
    pub async fn assign_party_organizations(
        &self,
        batch_id: i64,
        instructor_id: i64,
        organizations: &[(i64, String)],
        audit: &AuditEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            sqlx::query("DELETE FROM party_assignments WHERE batch_id = $1 AND instructor_id = $2")
                .bind(batch_id).bind(instructor_id).execute(&mut *tx).await?;
            for (organization_id, division_code) in organizations {
                sqlx::query(
                    "INSERT INTO party_assignments (batch_id, instructor_id, organization_id, division_code, assigned_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(batch_id).bind(instructor_id).bind(organization_id).bind(division_code).bind(now)
                .execute(&mut *tx).await?;
            }
        }, _ => audit)
    }

    /// Stores an evaluation with its audit row; `false` (nothing written) when the instructor was
    /// evaluated for the batch already.
    pub async fn insert_party_evaluation(
        &self,
        new: &NewEvaluation,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        audited!(self, tx => {
            let inserted = sqlx::query(
                "INSERT INTO party_evaluations (batch_id, instructor_id, rating, reasons, evaluated_on, evaluated_by,
                     created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            )
            .bind(new.batch_id).bind(new.instructor_id).bind(new.rating.key()).bind(&new.reasons)
            .bind(new.evaluated_on).bind(&new.evaluated_by).bind(Utc::now())
            .execute(&mut *tx).await?.rows_affected();
            if inserted == 0 {
                return Ok(false);
            }
            true
        }, _ => audit)
    }

    /// The instructor accounts that are not disabled: `(id, username, display_name)`.
    pub async fn instructor_accounts(&self) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, username, display_name FROM users WHERE role = 'instructor' AND NOT disabled
                 ORDER BY display_name, id",
            )
            .fetch_all(pool).await
        })
    }
}
