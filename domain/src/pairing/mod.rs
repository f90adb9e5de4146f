//! 百社进百村 — the exact engine that pairs social organizations (社会组织) with villages (村).
//!
//! `solve` reads an [`Instance`] (societies with capabilities and a capacity, villages with needs, the staff's
//! rules, pins and forbids) and returns the [`Plan`] that is optimal for a lexicographic objective: first the
//! most priority villages covered, then the most villages covered, then the greatest total score. The method
//! (min-cost circulation by cost scaling) and why it is exact are written down in `docs/pairing.md`.

pub mod api;
mod candidates;
mod explain;
mod flow;
mod geo;
mod model;
pub mod round;
mod validate;

use std::collections::BTreeMap;

use crate::label::labelled_enum;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

pub use explain::{NeedMatch, PairExplanation, explain};
pub use geo::{BoundingBox, EARTH_RADIUS_KM, UnitVector, haversine_km, within_bounds};
pub use validate::{PairingError, Problem, validate};

labelled_enum! {
    /// 需求/能力类别 — one key of the fixed vocabulary that village needs and society capabilities share.
    pub enum Need ("需求类别") keys_only {
        /// 产业 — industry.
        Industry => "industry", "产业", "Industry";
        /// 教育 — education.
        Education => "education", "教育", "Education";
        /// 医疗 — health.
        Health => "health", "医疗", "Health care";
        /// 养老 — elderly care.
        ElderlyCare => "elderly_care", "养老", "Elderly care";
        /// 就业技能 — employment skills.
        Employment => "employment", "就业技能", "Employment skills";
        /// 文化 — culture.
        Culture => "culture", "文化", "Culture";
        /// 基础设施 — infrastructure.
        Infrastructure => "infrastructure", "基础设施", "Infrastructure";
        /// 消费帮扶 — consumption assistance.
        Consumption => "consumption", "消费帮扶", "Consumption assistance";
    }
}

/// 权重 — integer weights 0–10 per vocabulary key; a missing key weighs 0.
pub type Weights = BTreeMap<Need, i64>;

/// The largest weight a need or capability may have.
pub const MAX_WEIGHT: i64 = 10;

/// 配对实例 — everything one run of the engine reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Instance {
    pub societies: Vec<Society>,
    pub villages: Vec<Village>,
    #[serde(default)]
    pub rules: Rules,
}

/// 社会组织 — a society offering capabilities to at most `capacity` villages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Society {
    pub id: String,
    /// 能力 — what the society can offer, weighted 0–10.
    #[serde(default)]
    pub capabilities: Weights,
    /// 承接能力 — how many villages the society takes at most.
    pub capacity: i64,
    pub lon: f64,
    pub lat: f64,
}

/// 村 — a village with weighted needs; a priority village (重点帮扶村) is covered first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Village {
    pub id: String,
    /// 需求 — what the village needs, weighted 0–10.
    #[serde(default)]
    pub needs: Weights,
    /// 重点帮扶村 — key assistance county, formerly poor village or weak collective economy.
    #[serde(default)]
    pub priority: bool,
    /// 最多结对社会组织数 — how many societies the village takes at most.
    #[serde(default = "one")]
    pub max_societies: i64,
    pub lon: f64,
    pub lat: f64,
}

fn one() -> i64 {
    1
}

/// 配对规则 — the staff's policy values, pins (指定) and forbids (禁止).
///
/// Unknown fields are refused: a misspelt rule silently falling back to its default would change the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// 优先村加分 — added to the score of a pair whose village is a priority village.
    pub priority_bonus: i64,
    /// 距离扣分（每公里） — subtracted from the score per whole kilometre between the two.
    pub distance_penalty_per_km: i64,
    /// 最大距离（公里） — a pair further apart is not proposed (a pin may still ask for it).
    pub max_distance_km: i64,
    /// 指定配对 — `[society, village]` pairs that are always in the plan.
    pub pins: Vec<(String, String)>,
    /// 禁止配对 — `[society, village]` pairs that are never in the plan.
    pub forbids: Vec<(String, String)>,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            priority_bonus: 200,
            distance_penalty_per_km: 1,
            max_distance_km: 150,
            pins: Vec::new(),
            forbids: Vec::new(),
        }
    }
}

/// 配对方案 — the optimal plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Plan {
    /// Sorted by society input order, then village input order.
    pub pairs: Vec<Pair>,
    pub objective: Objective,
    /// 未结对村 — villages without any pair, in input order.
    pub unpaired_villages: Vec<String>,
}

/// 结对 — one proposed pair with every term of its score, so that the user sees why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Pair {
    pub society: String,
    pub village: String,
    /// 得分 = fit + priority_bonus − distance_penalty.
    pub score: i64,
    /// 匹配度 — Σ need × capability over the vocabulary.
    pub fit: i64,
    /// 优先村加分 — the rule's bonus if the village is a priority village, else 0.
    pub priority_bonus: i64,
    /// 距离（公里） — great-circle distance rounded to whole kilometres.
    pub distance_km: i64,
    /// 距离扣分 — distance_penalty_per_km × distance_km.
    pub distance_penalty: i64,
}

/// 目标值 — the three levels of the objective, compared in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Objective {
    /// 覆盖的优先村数 — priority villages with at least one pair.
    pub priority_villages_covered: usize,
    /// 覆盖的村数 — villages with at least one pair.
    pub villages_covered: usize,
    /// 总得分 — the sum of the pairs' scores.
    pub total_score: i64,
}

/// 求解 — the plan that is optimal for the lexicographic objective, or every reason the instance cannot be
/// solved (invalid fields, unknown ids, infeasible pins).
///
/// The same instance always gives the same plan: the method is deterministic integer arithmetic over the
/// input order, and the pairs are sorted by society then village input order.
pub fn solve(instance: &Instance) -> Result<Plan, PairingError> {
    validate(instance)?;
    model::solve_valid(instance)
}
