//! Wire types of administrative penalty cases (`/api/v1/penalties/…`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::money::Fen;
use crate::penalties::{PenaltyKind, PenaltyStage};

pub use crate::penalties::{Decision as PenaltyDecisionInput, PenaltyStep};

/// `POST /penalties`: a case against a registered organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPenaltyRequest {
    pub organization_id: i64,
    pub filed_on: NaiveDate,
    /// 违法事实.
    pub facts: String,
    /// 证据.
    pub evidence: String,
    /// 违反的规定, e.g. 《社会团体登记管理条例》第三十条第一款第（六）项.
    pub rule_broken: String,
    /// The petition that raised it, if any.
    #[serde(default)]
    pub petition_id: Option<i64>,
}

/// 行政处罚案件.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PenaltyCase {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    pub stage: PenaltyStage,
    pub filed_on: NaiveDate,
    pub facts: String,
    pub evidence: String,
    pub rule_broken: String,
    pub petition_id: Option<i64>,
    /// 事先告知.
    pub notified_on: Option<NaiveDate>,
    pub proposed: Vec<PenaltyKind>,
    pub notice: Option<String>,
    /// 陈述申辩.
    pub statement_on: Option<NaiveDate>,
    pub statement: Option<String>,
    /// 听证.
    pub hearing_requested_on: Option<NaiveDate>,
    pub hearing_held_on: Option<NaiveDate>,
    pub hearing_record: Option<String>,
    pub decision: Option<PenaltyDecision>,
    pub drop_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// 行政处罚决定 — as issued, with its document number (and the input of publication, 双公示).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PenaltyDecision {
    /// 皖社罚〔2026〕3号.
    pub document_number: String,
    pub decided_on: NaiveDate,
    pub kinds: Vec<PenaltyKind>,
    pub fine_fen: Option<Fen>,
    pub confiscated_fen: Option<Fen>,
    pub suspend_until: Option<NaiveDate>,
    pub content: String,
}

/// The query of `GET /penalties`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PenaltyQuery {
    pub stage: Option<String>,
    pub division: Option<String>,
    /// An organization's cases (its profile lists its decisions with `stage=decided`).
    pub organization_id: Option<i64>,
    /// The year decided.
    pub year: Option<i32>,
    /// The cases a petition raised.
    pub petition_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}
