//! Wire types of illegal-organization casework (`/api/v1/illegal/…`) and of its public side
//! (`/api/v1/public/illegal-reports`, `/api/v1/public/illegal-organizations`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::contributions::api::EvidenceFile;
use crate::illegal::{Agency, ClueSource, IllegalStage};
use crate::registry::organization::OrgStatus;

pub use crate::illegal::IllegalStep;

/// `POST /public/illegal-reports`: a report by anyone, without signing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicReportRequest {
    /// The name the body goes by.
    pub name: String,
    /// Where it acts: a 6-digit division code of Anhui.
    pub division_code: String,
    #[serde(default)]
    pub address: String,
    /// What it does (活动情况).
    pub activities: String,
    /// How to reach the reporter, if they wish (personal data: stored sealed, shown masked).
    #[serde(default)]
    pub contact: Option<String>,
}

/// The answer to a report: it was received (the reporter learns nothing about the case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicReportReceived {
    pub received_on: NaiveDate,
    pub message: String,
}

/// `POST /illegal/cases`: a clue staff record (from a petition, an inspection, another agency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewIllegalCaseRequest {
    pub name: String,
    pub division_code: String,
    #[serde(default)]
    pub address: String,
    pub activities: String,
    pub source: ClueSource,
    /// 证据: what shows it (files follow the ledger's evidence rules once uploaded).
    #[serde(default)]
    pub evidence: String,
    /// A revoked or deregistered organization still acting.
    #[serde(default)]
    pub organization_id: Option<i64>,
    /// The petition that raised the clue.
    #[serde(default)]
    pub petition_id: Option<i64>,
}

/// One dated step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IllegalCaseStep {
    pub id: i64,
    pub on: NaiveDate,
    /// The step's action key (`investigate`, `record`, `ban` …).
    pub action: String,
    /// The step's name in Chinese (立案调查, 调查, 取缔 …).
    pub name: String,
    pub agencies: Vec<Agency>,
    pub description: String,
    pub recorded_by: String,
}

/// 非法社会组织案件 — a clue or case with its steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IllegalCase {
    pub id: i64,
    pub name: String,
    pub division_code: String,
    pub address: String,
    pub activities: String,
    pub evidence: String,
    pub source: ClueSource,
    pub stage: IllegalStage,
    /// The registered organization behind it (revoked or deregistered and still acting), if any.
    pub organization_id: Option<i64>,
    pub petition_id: Option<i64>,
    /// The reporter's contact, masked (138****5678).
    pub reporter_contact: Option<String>,
    /// The body's status in the registry: 正常 until banned (取缔).
    pub body_status: OrgStatus,
    pub batch_number: Option<i64>,
    pub published_on: Option<NaiveDate>,
    pub outcome_on: Option<NaiveDate>,
    pub decision_number: Option<String>,
    pub matter_id: Option<i64>,
    pub outcome_note: Option<String>,
    /// Oldest first.
    pub steps: Vec<IllegalCaseStep>,
    /// Photos and PDFs staff attached (the ledger's evidence rules), oldest first; empty in lists.
    #[serde(default)]
    pub files: Vec<EvidenceFile>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The query of `GET /illegal/cases`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct IllegalCaseQuery {
    /// A stage key.
    pub stage: Option<String>,
    /// A source key.
    pub source: Option<String>,
    /// A division code: its cases and those below it.
    pub division: Option<String>,
    /// A batch number.
    pub batch: Option<i64>,
    /// A part of the name.
    pub q: Option<String>,
    /// The cases a petition raised.
    pub petition_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// `POST /illegal/batches`: cases under investigation published as the next numbered batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewBatchRequest {
    pub case_ids: Vec<i64>,
    pub published_on: NaiveDate,
}

/// 涉嫌非法社会组织名单（第N批）.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IllegalBatch {
    pub number: i64,
    pub title: String,
    pub published_on: NaiveDate,
    pub cases: u64,
}

/// The query of `GET /public/illegal-organizations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PublicIllegalQuery {
    /// A batch number.
    pub batch: Option<i64>,
    /// A part of the name (2 characters or more).
    pub q: Option<String>,
}

/// A published suspected illegal organization, as anyone may see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicIllegalOrganization {
    pub batch_number: i64,
    pub published_on: NaiveDate,
    pub name: String,
    pub division_code: String,
    pub division_name: String,
    pub address: String,
    pub activities: String,
    /// 已公布 (still suspected), or its outcome (已取缔 …).
    pub stage: IllegalStage,
}

/// `GET /public/illegal-organizations`: every batch, and the organizations that match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicIllegalList {
    /// Newest first.
    pub batches: Vec<IllegalBatch>,
    pub items: Vec<PublicIllegalOrganization>,
    /// More matched than are shown.
    pub truncated: bool,
}
