//! Evidence files, of ledger entries and of illegal-organization cases alike: the record of a file already
//! written to `--evidence-dir`, taken only while its owner still takes evidence, and the list. The files
//! themselves are written and served by `routes::evidence`.

use chrono::{DateTime, Utc};
use domain::api::EvidenceFile;
use domain::evidence::EvidenceType;

use crate::store::{AuditEntry, Store, audited, on_pool};

/// What an evidence file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceOwner {
    /// A ledger entry: takes evidence while a draft or returned.
    Contribution(i64),
    /// An illegal-organization clue or case: takes evidence until it has an outcome.
    IllegalCase(i64),
}

impl EvidenceOwner {
    pub fn id(self) -> i64 {
        match self {
            EvidenceOwner::Contribution(id) | EvidenceOwner::IllegalCase(id) => id,
        }
    }

    /// The owner's entity type in the audit log.
    pub fn entity_type(self) -> &'static str {
        match self {
            EvidenceOwner::Contribution(_) => "contribution",
            EvidenceOwner::IllegalCase(_) => "illegal_case",
        }
    }

    /// Attaches a file in the statement that checks its owner still takes evidence: an entry submitted
    /// (or a case closed) while the files were uploading takes none.
    fn insert_sql(self) -> &'static str {
        match self {
            EvidenceOwner::Contribution(_) => {
                "INSERT INTO contribution_evidence
                     (contribution_id, stored_name, original_name, file_type, size_bytes, uploaded_by, uploaded_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7 FROM contributions
                 WHERE id = $1 AND status IN ('draft', 'returned')
                 RETURNING id"
            }
            EvidenceOwner::IllegalCase(_) => {
                "INSERT INTO illegal_case_evidence
                     (case_id, stored_name, original_name, file_type, size_bytes, uploaded_by, uploaded_at)
                 SELECT $1, $2, $3, $4, $5, $6, $7 FROM illegal_cases
                 WHERE id = $1 AND stage IN ('clue', 'investigating', 'published')
                 RETURNING id"
            }
        }
    }

    fn list_sql(self) -> &'static str {
        match self {
            EvidenceOwner::Contribution(_) => {
                "SELECT id, contribution_id AS owner_id, stored_name, original_name, file_type, size_bytes, uploaded_at
                 FROM contribution_evidence WHERE contribution_id = $1 ORDER BY id"
            }
            EvidenceOwner::IllegalCase(_) => {
                "SELECT id, case_id AS owner_id, stored_name, original_name, file_type, size_bytes, uploaded_at
                 FROM illegal_case_evidence WHERE case_id = $1 ORDER BY id"
            }
        }
    }
}

/// An evidence file already written to disk, to record on its owner.
#[derive(Debug, Clone)]
pub struct NewEvidence<'a> {
    pub owner: EvidenceOwner,
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
    /// The entry's or the case's id.
    pub owner_id: i64,
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
    /// Records an evidence file with its audit row, only while its owner takes evidence; `None` when it
    /// does not.
    pub async fn add_evidence(
        &self,
        file: &NewEvidence<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<Option<i64>, sqlx::Error> {
        audited!(self, tx => {
            let inserted: Option<(i64,)> = sqlx::query_as(file.owner.insert_sql())
                .bind(file.owner.id())
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

    /// The evidence files of an entry or a case, oldest first (the caller has found the owner in their
    /// visibility first).
    pub async fn evidence_of(&self, owner: EvidenceOwner) -> Result<Vec<EvidenceRow>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(owner.list_sql())
                .bind(owner.id())
                .fetch_all(pool)
                .await
        })
    }
}
