//! 涉企收费检查 — fee inspections of business associations and chambers (行业协会商会, `DOMAIN.md` §7.3,
//! "我为企业减负担"): a campaign draws associations and inspectors at random from a recorded seed (双随机一公开,
//! [`draw`]); each inspection records the association's fee items, per item the findings from the campaign's
//! checklist and a disposition; what the dispositions remove from the enterprises' burden follows from the
//! items by the rules here ([`burden_removed`], [`enterprises_benefited`]) and is never typed as a total.

pub mod api;
pub mod draw;

use serde::{Deserialize, Serialize};

use crate::label::labelled_enum;
use crate::money::Fen;

/// The most fee items one inspection records.
pub const MAX_ITEMS: usize = 50;
/// The most associations a campaign draws.
pub const MAX_SAMPLE: u32 = 5_000;
/// The most inspectors in a campaign's pool.
pub const MAX_POOL: usize = 200;
/// The most inspectors sent to one association.
pub const MAX_PER_ASSOCIATION: u32 = 5;

labelled_enum! {
    /// 检查发现的问题 — the checklist of problem kinds a campaign looks for.
    pub enum FeeFinding ("检查问题") keys_only {
        /// 强制入会 — enterprises made to join (or stay) to be served.
        ForcedMembership => "forced_membership", "强制入会", "Forced membership";
        /// 只收费不服务 — a fee with no service behind it.
        FeeWithoutService => "fee_without_service", "只收费不服务", "Fee without service";
        /// 借评比达标表彰收费 — fees through awards, ratings or rankings.
        AwardsAndRatings => "awards_ratings", "借评比达标表彰收费", "Fees through awards or ratings";
        /// 强制培训 — paid training members must attend.
        ForcedTraining => "forced_training", "强制培训收费", "Forced paid training";
        /// 强制参展 — paid expos or meetings members must attend.
        ForcedExpos => "forced_expos", "强制参加会议展览", "Forced expos or meetings";
        /// 强制订购 — publications or goods members must buy.
        ForcedSubscriptions => "forced_subscriptions", "强制订购刊物或产品", "Forced subscriptions";
        /// 超标准收费 — above the standard the general assembly decided.
        OverStandard => "over_standard", "超标准收费", "Above the approved standard";
        /// 未公示 — the fee, its basis or standard not published.
        Unpublished => "unpublished", "收费未公示", "Fee not published";
    }
}

labelled_enum! {
    /// 处理方式 — what is done about a fee item with findings.
    pub enum Disposition ("处理方式") keys_only {
        /// 取消 — the fee is no longer charged.
        Cancel => "cancel", "取消", "Cancel";
        /// 降低 — charged at a new, lower standard.
        Reduce => "reduce", "降低", "Reduce";
        /// 规范 — kept, its basis and procedure put right.
        Standardize => "standardize", "规范", "Standardize";
        /// 公开 — kept, its basis and standard published.
        Publish => "publish", "公开", "Publish";
        /// 查处 — referred to an administrative penalty case.
        Investigate => "investigate", "查处", "Investigate";
    }
}

labelled_enum! {
    /// 检查活动状态.
    pub enum CampaignStage ("检查活动状态") keys_only {
        /// 待抽取 — set up, nothing drawn yet.
        Open => "open", "待抽取", "Not drawn";
        /// 已抽取 — drawn and published; inspections are recorded.
        Drawn => "drawn", "已抽取并公开", "Drawn and published";
        /// 已结束 — closed; the results stand.
        Closed => "closed", "已结束", "Closed";
    }
}

labelled_enum! {
    /// 检查状态 — of one drawn association.
    pub enum InspectionStage ("检查状态") keys_only {
        Pending => "pending", "待检查", "Pending";
        Recorded => "recorded", "已检查", "Recorded";
    }
}

/// A fee item as recorded, and why it is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeItemInput {
    /// 收费项目名称, e.g. 会费.
    pub name: String,
    /// 收费依据, e.g. 会员大会决议（2019 年）.
    pub basis: String,
    /// 收费标准: fen per payer per year.
    pub standard_fen: Fen,
    /// 年收费额: what the item brought in over the last year, in fen.
    pub annual_income_fen: Fen,
    /// 收费对象数: the member enterprises (or other enterprises) charged.
    pub payers: i64,
    /// The checklist's findings on this item (none when it is in order).
    #[serde(default)]
    pub findings: Vec<FeeFinding>,
    /// What is done about it; required exactly when there are findings.
    #[serde(default)]
    pub disposition: Option<Disposition>,
    /// 降低后的收费标准 (fen per payer per year), for 降低 only.
    #[serde(default)]
    pub new_standard_fen: Option<Fen>,
}

/// A refused input: the field (as the form names it, e.g. `items[2].payers`) and the Chinese reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FeeError {
    pub field: String,
    pub message: String,
}

impl FeeError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FeeError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// 1 亿元: no single fee standard or annual income is larger.
const MAX_AMOUNT_FEN: i64 = 10_000_000_000;
/// No association charges more enterprises than this.
const MAX_PAYERS: i64 = 10_000_000;

impl FeeItemInput {
    /// Checks item `index` (0-based) against the campaign's `checklist`; field names read `items[i].…`.
    pub fn check(&self, index: usize, checklist: &[FeeFinding]) -> Result<(), FeeError> {
        let field = |name: &str| format!("items[{index}].{name}");
        let n = index + 1;
        let text = |name: &str, what: &str, value: &str, max: usize| {
            let count = value.trim().chars().count();
            if count == 0 || count > max {
                return Err(FeeError::new(
                    field(name),
                    format!("请填写第 {n} 项的{what}（{name}，不超过 {max} 个字）"),
                ));
            }
            Ok(())
        };
        text("name", "收费项目名称", &self.name, 100)?;
        text("basis", "收费依据", &self.basis, 200)?;
        let amount = |name: &str, what: &str, value: Fen, min: i64| {
            if value.as_i64() < min || value.as_i64() > MAX_AMOUNT_FEN {
                let floor = if min > 0 { "大于 0" } else { "不小于 0" };
                return Err(FeeError::new(
                    field(name),
                    format!("第 {n} 项的{what}（{name}）应{floor}且不超过 1 亿元"),
                ));
            }
            Ok(())
        };
        amount("standard_fen", "收费标准", self.standard_fen, 1)?;
        amount("annual_income_fen", "年收费额", self.annual_income_fen, 0)?;
        if !(0..=MAX_PAYERS).contains(&self.payers) {
            return Err(FeeError::new(
                field("payers"),
                format!("第 {n} 项的收费对象数（payers）应在 0 到 {MAX_PAYERS} 之间"),
            ));
        }
        self.check_findings(index, checklist)?;
        self.check_disposition(index)
    }

    fn check_findings(&self, index: usize, checklist: &[FeeFinding]) -> Result<(), FeeError> {
        let field = format!("items[{index}].findings");
        for (i, finding) in self.findings.iter().enumerate() {
            if !checklist.contains(finding) {
                return Err(FeeError::new(
                    field,
                    format!(
                        "第 {} 项的问题「{}」不在本次检查的清单内（findings）",
                        index + 1,
                        finding.label_zh()
                    ),
                ));
            }
            if self.findings[..i].contains(finding) {
                return Err(FeeError::new(
                    field,
                    format!("第 {} 项的问题不能重复（findings）", index + 1),
                ));
            }
        }
        Ok(())
    }

    fn check_disposition(&self, index: usize) -> Result<(), FeeError> {
        let n = index + 1;
        match (self.findings.is_empty(), self.disposition) {
            (false, None) => {
                return Err(FeeError::new(
                    format!("items[{index}].disposition"),
                    format!("第 {n} 项有问题，请选择处理方式（disposition）"),
                ));
            }
            (true, Some(_)) => {
                return Err(FeeError::new(
                    format!("items[{index}].disposition"),
                    format!("第 {n} 项未发现问题，不需处理方式；请先勾选问题（findings）"),
                ));
            }
            _ => {}
        }
        let reduce = self.disposition == Some(Disposition::Reduce);
        match self.new_standard_fen {
            Some(new) if reduce && new.as_i64() > 0 && new < self.standard_fen => Ok(()),
            None if !reduce => Ok(()),
            _ => Err(FeeError::new(
                format!("items[{index}].new_standard_fen"),
                format!(
                    "第 {n} 项降低收费时须填写大于 0 且低于原标准的新标准（new_standard_fen），其他处理方式不填"
                ),
            )),
        }
    }
}

/// 减轻企业负担（元/年） — what an item's disposition removes from the enterprises each year:
///
/// * 取消 cancel: the item's whole annual income;
/// * 降低 reduce: the part of the annual income above the new standard — income × (old − new) / old,
///   rounded down to the fen (the income scales with the standard, the payers staying the same);
/// * 规范, 公开, 查处 and items without findings: nothing (the fee is still charged; what a penalty case
///   orders back is that case's business).
pub fn burden_removed(item: &FeeItemInput) -> Fen {
    let income = i128::from(item.annual_income_fen.as_i64());
    let old = i128::from(item.standard_fen.as_i64());
    match (item.disposition, item.new_standard_fen) {
        (Some(Disposition::Cancel), _) => item.annual_income_fen,
        (Some(Disposition::Reduce), Some(new)) if old > 0 => {
            let cut = income * (old - i128::from(new.as_i64())) / old;
            Fen::new(i64::try_from(cut).unwrap_or(0))
        }
        _ => Fen::new(0),
    }
}

/// 惠及企业数 — the enterprises one inspection's dispositions benefit: the most payers of any item whose
/// burden is removed (取消 or 降低). The same member enterprises pay an association's several fees, so
/// adding the items' payers would count an enterprise once per fee.
pub fn enterprises_benefited(items: &[FeeItemInput]) -> i64 {
    items
        .iter()
        .filter(|item| burden_removed(item).as_i64() > 0)
        .map(|item| item.payers)
        .max()
        .unwrap_or(0)
}

/// Whether any item is referred for a penalty (查处): the inspection then counts as a violation.
pub fn is_violation(items: &[FeeItemInput]) -> bool {
    items
        .iter()
        .any(|item| item.disposition == Some(Disposition::Investigate))
}

/// Whether the association's fees were put right (规范收费): an item cancelled, reduced, standardized or
/// published.
pub fn is_standardized(items: &[FeeItemInput]) -> bool {
    items.iter().any(|item| {
        matches!(
            item.disposition,
            Some(Disposition::Cancel | Disposition::Reduce | Disposition::Standardize | Disposition::Publish)
        )
    })
}

/// Checks an inspection's items: at least one, at most [`MAX_ITEMS`], each by [`FeeItemInput::check`].
pub fn check_items(items: &[FeeItemInput], checklist: &[FeeFinding]) -> Result<(), FeeError> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(FeeError::new(
            "items",
            format!(
                "请填写收费项目（items），1 到 {MAX_ITEMS} 项；没有收费的协会填写一项年收费额为 0 的「无收费」"
            ),
        ));
    }
    items
        .iter()
        .enumerate()
        .try_for_each(|(i, item)| item.check(i, checklist))
}

impl api::ResultLine {
    /// Counts one recorded inspection's items into the line.
    pub fn add(&mut self, items: &[FeeItemInput]) {
        self.inspected += 1;
        self.violations += u32::from(is_violation(items));
        self.standardized += u32::from(is_standardized(items));
        let burden: i64 = items.iter().map(|item| burden_removed(item).as_i64()).sum();
        self.burden_removed_fen = Fen::new(self.burden_removed_fen.as_i64() + burden);
        self.enterprises_benefited += enterprises_benefited(items);
    }
}

/// Results by disposition over recorded inspections' items: how many items, how many associations have
/// one, the burden removed, and the enterprises benefited (per association by [`enterprises_benefited`]
/// over that disposition's items).
pub fn by_disposition<'a>(
    inspections: impl IntoIterator<Item = &'a [FeeItemInput]>,
) -> Vec<api::DispositionResult> {
    let mut results: Vec<api::DispositionResult> = Disposition::ALL
        .into_iter()
        .map(|disposition| api::DispositionResult {
            disposition,
            items: 0,
            associations: 0,
            burden_removed_fen: Fen::new(0),
            enterprises_benefited: 0,
        })
        .collect();
    for items in inspections {
        for result in &mut results {
            let of_kind: Vec<FeeItemInput> = items
                .iter()
                .filter(|item| item.disposition == Some(result.disposition))
                .cloned()
                .collect();
            if of_kind.is_empty() {
                continue;
            }
            result.items += of_kind.len() as u32;
            result.associations += 1;
            let burden: i64 = of_kind.iter().map(|item| burden_removed(item).as_i64()).sum();
            result.burden_removed_fen = Fen::new(result.burden_removed_fen.as_i64() + burden);
            result.enterprises_benefited += enterprises_benefited(&of_kind);
        }
    }
    results
}

#[cfg(test)]
mod tests;
