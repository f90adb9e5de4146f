//! Returned letters (退信): registered letters to an organization's domicile that came back unsigned —
//! the evidence of 无法取得联系, for the unreachable signal and the abnormal list.

use chrono::{NaiveDate, Utc};
use domain::api::ReturnedLetter;

use crate::store::{AuditEntry, Store, audited, on_pool};

#[derive(Debug, sqlx::FromRow)]
struct LetterRow {
    id: i64,
    organization_id: i64,
    sent_on: NaiveDate,
    returned_on: NaiveDate,
    note: String,
}

impl Store {
    /// Records a returned letter with its audit row.
    pub async fn record_letter<'a>(
        &self,
        letter: &ReturnedLetter,
        division_code: &str,
        recorded_by: &str,
        audit: impl FnOnce(i64) -> AuditEntry<'a>,
    ) -> Result<i64, sqlx::Error> {
        audited!(self, tx => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO returned_letters (organization_id, division_code, sent_on, returned_on, note, recorded_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(letter.organization_id).bind(division_code).bind(letter.sent_on).bind(letter.returned_on)
            .bind(&letter.note).bind(recorded_by).bind(Utc::now())
            .fetch_one(&mut *tx).await?;
            id
        }, id => &audit(*id))
    }

    /// The organization's returned letters, oldest first.
    pub async fn letters_of(&self, organization_id: i64) -> Result<Vec<ReturnedLetter>, sqlx::Error> {
        let rows: Vec<LetterRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, organization_id, sent_on, returned_on, note FROM returned_letters
                 WHERE organization_id = $1 ORDER BY sent_on, id",
            )
            .bind(organization_id).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| ReturnedLetter {
                id: r.id,
                organization_id: r.organization_id,
                sent_on: r.sent_on,
                returned_on: r.returned_on,
                note: r.note,
            })
            .collect())
    }
}
