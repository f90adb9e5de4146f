//! Wire types of the annual inspection (`/api/v1/inspection/…`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::inspection::{FollowUpKind, InspectionResult, ReportStage};
use crate::registry::organization::Level;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use crate::inspection::{CycleInput, FollowUpInput, MemberFee, Officer, ReportInput};

/// 年检周期 — one year's cycle as opened by the bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InspectionCycle {
    pub id: i64,
    pub year: i32,
    pub deadline: NaiveDate,
    pub levels: Vec<Level>,
    pub division_code: String,
    pub opened_at: DateTime<Utc>,
    /// The day the rule marked the missing reports 未参检 (absent before the deadline has passed).
    pub closed_on: Option<NaiveDate>,
}

/// 年度工作报告 — one organization's report on one year, with staff's verdict once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AnnualReport {
    pub id: i64,
    pub year: i32,
    pub organization_id: i64,
    pub organization_name: String,
    pub division_code: String,
    pub level: Level,
    pub stage: ReportStage,
    pub result: Option<InspectionResult>,
    /// Staff's reasons for the verdict, or why the report was returned.
    pub reasons: Option<String>,
    /// Filed after the deadline (补报): the year still counts as 未参检 in the statistics.
    pub late: bool,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The content (lists leave it out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ReportInput>,
    /// The follow-ups recorded on it (lists leave them out).
    #[serde(default)]
    pub follow_ups: Vec<FollowUp>,
}

/// `PUT /inspection/reports/{year}`: the organization's report; `submit` sends it, otherwise a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SaveReportRequest {
    #[serde(flatten)]
    pub report: ReportInput,
    #[serde(default)]
    pub submit: bool,
}

/// `POST /inspection/reports/{id}/review`: the verdict and its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewReportRequest {
    pub result: InspectionResult,
    #[serde(default)]
    pub reasons: String,
}

/// `POST /inspection/reports/{id}/return`: why it goes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReturnReportRequest {
    pub reason: String,
}

/// 后续处理 — a follow-up record on a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FollowUp {
    pub id: i64,
    pub report_id: i64,
    pub kind: FollowUpKind,
    pub on: NaiveDate,
    pub interviewee: Option<String>,
    pub working_days: Option<u32>,
    /// 限期整改: the last working day to rectify.
    pub due_on: Option<NaiveDate>,
    /// 限期整改: the day staff recorded it done.
    pub completed_on: Option<NaiveDate>,
    pub outcome: String,
    pub recorded_by: String,
}

/// `POST /inspection/follow-ups/{id}/complete`: the rectification is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CompleteFollowUpRequest {
    pub on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// The query of `GET /inspection/reports` (and its export).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct ReportQuery {
    /// The year reported on (required for staff lists; an organization sees all its years without it).
    pub year: Option<i32>,
    /// `qualified`, `basically_qualified`, `unqualified`, `not_inspected`.
    pub result: Option<String>,
    /// `draft`, `submitted`, `returned`, `reviewed`, `not_filed`.
    pub stage: Option<String>,
    /// A division code: its organizations and those below it.
    pub division: Option<String>,
    /// `provincial`, `city`, `county`.
    pub level: Option<String>,
    pub organization_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}
