//! 配对说明 — why a pair is in the plan, in words a caseworker can read out to a village.

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::candidates;
use super::{Instance, Need, Pair};

/// 匹配项 — one need of the village that the society can serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NeedMatch {
    pub need: Need,
    /// The village's need weight (需求).
    pub need_weight: i64,
    /// The society's capability weight (能力).
    pub capability_weight: i64,
}

/// 配对说明 — the reasons behind one pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PairExplanation {
    /// 指定配对 — staff pinned the pair, so it is in the plan whatever its score.
    pub pinned: bool,
    /// The needs that both sides weigh above zero, in vocabulary order; their products sum to the fit.
    pub matched: Vec<NeedMatch>,
    pub priority_village: bool,
    pub pair: Pair,
}

/// 说明 — explains `pair` of a plan for `instance`, or `None` if it names an unknown society or village.
pub fn explain(instance: &Instance, pair: &Pair) -> Option<PairExplanation> {
    let s = instance.societies.iter().position(|s| s.id == pair.society)?;
    let v = instance.villages.iter().position(|v| v.id == pair.village)?;
    let (society, village) = (&instance.societies[s], &instance.villages[v]);
    let matched = Need::ALL
        .into_iter()
        .filter_map(|need| {
            let need_weight = village.needs.get(&need).copied().unwrap_or(0);
            let capability_weight = society.capabilities.get(&need).copied().unwrap_or(0);
            (need_weight > 0 && capability_weight > 0).then_some(NeedMatch {
                need,
                need_weight,
                capability_weight,
            })
        })
        .collect();
    let terms = candidates::terms(instance, s, v);
    let pinned = instance
        .rules
        .pins
        .iter()
        .any(|(ps, pv)| *ps == pair.society && *pv == pair.village);
    let pair = Pair {
        society: pair.society.clone(),
        village: pair.village.clone(),
        score: terms.score(),
        fit: terms.fit,
        priority_bonus: terms.priority_bonus,
        distance_km: terms.distance_km,
        distance_penalty: terms.distance_penalty,
    };
    Some(PairExplanation {
        pinned,
        matched,
        priority_village: village.priority,
        pair,
    })
}

/// A Chinese sentence, e.g. `匹配：产业 4×3、教育 2×5，匹配度 22；重点帮扶村 +200；距离 57 公里 −57；得分 165`.
impl fmt::Display for PairExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pinned {
            f.write_str("工作人员指定；")?;
        }
        if self.matched.is_empty() {
            f.write_str("无匹配需求")?;
        } else {
            f.write_str("匹配：")?;
            for (i, m) in self.matched.iter().enumerate() {
                let separator = if i == 0 { "" } else { "、" };
                write!(
                    f,
                    "{separator}{} {}×{}",
                    m.need.label_zh(),
                    m.need_weight,
                    m.capability_weight
                )?;
            }
        }
        write!(f, "，匹配度 {}", self.pair.fit)?;
        if self.priority_village {
            write!(f, "；重点帮扶村 +{}", self.pair.priority_bonus)?;
        }
        write!(
            f,
            "；距离 {} 公里 −{}；得分 {}",
            self.pair.distance_km, self.pair.distance_penalty, self.pair.score
        )
    }
}
