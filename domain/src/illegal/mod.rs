//! 非法社会组织 — bodies acting as social organizations without registration, or still acting after their
//! registration was revoked (`DOMAIN.md` §7.1). A clue (a report by the public, a petition, an inspection,
//! another agency) becomes a case staff investigate with other agencies, step by dated step; the bureau
//! publishes cases in numbered batches (涉嫌非法社会组织名单 第N批) that anyone may search; a case ends
//! banned (取缔), dissuaded and dissolved (劝散), registered lawfully, or closed with reasons.
//!
//! The checks shared by the three enforcement modules (`illegal`, `petitions`, `penalties`) live here:
//! [`CaseError`] and [`required_text`].

pub mod api;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::label::labelled_enum;

labelled_enum! {
    /// 线索来源 — where a clue came from.
    pub enum ClueSource ("线索来源") keys_only {
        /// 群众举报 — the public form, without signing in.
        PublicReport => "public_report", "群众举报", "Report by the public";
        /// 信访 — raised from a petition.
        Petition => "petition", "信访", "Petition";
        /// 检查发现 — found by the bureau's own inspection.
        Inspection => "inspection", "检查发现", "Inspection";
        /// 部门移送 — referred by another agency.
        Agency => "agency", "部门移送", "Referred by another agency";
    }
}

labelled_enum! {
    /// 协同部门 — an agency that takes part in an investigation.
    pub enum Agency ("协同部门") keys_only {
        CivilAffairs => "civil_affairs", "民政", "Civil affairs";
        MarketRegulation => "market_regulation", "市场监管", "Market regulation";
        PublicSecurity => "public_security", "公安", "Public security";
        Cyberspace => "cyberspace", "网信", "Cyberspace administration";
        Finance => "finance", "金融监管", "Financial regulation";
        Other => "other", "其他部门", "Other agency";
    }
}

labelled_enum! {
    /// 案件阶段 — where an illegal-organization case stands.
    pub enum IllegalStage ("案件阶段") keys_only {
        /// 线索 — recorded, not yet under investigation.
        Clue => "clue", "线索", "Clue";
        /// 调查中.
        Investigating => "investigating", "调查中", "Under investigation";
        /// 已公布 — on a published batch of suspected illegal organizations.
        Published => "published", "已公布", "Published";
        /// 已取缔.
        Banned => "banned", "已取缔", "Banned";
        /// 已劝散 — dissuaded and dissolved.
        Dissuaded => "dissuaded", "已劝散", "Dissuaded and dissolved";
        /// 已依法登记 — registered lawfully through an establishment matter.
        Registered => "registered", "已依法登记", "Registered lawfully";
        /// 已结案 — closed with reasons (not an illegal organization, or no longer active).
        Closed => "closed", "已结案", "Closed";
    }
}

impl IllegalStage {
    /// Whether the case has an outcome.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            IllegalStage::Banned | IllegalStage::Dissuaded | IllegalStage::Registered | IllegalStage::Closed
        )
    }
}

/// Why an enforcement step is refused: not now (409), or a field is wrong (422). Shared by the three
/// enforcement modules so that their routes map refusals the same way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("{0}")]
    NotNow(String),
    #[error("{message}")]
    Invalid { field: &'static str, message: String },
}

impl CaseError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        CaseError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The field error, when a field is wrong.
    pub fn to_field_error(&self) -> Option<FieldError> {
        match self {
            CaseError::Invalid { field, message } => Some(FieldError {
                field: (*field).to_owned(),
                message: message.clone(),
            }),
            CaseError::NotNow(_) => None,
        }
    }
}

/// The trimmed text of a required field of at most `max` characters, or an error naming the field.
pub fn required_text(field: &'static str, what: &str, text: &str, max: usize) -> Result<String, CaseError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        return Err(CaseError::invalid(
            field,
            format!("请填写{what}（{field}，不超过 {max} 个字）"),
        ));
    }
    Ok(text.to_owned())
}

/// A date that must not be after `today` (things recorded have happened).
pub fn not_future(field: &'static str, what: &str, on: NaiveDate, today: NaiveDate) -> Result<(), CaseError> {
    if on > today {
        return Err(CaseError::invalid(
            field,
            format!("{what}（{field}）不能晚于今天"),
        ));
    }
    Ok(())
}

/// A step staff take on a case (the wire form of `POST /illegal/cases/{id}/steps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum IllegalStep {
    /// 立案调查 — the clue becomes a case.
    Investigate { on: NaiveDate, note: String },
    /// 调查步骤 — what was done on a day, and with which agencies (走访、约谈、联合检查 …).
    Record {
        on: NaiveDate,
        agencies: Vec<Agency>,
        description: String,
    },
    /// 取缔 — with the decision's number.
    Ban { on: NaiveDate, decision_number: String },
    /// 劝散 — the body dissolved after being dissuaded.
    Dissuade { on: NaiveDate, note: String },
    /// 依法登记 — registered through an approved establishment matter.
    RegisterLawfully { on: NaiveDate, matter_id: i64 },
    /// 结案 — closed, with the reasons.
    Close { on: NaiveDate, reason: String },
}

impl IllegalStep {
    /// What the step is called, in Chinese (for messages and the step list).
    pub fn name(&self) -> &'static str {
        match self {
            IllegalStep::Investigate { .. } => "立案调查",
            IllegalStep::Record { .. } => "调查",
            IllegalStep::Ban { .. } => "取缔",
            IllegalStep::Dissuade { .. } => "劝散",
            IllegalStep::RegisterLawfully { .. } => "依法登记",
            IllegalStep::Close { .. } => "结案",
        }
    }

    /// The day the step happened.
    pub fn on(&self) -> NaiveDate {
        match self {
            IllegalStep::Investigate { on, .. }
            | IllegalStep::Record { on, .. }
            | IllegalStep::Ban { on, .. }
            | IllegalStep::Dissuade { on, .. }
            | IllegalStep::RegisterLawfully { on, .. }
            | IllegalStep::Close { on, .. } => *on,
        }
    }

    /// The stage after this step from `stage`, checking what the step states against `today`.
    pub fn apply(&self, stage: IllegalStage, today: NaiveDate) -> Result<IllegalStage, CaseError> {
        use IllegalStage::*;
        not_future("on", "日期", self.on(), today)?;
        let open: &[IllegalStage] = &[Investigating, Published];
        let (from, to): (&[IllegalStage], IllegalStage) = match self {
            IllegalStep::Investigate { note, .. } => {
                required_text("note", "立案说明", note, 1000)?;
                (&[Clue], Investigating)
            }
            IllegalStep::Record {
                agencies,
                description,
                ..
            } => {
                required_text("description", "调查情况", description, 2000)?;
                if agencies.is_empty() {
                    return Err(CaseError::invalid("agencies", "请选择参与调查的部门（agencies）"));
                }
                (open, stage)
            }
            IllegalStep::Ban { decision_number, .. } => {
                required_text("decision_number", "取缔决定书文号", decision_number, 100)?;
                (open, Banned)
            }
            IllegalStep::Dissuade { note, .. } => {
                required_text("note", "劝散情况", note, 1000)?;
                (open, Dissuaded)
            }
            IllegalStep::RegisterLawfully { .. } => (open, Registered),
            IllegalStep::Close { reason, .. } => {
                required_text("reason", "结案理由", reason, 1000)?;
                (&[Clue, Investigating, Published], Closed)
            }
        };
        if from.contains(&stage) {
            Ok(to)
        } else {
            Err(CaseError::NotNow(format!(
                "案件阶段为「{}」时不能{}",
                stage.label_zh(),
                self.name()
            )))
        }
    }
}

/// 涉嫌非法社会组织名单（第N批）— the title of a published batch.
pub fn batch_title(number: i64) -> String {
    format!("涉嫌非法社会组织名单（第{number}批）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    #[test]
    fn a_clue_is_investigated_with_agencies_published_and_banned() {
        let today = d(2025, 6, 10);
        let investigate = IllegalStep::Investigate {
            on: today,
            note: "群众举报属实".into(),
        };
        let stage = investigate.apply(IllegalStage::Clue, today).unwrap();
        let record = IllegalStep::Record {
            on: today,
            agencies: vec![Agency::MarketRegulation],
            description: "联合检查办公场所".into(),
        };
        assert_eq!(record.apply(stage, today), Ok(IllegalStage::Investigating));
        let ban = IllegalStep::Ban {
            on: today,
            decision_number: "皖民取〔2025〕1号".into(),
        };
        assert_eq!(
            ban.apply(IllegalStage::Published, today),
            Ok(IllegalStage::Banned)
        );
        assert!(IllegalStage::Banned.is_closed());
    }

    #[test]
    fn steps_out_of_order_in_the_future_or_without_agencies_are_refused() {
        let today = d(2025, 6, 10);
        let ban = IllegalStep::Ban {
            on: today,
            decision_number: "x".into(),
        };
        assert!(matches!(
            ban.apply(IllegalStage::Clue, today),
            Err(CaseError::NotNow(_))
        ));
        let later = IllegalStep::Close {
            on: d(2025, 6, 11),
            reason: "不属实".into(),
        };
        assert_eq!(
            later
                .apply(IllegalStage::Clue, today)
                .unwrap_err()
                .to_field_error()
                .unwrap()
                .field,
            "on"
        );
        let alone = IllegalStep::Record {
            on: today,
            agencies: Vec::new(),
            description: "走访".into(),
        };
        assert_eq!(
            alone
                .apply(IllegalStage::Investigating, today)
                .unwrap_err()
                .to_field_error()
                .unwrap()
                .field,
            "agencies"
        );
        assert_eq!(batch_title(3), "涉嫌非法社会组织名单（第3批）");
    }
}
