//! The registry and registration matters on the wire: organizations (list, detail, public lookup),
//! matters (filing, the staff queue, actions) and licensing decisions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::AuditRecord;
use crate::registry::matter::{ActionKind, Channel, DeadlineStatus, MatterKind, MatterState};
use crate::registry::organization::{Category, CreditList, EmergingIndustry, Level, OrgKind, OrgStatus};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// One row of the registry list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrganizationSummary {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub kind: OrgKind,
    pub categories: Vec<Category>,
    pub emerging_industry: Option<EmergingIndustry>,
    pub level: Level,
    /// The registering division (340000 for the province).
    pub division_code: String,
    /// 登记管理机关 — the registering division's name.
    pub division_name: String,
    pub status: OrgStatus,
    pub credit_list: Option<CreditList>,
    pub founded_on: Option<NaiveDate>,
}

/// The query of `GET /api/v1/organizations`, as the client sends it (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct OrganizationQuery {
    /// `social_group`, `social_service` or `foundation`.
    pub kind: Option<String>,
    /// A category key, e.g. `industry_association`.
    pub category: Option<String>,
    /// An emerging-industry key, e.g. `artificial_intelligence`.
    pub emerging_industry: Option<String>,
    /// `provincial`, `city` or `county`.
    pub level: Option<String>,
    /// City code, e.g. `340100` (the city's own and its counties' organizations).
    pub city: Option<String>,
    /// County code, e.g. `340104`.
    pub county: Option<String>,
    /// `normal`, `revoked`, `deregistered` or `banned`.
    pub status: Option<String>,
    /// `abnormal`, `serious`, or `none` (on no list).
    pub credit_list: Option<String>,
    /// A part of the name, or of the credit code.
    pub q: Option<String>,
    /// `name` (default), `founded_on` or `credit_code`; a leading `-` sorts descending.
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The full registry record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrganizationProfile {
    #[serde(flatten)]
    pub summary: OrganizationSummary,
    /// 业务主管单位 (none for directly registered categories).
    pub supervisory_unit: Option<String>,
    pub legal_representative: Option<String>,
    /// 注册资金 in fen.
    pub registered_funds_fen: Option<i64>,
    pub domicile: Option<String>,
    pub business_scope: Option<String>,
    /// Masked (138****5678).
    pub contact_phone: Option<String>,
    /// Why a credit code failing the final check was accepted, if it was.
    pub credit_code_waiver: Option<String>,
}

/// 登记证书 — what the registration certificate shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Certificate {
    pub title: String,
    pub name: String,
    pub credit_code: String,
    pub legal_representative: String,
    pub domicile: String,
    pub business_scope: String,
    /// e.g. `30,000.00 元`.
    pub registered_funds: String,
    pub supervisory_unit: String,
    pub registering_authority: String,
    pub founded_on: Option<NaiveDate>,
}

/// One entry of an organization's timeline or of a matter's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TimelineEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// e.g. `registered`, `changed`, `matter_submit`, `matter_approve`.
    pub kind: String,
    pub summary: String,
    pub organization_id: Option<i64>,
    pub matter_id: Option<i64>,
    pub actor_name: String,
}

/// 行政许可决定 — kept for publication (双公示).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LicensingDecision {
    pub id: i64,
    /// e.g. 皖社许〔2026〕123号.
    pub document_number: String,
    pub decided_on: NaiveDate,
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub credit_code: Option<String>,
    pub matter_id: i64,
    pub kind: MatterKind,
    pub content: String,
}

/// `GET /api/v1/organizations/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OrganizationDetail {
    pub organization: OrganizationProfile,
    pub certificate: Certificate,
    /// Newest first.
    pub timeline: Vec<TimelineEvent>,
    /// The audit rows of this organization, newest first.
    pub audit: Vec<AuditRecord>,
    pub decisions: Vec<LicensingDecision>,
    pub matters: Vec<MatterSummary>,
}

/// The fields of an organization that an application sets or changes; blank means unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(default)]
pub struct ProfileChanges {
    pub name: Option<String>,
    pub domicile: Option<String>,
    pub legal_representative: Option<String>,
    pub business_scope: Option<String>,
    /// 注册资金 in 元 as typed: `30000`, `30,000.00`, `¥3万` is refused.
    pub registered_funds: Option<String>,
    pub contact_phone: Option<String>,
    pub supervisory_unit: Option<String>,
}

/// A new organization's classification and registering authority (成立登记, 营改非).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewOrganizationInput {
    pub org_kind: OrgKind,
    pub categories: Vec<Category>,
    #[serde(default)]
    pub emerging_industry: Option<EmergingIndustry>,
    /// The registering division: 340000 (province), a city or a county.
    pub division_code: String,
}

/// `POST /api/v1/matters`: an application. An organization user's own organization is implied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FileMatterRequest {
    pub kind: MatterKind,
    #[serde(default)]
    pub organization_id: Option<i64>,
    #[serde(default)]
    pub changes: ProfileChanges,
    #[serde(default)]
    pub establishment: Option<NewOrganizationInput>,
    /// 说明: the reason, what is filed, the re-election result.
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/matters/{id}/resubmit`: the completed application after 补正.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResubmitRequest {
    #[serde(default)]
    pub changes: ProfileChanges,
    #[serde(default)]
    pub establishment: Option<NewOrganizationInput>,
    #[serde(default)]
    pub note: String,
}

/// A matter as lists show it, with where it stands against its time limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MatterSummary {
    pub id: i64,
    pub kind: MatterKind,
    pub state: MatterState,
    pub channel: Channel,
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub division_code: String,
    pub filed_at: DateTime<Utc>,
    pub accepted_on: Option<NaiveDate>,
    /// 办结时限 — the last day for the decision (from acceptance).
    pub due_on: Option<NaiveDate>,
    /// On time, near due or overdue, while the time limit runs.
    pub deadline: Option<DeadlineStatus>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The steps that can be taken next (the UI offers those of the user's party).
    pub next_actions: Vec<ActionKind>,
}

/// `GET /api/v1/matters/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MatterDetail {
    pub matter: MatterSummary,
    pub changes: ProfileChanges,
    pub establishment: Option<NewOrganizationInput>,
    pub note: String,
    /// Oldest first.
    pub history: Vec<TimelineEvent>,
    pub decision: Option<LicensingDecision>,
}

/// The query of `GET /api/v1/matters`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct MatterQuery {
    /// `open` (default: not yet decided), `decided`, `all`, or one state key such as `returned`.
    pub state: Option<String>,
    /// A matter kind key, e.g. `change`.
    pub kind: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// An organization as the public may see it: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicOrganization {
    pub name: String,
    pub credit_code: String,
    pub kind: OrgKind,
    pub level: Level,
    /// 登记管理机关, e.g. 合肥市 (its civil-affairs bureau).
    pub registering_authority: String,
    pub status: OrgStatus,
    pub credit_list: Option<CreditList>,
    /// The organization's current credit listings (list, reason, decision date, notice number, whether an
    /// objection is pending, its public explanation); empty when it is on no list. Absent from older
    /// servers' answers.
    #[serde(default)]
    pub listings: Vec<crate::credit::api::PublicListing>,
}

/// The query of `GET /api/v1/public/organizations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PublicQuery {
    /// A part of the name (at least 2 characters), or a credit code.
    pub q: Option<String>,
}

/// `GET /api/v1/public/organizations`: at most 20 matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublicLookup {
    pub items: Vec<PublicOrganization>,
    /// Whether more organizations matched than are shown.
    pub truncated: bool,
}

/// One bad row of an import file: the spreadsheet row (the header is row 1), the column's header and
/// the reason, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportProblem {
    pub row: u32,
    pub column: String,
    pub message: String,
}

/// The answer of an import: the dry run (`POST /organizations/import/check`) lists every problem and
/// stores nothing; the commit (`POST /organizations/import`) stores every row or, with any problem, none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportReport {
    pub file_name: String,
    /// Organization rows in the file (blank rows are not counted).
    pub rows: u32,
    /// Rows that passed every check.
    pub valid: u32,
    /// Every problem, by row.
    pub problems: Vec<ImportProblem>,
    /// How many organizations were stored: 0 for a dry run or a refused commit.
    pub imported: u32,
}
