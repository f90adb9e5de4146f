//! 信访 — petitions (`DOMAIN.md` §7.2): intake by letter, visit, phone or online onto the petition list
//! (信访清单); an acceptance decision within 15 working days; handling within 60 from acceptance, extended
//! once by up to 30 with a reason; a written reply; the petitioner's satisfaction and closure (销号).
//! Closed loop: nothing is closed without a reply on record. The petitioner is personal data (§12).
//!
//! The limits are [`PetitionLimits`], policy values with the statutory defaults, counted on the
//! working-day calendar; where a petition stands against them is the registry's [`DeadlineStatus`].

pub mod api;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::illegal::{CaseError, not_future, required_text};
use crate::label::labelled_enum;
pub use crate::registry::matter::DeadlineStatus;

labelled_enum! {
    /// 信访渠道 — how a petition came in.
    pub enum PetitionChannel ("信访渠道") keys_only {
        Letter => "letter", "来信", "Letter";
        Visit => "visit", "来访", "Visit";
        Phone => "phone", "来电", "Phone";
        /// 网上信访 — the public form, without an account; the petitioner gets a receipt number.
        Online => "online", "网上信访", "Online";
    }
}

labelled_enum! {
    /// 办理状态 — where a petition stands.
    pub enum PetitionStage ("办理状态") keys_only {
        /// 待受理 — registered, waiting for the acceptance decision.
        Received => "received", "待受理", "Awaiting acceptance";
        /// 办理中 — accepted, being handled.
        Accepted => "accepted", "办理中", "Being handled";
        /// 不予受理 — declined, with the reason (written notice).
        Declined => "declined", "不予受理", "Not accepted";
        /// 已答复 — the written reply is on record; waiting for satisfaction and closure.
        Replied => "replied", "已答复", "Replied";
        /// 已销号 — closed.
        Closed => "closed", "已销号", "Closed";
    }
}

labelled_enum! {
    /// 满意度 — the petitioner's view of the reply.
    pub enum Satisfaction ("满意度") keys_only {
        Satisfied => "satisfied", "满意", "Satisfied";
        BasicallySatisfied => "basically_satisfied", "基本满意", "Basically satisfied";
        Dissatisfied => "dissatisfied", "不满意", "Dissatisfied";
    }
}

/// The time limits of petitions in working days (信访工作条例), policy values with the statutory defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionLimits {
    /// 受理: the acceptance decision, counted from the day received.
    pub acceptance: u32,
    /// 办结: handling, counted from the day accepted.
    pub handling: u32,
    /// 延期: the one extension's most days.
    pub max_extension: u32,
    /// 临期: working days left at which a petition is flagged near due.
    pub near_due: u32,
}

impl Default for PetitionLimits {
    fn default() -> Self {
        PetitionLimits {
            acceptance: 15,
            handling: 60,
            max_extension: 30,
            near_due: 3,
        }
    }
}

impl PetitionLimits {
    /// The last day of the acceptance decision for a petition received on `received_on`.
    pub fn acceptance_due(&self, received_on: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        calendar.add_working_days(received_on, self.acceptance)
    }

    /// The last day of handling for a petition accepted on `accepted_on`, with its extension.
    pub fn handling_due(&self, accepted_on: NaiveDate, extension: u32, calendar: &WorkCalendar) -> NaiveDate {
        calendar.add_working_days(accepted_on, self.handling + extension)
    }

    /// How a petition due on `due` stands on `today` (the same rule as registration matters').
    pub fn status(&self, today: NaiveDate, due: NaiveDate, calendar: &WorkCalendar) -> DeadlineStatus {
        if today > due {
            DeadlineStatus::Overdue
        } else if calendar.working_days_between(today, due) <= i64::from(self.near_due) {
            DeadlineStatus::NearDue
        } else {
            DeadlineStatus::OnTime
        }
    }
}

/// A step staff take on a petition (the wire form of `POST /petitions/{id}/steps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PetitionStep {
    /// 受理.
    Accept { on: NaiveDate },
    /// 不予受理 — with the reason given to the petitioner in writing.
    Decline { on: NaiveDate, reason: String },
    /// 延期 — once, up to the policy's days, with a reason.
    Extend { days: u32, reason: String },
    /// 书面答复 — the written reply.
    Reply { on: NaiveDate, reply: String },
    /// 销号 — closes a replied petition, recording the petitioner's satisfaction.
    Close {
        on: NaiveDate,
        satisfaction: Satisfaction,
        #[serde(default)]
        note: String,
    },
}

/// What the step is checked against: the petition as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PetitionState {
    pub stage: PetitionStage,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub replied_on: Option<NaiveDate>,
    pub extension_days: u32,
}

impl PetitionStep {
    pub fn name(&self) -> &'static str {
        match self {
            PetitionStep::Accept { .. } => "受理",
            PetitionStep::Decline { .. } => "不予受理",
            PetitionStep::Extend { .. } => "延期",
            PetitionStep::Reply { .. } => "答复",
            PetitionStep::Close { .. } => "销号",
        }
    }

    /// The stage after this step, or why it is refused. A petition is closed only once replied to in
    /// writing; it is extended once.
    pub fn apply(
        &self,
        state: &PetitionState,
        limits: &PetitionLimits,
        today: NaiveDate,
    ) -> Result<PetitionStage, CaseError> {
        use PetitionStage::*;
        let (from, to): (&[PetitionStage], PetitionStage) = match self {
            PetitionStep::Accept { on } => {
                dated(*on, state.received_on, "收到日期", today)?;
                (&[Received], Accepted)
            }
            PetitionStep::Decline { on, reason } => {
                dated(*on, state.received_on, "收到日期", today)?;
                required_text("reason", "不予受理的理由", reason, 1000)?;
                (&[Received], Declined)
            }
            PetitionStep::Extend { days, reason } => {
                check_extension(*days, reason, state, limits)?;
                (&[Accepted], Accepted)
            }
            PetitionStep::Reply { on, reply } => {
                dated(
                    *on,
                    state.accepted_on.unwrap_or(state.received_on),
                    "受理日期",
                    today,
                )?;
                required_text("reply", "书面答复", reply, 5000)?;
                (&[Accepted], Replied)
            }
            PetitionStep::Close { on, note, .. } => {
                if state.stage != Replied {
                    return Err(CaseError::NotNow(
                        "尚未书面答复信访人的信访事项不能销号，请先录入书面答复".to_owned(),
                    ));
                }
                dated(
                    *on,
                    state.replied_on.unwrap_or(state.received_on),
                    "答复日期",
                    today,
                )?;
                if note.chars().count() > 1000 {
                    return Err(CaseError::invalid("note", "备注（note）不超过 1000 个字"));
                }
                (&[Replied], Closed)
            }
        };
        if from.contains(&state.stage) {
            Ok(to)
        } else {
            Err(CaseError::NotNow(format!(
                "办理状态为「{}」的信访事项不能{}",
                state.stage.label_zh(),
                self.name()
            )))
        }
    }
}

/// A step's date: not before `earliest` (what it follows), not after today.
fn dated(on: NaiveDate, earliest: NaiveDate, what: &str, today: NaiveDate) -> Result<(), CaseError> {
    not_future("on", "日期", on, today)?;
    if on < earliest {
        return Err(CaseError::invalid(
            "on",
            format!("日期（on）不能早于{what} {earliest}"),
        ));
    }
    Ok(())
}

fn check_extension(
    days: u32,
    reason: &str,
    state: &PetitionState,
    limits: &PetitionLimits,
) -> Result<(), CaseError> {
    if state.extension_days > 0 {
        return Err(CaseError::NotNow("该信访事项已延期一次，不能再次延期".to_owned()));
    }
    if days == 0 || days > limits.max_extension {
        return Err(CaseError::invalid(
            "days",
            format!("延期天数（days）应为 1 至 {} 个工作日", limits.max_extension),
        ));
    }
    required_text("reason", "延期理由", reason, 1000)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn state(stage: PetitionStage) -> PetitionState {
        PetitionState {
            stage,
            received_on: d(2025, 9, 1),
            accepted_on: Some(d(2025, 9, 2)),
            replied_on: None,
            extension_days: 0,
        }
    }

    #[test]
    fn acceptance_is_counted_in_working_days_across_the_national_day_holiday() {
        let calendar = WorkCalendar::mainland_china();
        let limits = PetitionLimits::default();
        // Received on Friday 2025-09-26: 15 working days run past the 1–8 October holiday and count the
        // make-up working days (28 September, 11 October).
        let due = limits.acceptance_due(d(2025, 9, 26), &calendar);
        assert_eq!(calendar.working_days_between(d(2025, 9, 26), due), 15);
        assert!(due > d(2025, 10, 17), "the holiday adds days: {due}");
        assert_eq!(
            limits.status(d(2025, 9, 29), due, &calendar),
            DeadlineStatus::OnTime
        );
        assert_eq!(limits.status(due, due, &calendar), DeadlineStatus::NearDue);
        assert_eq!(
            limits.status(due.succ_opt().unwrap(), due, &calendar),
            DeadlineStatus::Overdue
        );
    }

    #[test]
    fn a_petition_is_extended_once_and_closed_only_after_a_written_reply() {
        let limits = PetitionLimits::default();
        let today = d(2025, 10, 20);
        let extend = PetitionStep::Extend {
            days: 30,
            reason: "需会同市场监管部门核查".into(),
        };
        assert_eq!(
            extend.apply(&state(PetitionStage::Accepted), &limits, today),
            Ok(PetitionStage::Accepted)
        );
        let twice = PetitionState {
            extension_days: 30,
            ..state(PetitionStage::Accepted)
        };
        assert!(matches!(
            extend.apply(&twice, &limits, today),
            Err(CaseError::NotNow(_))
        ));
        let too_long = PetitionStep::Extend {
            days: 31,
            reason: "x".into(),
        };
        assert_eq!(
            too_long
                .apply(&state(PetitionStage::Accepted), &limits, today)
                .unwrap_err()
                .to_field_error()
                .unwrap()
                .field,
            "days"
        );
        let close = PetitionStep::Close {
            on: today,
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        };
        let refused = close
            .apply(&state(PetitionStage::Accepted), &limits, today)
            .unwrap_err();
        assert!(refused.to_string().contains("书面答复"));
        assert_eq!(
            close.apply(&state(PetitionStage::Replied), &limits, today),
            Ok(PetitionStage::Closed)
        );
    }
}
