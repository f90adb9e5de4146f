//! Wire types of party building (`/api/v1/party/…`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::{IntoParams, ToSchema};

use crate::party::{ApprovalStatus, Due, PartyInfo, PartyOrgKind, Rating, RecordSource, RecordStatus};
use crate::registry::organization::Level;

/// An organization named in a party answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyOrgRef {
    pub id: i64,
    pub name: String,
}

/// 党建信息记录 — one dated state of an organization's party information.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyRecord {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    /// The day from which this state holds.
    pub effective_on: NaiveDate,
    pub info: PartyInfo,
    /// The organizations of a joint branch, by name.
    pub joint: Vec<PartyOrgRef>,
    pub status: RecordStatus,
    pub source: RecordSource,
    pub filed_by: String,
    pub created_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// `POST /party/organizations/{id}/records`: staff record a change (confirmed at once); an organization
/// reports its own (pending until staff confirm).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPartyRecordRequest {
    pub effective_on: NaiveDate,
    pub info: PartyInfo,
}

/// `POST /party/records/{id}/decision`: staff confirm or return an organization's update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecordDecisionRequest {
    pub confirm: bool,
    /// Why it is returned (required then).
    #[serde(default)]
    pub note: Option<String>,
}

/// The query of `GET /party/records`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct PartyRecordQuery {
    pub status: Option<String>,
    pub division: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// 党组织审批 — an application to set up a party organization and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyApproval {
    pub id: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub division_code: String,
    pub kind: PartyOrgKind,
    pub members: u32,
    pub joint: Vec<PartyOrgRef>,
    pub applied_on: NaiveDate,
    pub approving_body: String,
    pub status: ApprovalStatus,
    pub decided_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub filed_by: String,
    pub decided_by: Option<String>,
}

/// `POST /party/approvals`: staff file an application received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewApprovalRequest {
    pub organization_id: i64,
    pub kind: PartyOrgKind,
    pub members: u32,
    #[serde(default)]
    pub joint_with: Vec<i64>,
    pub applied_on: NaiveDate,
    pub approving_body: String,
}

/// `POST /party/approvals/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApprovalDecisionRequest {
    pub approve: bool,
    pub decided_on: NaiveDate,
    /// Why not (required for a refusal).
    #[serde(default)]
    pub note: Option<String>,
}

/// The query of `GET /party/approvals`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct ApprovalQuery {
    pub status: Option<String>,
    pub kind: Option<String>,
    /// The year decided.
    pub year: Option<i32>,
    /// 登记级别 of the organization.
    pub level: Option<String>,
    pub division: Option<String>,
    pub organization_id: Option<i64>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// 党建档案 — an organization's party record: its state today, its history, approvals and instructors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyProfile {
    pub organization_id: i64,
    pub name: String,
    pub credit_code: String,
    pub level: Level,
    pub division_code: String,
    /// The day `current` holds on (today, or the `on` asked for).
    pub on: NaiveDate,
    /// Its confirmed state on that day (nothing recorded counts as no party organization).
    pub current: PartyInfo,
    pub joint: Vec<PartyOrgRef>,
    /// Every record, newest first, pending and returned ones included.
    pub history: Vec<PartyRecord>,
    pub approvals: Vec<PartyApproval>,
    pub instructors: Vec<ProfileInstructor>,
    /// The latest visits (at most 20).
    pub visits: Vec<PartyVisit>,
}

/// An instructor assigned to the organization in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProfileInstructor {
    pub batch_number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub instructor_name: String,
}

/// The query of `GET /party/organizations/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct ProfileQuery {
    /// The day to compute the state on (today when absent).
    pub on: Option<NaiveDate>,
}

/// The query of `GET /party/coverage` and `GET /party/coverage/organizations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(IntoParams))]
pub struct CoverageQuery {
    /// The day (today when absent).
    pub on: Option<NaiveDate>,
    /// 登记级别: provincial, city or county organizations only.
    pub level: Option<String>,
    /// A division (6 digits): the organizations registered in it and below.
    pub division: Option<String>,
    /// The drill-down's cohort: in_scope, covered, eligible, entity.
    pub cohort: Option<String>,
    /// Name or credit code contains (drill-down).
    pub q: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The four counts behind both rates, for one division (or all of the scope).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoverageRow {
    pub division_code: String,
    pub division_name: String,
    /// 覆盖率 = covered ÷ in_scope.
    pub in_scope: u64,
    pub covered: u64,
    /// 组建率 = entity ÷ eligible.
    pub eligible: u64,
    pub entity: u64,
}

/// 覆盖率与组建率 on a day, for a level and a division, with a row per division below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Coverage {
    pub on: NaiveDate,
    pub level: Option<Level>,
    pub total: CoverageRow,
    /// The cities (for the province) or counties (for a city); registrations of the division itself are
    /// the row with its own code.
    pub rows: Vec<CoverageRow>,
}

/// An organization behind a number of the coverage table, with its state on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CoverageOrganization {
    pub organization_id: i64,
    pub name: String,
    pub credit_code: String,
    pub level: Level,
    pub division_code: String,
    pub kind: PartyOrgKind,
    pub members: u32,
}

/// 党建指导员批次.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyBatch {
    pub id: i64,
    /// 第 N 批.
    pub number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub instructors: u64,
    pub organizations: u64,
    pub visits: u64,
    pub evaluated: u64,
    pub excellent: u64,
}

/// `POST /party/batches`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewPartyBatchRequest {
    pub number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
}

/// A batch with its instructors, their organizations, visits and evaluations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchDetail {
    pub batch: PartyBatch,
    pub instructors: Vec<BatchInstructor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchInstructor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub organizations: Vec<PartyOrgRef>,
    pub visits: u64,
    pub last_visit: Option<NaiveDate>,
    pub evaluation: Option<Evaluation>,
}

/// 考核 — an instructor's rating for a batch's term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Evaluation {
    pub rating: Rating,
    pub reasons: String,
    pub evaluated_on: NaiveDate,
    pub evaluated_by: String,
}

/// `PUT /party/batches/{id}/instructors/{user_id}`: the organizations assigned (replacing the previous).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssignRequest {
    pub organization_ids: Vec<i64>,
}

/// `PUT /party/batches/{id}/instructors/{user_id}/evaluation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EvaluationRequest {
    pub rating: Rating,
    pub reasons: String,
    pub evaluated_on: NaiveDate,
}

/// An instructor account that can be assigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InstructorAccount {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
}

/// 走访指导记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartyVisit {
    pub id: i64,
    pub batch_number: i64,
    pub organization_id: i64,
    pub organization_name: String,
    pub instructor_name: String,
    pub visited_on: NaiveDate,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// `POST /party/visits`: an instructor logs a visit to an assigned organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewVisitRequest {
    pub organization_id: i64,
    pub visited_on: NaiveDate,
    pub note: String,
}

/// 我的工作台 — an instructor's organizations, what is due, and their record for the term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Workspace {
    pub today: NaiveDate,
    /// Every batch the instructor served in, newest first, with their own record.
    pub terms: Vec<WorkspaceTerm>,
    /// The organizations of the current assignments.
    pub organizations: Vec<WorkspaceOrganization>,
    /// Their visits in the current terms, newest first (at most 50).
    pub visits: Vec<PartyVisit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WorkspaceTerm {
    pub batch_number: i64,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub current: bool,
    pub organizations: u64,
    pub visits: u64,
    pub evaluation: Option<Evaluation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WorkspaceOrganization {
    pub organization_id: i64,
    pub name: String,
    pub batch_number: i64,
    pub kind: PartyOrgKind,
    pub members: u32,
    pub last_visit: Option<NaiveDate>,
    pub visits: u64,
    pub due: Vec<Due>,
}
