//! Wire types of the contribution ledger (`/api/v1/contributions`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::contributions::{AdmissionKind, ContributionKind, ContributionStatus, ExpoRole};
use crate::evidence::EvidenceType;
use crate::money::Fen;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use crate::contributions::{ContributionInput, RecipientInput};

/// One ledger entry. Lists leave `recipients` and `evidence` empty and give their counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Contribution {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    /// The organization's registering division (`340000` for provincial organizations).
    pub division_code: String,
    pub kind: ContributionKind,
    pub date: NaiveDate,
    pub amount_fen: Fen,
    pub people: Option<u32>,
    pub expo_role: Option<ExpoRole>,
    pub village_code: Option<String>,
    pub village_name: Option<String>,
    pub description: String,
    pub status: ContributionStatus,
    /// Why staff returned it (while returned).
    pub return_reason: Option<String>,
    /// The verified entry this one corrects.
    pub corrects_id: Option<i64>,
    /// The verified correction that replaced this entry in the totals.
    pub superseded_by: Option<i64>,
    pub recipient_count: u32,
    pub evidence_count: u32,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub recipients: Vec<RecipientView>,
    #[serde(default)]
    pub evidence: Vec<EvidenceFile>,
}

/// A scholarship recipient, masked (张*三, 340***********1234).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecipientView {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub school: String,
    pub admission: AdmissionKind,
    pub amount_fen: Fen,
    pub year: i32,
    /// Bureau administrators only: the same child is funded in the same year by another organization.
    /// Absent from every other role's answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funded_elsewhere: Option<bool>,
}

/// A scholarship recipient in full: `GET /contributions/{id}/recipients/full` (bureau only, audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecipientFull {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub school: String,
    pub admission: AdmissionKind,
    pub amount_fen: Fen,
    pub year: i32,
}

/// An evidence file attached to an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvidenceFile {
    pub id: i64,
    pub file_type: EvidenceType,
    pub original_name: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// `POST /contributions/{id}/return`: why it goes back (required); `verify` takes an optional note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /contributions`: an entry, sent for review at once unless `draft` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreateContributionRequest {
    #[serde(flatten)]
    pub entry: ContributionInput,
    #[serde(default)]
    pub draft: bool,
}

/// One group of `GET /contributions/totals`: the dimensions asked for are set, the others absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContributionTotal {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ContributionKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    pub entries: i64,
    pub amount_fen: Fen,
    pub people: i64,
}

/// `GET /contributions/totals`: verified entries (corrected ones counted once, as corrected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContributionTotals {
    pub groups: Vec<ContributionTotal>,
    pub entries: i64,
    pub amount_fen: Fen,
}

/// `GET /contributions/duplicates` (bureau only): one child funded by more than one organization in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DuplicateRecipient {
    pub year: i32,
    /// Masked.
    pub name: String,
    /// Masked.
    pub id_number: String,
    pub fundings: Vec<DuplicateFunding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DuplicateFunding {
    pub contribution_id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub amount_fen: Fen,
}

/// The query of `GET /api/v1/contributions` and its export (and the ledger pages' URLs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct LedgerQuery {
    /// `draft`, `submitted`, `verified` or `returned`.
    pub status: Option<String>,
    /// A kind key, e.g. `rural_funds`.
    pub kind: Option<String>,
    pub year: Option<i32>,
    /// A city code (`340100`), or `340000` for provincial organizations.
    pub city_code: Option<String>,
    pub organization_id: Option<i64>,
    /// Only entries counted in the totals (verified, not superseded): drill-down from a total.
    pub counted: Option<bool>,
    /// The review queue: submitted entries, oldest submission first.
    pub queue: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}
