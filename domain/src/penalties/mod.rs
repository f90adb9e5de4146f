//! 行政处罚 — administrative penalties against registered organizations (`DOMAIN.md` §7.4): a case with
//! its facts, evidence and the rule broken; the notice of intended penalty (事先告知) with the
//! organization's right to state its case (陈述申辩) or ask for a hearing (听证) within five days; then a
//! decision — 警告, 罚款, 没收违法所得, 限期停止活动, 撤销登记 — numbered 皖社罚〔YYYY〕N号.
//!
//! What a decision does to the credit lists is decided here ([`listing_reason`]); the store applies it
//! in the decision's transaction.

pub mod api;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::illegal::{CaseError, not_future, required_text};
use crate::label::labelled_enum;
use crate::money::Fen;
use crate::registry::organization::ListingReason;

/// 5 万元: a fine below it (or a warning) puts the organization on the abnormal list, from it the serious.
pub const LARGE_FINE: Fen = Fen::new(5_000_000);
/// 告知后五日内: the days after the notice within which a hearing may be asked for.
pub const HEARING_REQUEST_DAYS: u64 = 5;

labelled_enum! {
    /// 案件阶段 — where a penalty case stands.
    pub enum PenaltyStage ("处罚案件阶段") keys_only {
        /// 已立案.
        Filed => "filed", "已立案", "Filed";
        /// 已告知 — the notice of intended penalty is served; statements and hearings are recorded.
        Noticed => "noticed", "已告知", "Notice served";
        /// 已决定 — the decision is issued.
        Decided => "decided", "已作出处罚决定", "Decided";
        /// 不予处罚 — the case was dropped, with reasons.
        Dropped => "dropped", "不予处罚", "Dropped";
    }
}

labelled_enum! {
    /// 处罚种类 — the kinds of administrative penalty on social organizations.
    pub enum PenaltyKind ("处罚种类") keys_only {
        Warning => "warning", "警告", "Warning";
        Fine => "fine", "罚款", "Fine";
        Confiscation => "confiscation", "没收违法所得", "Confiscation of illegal gains";
        Suspension => "suspension", "限期停止活动", "Suspension of activities";
        Revocation => "revocation", "撤销登记", "Revocation of registration";
    }
}

/// A step staff take on a case (the wire form of `POST /penalties/{id}/steps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PenaltyStep {
    /// 事先告知 — the penalty intended and the organization's rights.
    Notify {
        on: NaiveDate,
        proposed: Vec<PenaltyKind>,
        content: String,
    },
    /// 陈述申辩 — the organization's statement, received on a day.
    Statement { on: NaiveDate, opinion: String },
    /// 申请听证 — asked for within five days of the notice.
    RequestHearing { on: NaiveDate },
    /// 举行听证 — held, with its record.
    HoldHearing { on: NaiveDate, record: String },
    /// 作出处罚决定.
    Decide(Decision),
    /// 不予处罚 / 撤销立案.
    Drop { on: NaiveDate, reason: String },
}

/// 处罚决定 — what is decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Decision {
    pub on: NaiveDate,
    pub kinds: Vec<PenaltyKind>,
    /// 罚款 in fen.
    #[serde(default)]
    pub fine_fen: Option<Fen>,
    /// 没收违法所得 in fen.
    #[serde(default)]
    pub confiscated_fen: Option<Fen>,
    /// 限期停止活动: the last day.
    #[serde(default)]
    pub suspend_until: Option<NaiveDate>,
    /// The decision's reasoning and content.
    pub content: String,
}

/// The case as a step is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenaltyState {
    pub stage: PenaltyStage,
    pub filed_on: NaiveDate,
    pub notified_on: Option<NaiveDate>,
    pub hearing_requested_on: Option<NaiveDate>,
    pub hearing_held_on: Option<NaiveDate>,
}

impl PenaltyStep {
    pub fn name(&self) -> &'static str {
        match self {
            PenaltyStep::Notify { .. } => "事先告知",
            PenaltyStep::Statement { .. } => "陈述申辩",
            PenaltyStep::RequestHearing { .. } => "申请听证",
            PenaltyStep::HoldHearing { .. } => "举行听证",
            PenaltyStep::Decide(_) => "作出处罚决定",
            PenaltyStep::Drop { .. } => "不予处罚",
        }
    }

    fn on(&self) -> NaiveDate {
        match self {
            PenaltyStep::Notify { on, .. }
            | PenaltyStep::Statement { on, .. }
            | PenaltyStep::RequestHearing { on }
            | PenaltyStep::HoldHearing { on, .. }
            | PenaltyStep::Drop { on, .. } => *on,
            PenaltyStep::Decide(decision) => decision.on,
        }
    }

    /// The stage after this step, or why it is refused.
    pub fn apply(&self, state: &PenaltyState, today: NaiveDate) -> Result<PenaltyStage, CaseError> {
        use PenaltyStage::*;
        not_future("on", "日期", self.on(), today)?;
        let since = state.notified_on.unwrap_or(state.filed_on);
        if self.on() < since {
            return Err(CaseError::invalid("on", format!("日期（on）不能早于 {since}")));
        }
        let (from, to): (&[PenaltyStage], PenaltyStage) = match self {
            PenaltyStep::Notify {
                proposed, content, ..
            } => {
                if proposed.is_empty() {
                    return Err(CaseError::invalid(
                        "proposed",
                        "请选择拟作出的处罚种类（proposed）",
                    ));
                }
                required_text("content", "告知内容", content, 5000)?;
                (&[Filed], Noticed)
            }
            PenaltyStep::Statement { opinion, .. } => {
                required_text("opinion", "陈述申辩意见", opinion, 5000)?;
                (&[Noticed], Noticed)
            }
            PenaltyStep::RequestHearing { on } => {
                check_hearing_request(*on, state)?;
                (&[Noticed], Noticed)
            }
            PenaltyStep::HoldHearing { on, record } => {
                match state.hearing_requested_on {
                    None => return Err(CaseError::NotNow("当事人未申请听证，不能记录听证".to_owned())),
                    Some(asked) if *on < asked => {
                        return Err(CaseError::invalid("on", "听证日期（on）不能早于申请日期"));
                    }
                    Some(_) => {}
                }
                required_text("record", "听证笔录摘要", record, 5000)?;
                (&[Noticed], Noticed)
            }
            PenaltyStep::Decide(decision) => {
                if state.hearing_requested_on.is_some() && state.hearing_held_on.is_none() {
                    return Err(CaseError::NotNow(
                        "当事人已申请听证，听证举行前不能作出处罚决定".to_owned(),
                    ));
                }
                decision.check()?;
                (&[Noticed], Decided)
            }
            PenaltyStep::Drop { reason, .. } => {
                required_text("reason", "不予处罚的理由", reason, 1000)?;
                (&[Filed, Noticed], Dropped)
            }
        };
        if from.contains(&state.stage) {
            Ok(to)
        } else {
            Err(CaseError::NotNow(format!(
                "案件阶段为「{}」时不能{}",
                state.stage.label_zh(),
                self.name()
            )))
        }
    }
}

fn check_hearing_request(on: NaiveDate, state: &PenaltyState) -> Result<(), CaseError> {
    if state.hearing_requested_on.is_some() {
        return Err(CaseError::NotNow("已记录听证申请".to_owned()));
    }
    let notified = state.notified_on.unwrap_or(state.filed_on);
    let last = notified
        .checked_add_days(Days::new(HEARING_REQUEST_DAYS))
        .unwrap_or(notified);
    if on > last {
        return Err(CaseError::invalid(
            "on",
            format!("听证应在告知后五日内（{last} 前）提出（on）"),
        ));
    }
    Ok(())
}

impl Decision {
    /// Checks that each kind has what it needs (an amount, a last day) and nothing is repeated.
    pub fn check(&self) -> Result<(), CaseError> {
        if self.kinds.is_empty() {
            return Err(CaseError::invalid("kinds", "请选择处罚种类（kinds）"));
        }
        let mut seen = self.kinds.clone();
        seen.sort();
        seen.dedup();
        if seen.len() != self.kinds.len() {
            return Err(CaseError::invalid("kinds", "处罚种类（kinds）不能重复"));
        }
        let has = |kind| self.kinds.contains(&kind);
        let positive = |amount: Option<Fen>| amount.is_some_and(|a| a.as_i64() > 0);
        if has(PenaltyKind::Fine) != positive(self.fine_fen) {
            return Err(CaseError::invalid(
                "fine_fen",
                "罚款时须填写大于零的罚款金额（fine_fen），不罚款时不填",
            ));
        }
        if has(PenaltyKind::Confiscation) != positive(self.confiscated_fen) {
            return Err(CaseError::invalid(
                "confiscated_fen",
                "没收违法所得时须填写大于零的金额（confiscated_fen），否则不填",
            ));
        }
        match (has(PenaltyKind::Suspension), self.suspend_until) {
            (true, Some(until)) if until > self.on => {}
            (false, None) => {}
            _ => {
                return Err(CaseError::invalid(
                    "suspend_until",
                    "限期停止活动须填写晚于决定日期的截止日期（suspend_until），否则不填",
                ));
            }
        }
        required_text("content", "处罚决定内容", &self.content, 5000)?;
        Ok(())
    }
}

/// The credit list a decision puts the organization on (社会组织信用信息管理办法), the most serious ground
/// first: revocation, suspension, a fine of 5万元 or more, and — for a warning or a smaller fine — the
/// serious list when it is the second such penalty in three years (`repeated`), else the abnormal list for
/// the penalty itself ([`ListingReason::MinorPenalty`], so the notice says what happened).
pub fn listing_reason(decision: &Decision, repeated: bool) -> Option<ListingReason> {
    let has = |kind| decision.kinds.contains(&kind);
    let fine = decision.fine_fen.unwrap_or_default();
    if has(PenaltyKind::Revocation) {
        Some(ListingReason::RegistrationRevoked)
    } else if has(PenaltyKind::Suspension) {
        Some(ListingReason::SuspensionPenalty)
    } else if has(PenaltyKind::Fine) && fine >= LARGE_FINE {
        Some(ListingReason::LargeFine)
    } else if is_minor(decision) {
        Some(if repeated {
            ListingReason::RepeatedPenalties
        } else {
            ListingReason::MinorPenalty
        })
    } else {
        None
    }
}

/// A warning or a fine below 5万元: the penalties that count towards 三年内两次以上.
pub fn is_minor(decision: &Decision) -> bool {
    let fine = decision.fine_fen.unwrap_or_default();
    decision.kinds.contains(&PenaltyKind::Warning)
        || (decision.kinds.contains(&PenaltyKind::Fine) && fine < LARGE_FINE)
}

/// 皖社罚〔2026〕3号.
pub fn document_number(year: i32, serial: i64) -> String {
    format!("皖社罚〔{year}〕{serial}号")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::organization::CreditList;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn decision(kinds: Vec<PenaltyKind>, fine: Option<i64>) -> Decision {
        Decision {
            on: d(2025, 6, 20),
            kinds,
            fine_fen: fine.map(Fen::new),
            confiscated_fen: None,
            suspend_until: None,
            content: "依据《社会团体登记管理条例》第三十条".into(),
        }
    }

    #[test]
    fn a_hearing_requested_must_be_held_before_the_decision() {
        let today = d(2025, 6, 30);
        let noticed = PenaltyState {
            stage: PenaltyStage::Noticed,
            filed_on: d(2025, 6, 1),
            notified_on: Some(d(2025, 6, 10)),
            hearing_requested_on: None,
            hearing_held_on: None,
        };
        let late = PenaltyStep::RequestHearing { on: d(2025, 6, 16) };
        assert_eq!(
            late.apply(&noticed, today)
                .unwrap_err()
                .to_field_error()
                .unwrap()
                .field,
            "on"
        );
        let asked = PenaltyState {
            hearing_requested_on: Some(d(2025, 6, 12)),
            ..noticed
        };
        let decide = PenaltyStep::Decide(decision(vec![PenaltyKind::Revocation], None));
        assert!(matches!(decide.apply(&asked, today), Err(CaseError::NotNow(_))));
        let held = PenaltyState {
            hearing_held_on: Some(d(2025, 6, 18)),
            ..asked
        };
        assert_eq!(decide.apply(&held, today), Ok(PenaltyStage::Decided));
    }

    #[test]
    fn decisions_map_to_the_credit_lists_and_need_their_amounts() {
        let warning = decision(vec![PenaltyKind::Warning], None);
        assert_eq!(listing_reason(&warning, false), Some(ListingReason::MinorPenalty));
        let small = decision(vec![PenaltyKind::Fine], Some(4_999_999));
        assert_eq!(listing_reason(&small, false), Some(ListingReason::MinorPenalty));
        assert_eq!(ListingReason::MinorPenalty.list(), CreditList::Abnormal);
        assert!(ListingReason::MinorPenalty.label_zh().contains("行政处罚"));
        assert!(ListingReason::MinorPenalty.label_en().contains("penalty"));
        assert_eq!(
            listing_reason(&warning, true),
            Some(ListingReason::RepeatedPenalties)
        );
        let large = decision(vec![PenaltyKind::Fine], Some(5_000_000));
        assert_eq!(listing_reason(&large, false), Some(ListingReason::LargeFine));
        let revoked = decision(vec![PenaltyKind::Revocation], None);
        assert_eq!(
            listing_reason(&revoked, false),
            Some(ListingReason::RegistrationRevoked)
        );
        let no_amount = decision(vec![PenaltyKind::Fine], None);
        assert_eq!(
            no_amount.check().unwrap_err().to_field_error().unwrap().field,
            "fine_fen"
        );
        assert_eq!(document_number(2026, 3), "皖社罚〔2026〕3号");
    }
}
