//! Wire types of the credit lists (`/api/v1/credit-listings`, `/api/v1/public/credit-lists`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::credit::{CreditList, EventKind, ListingEnd, ListingReason, ObjectionStatus, RemovalDecision};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// 列入记录 — one listing of one organization on one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreditListing {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    pub list: CreditList,
    pub reason: ListingReason,
    /// The record behind the listing: its kind and id (e.g. the annual report not filed).
    pub event_kind: EventKind,
    pub event_id: Option<i64>,
    /// The event in a sentence (e.g. 2024 年度工作报告未在 2025-05-31 前报送).
    pub event_summary: String,
    /// 列入日期.
    pub decided_on: NaiveDate,
    /// 起算日: the latest event's date; a new event while listed restarts the period.
    pub period_start: NaiveDate,
    /// 决定书文号.
    pub notice_number: String,
    /// Whether the listing still stands.
    pub current: bool,
    pub ended_on: Option<NaiveDate>,
    pub end: Option<ListingEnd>,
    pub removal: Option<Removal>,
    pub objection: Option<Objection>,
    /// The organization's public explanation (情况说明), shown on the public list.
    pub explanation: Option<String>,
    /// The written notice (one listing's page only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// 移出申请 — an application for removal and the bureau's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Removal {
    pub applied_on: NaiveDate,
    /// The last of the five working days to decide.
    pub decide_by: NaiveDate,
    /// 整改情况: what the organization did.
    pub rectification: String,
    pub decision: Option<RemovalDecision>,
    pub decided_on: Option<NaiveDate>,
    pub reasons: Option<String>,
}

/// 异议 — an organization's objection to a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Objection {
    pub status: ObjectionStatus,
    pub grounds: String,
    pub filed_at: DateTime<Utc>,
    pub decided_on: Option<NaiveDate>,
    pub reasons: Option<String>,
}

/// `POST /credit-listings`: staff list an organization by hand (never for a missing annual report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewListingRequest {
    pub organization_id: i64,
    pub reason: ListingReason,
    pub decided_on: NaiveDate,
    /// The event in a sentence: what happened, with its document.
    pub event: String,
}

/// `POST /credit-listings/{id}/removal`: the organization applies after rectifying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RemovalApplicationRequest {
    /// 整改情况.
    #[serde(default)]
    pub rectification: String,
}

/// `POST /credit-listings/{id}/removal/decision`: staff grant or refuse, with reasons for a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RemovalDecisionRequest {
    pub decision: RemovalDecision,
    #[serde(default)]
    pub reasons: String,
}

/// `POST /credit-listings/{id}/objection`: the organization's grounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObjectionRequest {
    #[serde(default)]
    pub grounds: String,
}

/// `POST /credit-listings/{id}/objection/decision`: `upheld` or `dismissed`, with reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObjectionDecisionRequest {
    pub decision: ObjectionStatus,
    #[serde(default)]
    pub reasons: String,
}

/// `PUT /credit-listings/{id}/explanation`: the organization's public explanation (empty removes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExplanationRequest {
    #[serde(default)]
    pub text: String,
}

/// The query of `GET /credit-listings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ListingQuery {
    /// `abnormal` or `serious`.
    pub list: Option<String>,
    /// A reason key.
    pub reason: Option<String>,
    /// `current` (default), `ended` or `all`.
    pub state: Option<String>,
    /// The year listed.
    pub year: Option<i32>,
    /// A division code: its organizations and those below it.
    pub division: Option<String>,
    pub organization_id: Option<i64>,
    /// Only listings with an objection pending (`true`) or a removal application undecided.
    pub pending: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A listing as the public sees it: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicListing {
    pub organization_name: String,
    pub credit_code: String,
    pub list: CreditList,
    pub reason: ListingReason,
    pub decided_on: NaiveDate,
    pub notice_number: String,
    /// An objection is being handled.
    pub objection_pending: bool,
    /// The organization's explanation.
    pub explanation: Option<String>,
}

/// The query of `GET /public/credit-lists`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PublicListQuery {
    /// `abnormal` or `serious` (required).
    pub list: Option<String>,
    /// A part of the name, or a credit code.
    pub q: Option<String>,
    pub page: Option<u32>,
}
