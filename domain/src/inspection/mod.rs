//! 年检 / 年度工作报告 — the annual inspection (`DOMAIN.md` §5): the cycle the bureau opens each year, the
//! report an organization files, staff's verdict on it, and the follow-up of those who did not report.
//!
//! The report's checks run in the browser as the user types and again on the server's first line; the
//! report's stages are an enum whose transitions return `Result`, with Chinese messages naming the field.

pub mod api;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::label::labelled_enum;
use crate::money::Fen;
use crate::registry::organization::Level;

/// The first year a cycle may be opened for: the demo set's ten years start here, and nothing older is
/// inspected in the system.
pub const EARLIEST_YEAR: i32 = 2015;

/// The largest amount a report's figure may carry: 1000亿元; anything above is a typing mistake.
pub const MAX_FIGURE: Fen = Fen::new(100_000_000_000 * 100);

/// The working days a 限期整改 order may give at most (a rectification longer than a quarter is no order).
pub const MAX_RECTIFICATION_WORKING_DAYS: u32 = 60;

labelled_enum! {
    /// 报告状态 — where an organization's annual report stands.
    pub enum ReportStage ("报告状态") keys_only {
        /// 草稿 — kept, not yet submitted.
        Draft => "draft", "草稿", "Draft";
        /// 已报送 — submitted, waiting for staff's verdict.
        Submitted => "submitted", "已报送", "Submitted";
        /// 退回修改 — returned for correction with a reason.
        Returned => "returned", "退回修改", "Returned for correction";
        /// 已审查 — staff gave a verdict.
        Reviewed => "reviewed", "已审查", "Reviewed";
        /// 未报送 — the deadline passed without a report (未参检).
        NotFiled => "not_filed", "未报送", "Not filed";
    }
}

labelled_enum! {
    /// 年检结论 — the verdict on a year.
    pub enum InspectionResult ("年检结论") keys_only {
        /// 合格.
        Qualified => "qualified", "合格", "Qualified";
        /// 基本合格.
        BasicallyQualified => "basically_qualified", "基本合格", "Basically qualified";
        /// 不合格.
        Unqualified => "unqualified", "不合格", "Unqualified";
        /// 未参检 — did not take part: no report by the deadline.
        NotInspected => "not_inspected", "未参检", "Did not take part";
    }
}

labelled_enum! {
    /// 后续处理 — what staff do about an organization that did not report or failed its inspection.
    pub enum FollowUpKind ("后续处理") keys_only {
        /// 约谈 — an interview: who, when, the outcome.
        Interview => "interview", "约谈", "Interview";
        /// 限期整改 — an order to rectify within working days.
        Rectification => "rectification", "限期整改", "Rectification order";
        /// 移送行政处罚 — referred for an administrative penalty (until the penalty module exists).
        PenaltyReferral => "penalty_referral", "移送行政处罚", "Referred for a penalty";
        /// 审计抽查 — selected for a financial audit.
        Audit => "audit", "审计抽查", "Selected for audit";
    }
}

/// Why a report's stage may not change so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("报告已报送，正在审查中，不能修改")]
    UnderReview,
    #[error("报告已审查，结论已作出，不能修改")]
    Reviewed,
    #[error("只有已报送的报告可以审查或退回")]
    NotSubmitted,
    #[error("只有草稿、退回修改或未报送的报告可以报送")]
    NotSubmittable,
    #[error("「未参检」由系统在截止日后自动认定，不能作为审查结论")]
    NotInspectedByHand,
}

impl ReportStage {
    /// The organization sends its report: a draft, a returned one, or (补报) one the deadline passed.
    pub fn submit(self) -> Result<ReportStage, TransitionError> {
        match self {
            ReportStage::Draft | ReportStage::Returned | ReportStage::NotFiled => Ok(ReportStage::Submitted),
            ReportStage::Submitted => Err(TransitionError::UnderReview),
            ReportStage::Reviewed => Err(TransitionError::Reviewed),
        }
    }

    /// Whether the organization may change the report's content now.
    pub fn check_editable(self) -> Result<(), TransitionError> {
        match self {
            ReportStage::Draft | ReportStage::Returned | ReportStage::NotFiled => Ok(()),
            ReportStage::Submitted => Err(TransitionError::UnderReview),
            ReportStage::Reviewed => Err(TransitionError::Reviewed),
        }
    }

    /// Staff give a verdict on a submitted report; 未参检 is the rule's, never a verdict.
    pub fn review(self, result: InspectionResult) -> Result<ReportStage, TransitionError> {
        if result == InspectionResult::NotInspected {
            return Err(TransitionError::NotInspectedByHand);
        }
        match self {
            ReportStage::Submitted => Ok(ReportStage::Reviewed),
            _ => Err(TransitionError::NotSubmitted),
        }
    }

    /// Staff send a submitted report back for correction.
    pub fn return_for_correction(self) -> Result<ReportStage, TransitionError> {
        match self {
            ReportStage::Submitted => Ok(ReportStage::Returned),
            _ => Err(TransitionError::NotSubmitted),
        }
    }

    /// Whether the report counts as not filed when the deadline passes: nothing was ever sent.
    pub fn is_missing_at_deadline(self) -> bool {
        self == ReportStage::Draft
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// 开启年检 — what the bureau states when it opens a year's cycle (the wire form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CycleInput {
    /// The year reported on (the report on 2024 is filed in 2025).
    pub year: i32,
    /// The last day to submit.
    pub deadline: NaiveDate,
    /// Which registration levels take part; empty means all.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// The division whose organizations (and those below it) take part; `340000` the whole province.
    #[serde(default = "province")]
    pub division_code: String,
}

fn province() -> String {
    crate::division::PROVINCE_CODE.to_owned()
}

impl CycleInput {
    /// Every check that needs no database: the year is past, the deadline is not, the division is a code.
    pub fn validate(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.year < EARLIEST_YEAR || self.year >= today.year() {
            errors.push(invalid(
                "year",
                format!("年度（year）应在 {EARLIEST_YEAR} 年至去年之间：报告的是已经结束的年度"),
            ));
        }
        if self.deadline < today {
            errors.push(invalid("deadline", "截止日期（deadline）不能早于今天"));
        } else if self.deadline.year() <= self.year {
            errors.push(invalid("deadline", "截止日期（deadline）应在所报年度结束之后"));
        }
        if crate::division::DivisionCode::parse(&self.division_code).is_err() {
            errors.push(invalid(
                "division_code",
                "行政区划代码（division_code）应为 6 位数字",
            ));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The levels that take part: all when none were named.
    pub fn levels(&self) -> Vec<Level> {
        if self.levels.is_empty() {
            Level::ALL.to_vec()
        } else {
            let mut levels = self.levels.clone();
            levels.sort();
            levels.dedup();
            levels
        }
    }
}

/// 会费 — one fee charged to members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberFee {
    /// e.g. 会员单位会费.
    pub item: String,
    /// Per member and year, in fen.
    pub amount_fen: i64,
    /// How many members paid it.
    #[serde(default)]
    pub payers: u32,
}

/// 负责人 — an officer named in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Officer {
    pub name: String,
    /// e.g. 会长, 秘书长, 理事长.
    pub position: String,
}

/// 年度工作报告 — the report as the organization types it (the wire form of save and submit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportInput {
    /// 本年收入, in fen.
    #[serde(default)]
    pub revenue_fen: i64,
    /// 本年支出, in fen.
    #[serde(default)]
    pub expenses_fen: i64,
    /// 年末净资产, in fen (may be negative).
    #[serde(default)]
    pub net_assets_fen: i64,
    /// 业务活动情况.
    #[serde(default)]
    pub activities: String,
    /// 党建工作情况.
    #[serde(default)]
    pub party_building: String,
    /// 收费情况: fees charged to members.
    #[serde(default)]
    pub member_fees: Vec<MemberFee>,
    /// 负责人.
    #[serde(default)]
    pub officers: Vec<Officer>,
}

fn check_figure(field: &str, value: i64, signed: bool, errors: &mut Vec<FieldError>) {
    if !signed && value < 0 {
        errors.push(invalid(field, format!("{}不能为负数", figure_name(field))));
    } else if value.unsigned_abs() > MAX_FIGURE.as_i64().unsigned_abs() {
        errors.push(invalid(
            field,
            format!(
                "{}超过 {}，请核对是否多输了位数",
                figure_name(field),
                MAX_FIGURE.format_wan_yi()
            ),
        ));
    }
}

fn figure_name(field: &str) -> &'static str {
    match field {
        "revenue_fen" => "本年收入（revenue_fen）",
        "expenses_fen" => "本年支出（expenses_fen）",
        "net_assets_fen" => "年末净资产（net_assets_fen）",
        _ => "金额（amount_fen）",
    }
}

impl ReportInput {
    /// The checks a draft must pass: figures in range, texts not too long. A draft may be incomplete.
    pub fn validate_draft(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_figure("revenue_fen", self.revenue_fen, false, &mut errors);
        check_figure("expenses_fen", self.expenses_fen, false, &mut errors);
        check_figure("net_assets_fen", self.net_assets_fen, true, &mut errors);
        for (field, text) in [
            ("activities", &self.activities),
            ("party_building", &self.party_building),
        ] {
            if text.chars().count() > 5000 {
                errors.push(invalid(field, format!("{field} 不超过 5000 个字")));
            }
        }
        for (i, fee) in self.member_fees.iter().enumerate() {
            if fee.item.trim().is_empty() || fee.item.chars().count() > 60 {
                errors.push(invalid(
                    format!("member_fees[{i}].item"),
                    "请填写收费项目（不超过 60 个字）",
                ));
            }
            check_figure(
                &format!("member_fees[{i}].amount_fen"),
                fee.amount_fen,
                false,
                &mut errors,
            );
        }
        for (i, officer) in self.officers.iter().enumerate() {
            if officer.name.trim().is_empty() || officer.name.chars().count() > 30 {
                errors.push(invalid(
                    format!("officers[{i}].name"),
                    "请填写负责人姓名（不超过 30 个字）",
                ));
            }
            if officer.position.trim().is_empty() || officer.position.chars().count() > 30 {
                errors.push(invalid(
                    format!("officers[{i}].position"),
                    "请填写职务（不超过 30 个字）",
                ));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The checks a report must pass to be submitted: a draft's, and the sections the bureau reads.
    pub fn validate_submission(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = self.validate_draft().err().unwrap_or_default();
        if self.activities.trim().chars().count() < 10 {
            errors.push(invalid(
                "activities",
                "请填写业务活动情况（activities，至少 10 个字）",
            ));
        }
        if self.party_building.trim().is_empty() {
            errors.push(invalid("party_building", "请填写党建工作情况（party_building）"));
        }
        if self.officers.is_empty() {
            errors.push(invalid("officers", "请至少填写一名负责人（officers）"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// 审查意见 — staff's verdict: the result, with reasons required unless it is 合格.
pub fn check_verdict(result: InspectionResult, reasons: &str) -> Result<(), FieldError> {
    if result == InspectionResult::NotInspected {
        return Err(invalid("result", TransitionError::NotInspectedByHand.to_string()));
    }
    let reasons = reasons.trim();
    if result != InspectionResult::Qualified && reasons.is_empty() {
        return Err(invalid(
            "reasons",
            format!("结论为「{result}」时请填写理由（reasons）"),
        ));
    }
    if reasons.chars().count() > 1000 {
        return Err(invalid("reasons", "理由（reasons）不超过 1000 个字"));
    }
    Ok(())
}

/// 后续处理 — a follow-up as staff record it (the wire form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpInput {
    pub kind: FollowUpKind,
    /// The day it happened (约谈) or was ordered.
    pub on: NaiveDate,
    /// 约谈: who was interviewed (name and position).
    #[serde(default)]
    pub interviewee: Option<String>,
    /// 限期整改: the working days given.
    #[serde(default)]
    pub working_days: Option<u32>,
    /// 约谈: the outcome; otherwise what was decided.
    #[serde(default)]
    pub outcome: String,
}

impl FollowUpInput {
    /// The checks that need no database: the date is not in the future, each kind states what it needs.
    pub fn validate(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.on > today {
            errors.push(invalid("on", "日期（on）不能晚于今天"));
        }
        match self.kind {
            FollowUpKind::Interview => {
                if self.interviewee.as_deref().is_none_or(|w| w.trim().is_empty()) {
                    errors.push(invalid("interviewee", "约谈须填写约谈对象（interviewee）"));
                }
                if self.outcome.trim().is_empty() {
                    errors.push(invalid("outcome", "约谈须填写约谈结果（outcome）"));
                }
            }
            FollowUpKind::Rectification => match self.working_days {
                Some(days) if (1..=MAX_RECTIFICATION_WORKING_DAYS).contains(&days) => {}
                _ => errors.push(invalid(
                    "working_days",
                    format!(
                        "限期整改须给出 1 至 {MAX_RECTIFICATION_WORKING_DAYS} 个工作日的期限（working_days）"
                    ),
                )),
            },
            FollowUpKind::PenaltyReferral | FollowUpKind::Audit => {}
        }
        if self.outcome.chars().count() > 1000 {
            errors.push(invalid("outcome", "结果（outcome）不超过 1000 个字"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests;
