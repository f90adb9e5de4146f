//! 僵尸型社会组织 — dormant ("zombie") organizations (`DOMAIN.md` §6): the signals computed from records,
//! each with its evidence, and the pipeline a case goes through once staff confirm it — never
//! automatically: candidate → confirmed → interview (约谈) → rectification with a deadline (限期整改) →
//! outcome: kept under observation (保留观察), deregistered (注销) or revoked (撤销) with a public notice.

pub mod api;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::label::labelled_enum;

/// Days without activity after which an organization counts as inactive (一年).
pub const INACTIVE_DAYS: i64 = 365;

labelled_enum! {
    /// 僵尸型信号 — what the records say about an organization that may be dormant.
    pub enum DormantSignal ("疑似僵尸信号") keys_only {
        /// 连续两年未参加年检.
        MissedTwoInspections => "missed_two_inspections", "连续两年未参加年检", "Missed two annual inspections in a row";
        /// 成立登记后一年内未开展活动.
        InactiveAfterRegistration => "inactive_after_registration", "成立后一年内未开展活动",
            "No activity within a year of registration";
        /// 一年内未按章程开展活动: no report, matter or contribution for a year.
        InactiveForAYear => "inactive_for_a_year", "连续一年未按章程开展活动", "No activity under the charter for a year";
        /// 通过登记的住所无法取得联系: registered letters returned.
        Unreachable => "unreachable", "通过登记的住所无法取得联系", "Unreachable at the registered domicile";
    }
}

labelled_enum! {
    /// 处置阶段 — where a dormant case stands.
    pub enum CaseStage ("处置阶段") keys_only {
        /// 疑似 — proposed by the nightly scan, waiting for staff.
        Candidate => "candidate", "疑似", "Candidate";
        /// 已认定 — confirmed by staff.
        Confirmed => "confirmed", "已认定", "Confirmed";
        /// 已约谈.
        Interviewed => "interviewed", "已约谈", "Interviewed";
        /// 整改中 — ordered to rectify by a deadline.
        Rectifying => "rectifying", "限期整改中", "Rectifying";
        /// 保留观察 — rectified, kept under observation.
        Observation => "observation", "整改后保留观察", "Rectified, under observation";
        /// 已注销 — deregistered through a deregistration matter.
        Deregistered => "deregistered", "已注销", "Deregistered";
        /// 已撤销 — registration revoked by a penalty decision, with a public notice.
        Revoked => "revoked", "已撤销", "Revoked";
        /// 排除 — staff found it is not dormant.
        Dismissed => "dismissed", "排除", "Dismissed";
    }
}

impl CaseStage {
    /// Whether the case has reached an outcome (处置完毕), counting as remediated.
    pub fn is_remediated(self) -> bool {
        matches!(
            self,
            CaseStage::Observation | CaseStage::Deregistered | CaseStage::Revoked
        )
    }

    /// Whether the case is closed: an outcome, or dismissed.
    pub fn is_closed(self) -> bool {
        self.is_remediated() || self == CaseStage::Dismissed
    }

    /// Whether staff confirmed it (it is counted as identified).
    pub fn is_identified(self) -> bool {
        !matches!(self, CaseStage::Candidate | CaseStage::Dismissed)
    }
}

/// One signal with the records that show it, in a sentence each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignalEvidence {
    pub signal: DormantSignal,
    /// e.g. 2023、2024 年度未参检（年度报告 #12、#40）.
    pub evidence: String,
}

/// A step staff take on a case (the wire form of `POST /dormant/cases/{id}/steps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum CaseStep {
    /// 认定 — the candidate is dormant.
    Confirm {
        #[serde(default)]
        note: String,
    },
    /// 排除 — it is not.
    Dismiss { reason: String },
    /// 约谈 — who was interviewed, when, and what came of it.
    Interview {
        interviewee: String,
        on: NaiveDate,
        outcome: String,
    },
    /// 限期整改 — rectify by `deadline`.
    OrderRectification {
        deadline: NaiveDate,
        requirements: String,
    },
    /// 整改完成，保留观察.
    KeepUnderObservation { note: String },
    /// 注销 — through a deregistration matter that was approved.
    Deregister { matter_id: i64 },
    /// 撤销 — a penalty decision (its number and date), published as a public notice (公示).
    Revoke {
        decision_number: String,
        decided_on: NaiveDate,
    },
}

/// Why a step is not allowed now, or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("处置阶段为「{stage}」的案件不能{step}")]
    NotNow { stage: CaseStage, step: &'static str },
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
}

impl StepError {
    /// The field the error is about, when a field is wrong.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            StepError::Invalid { field, .. } => Some(field),
            StepError::NotNow { .. } => None,
        }
    }

    pub fn to_field_error(&self) -> Option<FieldError> {
        self.field().map(|field| FieldError {
            field: field.to_owned(),
            message: self.to_string(),
        })
    }
}

fn required(field: &'static str, what: &str, text: &str) -> Result<(), StepError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 1000 {
        return Err(StepError::Invalid {
            field,
            message: format!("请填写{what}（{field}，不超过 1000 个字）"),
        });
    }
    Ok(())
}

impl CaseStep {
    /// What the step is called, in Chinese (for messages and the timeline).
    pub fn name(&self) -> &'static str {
        match self {
            CaseStep::Confirm { .. } => "认定",
            CaseStep::Dismiss { .. } => "排除",
            CaseStep::Interview { .. } => "约谈",
            CaseStep::OrderRectification { .. } => "责令限期整改",
            CaseStep::KeepUnderObservation { .. } => "保留观察",
            CaseStep::Deregister { .. } => "注销",
            CaseStep::Revoke { .. } => "撤销登记",
        }
    }

    /// The stage after this step from `stage`, checking what the step states against `today`.
    pub fn apply(&self, stage: CaseStage, today: NaiveDate) -> Result<CaseStage, StepError> {
        let (from, to): (&[CaseStage], CaseStage) = match self {
            CaseStep::Confirm { .. } => (&[CaseStage::Candidate], CaseStage::Confirmed),
            CaseStep::Dismiss { reason } => {
                required("reason", "排除理由", reason)?;
                (
                    &[CaseStage::Candidate, CaseStage::Confirmed],
                    CaseStage::Dismissed,
                )
            }
            CaseStep::Interview {
                interviewee,
                on,
                outcome,
            } => {
                required("interviewee", "约谈对象", interviewee)?;
                required("outcome", "约谈结果", outcome)?;
                if *on > today {
                    return Err(StepError::Invalid {
                        field: "on",
                        message: "约谈日期（on）不能晚于今天".to_owned(),
                    });
                }
                (&[CaseStage::Confirmed], CaseStage::Interviewed)
            }
            CaseStep::OrderRectification {
                deadline,
                requirements,
            } => {
                required("requirements", "整改要求", requirements)?;
                if *deadline <= today {
                    return Err(StepError::Invalid {
                        field: "deadline",
                        message: "整改期限（deadline）应晚于今天".to_owned(),
                    });
                }
                (&[CaseStage::Interviewed], CaseStage::Rectifying)
            }
            CaseStep::KeepUnderObservation { note } => {
                required("note", "整改情况", note)?;
                (&[CaseStage::Rectifying], CaseStage::Observation)
            }
            CaseStep::Deregister { .. } => (&[CaseStage::Rectifying], CaseStage::Deregistered),
            CaseStep::Revoke {
                decision_number,
                decided_on,
            } => {
                required("decision_number", "处罚决定书文号", decision_number)?;
                if *decided_on > today {
                    return Err(StepError::Invalid {
                        field: "decided_on",
                        message: "处罚决定日期（decided_on）不能晚于今天".to_owned(),
                    });
                }
                (&[CaseStage::Rectifying], CaseStage::Revoked)
            }
        };
        if from.contains(&stage) {
            Ok(to)
        } else {
            Err(StepError::NotNow {
                stage,
                step: self.name(),
            })
        }
    }
}

/// 撤销登记公示 — the public notice of a revocation after dormancy remediation.
pub fn revocation_notice(
    organization: &str,
    credit_code: &str,
    decision_number: &str,
    decided_on: NaiveDate,
) -> String {
    format!(
        "{organization}（统一社会信用代码：{credit_code}）长期未按章程开展活动，经约谈、责令限期整改仍未改正。\
         登记管理机关依法作出撤销登记的行政处罚决定（{decision_number}，{decided_on}），现予公示。"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn a_case_goes_from_candidate_through_interview_and_rectification_to_an_outcome() {
        let today = d(2025, 6, 10);
        let confirmed = CaseStep::Confirm { note: String::new() }
            .apply(CaseStage::Candidate, today)
            .unwrap();
        let interview = CaseStep::Interview {
            interviewee: "秘书长 张三".into(),
            on: today,
            outcome: "承诺整改".into(),
        };
        let interviewed = interview.apply(confirmed, today).unwrap();
        let order = CaseStep::OrderRectification {
            deadline: d(2025, 7, 10),
            requirements: "恢复活动".into(),
        };
        let rectifying = order.apply(interviewed, today).unwrap();
        assert_eq!(
            CaseStep::Deregister { matter_id: 1 }.apply(rectifying, today),
            Ok(CaseStage::Deregistered)
        );
        assert!(CaseStage::Deregistered.is_remediated() && CaseStage::Deregistered.is_identified());
    }

    #[test]
    fn steps_out_of_order_and_deadlines_in_the_past_are_refused() {
        let today = d(2025, 6, 10);
        let skip = CaseStep::Deregister { matter_id: 1 }.apply(CaseStage::Candidate, today);
        assert!(matches!(skip, Err(StepError::NotNow { .. })));
        let past = CaseStep::OrderRectification {
            deadline: d(2025, 6, 1),
            requirements: "整改".into(),
        };
        assert_eq!(
            past.apply(CaseStage::Interviewed, today).unwrap_err().field(),
            Some("deadline")
        );
        let nobody = CaseStep::Interview {
            interviewee: " ".into(),
            on: today,
            outcome: "x".into(),
        };
        assert_eq!(
            nobody.apply(CaseStage::Confirmed, today).unwrap_err().field(),
            Some("interviewee")
        );
    }
}
