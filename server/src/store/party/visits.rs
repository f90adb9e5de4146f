//! 走访指导: the visits instructors log, and what their workspace reads — their assignments in the
//! terms running today, their terms with their record, the visits per organization.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, audited, on_pool};

/// A visit ready to store.
#[derive(Debug, Clone)]
pub struct NewVisit {
    pub batch_id: i64,
    pub instructor_id: i64,
    pub organization_id: i64,
    pub division_code: String,
    pub visited_on: NaiveDate,
    pub note: String,
}

const SELECT_VISIT: &str =
    "SELECT v.id, b.number AS batch_number, v.organization_id, o.name AS organization_name,
        u.display_name AS instructor_name, v.visited_on, v.note, v.created_at
    FROM party_visits v JOIN party_batches b ON b.id = v.batch_id
    JOIN organizations o ON o.id = v.organization_id JOIN users u ON u.id = v.instructor_id";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VisitRow {
    pub id: i64,
    pub batch_number: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub instructor_name: String,
    pub visited_on: NaiveDate,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl VisitRow {
    pub fn to_api(&self) -> domain::api::PartyVisit {
        domain::api::PartyVisit {
            id: self.id,
            batch_number: self.batch_number,
            organization_id: self.organization_id,
            organization_name: self.organization_name.clone(),
            instructor_name: self.instructor_name.clone(),
            visited_on: self.visited_on,
            note: self.note.clone(),
            created_at: self.created_at,
        }
    }
}

/// An organization assigned to the instructor in a batch whose term runs on the day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CurrentAssignment {
    pub batch_id: i64,
    pub batch_number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub organization_id: i64,
    pub division_code: String,
}

/// A batch an instructor served in, with their own record.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TermRow {
    pub batch_id: i64,
    pub batch_number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub organizations: i64,
    pub visits: i64,
}

impl Store {
    /// The organizations assigned to `instructor_id` in batches whose term runs on `on`.
    pub async fn current_party_assignments(
        &self,
        instructor_id: i64,
        on: NaiveDate,
    ) -> Result<Vec<CurrentAssignment>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT a.batch_id, b.number AS batch_number, b.term_start, b.term_end, a.organization_id, a.division_code
                 FROM party_assignments a JOIN party_batches b ON b.id = a.batch_id
                 WHERE a.instructor_id = $1 AND b.term_start <= $2 AND b.term_end >= $2
                 ORDER BY b.number DESC, a.organization_id",
            )
            .bind(instructor_id).bind(on).fetch_all(pool).await
        })
    }

    /// Every batch `instructor_id` served in, newest first, with their organizations and visits.
    pub async fn instructor_party_terms(&self, instructor_id: i64) -> Result<Vec<TermRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT b.id AS batch_id, b.number AS batch_number, b.term_start, b.term_end,
                     (SELECT COUNT(*) FROM party_assignments a WHERE a.batch_id = b.id AND a.instructor_id = $1)
                         AS organizations,
                     (SELECT COUNT(*) FROM party_visits v WHERE v.batch_id = b.id AND v.instructor_id = $1) AS visits
                 FROM party_batches b
                 WHERE EXISTS (SELECT 1 FROM party_assignments a WHERE a.batch_id = b.id AND a.instructor_id = $1)
                    OR EXISTS (SELECT 1 FROM party_evaluations e WHERE e.batch_id = b.id AND e.instructor_id = $1)
                 ORDER BY b.number DESC",
            )
            .bind(instructor_id).fetch_all(pool).await
        })
    }

    /// Logs a visit with its audit row.
    pub async fn insert_party_visit<'a>(
        &self,
        new: &NewVisit,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO party_visits (batch_id, instructor_id, organization_id, division_code, visited_on, note,
                     created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(new.batch_id).bind(new.instructor_id).bind(new.organization_id).bind(&new.division_code)
            .bind(new.visited_on).bind(&new.note).bind(Utc::now())
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    pub async fn find_party_visit(&self, id: i64) -> Result<Option<VisitRow>, sqlx::Error> {
        let sql = format!("{SELECT_VISIT} WHERE v.id = $1");
        on_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)
    }

    /// The latest `limit` visits to an organization.
    pub async fn organization_party_visits(
        &self,
        organization_id: i64,
        limit: i64,
    ) -> Result<Vec<VisitRow>, sqlx::Error> {
        let sql = format!(
            "{SELECT_VISIT} WHERE v.organization_id = $1 ORDER BY v.visited_on DESC, v.id DESC LIMIT $2"
        );
        on_pool!(self, pool => sqlx::query_as(&sql).bind(organization_id).bind(limit).fetch_all(pool).await)
    }

    /// The latest `limit` visits of an instructor in batches `batch_ids`.
    pub async fn instructor_party_visits(
        &self,
        instructor_id: i64,
        batch_ids: &[i64],
        limit: i64,
    ) -> Result<Vec<VisitRow>, sqlx::Error> {
        if batch_ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_VISIT);
            query.push(" WHERE v.instructor_id = ").push_bind(instructor_id).push(" AND v.batch_id IN (");
            let mut list = query.separated(", ");
            for id in batch_ids {
                list.push_bind(*id);
            }
            query.push(") ORDER BY v.visited_on DESC, v.id DESC LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// Per organization visited by an instructor in a batch: the visits and the latest day.
    pub async fn instructor_visit_counts(
        &self,
        instructor_id: i64,
        batch_id: i64,
    ) -> Result<Vec<(i64, i64, Option<NaiveDate>)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT organization_id, COUNT(*), MAX(visited_on) FROM party_visits
                 WHERE instructor_id = $1 AND batch_id = $2 GROUP BY organization_id",
            )
            .bind(instructor_id).bind(batch_id).fetch_all(pool).await
        })
    }

    /// The evaluations of an instructor, by batch.
    pub async fn instructor_party_evaluations(
        &self,
        instructor_id: i64,
    ) -> Result<Vec<super::EvaluationRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM party_evaluations WHERE instructor_id = $1")
                .bind(instructor_id).fetch_all(pool).await
        })
    }

    /// Of `organization_ids`, those with an update awaiting staff.
    pub async fn organizations_with_pending_party_records(
        &self,
        organization_ids: &[i64],
    ) -> Result<Vec<i64>, sqlx::Error> {
        if organization_ids.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT DISTINCT organization_id FROM party_records WHERE status = 'pending' AND organization_id IN (",
            );
            let mut list = query.separated(", ");
            for id in organization_ids {
                list.push_bind(*id);
            }
            query.push(")");
            let rows: Vec<(i64,)> = query.build_query_as().fetch_all(pool).await?;
            Ok(rows.into_iter().map(|(id,)| id).collect())
        })
    }

    /// The instructors assigned to an organization: `(batch number, term start, term end, name)`, newest first.
    pub async fn organization_party_instructors(
        &self,
        organization_id: i64,
    ) -> Result<Vec<(i64, NaiveDate, NaiveDate, String)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT b.number, b.term_start, b.term_end, u.display_name
                 FROM party_assignments a JOIN party_batches b ON b.id = a.batch_id JOIN users u ON u.id = a.instructor_id
                 WHERE a.organization_id = $1 ORDER BY b.number DESC",
            )
            .bind(organization_id).fetch_all(pool).await
        })
    }
}
