//! Evidence files of a clue or case: the record of a file already written to `--evidence-dir` (the
//! ledger's rules and its row type), and the list.

use chrono::Utc;
use domain::evidence::EvidenceType;

use crate::store::contributions::EvidenceRow;
use crate::store::{AuditEntry, Store, audited, on_pool};

/// An evidence file already written to disk, to record on case `case_id`.
#[derive(Debug, Clone)]
pub struct NewCaseEvidence<'a> {
    pub case_id: i64,
    pub stored_name: &'a str,
    pub original_name: &'a str,
    pub file_type: EvidenceType,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

impl Store {
    /// Records an evidence file with its audit row, only while the case is open (a case with an outcome
    /// takes no more evidence); `None` when it is not.
    pub async fn add_case_evidence(
        &self,
        file: &NewCaseEvidence<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<Option<i64>, sqlx::Error> {
        audited!(self, tx => {
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO illegal_case_evidence
                     (case_id, stored_name, original_name, file_type, size_bytes, uploaded_by, uploaded_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7 FROM illegal_cases
                 WHERE id = $1 AND stage IN ('clue', 'investigating', 'published')
                 RETURNING id",
            )
            .bind(file.case_id)
            .bind(file.stored_name)
            .bind(file.original_name)
            .bind(file.file_type.content_type())
            .bind(file.size_bytes)
            .bind(file.uploaded_by)
            .bind(Utc::now())
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = inserted else { return Ok(None) };
            Some(id)
        }, _ => audit)
    }

    /// The evidence files of a case (the caller has found the case in their visibility first), oldest first,
    /// as the ledger's row type (whose owner column is named `contribution_id`).
    pub async fn case_evidence(&self, case_id: i64) -> Result<Vec<EvidenceRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, case_id AS contribution_id, stored_name, original_name, file_type, size_bytes, uploaded_at
                 FROM illegal_case_evidence WHERE case_id = $1 ORDER BY id",
            )
            .bind(case_id)
            .fetch_all(pool)
            .await
        })
    }
}
