//! 输入校验 — every problem of a pairing instance, found in one pass so that staff can fix them all at once.

use std::collections::{HashMap, HashSet};

use super::{Instance, MAX_WEIGHT, Need};

/// The bounds of the rules, wide enough for any policy and narrow enough that no score can overflow `i64`.
const MAX_PRIORITY_BONUS: i64 = 1_000_000;
const MAX_PENALTY_PER_KM: i64 = 1_000_000;
/// More than half the Earth's circumference: a larger maximum would not change which pairs are allowed.
const MAX_DISTANCE_KM: i64 = 20_100;

/// 输入问题 — one thing wrong with an instance. Each message names the offending ids; `field()` gives the
/// path of the field, for the API's field errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("第 {} 个社会组织的编号为空", index + 1)]
    EmptySocietyId { index: usize },
    #[error("第 {} 个村的编号为空", index + 1)]
    EmptyVillageId { index: usize },
    #[error("社会组织编号 {id} 重复")]
    DuplicateSociety { index: usize, id: String },
    #[error("村编号 {id} 重复")]
    DuplicateVillage { index: usize, id: String },
    #[error("社会组织 {id} 的承接能力 {capacity} 不能为负数")]
    NegativeCapacity { index: usize, id: String, capacity: i64 },
    #[error("村 {id} 的最多结对社会组织数 {max_societies} 不能为负数")]
    NegativeMaxSocieties {
        index: usize,
        id: String,
        max_societies: i64,
    },
    #[error("社会组织 {id} 的{}能力权重 {weight} 应在 0–10 之间", need.label_zh())]
    CapabilityOutOfRange {
        index: usize,
        id: String,
        need: Need,
        weight: i64,
    },
    #[error("村 {id} 的{}需求权重 {weight} 应在 0–10 之间", need.label_zh())]
    NeedOutOfRange {
        index: usize,
        id: String,
        need: Need,
        weight: i64,
    },
    #[error("社会组织 {id} 的坐标（经度 {lon}，纬度 {lat}）无效")]
    SocietyCoordinates {
        index: usize,
        id: String,
        lon: f64,
        lat: f64,
    },
    #[error("村 {id} 的坐标（经度 {lon}，纬度 {lat}）无效")]
    VillageCoordinates {
        index: usize,
        id: String,
        lon: f64,
        lat: f64,
    },
    #[error("规则 {field} 的值 {value} 应在 {min}–{max} 之间")]
    RuleOutOfRange {
        field: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("指定配对 [{society}, {village}] 中的社会组织 {society} 不存在")]
    PinUnknownSociety {
        index: usize,
        society: String,
        village: String,
    },
    #[error("指定配对 [{society}, {village}] 中的村 {village} 不存在")]
    PinUnknownVillage {
        index: usize,
        society: String,
        village: String,
    },
    #[error("禁止配对 [{society}, {village}] 中的社会组织 {society} 不存在")]
    ForbidUnknownSociety {
        index: usize,
        society: String,
        village: String,
    },
    #[error("禁止配对 [{society}, {village}] 中的村 {village} 不存在")]
    ForbidUnknownVillage {
        index: usize,
        society: String,
        village: String,
    },
    #[error("指定配对 [{society}, {village}] 重复出现")]
    DuplicatePin {
        index: usize,
        society: String,
        village: String,
    },
    #[error("配对 [{society}, {village}] 既被指定又被禁止")]
    PinnedAndForbidden {
        index: usize,
        society: String,
        village: String,
    },
    #[error("社会组织 {society} 有 {pins} 个指定配对，超过其承接能力 {capacity}")]
    PinsOverCapacity {
        index: usize,
        society: String,
        pins: usize,
        capacity: i64,
    },
    #[error("村 {village} 有 {pins} 个指定配对，超过其最多结对社会组织数 {max_societies}")]
    PinsOverVillageLimit {
        index: usize,
        village: String,
        pins: usize,
        max_societies: i64,
    },
}

impl Problem {
    /// The JSON path of the offending field, e.g. `societies[2].capacity` or `rules.pins[0]`.
    pub fn field(&self) -> String {
        match self {
            Problem::EmptySocietyId { index } | Problem::DuplicateSociety { index, .. } => {
                format!("societies[{index}].id")
            }
            Problem::EmptyVillageId { index } | Problem::DuplicateVillage { index, .. } => {
                format!("villages[{index}].id")
            }
            Problem::NegativeCapacity { index, .. } | Problem::PinsOverCapacity { index, .. } => {
                format!("societies[{index}].capacity")
            }
            Problem::NegativeMaxSocieties { index, .. } | Problem::PinsOverVillageLimit { index, .. } => {
                format!("villages[{index}].max_societies")
            }
            Problem::CapabilityOutOfRange { index, need, .. } => {
                format!("societies[{index}].capabilities.{}", need.key())
            }
            Problem::NeedOutOfRange { index, need, .. } => {
                format!("villages[{index}].needs.{}", need.key())
            }
            Problem::SocietyCoordinates { index, .. } => format!("societies[{index}].lon"),
            Problem::VillageCoordinates { index, .. } => format!("villages[{index}].lon"),
            Problem::RuleOutOfRange { field, .. } => format!("rules.{field}"),
            Problem::PinUnknownSociety { index, .. }
            | Problem::PinUnknownVillage { index, .. }
            | Problem::DuplicatePin { index, .. }
            | Problem::PinnedAndForbidden { index, .. } => format!("rules.pins[{index}]"),
            Problem::ForbidUnknownSociety { index, .. } | Problem::ForbidUnknownVillage { index, .. } => {
                format!("rules.forbids[{index}]")
            }
        }
    }
}

/// 配对失败 — why `solve` returned no plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PairingError {
    #[error("配对输入有 {} 处问题：{}", .0.len(), join_messages(.0))]
    Invalid(Vec<Problem>),
    #[error("实例规模过大（{societies} 个社会组织、{villages} 个村），目标权重超出整数范围，请分批求解")]
    TooLarge { societies: usize, villages: usize },
}

fn join_messages(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("；")
}

/// 校验 — every problem of the instance, or `Ok` when `solve` can run. `solve` calls this first.
pub fn validate(instance: &Instance) -> Result<(), PairingError> {
    let mut problems = Vec::new();
    let societies = check_societies(instance, &mut problems);
    let villages = check_villages(instance, &mut problems);
    check_rules(instance, &mut problems);
    check_pins_and_forbids(instance, &societies, &villages, &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(PairingError::Invalid(problems))
    }
}

fn valid_coordinates(lon: f64, lat: f64) -> bool {
    lon.is_finite() && lat.is_finite() && (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

fn out_of_range(weight: i64) -> bool {
    !(0..=MAX_WEIGHT).contains(&weight)
}

/// Checks the societies and returns their positions by id (the first one for a duplicate).
fn check_societies<'a>(instance: &'a Instance, problems: &mut Vec<Problem>) -> HashMap<&'a str, usize> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(instance.societies.len());
    for (index, society) in instance.societies.iter().enumerate() {
        let id = society.id.clone();
        if society.id.is_empty() {
            problems.push(Problem::EmptySocietyId { index });
        } else if by_id.contains_key(society.id.as_str()) {
            problems.push(Problem::DuplicateSociety {
                index,
                id: id.clone(),
            });
        } else {
            by_id.insert(society.id.as_str(), index);
        }
        if society.capacity < 0 {
            problems.push(Problem::NegativeCapacity {
                index,
                id: id.clone(),
                capacity: society.capacity,
            });
        }
        for (&need, &weight) in &society.capabilities {
            if out_of_range(weight) {
                problems.push(Problem::CapabilityOutOfRange {
                    index,
                    id: id.clone(),
                    need,
                    weight,
                });
            }
        }
        if !valid_coordinates(society.lon, society.lat) {
            problems.push(Problem::SocietyCoordinates {
                index,
                id,
                lon: society.lon,
                lat: society.lat,
            });
        }
    }
    by_id
}

/// Checks the villages and returns their positions by id (the first one for a duplicate).
fn check_villages<'a>(instance: &'a Instance, problems: &mut Vec<Problem>) -> HashMap<&'a str, usize> {
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(instance.villages.len());
    for (index, village) in instance.villages.iter().enumerate() {
        let id = village.id.clone();
        if village.id.is_empty() {
            problems.push(Problem::EmptyVillageId { index });
        } else if by_id.contains_key(village.id.as_str()) {
            problems.push(Problem::DuplicateVillage {
                index,
                id: id.clone(),
            });
        } else {
            by_id.insert(village.id.as_str(), index);
        }
        if village.max_societies < 0 {
            problems.push(Problem::NegativeMaxSocieties {
                index,
                id: id.clone(),
                max_societies: village.max_societies,
            });
        }
        for (&need, &weight) in &village.needs {
            if out_of_range(weight) {
                problems.push(Problem::NeedOutOfRange {
                    index,
                    id: id.clone(),
                    need,
                    weight,
                });
            }
        }
        if !valid_coordinates(village.lon, village.lat) {
            problems.push(Problem::VillageCoordinates {
                index,
                id,
                lon: village.lon,
                lat: village.lat,
            });
        }
    }
    by_id
}

fn check_rules(instance: &Instance, problems: &mut Vec<Problem>) {
    let rules = &instance.rules;
    let bounds = [
        ("priority_bonus", rules.priority_bonus, MAX_PRIORITY_BONUS),
        (
            "distance_penalty_per_km",
            rules.distance_penalty_per_km,
            MAX_PENALTY_PER_KM,
        ),
        ("max_distance_km", rules.max_distance_km, MAX_DISTANCE_KM),
    ];
    for (field, value, max) in bounds {
        if !(0..=max).contains(&value) {
            problems.push(Problem::RuleOutOfRange {
                field,
                value,
                min: 0,
                max,
            });
        }
    }
}

fn check_pins_and_forbids(
    instance: &Instance,
    societies: &HashMap<&str, usize>,
    villages: &HashMap<&str, usize>,
    problems: &mut Vec<Problem>,
) {
    let rules = &instance.rules;
    let mut forbidden = HashSet::with_capacity(rules.forbids.len());
    for (index, (society, village)) in rules.forbids.iter().enumerate() {
        let (society, village) = (society.clone(), village.clone());
        if !societies.contains_key(society.as_str()) {
            problems.push(Problem::ForbidUnknownSociety {
                index,
                society: society.clone(),
                village: village.clone(),
            });
        }
        if !villages.contains_key(village.as_str()) {
            problems.push(Problem::ForbidUnknownVillage {
                index,
                society: society.clone(),
                village: village.clone(),
            });
        }
        forbidden.insert((society, village));
    }

    let mut pinned = HashSet::with_capacity(rules.pins.len());
    let mut per_society: PinCount = PinCount::default();
    let mut per_village: PinCount = PinCount::default();
    for (index, (society, village)) in rules.pins.iter().enumerate() {
        let pair = (society.clone(), village.clone());
        let (s, v) = (societies.get(society.as_str()), villages.get(village.as_str()));
        if s.is_none() {
            problems.push(Problem::PinUnknownSociety {
                index,
                society: pair.0.clone(),
                village: pair.1.clone(),
            });
        }
        if v.is_none() {
            problems.push(Problem::PinUnknownVillage {
                index,
                society: pair.0.clone(),
                village: pair.1.clone(),
            });
        }
        if forbidden.contains(&pair) {
            problems.push(Problem::PinnedAndForbidden {
                index,
                society: pair.0.clone(),
                village: pair.1.clone(),
            });
        }
        if !pinned.insert(pair.clone()) {
            problems.push(Problem::DuplicatePin {
                index,
                society: pair.0,
                village: pair.1,
            });
            continue;
        }
        if let Some(&s) = s {
            *per_society.entry(s).or_default() += 1;
        }
        if let Some(&v) = v {
            *per_village.entry(v).or_default() += 1;
        }
    }

    for (&index, &pins) in &per_society {
        let society = &instance.societies[index];
        if society.capacity >= 0 && pins as i64 > society.capacity {
            problems.push(Problem::PinsOverCapacity {
                index,
                society: society.id.clone(),
                pins,
                capacity: society.capacity,
            });
        }
    }
    for (&index, &pins) in &per_village {
        let village = &instance.villages[index];
        if village.max_societies >= 0 && pins as i64 > village.max_societies {
            problems.push(Problem::PinsOverVillageLimit {
                index,
                village: village.id.clone(),
                pins,
                max_societies: village.max_societies,
            });
        }
    }
}

/// Pin counts keyed by input position; ordered so that problems come out in input order.
type PinCount = std::collections::BTreeMap<usize, usize>;
