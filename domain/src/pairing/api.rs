//! Wire types of 百社进百村: rounds, societies joining them, villages' needs, runs of the engine, their
//! comparison, and the agreements a confirmed run becomes.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::pairing::round::{AgreementStatus, PriorityClass, RoundStatus};
use crate::pairing::{Objective, PairExplanation, Weights};

/// The policy values staff choose for a round (pins and forbids are set one by one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoundRules {
    /// 优先村加分.
    pub priority_bonus: i64,
    /// 距离扣分（每公里）.
    pub distance_penalty_per_km: i64,
    /// 最大距离（公里）.
    pub max_distance_km: i64,
}

impl Default for RoundRules {
    fn default() -> Self {
        Self {
            priority_bonus: 200,
            distance_penalty_per_km: 1,
            max_distance_km: 150,
        }
    }
}

/// `POST /api/v1/rounds`: open a round over some counties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OpenRoundRequest {
    pub name: String,
    /// County-level codes, e.g. `["340122", "341524"]`.
    pub counties: Vec<String>,
    pub rules: RoundRules,
}

/// A county in a round's scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoundCounty {
    pub code: String,
    pub name: String,
    pub city_name: String,
}

/// A round, with how far it has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Round {
    pub id: i64,
    pub name: String,
    pub status: RoundStatus,
    pub rules: RoundRules,
    pub counties: Vec<RoundCounty>,
    pub societies: u64,
    /// Villages whose needs are recorded.
    pub villages: u64,
    pub runs: u64,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// `PUT /api/v1/rounds/{id}/membership`: a society joins a round (or changes what it offers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct JoinRoundRequest {
    /// 能力 — weights 0–10 keyed by the vocabulary (`industry`, `education`, …).
    pub capabilities: BTreeMap<String, i64>,
    /// 承接能力 — how many villages.
    pub capacity: i64,
    /// 所在县区 — its centroid is the society's position.
    pub home_county: String,
    /// 拟投入资金（分）.
    pub funds_fen: i64,
}

/// A society in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoundSociety {
    pub organization_id: i64,
    pub organization_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = BTreeMap<String, i64>))]
    pub capabilities: Weights,
    pub capacity: i64,
    pub home_county: String,
    pub home_county_name: String,
    pub funds_fen: i64,
    pub lon: f64,
    pub lat: f64,
}

/// `PUT /api/v1/rounds/{id}/villages/{code}`: a village's needs and priority class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct VillageNeedsRequest {
    pub needs: BTreeMap<String, i64>,
    #[serde(default)]
    pub priority_class: Option<PriorityClass>,
}

/// A village of a round's counties, with its needs if recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RoundVillage {
    pub code: String,
    pub name: String,
    pub township_name: String,
    pub county_code: String,
    pub county_name: String,
    /// `None` until staff record the needs.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, i64>>))]
    pub needs: Option<Weights>,
    pub priority_class: Option<PriorityClass>,
    pub lon: f64,
    pub lat: f64,
}

/// The query of `GET /api/v1/rounds/{id}/villages`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RoundVillageQuery {
    /// One county of the round.
    pub county: Option<String>,
    /// `true`: only villages whose needs are recorded.
    pub recorded: Option<bool>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// 指定或禁止 — how staff steer the engine for one pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    Pin,
    Forbid,
}

impl ConstraintKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConstraintKind::Pin => "pin",
            ConstraintKind::Forbid => "forbid",
        }
    }
}

/// `PUT /api/v1/rounds/{id}/constraints`: pin or forbid a pair; `kind: null` lifts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PairConstraint {
    pub organization_id: i64,
    pub village_code: String,
    pub kind: Option<ConstraintKind>,
}

/// One pair of a proposal, with the names and positions to list and draw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposedPair {
    pub organization_id: i64,
    pub organization_name: String,
    pub village_code: String,
    pub village_name: String,
    pub county_name: String,
    pub priority: bool,
    pub pinned: bool,
    pub score: i64,
    pub fit: i64,
    pub priority_bonus: i64,
    pub distance_km: i64,
    pub distance_penalty: i64,
    pub society_lon: f64,
    pub society_lat: f64,
    pub village_lon: f64,
    pub village_lat: f64,
}

/// What a run read: how many of each, and the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RunInput {
    pub societies: usize,
    pub villages: usize,
    pub priority_villages: usize,
    pub pins: usize,
    pub forbids: usize,
    pub rules: RoundRules,
}

/// A run of the engine on a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RunSummary {
    pub id: i64,
    pub round_id: i64,
    pub run_by: String,
    pub run_at: DateTime<Utc>,
    pub input: RunInput,
    pub objective: Objective,
}

/// A run with its proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RunDetail {
    pub run: RunSummary,
    pub pairs: Vec<ProposedPair>,
    /// Codes of the villages left without a society.
    pub unpaired_villages: Vec<String>,
}

/// `GET …/runs/{run}/pairs/{organization_id}/{village_code}`: why a pair scores what it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PairBreakdown {
    pub explanation: PairExplanation,
    /// The same, as a Chinese sentence.
    pub text: String,
}

/// The change of each level of the objective from one run to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ObjectiveDelta {
    pub priority_villages_covered: i64,
    pub villages_covered: i64,
    pub total_score: i64,
}

/// `GET …/runs/{run}/comparison`: what changed since an earlier run (by default the one before).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RunComparison {
    pub from_run: i64,
    pub to_run: i64,
    pub added: Vec<ProposedPair>,
    pub removed: Vec<ProposedPair>,
    pub objective_delta: ObjectiveDelta,
}

/// `POST …/runs/{run}/confirm`: the agreements' term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConfirmRunRequest {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// 结对协议 — a confirmed pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Agreement {
    pub id: i64,
    pub round_id: i64,
    pub round_name: String,
    pub organization_id: i64,
    pub organization_name: String,
    pub village_code: String,
    pub village_name: String,
    pub county_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: AgreementStatus,
    pub concluded_by: Option<String>,
    /// 结束日期 — set when the agreement is concluded.
    pub concluded_on: Option<NaiveDate>,
    /// 结束原因.
    pub conclusion_reason: Option<String>,
}

/// `POST /api/v1/agreements/{id}/conclude`: 结束结对 — on which day and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConcludeAgreementRequest {
    /// Between the agreement's start date and today.
    pub concluded_on: NaiveDate,
    /// 1–200 characters.
    pub reason: String,
}
