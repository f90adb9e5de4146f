//! Numbered batches of suspected illegal organizations (涉嫌非法社会组织名单 第N批): publishing one, and
//! the public search of everything published.

use chrono::{NaiveDate, Utc};
use domain::api::{IllegalBatch, PublicIllegalOrganization};
use domain::illegal::{IllegalStage, batch_title};
use sqlx::QueryBuilder;

use super::insert_step;
use crate::store::{AuditEntry, Store, audited, like_pattern, on_pool};

/// Why a batch was not published.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// A case is not under investigation any more (or never was).
    #[error("a case is not under investigation")]
    NotInvestigating,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(Debug, sqlx::FromRow)]
struct PublicRow {
    batch_number: i64,
    published_on: NaiveDate,
    name: String,
    division_code: String,
    division_name: String,
    address: String,
    activities: String,
    stage: String,
}

impl Store {
    /// Publishes `case_ids` (all under investigation) as the next numbered batch on `published_on`, with a
    /// step on each case and one audit row, in one transaction; the batch's number.
    pub async fn publish_batch<'a>(
        &self,
        case_ids: &[i64],
        published_on: NaiveDate,
        by: &str,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, BatchError> {
        let now = Utc::now();
        audited!(self, tx => {
            let (number,): (i64,) =
                sqlx::query_as("SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM illegal_batches")
                    .fetch_one(&mut *tx).await?;
            let (batch_id,): (i64,) = sqlx::query_as(
                "INSERT INTO illegal_batches (number, published_on, published_by, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(number).bind(published_on).bind(by).bind(now)
            .fetch_one(&mut *tx).await?;
            for id in case_ids {
                let moved = sqlx::query(
                    "UPDATE illegal_cases SET stage = 'published', batch_id = $2, updated_at = $3
                     WHERE id = $1 AND stage = 'investigating'",
                )
                .bind(id).bind(batch_id).bind(now)
                .execute(&mut *tx).await?.rows_affected();
                if moved == 0 {
                    return Err(BatchError::NotInvestigating);
                }
                insert_step!(tx, id, published_on, "publish", "", batch_title(number), by);
            }
            number
        }, number => &audit(*number))
    }

    /// Every batch, newest first, with how many cases it published.
    pub async fn illegal_batches(&self) -> Result<Vec<IllegalBatch>, sqlx::Error> {
        let rows: Vec<(i64, NaiveDate, i64)> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT b.number, b.published_on, (SELECT COUNT(*) FROM illegal_cases c WHERE c.batch_id = b.id)
                 FROM illegal_batches b ORDER BY b.number DESC",
            )
            .fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(number, published_on, cases)| IllegalBatch {
                number,
                title: batch_title(number),
                published_on,
                cases: cases as u64,
            })
            .collect())
    }

    /// Published cases of batch `number` (any when `None`) whose name contains `name`, up to `limit`, by
    /// batch and name. Only what the published list says: no reporter, evidence or steps.
    pub async fn public_illegal_organizations(
        &self,
        number: Option<i64>,
        name: Option<&str>,
        limit: i64,
    ) -> Result<Vec<PublicIllegalOrganization>, sqlx::Error> {
        let rows: Vec<PublicRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT b.number AS batch_number, b.published_on, c.name, c.division_code, d.name AS division_name,
                     c.address, c.activities, c.stage
                 FROM illegal_cases c JOIN illegal_batches b ON b.id = c.batch_id
                 JOIN divisions d ON d.code = c.division_code WHERE 1 = 1",
            );
            if let Some(number) = number {
                query.push(" AND b.number = ").push_bind(number);
            }
            if let Some(name) = name {
                query.push(" AND c.name LIKE ").push_bind(like_pattern(name)).push(" ESCAPE '\\'");
            }
            query.push(" ORDER BY b.number DESC, c.name LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| PublicIllegalOrganization {
                batch_number: r.batch_number,
                published_on: r.published_on,
                name: r.name,
                division_code: r.division_code,
                division_name: r.division_name,
                address: r.address,
                activities: r.activities,
                stage: IllegalStage::parse(&r.stage).unwrap_or(IllegalStage::Published),
            })
            .collect())
    }
}
