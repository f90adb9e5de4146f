//! Wire types of the dormant-organization pipeline (`/api/v1/dormant/…`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dormant::{CaseStage, SignalEvidence};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use crate::dormant::CaseStep;

/// 僵尸型社会组织处置案件 — one organization's case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DormantCase {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    pub stage: CaseStage,
    /// The signals the scan found, each with its evidence.
    pub signals: Vec<SignalEvidence>,
    /// The day the scan proposed it.
    pub proposed_on: NaiveDate,
    /// The day staff confirmed it (认定).
    pub confirmed_on: Option<NaiveDate>,
    /// 约谈.
    pub interviewee: Option<String>,
    pub interviewed_on: Option<NaiveDate>,
    pub interview_outcome: Option<String>,
    /// 限期整改.
    pub rectification_deadline: Option<NaiveDate>,
    pub rectification_requirements: Option<String>,
    /// The day an outcome was reached (or the case dismissed).
    pub closed_on: Option<NaiveDate>,
    /// 注销: the deregistration matter.
    pub matter_id: Option<i64>,
    /// 撤销: the penalty decision's number.
    pub decision_number: Option<String>,
    /// 公示: the public notice of a revocation.
    pub public_notice: Option<String>,
    /// Staff's note on the last step (dismissal reason, observation note).
    pub note: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /dormant/letters`: a registered letter to the domicile that came back unsigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReturnedLetterRequest {
    pub organization_id: i64,
    pub sent_on: NaiveDate,
    pub returned_on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// A returned letter as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReturnedLetter {
    pub id: i64,
    pub organization_id: i64,
    pub sent_on: NaiveDate,
    pub returned_on: NaiveDate,
    pub note: String,
}

/// The query of `GET /dormant/cases`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct CaseQuery {
    /// A stage key.
    pub stage: Option<String>,
    /// A division code: its organizations and those below it.
    pub division: Option<String>,
    /// The year proposed.
    pub year: Option<i32>,
    pub organization_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The query of `GET /dormant/counts`: the period the cases were confirmed in (both ends included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct CountQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One row of the counts: a city (`340000` for provincial organizations) or the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseCount {
    pub city_code: String,
    pub city_name: String,
    /// 认定: confirmed in the period.
    pub identified: u64,
    /// 已处置: of those, with an outcome (observation, deregistered, revoked).
    pub remediated: u64,
    /// 整改中: of those, not yet with an outcome.
    pub in_rectification: u64,
    pub observation: u64,
    pub deregistered: u64,
    pub revoked: u64,
}

/// `GET /dormant/counts`: per city, and the total; candidates waiting for staff are counted apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseCounts {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub cities: Vec<CaseCount>,
    pub total: CaseCount,
    /// Candidates the scan proposed that staff have not yet confirmed or dismissed.
    pub candidates: u64,
}
