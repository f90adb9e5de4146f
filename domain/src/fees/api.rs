//! Wire types of fee inspections (`/api/v1/fees/…`, and the published draw under `/api/v1/public/fees/…`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::fees::{CampaignStage, Disposition, FeeFinding, InspectionStage};
use crate::money::Fen;
use crate::registry::organization::Level;

pub use crate::fees::FeeItemInput;

/// `POST /fees/campaigns`: a campaign of the bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewFeeCampaignRequest {
    pub year: i32,
    /// e.g. 2021 年全省行业协会商会涉企收费检查.
    pub title: String,
    /// The associations registered in this division and below are eligible (`340000` the province).
    pub division_code: String,
    /// 登记级别 eligible; empty means every level.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// The problem kinds the inspectors look for.
    pub checklist: Vec<FeeFinding>,
    /// How many associations to draw.
    pub sample_size: u32,
    /// How many inspectors go to each association.
    pub inspectors_per_association: u32,
    /// 检查人员库: staff accounts (bureau or local staff).
    pub inspector_ids: Vec<i64>,
}

/// 检查活动.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeCampaign {
    pub id: i64,
    pub year: i32,
    pub title: String,
    pub division_code: String,
    pub division_name: String,
    pub levels: Vec<Level>,
    pub checklist: Vec<FeeFinding>,
    pub sample_size: u32,
    pub inspectors_per_association: u32,
    pub stage: CampaignStage,
    /// The draw's seed, 16 hexadecimal digits, once drawn.
    pub seed: Option<String>,
    /// How many associations were eligible at the draw.
    pub eligible: Option<u32>,
    pub drawn_at: Option<DateTime<Utc>>,
    pub drawn_by: Option<String>,
    /// Inspections drawn, and how many are recorded.
    pub drawn: u32,
    pub recorded: u32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// `GET /fees/campaigns/{id}`: the campaign, its inspector pool and who re-ran its draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeCampaignDetail {
    pub campaign: FeeCampaign,
    pub pool: Vec<Inspector>,
    pub verifications: Vec<DrawVerification>,
}

/// A staff account in an inspector pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Inspector {
    pub id: i64,
    pub name: String,
}

/// `POST /fees/campaigns/{id}/draw`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DrawRequest {
    /// A seed chosen in public (16 hexadecimal digits); the server draws a random one when absent.
    #[serde(default)]
    pub seed: Option<String>,
}

/// `POST /fees/campaigns/{id}/verify`: the draw re-run from its recorded seed and inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DrawVerification {
    /// Whether the re-run gives the recorded list (associations, inspectors and order).
    pub same: bool,
    pub seed: String,
    /// Associations in the re-run.
    pub drawn: u32,
    pub verified_by: String,
    pub verified_at: DateTime<Utc>,
}

/// 回避 — an inspector tied to an association, excluded from inspecting it in any later draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeConflict {
    pub id: i64,
    pub inspector_id: i64,
    pub inspector_name: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub reason: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// `POST /fees/conflicts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NewConflictRequest {
    pub inspector_id: i64,
    pub organization_id: i64,
    /// e.g. 曾任该协会副会长.
    pub reason: String,
}

/// A fee item as recorded, with the burden its disposition removes (computed by the rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeItem {
    pub id: i64,
    pub item: FeeItemInput,
    pub burden_removed_fen: Fen,
}

/// 检查记录 — one drawn association, its inspectors and, once recorded, its fee items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FeeInspection {
    pub id: i64,
    pub campaign_id: i64,
    pub campaign_year: i32,
    pub campaign_title: String,
    /// Its place in the draw (1 the first drawn).
    pub draw_order: u32,
    pub organization_id: i64,
    pub organization_name: String,
    pub credit_code: String,
    pub division_code: String,
    pub stage: InspectionStage,
    pub inspectors: Vec<Inspector>,
    pub inspected_on: Option<NaiveDate>,
    pub summary: Option<String>,
    /// Empty in lists; filled by `GET /fees/inspections/{id}`.
    pub items: Vec<FeeItem>,
    pub burden_removed_fen: Fen,
    pub enterprises_benefited: i64,
    /// The penalty case a 查处 opened.
    pub penalty_case_id: Option<i64>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// `POST /fees/inspections/{id}/record`, by one of the inspection's drawn inspectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecordInspectionRequest {
    pub inspected_on: NaiveDate,
    /// 检查情况.
    pub summary: String,
    pub items: Vec<FeeItemInput>,
    /// The rule broken, for the penalty case a 查处 opens (required then, e.g.
    /// 《社会团体登记管理条例》第三十条).
    #[serde(default)]
    pub rule_broken: Option<String>,
}

/// The query of `GET /fees/campaigns`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct CampaignQuery {
    pub year: Option<i32>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The query of `GET /fees/inspections`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct InspectionQuery {
    pub campaign_id: Option<i64>,
    /// `pending` or `recorded`.
    pub stage: Option<String>,
    /// A division code: associations registered in it and below.
    pub division: Option<String>,
    /// Only the inspections the caller is drawn for.
    pub mine: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// One line of the results: counted from the recorded inspections by the rules of `domain::fees`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResultLine {
    /// 检查协会数.
    pub inspected: u32,
    /// 查处违规收费的协会数.
    pub violations: u32,
    /// 规范收费的协会数.
    pub standardized: u32,
    /// 减轻企业负担（分/年）.
    pub burden_removed_fen: Fen,
    /// 惠及企业数.
    pub enterprises_benefited: i64,
}

/// Results of a city (`340000`: the provincial associations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CityResult {
    pub division_code: String,
    pub division_name: String,
    pub line: ResultLine,
}

/// Results of a disposition: its items and the associations that have one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DispositionResult {
    pub disposition: Disposition,
    pub items: u32,
    pub associations: u32,
    pub burden_removed_fen: Fen,
    pub enterprises_benefited: i64,
}

/// `GET /fees/campaigns/{id}/results`: within the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CampaignResults {
    pub campaign_id: i64,
    pub drawn: u32,
    pub totals: ResultLine,
    pub by_city: Vec<CityResult>,
    pub by_disposition: Vec<DispositionResult>,
}

/// `GET /public/fees/campaigns/{id}`: the published draw (一公开).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublishedDraw {
    pub campaign_id: i64,
    pub year: i32,
    pub title: String,
    pub division_name: String,
    pub seed: String,
    pub eligible: u32,
    pub drawn_at: DateTime<Utc>,
    pub associations: Vec<PublishedAssociation>,
}

/// One drawn association as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PublishedAssociation {
    pub draw_order: u32,
    pub name: String,
    pub credit_code: String,
    pub inspectors: Vec<String>,
}
