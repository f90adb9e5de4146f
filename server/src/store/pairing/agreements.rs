//! 结对协议: a confirmed run's pairs become active agreements (and the round closes), listed within the
//! caller's visibility, until staff conclude them.

use chrono::{NaiveDate, Utc};
use domain::api::Agreement;
use domain::pairing::round::AgreementStatus;
use sqlx::QueryBuilder;

use crate::store::{AuditEntry, Store, Visibility, audited, on_pool, push_visibility};

/// Which agreements to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct AgreementFilter {
    pub organization_id: Option<i64>,
    pub village_code: Option<String>,
    pub round_id: Option<i64>,
    pub id: Option<i64>,
}

/// A run being confirmed: its id, its pairs as (organization, village), their term and who confirms.
#[derive(Debug, Clone)]
pub struct Confirmation {
    pub run_id: i64,
    pub pairs: Vec<(i64, String)>,
    pub term: (NaiveDate, NaiveDate),
    pub confirmed_by: String,
}

#[derive(Debug, sqlx::FromRow)]
struct AgreementRow {
    id: i64,
    round_id: i64,
    round_name: String,
    organization_id: i64,
    organization_name: String,
    village_code: String,
    village_name: String,
    county_name: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    status: String,
    concluded_by: Option<String>,
    concluded_on: Option<NaiveDate>,
    conclusion_reason: Option<String>,
}

impl From<AgreementRow> for Agreement {
    fn from(row: AgreementRow) -> Self {
        Agreement {
            id: row.id,
            round_id: row.round_id,
            round_name: row.round_name,
            organization_id: row.organization_id,
            organization_name: row.organization_name,
            village_code: row.village_code,
            village_name: row.village_name,
            county_name: row.county_name,
            start_date: row.start_date,
            end_date: row.end_date,
            // The column has a CHECK constraint on exactly these values.
            status: AgreementStatus::parse(&row.status).unwrap_or(AgreementStatus::Active),
            concluded_by: row.concluded_by,
            concluded_on: row.concluded_on,
            conclusion_reason: row.conclusion_reason,
        }
    }
}

const SELECT_AGREEMENT: &str = "SELECT a.id, a.round_id, r.name AS round_name, a.organization_id,
        o.name AS organization_name, a.village_code, v.name AS village_name, d.name AS county_name,
        a.start_date, a.end_date, a.status, a.concluded_by, a.concluded_on, a.conclusion_reason
    FROM pairing_agreements a
    JOIN pairing_rounds r ON r.id = a.round_id
    JOIN organizations o ON o.id = a.organization_id
    JOIN villages v ON v.code = a.village_code
    JOIN divisions d ON d.code = v.county_code
    WHERE 1 = 1";

impl Store {
    /// Confirms a run: the round is closed and each pair becomes an active agreement, all with the audit row.
    /// `false` if the round was no longer open (nothing is written).
    pub async fn confirm_run(
        &self,
        round_id: i64,
        confirmation: &Confirmation,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        let (start, end) = confirmation.term;
        audited!(self, tx => {
            let closed = sqlx::query("UPDATE pairing_rounds SET status = 'confirmed' WHERE id = $1 AND status = 'open'")
                .bind(round_id)
                .execute(&mut *tx)
                .await?;
            if closed.rows_affected() == 0 {
                // Leaving drops the transaction unwritten: no agreements, no audit row.
                return Ok(false);
            }
            for (organization_id, village_code) in &confirmation.pairs {
                sqlx::query(
                    "INSERT INTO pairing_agreements (round_id, run_id, organization_id, village_code, start_date, end_date,
                                                     status, confirmed_by, confirmed_at)
                     VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8)",
                )
                .bind(round_id)
                .bind(confirmation.run_id)
                .bind(organization_id)
                .bind(village_code)
                .bind(start)
                .bind(end)
                .bind(&confirmation.confirmed_by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            true
        }, _ => audit)
    }

    /// Agreements matching `filter` within `visibility` (by the village's county, or the society), in id order.
    pub async fn list_agreements(
        &self,
        filter: &AgreementFilter,
        visibility: &Visibility,
    ) -> Result<Vec<Agreement>, sqlx::Error> {
        let rows: Vec<AgreementRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_AGREEMENT);
            if let Some(id) = filter.organization_id {
                query.push(" AND a.organization_id = ").push_bind(id);
            }
            if let Some(code) = &filter.village_code {
                query.push(" AND a.village_code = ").push_bind(code.clone());
            }
            if let Some(id) = filter.round_id {
                query.push(" AND a.round_id = ").push_bind(id);
            }
            if let Some(id) = filter.id {
                query.push(" AND a.id = ").push_bind(id);
            }
            push_visibility!(query, visibility, "a.organization_id", "v.county_code");
            query.push(" ORDER BY a.id");
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Agreement::from).collect())
    }

    /// One agreement, if it exists within `visibility`.
    pub async fn find_agreement(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<Agreement>, sqlx::Error> {
        let filter = AgreementFilter {
            id: Some(id),
            ..Default::default()
        };
        Ok(self.list_agreements(&filter, visibility).await?.pop())
    }

    /// Concludes an active agreement on `concluded_on` for `reason`, with the audit row; `false` if it was
    /// not active (nothing is written).
    pub async fn conclude_agreement(
        &self,
        id: i64,
        concluded_by: &str,
        concluded_on: NaiveDate,
        reason: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let now = Utc::now();
        audited!(self, tx => {
            let done = sqlx::query(
                "UPDATE pairing_agreements SET status = 'concluded', concluded_by = $2, concluded_at = $3,
                        concluded_on = $4, conclusion_reason = $5
                 WHERE id = $1 AND status = 'active'",
            )
            .bind(id)
            .bind(concluded_by)
            .bind(now)
            .bind(concluded_on)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                // Leaving drops the transaction unwritten: no audit row for a change that did not happen.
                return Ok(false);
            }
            true
        }, _ => audit)
    }
}
