//! Evidence files of an entry: the record of a file already written to `--evidence-dir`, and the list.

use chrono::{DateTime, Utc};
use domain::api::EvidenceFile;
use domain::evidence::EvidenceType;

use crate::store::{AuditEntry, Store, audited, on_pool};

/// An evidence file already written to disk, to record.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub contribution_id: i64,
    pub stored_name: &'a str,
    pub original_name: &'a str,
    pub file_type: EvidenceType,
    pub size_bytes: i64,
    pub uploaded_by: i64,
}

/// A stored evidence file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EvidenceRow {
    pub id: i64,
    pub contribution_id: i64,
    pub stored_name: String,
    pub original_name: String,
    pub file_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

impl EvidenceRow {
    pub fn file_type(&self) -> EvidenceType {
        EvidenceType::from_content_type(&self.file_type).unwrap_or(EvidenceType::Pdf)
    }

    pub fn to_api(&self) -> EvidenceFile {
        EvidenceFile {
            id: self.id,
            file_type: self.file_type(),
            original_name: self.original_name.clone(),
            size_bytes: self.size_bytes,
            uploaded_at: self.uploaded_at,
        }
    }
}

impl Store {
    /// Records an evidence file (already written to disk) with its audit row.
    pub async fn add_evidence(
        &self,
        file: &NewEvidence<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<Option<i64>, sqlx::Error> {
        audited!(self, tx => {
            // Checked in the same statement that attaches it: an entry submitted while the files were
            // uploading takes no more evidence.
            let inserted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO contribution_evidence
                     (contribution_id, stored_name, original_name, file_type, size_bytes, uploaded_by, uploaded_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7 FROM contributions
                 WHERE id = $1 AND status IN ('draft', 'returned')
                 RETURNING id",
            )
            .bind(file.contribution_id)
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

    /// The evidence files of an entry (the caller has found the entry in their visibility first).
    pub async fn contribution_evidence(&self, contribution_id: i64) -> Result<Vec<EvidenceRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT * FROM contribution_evidence WHERE contribution_id = $1 ORDER BY id")
                .bind(contribution_id)
                .fetch_all(pool)
                .await
        })
    }
}
