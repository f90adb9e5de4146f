//! 百社进百村轮次 — the rules of a pairing round that the browser and the server share: priority classes,
//! the agreement lifecycle, the checks on what staff and societies submit, and where a village sits on the map.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::api::FieldError;
use crate::label::labelled_enum;
use crate::pairing::{MAX_WEIGHT, Need, Weights};

/// The largest capacity a society may declare: more villages than any society can serve.
pub const MAX_CAPACITY: i64 = 1000;
/// The bounds of a round's rules; the engine accepts the same (see `pairing::validate`).
pub const MAX_PRIORITY_BONUS: i64 = 1_000_000;
pub const MAX_PENALTY_PER_KM: i64 = 1_000_000;
pub const MAX_DISTANCE_KM: i64 = 20_100;
/// The longest round name.
pub const MAX_NAME_CHARS: usize = 60;
/// The longest reason for concluding an agreement.
pub const MAX_REASON_CHARS: usize = 200;

labelled_enum! {
    /// 重点帮扶类别 — why a village is a priority village.
    pub enum PriorityClass ("重点帮扶类别") keys_only {
        /// 国家乡村振兴重点帮扶县.
        KeyCounty => "key_county", "重点帮扶县", "Key assistance county";
        /// 脱贫村.
        FormerlyPoor => "formerly_poor", "脱贫村", "Formerly poor village";
        /// 集体经济薄弱村.
        WeakCollective => "weak_collective", "集体经济薄弱村", "Weak collective economy";
    }
}

labelled_enum! {
    /// 轮次状态 — a round is open until a bureau administrator confirms one of its proposals.
    pub enum RoundStatus ("轮次状态") keys_only {
        Open => "open", "进行中", "Open";
        Confirmed => "confirmed", "已确认", "Confirmed";
    }
}

labelled_enum! {
    /// 结对协议状态 — a confirmed pair is an active agreement until staff conclude it.
    pub enum AgreementStatus ("结对协议状态") keys_only {
        Active => "active", "帮扶中", "Active";
        Concluded => "concluded", "已结束", "Concluded";
    }
}

/// An agreement that cannot be concluded because it already is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("该结对协议已结束，不能再次结束")]
pub struct AlreadyConcluded;

impl AgreementStatus {
    /// 结束 — active → concluded; concluding twice is an error, not a silent no-op.
    pub fn conclude(self) -> Result<AgreementStatus, AlreadyConcluded> {
        match self {
            AgreementStatus::Active => Ok(AgreementStatus::Concluded),
            AgreementStatus::Concluded => Err(AlreadyConcluded),
        }
    }
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// 权重 — reads `{ "industry": 8, … }` as weights, naming each unknown key or out-of-range weight as
/// `<field>.<key>`. Zero weights are dropped.
pub fn parse_weights(field: &str, raw: &BTreeMap<String, i64>) -> Result<Weights, Vec<FieldError>> {
    let mut weights = Weights::new();
    let mut problems = Vec::new();
    for (key, &weight) in raw {
        let path = format!("{field}.{key}");
        match Need::parse(key) {
            None => problems.push(problem(path, format!("未知的类别 {key}"))),
            Some(need) if !(0..=MAX_WEIGHT).contains(&weight) => problems.push(problem(
                path,
                format!("{}的权重 {weight} 应在 0–{MAX_WEIGHT} 之间", need.label_zh()),
            )),
            Some(_) if weight == 0 => {}
            Some(need) => {
                weights.insert(need, weight);
            }
        }
    }
    if problems.is_empty() {
        Ok(weights)
    } else {
        Err(problems)
    }
}

/// Checks one rule value against its bounds, naming it as `rules.<name>`.
pub fn check_rule(name: &str, label: &str, value: i64, min: i64, max: i64) -> Option<FieldError> {
    (!(min..=max).contains(&value)).then(|| {
        problem(
            format!("rules.{name}"),
            format!("{label}应在 {min}–{max} 之间，收到 {value}"),
        )
    })
}

/// The check on a round's name: 1–[`MAX_NAME_CHARS`] characters once trimmed.
pub fn check_round_name(name: &str) -> Option<FieldError> {
    let chars = name.trim().chars().count();
    (chars == 0 || chars > MAX_NAME_CHARS)
        .then(|| problem("name", format!("轮次名称须为 1–{MAX_NAME_CHARS} 个字")))
}

/// The checks on a round's rules, each against the bounds the engine accepts.
pub fn check_rules(rules: &crate::api::RoundRules) -> Vec<FieldError> {
    [
        check_rule(
            "priority_bonus",
            "优先村加分",
            rules.priority_bonus,
            0,
            MAX_PRIORITY_BONUS,
        ),
        check_rule(
            "distance_penalty_per_km",
            "每公里距离扣分",
            rules.distance_penalty_per_km,
            0,
            MAX_PENALTY_PER_KM,
        ),
        check_rule(
            "max_distance_km",
            "最大距离（公里）",
            rules.max_distance_km,
            1,
            MAX_DISTANCE_KM,
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The checks on a society's capacity and intended funds.
pub fn check_capacity_and_funds(capacity: i64, funds_fen: i64) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if capacity < 0 {
        problems.push(problem(
            "capacity",
            format!("承接能力（capacity）不能为负数，收到 {capacity}"),
        ));
    } else if capacity > MAX_CAPACITY {
        problems.push(problem(
            "capacity",
            format!("承接能力（capacity）不能超过 {MAX_CAPACITY} 个村"),
        ));
    }
    if funds_fen < 0 {
        problems.push(problem("funds_fen", "拟投入资金（funds_fen）不能为负数"));
    }
    problems
}

/// The checks on concluding an agreement that started on `start_date`: a reason of 1–200 characters, and a
/// day no earlier than the start and no later than `today`.
pub fn check_conclusion(
    start_date: NaiveDate,
    concluded_on: NaiveDate,
    today: NaiveDate,
    reason: &str,
) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if concluded_on < start_date {
        problems.push(problem(
            "concluded_on",
            format!("结束日期（concluded_on）{concluded_on} 不能早于协议开始日期 {start_date}"),
        ));
    } else if concluded_on > today {
        problems.push(problem(
            "concluded_on",
            format!("结束日期（concluded_on）{concluded_on} 不能晚于今天 {today}"),
        ));
    }
    let chars = reason.trim().chars().count();
    if chars == 0 {
        problems.push(problem("reason", "请填写结束原因（reason）"));
    } else if chars > MAX_REASON_CHARS {
        problems.push(problem(
            "reason",
            format!("结束原因（reason）不能超过 {MAX_REASON_CHARS} 个字"),
        ));
    }
    problems
}

/// Where a village is drawn and measured from: its county's centroid moved by a small offset (at most about
/// ±5 km) derived from its code, so that the villages of one county are distinct points and the same village
/// is always at the same place.
pub fn village_position(county_lon: f64, county_lat: f64, village_code: &str) -> (f64, f64) {
    // FNV-1a: stable across platforms and releases, unlike the standard library's hasher.
    let hash = village_code.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let unit = |bits: u64| (bits & 0xffff) as f64 / 65_535.0 - 0.5;
    (
        county_lon + unit(hash) * 0.1,
        county_lat + unit(hash >> 24) * 0.08,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_outside_zero_to_ten_and_unknown_keys_are_named() {
        let raw = BTreeMap::from([
            ("industry".to_owned(), 11),
            ("tourism".to_owned(), 3),
            ("health".to_owned(), 4),
        ]);
        let problems = parse_weights("needs", &raw).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["needs.industry", "needs.tourism"]);
    }

    #[test]
    fn a_village_sits_near_its_county_at_the_same_place_every_time() {
        let a = village_position(117.5, 31.9, "340122100201");
        let b = village_position(117.5, 31.9, "340122100202");
        assert_eq!(a, village_position(117.5, 31.9, "340122100201"));
        assert_ne!(a, b);
        assert!((a.0 - 117.5).abs() <= 0.05 && (a.1 - 31.9).abs() <= 0.04);
    }

    #[test]
    fn a_conclusion_needs_a_reason_and_a_day_between_the_start_and_today() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let (start, today) = (day("2026-03-01"), day("2026-11-26"));
        assert!(check_conclusion(start, day("2026-06-30"), today, "项目完成").is_empty());
        assert!(check_conclusion(start, start, today, "项目完成").is_empty());
        let fields = |p: Vec<FieldError>| p.into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(
            fields(check_conclusion(start, day("2026-02-28"), today, " ")),
            ["concluded_on", "reason"]
        );
        assert_eq!(
            fields(check_conclusion(
                start,
                day("2026-11-27"),
                today,
                &"长".repeat(201)
            )),
            ["concluded_on", "reason"]
        );
    }

    #[test]
    fn an_agreement_is_concluded_once() {
        assert_eq!(AgreementStatus::Active.conclude(), Ok(AgreementStatus::Concluded));
        assert_eq!(AgreementStatus::Concluded.conclude(), Err(AlreadyConcluded));
    }
}
