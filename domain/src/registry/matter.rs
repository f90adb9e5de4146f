//! 登记事项 — registration matters: the workflow from draft to decision, who takes each step, and the time
//! limit in working days that runs from acceptance.
//!
//! draft → submitted → accepted (受理) → under review → approved / rejected, with one loop: a submitted matter
//! can be returned for completion (补正) with the missing items listed, and the applicant submits it again.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::label::labelled_enum;
use crate::registry::organization::Classification;

labelled_enum! {
    /// 事项类型 — the kinds of registration matter.
    pub enum MatterKind ("事项类型") {
        /// 成立登记 — establishing an organization.
        Establishment => "establishment", "成立登记", "Establishment registration";
        /// 变更登记 — changing name, domicile, legal representative, scope, funds …
        Change => "change", "变更登记", "Change registration";
        /// 换届 — the board's re-election at the end of its term.
        ReElection => "re_election", "换届", "Board re-election";
        /// 注销登记 — ending the registration.
        Deregistration => "deregistration", "注销登记", "Deregistration";
        /// 备案 — filings: charter approval, officers, branches.
        Filing => "filing", "备案", "Filing";
        /// 营改非 — a for-profit off-campus tutoring company re-registering as a social service institution.
        ForProfitConversion => "for_profit_conversion", "营改非", "For-profit to non-profit conversion";
    }
}

labelled_enum! {
    /// 办理方 — who takes a step of the workflow.
    pub enum Party ("办理方") {
        /// 申请人 — the organization (or its founders) applying.
        Applicant => "applicant", "申请人", "Applicant";
        /// 登记机关工作人员 — staff of the registering authority.
        Staff => "staff", "登记机关工作人员", "Registration staff";
    }
}

labelled_enum! {
    /// 办理通道 — the channel a matter is handled in.
    pub enum Channel ("办理通道") {
        /// 普通通道 — the standard time limit.
        Standard => "standard", "普通通道", "Standard channel";
        /// 绿色通道 — for associations of the ten emerging industries: half the time limit, first in the queue.
        Green => "green", "绿色通道", "Green channel";
    }
}

impl Channel {
    /// The green channel for an industry association in one of the ten emerging industries; the standard
    /// channel for everyone else. (Only industry associations can name an emerging industry.)
    pub fn for_classification(classification: &Classification) -> Channel {
        match classification.emerging_industry() {
            Some(_) => Channel::Green,
            None => Channel::Standard,
        }
    }
}

labelled_enum! {
    /// 办理环节 — the steps of the workflow, without their details; each is taken by one party.
    pub enum ActionKind ("办理环节") {
        Submit => "submit", "提交", "Submit";
        Accept => "accept", "受理", "Accept";
        Return => "return", "退回补正", "Return for completion";
        StartReview => "start_review", "开始审查", "Start review";
        Approve => "approve", "准予登记", "Approve";
        Reject => "reject", "不予登记", "Reject";
    }
}

impl ActionKind {
    /// Who may take this step: the applicant submits, staff do everything else.
    pub fn party(self) -> Party {
        match self {
            ActionKind::Submit => Party::Applicant,
            ActionKind::Accept
            | ActionKind::Return
            | ActionKind::StartReview
            | ActionKind::Approve
            | ActionKind::Reject => Party::Staff,
        }
    }

    /// Whether the step decides the matter (准予登记 or 不予登记): the step the separation of duties guards.
    pub fn decides(self) -> bool {
        matches!(self, ActionKind::Approve | ActionKind::Reject)
    }
}

labelled_enum! {
    /// 经办环节 — the part an account has had in a matter that keeps it from deciding it.
    pub enum Hand ("经办环节") {
        /// 代为提交 — filed the matter (for the applicant, or as the applicant).
        Filed => "filed", "提交了本事项", "filed this matter";
        /// 审查 — reviewed the matter.
        Reviewed => "reviewed", "审查了本事项", "reviewed this matter";
    }
}

/// 经办人 — the accounts that have handled a matter so far. Separation of duties (三权分立): whoever filed
/// a matter or reviewed it may not decide it; the decision comes from another account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Handlers {
    pub filed_by: Option<i64>,
    pub reviewed_by: Option<i64>,
}

impl Handlers {
    /// Whether account `user` may take `step`: anyone of the step's party may, except that whoever filed or
    /// reviewed the matter may not decide it.
    pub fn check(&self, step: ActionKind, user: i64) -> Result<(), TransitionError> {
        if !step.decides() {
            return Ok(());
        }
        let hand = if self.reviewed_by == Some(user) {
            Hand::Reviewed
        } else if self.filed_by == Some(user) {
            Hand::Filed
        } else {
            return Ok(());
        };
        Err(TransitionError::SameHands { action: step, hand })
    }

    /// Of `steps`, those account `user` may take.
    pub fn allowed(&self, steps: &[ActionKind], user: i64) -> Vec<ActionKind> {
        steps
            .iter()
            .copied()
            .filter(|step| self.check(*step, user).is_ok())
            .collect()
    }
}

/// 办理操作 — a step with its details, as the client sends it: `{"action":"return","missing":["章程草案"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MatterAction {
    Submit,
    Accept,
    /// 退回补正 — with every missing item listed, so the applicant can complete them at once.
    Return {
        missing: Vec<String>,
    },
    StartReview,
    Approve,
    /// 不予登记 — with the reasons, which the written decision must state.
    Reject {
        reasons: Vec<String>,
    },
}

impl MatterAction {
    pub fn kind(&self) -> ActionKind {
        match self {
            MatterAction::Submit => ActionKind::Submit,
            MatterAction::Accept => ActionKind::Accept,
            MatterAction::Return { .. } => ActionKind::Return,
            MatterAction::StartReview => ActionKind::StartReview,
            MatterAction::Approve => ActionKind::Approve,
            MatterAction::Reject { .. } => ActionKind::Reject,
        }
    }
}

/// 办理状态 — where a matter is in the workflow: `{"state":"returned","missing":["章程草案"]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MatterState {
    /// 草稿 — being prepared by the applicant.
    #[default]
    Draft,
    /// 已提交 — waiting for staff to accept it or return it.
    Submitted,
    /// 待补正 — returned to the applicant with the items to complete.
    Returned { missing: Vec<String> },
    /// 已受理 — accepted; the time limit runs from the day of acceptance.
    Accepted,
    /// 审查中 — under review.
    UnderReview,
    /// 准予登记 — approved.
    Approved,
    /// 不予登记 — rejected, with reasons.
    Rejected { reasons: Vec<String> },
}

/// Why a step is not allowed. Messages are shown to the user as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("「{action}」由{allowed}办理，{party}不能办理")]
    WrongParty {
        action: ActionKind,
        party: Party,
        allowed: Party,
    },
    #[error("事项处于「{state}」状态，不能「{action}」")]
    NotAllowed { state: &'static str, action: ActionKind },
    #[error("退回补正须列明需要补正的材料")]
    NoMissingItems,
    #[error("不予登记须说明理由")]
    NoReasons,
    /// Separation of duties: the account filed or reviewed the matter it would decide.
    #[error("您{hand}，不能再「{action}」：依照审批分离（三权分立）的要求，决定须由另一名工作人员作出")]
    SameHands { action: ActionKind, hand: Hand },
}

labelled_enum! {
    /// 事项状态 — the states of [`MatterState`] without their details, for filters and labels.
    pub enum MatterStage ("事项状态") keys_only {
        Draft => "draft", "草稿", "Draft";
        Submitted => "submitted", "已提交", "Submitted";
        Returned => "returned", "待补正", "Returned for completion";
        Accepted => "accepted", "已受理", "Accepted";
        UnderReview => "under_review", "审查中", "Under review";
        Approved => "approved", "准予登记", "Approved";
        Rejected => "rejected", "不予登记", "Rejected";
    }
}

impl MatterState {
    /// The state without its details.
    pub fn stage(&self) -> MatterStage {
        match self {
            MatterState::Draft => MatterStage::Draft,
            MatterState::Submitted => MatterStage::Submitted,
            MatterState::Returned { .. } => MatterStage::Returned,
            MatterState::Accepted => MatterStage::Accepted,
            MatterState::UnderReview => MatterStage::UnderReview,
            MatterState::Approved => MatterStage::Approved,
            MatterState::Rejected { .. } => MatterStage::Rejected,
        }
    }

    /// The snake_case key of the state, as stored (the `state` tag of its JSON).
    pub fn key(&self) -> &'static str {
        self.stage().key()
    }

    pub fn label_zh(&self) -> &'static str {
        self.stage().label_zh()
    }

    pub fn label_en(&self) -> &'static str {
        self.stage().label_en()
    }

    /// Whether the matter is decided, so nothing more happens to it.
    pub fn is_decided(&self) -> bool {
        matches!(self, MatterState::Approved | MatterState::Rejected { .. })
    }

    /// Whether the time limit is running: from acceptance until the decision.
    pub fn is_timed(&self) -> bool {
        matches!(self, MatterState::Accepted | MatterState::UnderReview)
    }

    /// The steps that can be taken from this state; the UI offers those whose party is the user's.
    pub fn next_actions(&self) -> &'static [ActionKind] {
        match self {
            MatterState::Draft | MatterState::Returned { .. } => &[ActionKind::Submit],
            MatterState::Submitted => &[ActionKind::Accept, ActionKind::Return],
            MatterState::Accepted => &[ActionKind::StartReview],
            MatterState::UnderReview => &[ActionKind::Approve, ActionKind::Reject],
            MatterState::Approved | MatterState::Rejected { .. } => &[],
        }
    }

    /// The state after `action` taken by account `user` of party `by` on a matter handled so far by
    /// `handlers`: the party first, then the separation of duties, then [`apply`](Self::apply).
    pub fn take(
        self,
        action: MatterAction,
        by: Party,
        user: i64,
        handlers: &Handlers,
    ) -> Result<MatterState, TransitionError> {
        let kind = action.kind();
        if by == kind.party() {
            handlers.check(kind, user)?;
        }
        self.apply(action, by)
    }

    /// The state after `action` taken by `by`. The party is checked first, then whether the step fits the
    /// state, then the step's details (missing items, reasons: trimmed, blank ones dropped, at least one).
    pub fn apply(self, action: MatterAction, by: Party) -> Result<MatterState, TransitionError> {
        let kind = action.kind();
        let allowed = kind.party();
        if by != allowed {
            return Err(TransitionError::WrongParty {
                action: kind,
                party: by,
                allowed,
            });
        }
        match (self, action) {
            (MatterState::Draft | MatterState::Returned { .. }, MatterAction::Submit) => {
                Ok(MatterState::Submitted)
            }
            (MatterState::Submitted, MatterAction::Accept) => Ok(MatterState::Accepted),
            (MatterState::Submitted, MatterAction::Return { missing }) => {
                let missing = non_blank(missing).ok_or(TransitionError::NoMissingItems)?;
                Ok(MatterState::Returned { missing })
            }
            (MatterState::Accepted, MatterAction::StartReview) => Ok(MatterState::UnderReview),
            (MatterState::UnderReview, MatterAction::Approve) => Ok(MatterState::Approved),
            (MatterState::UnderReview, MatterAction::Reject { reasons }) => {
                let reasons = non_blank(reasons).ok_or(TransitionError::NoReasons)?;
                Ok(MatterState::Rejected { reasons })
            }
            (state, _) => Err(TransitionError::NotAllowed {
                state: state.label_zh(),
                action: kind,
            }),
        }
    }
}

/// The items trimmed, blank ones dropped; `None` when nothing is left.
fn non_blank(items: Vec<String>) -> Option<Vec<String>> {
    let items: Vec<String> = items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect();
    (!items.is_empty()).then_some(items)
}

/// 办理时限 — the time limit of each kind of matter in working days from acceptance, and when a matter
/// counts as near due. Every number is a policy default that the bureau can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeLimits {
    pub establishment: u32,
    pub change: u32,
    pub re_election: u32,
    pub deregistration: u32,
    pub filing: u32,
    /// 营改非 is an establishment registration of a social service institution in substance, so it gets the
    /// establishment limit by default.
    pub for_profit_conversion: u32,
    /// 临期 — a matter is near due when this many working days or fewer are left.
    pub near_due_working_days: u32,
}

impl Default for TimeLimits {
    fn default() -> Self {
        TimeLimits {
            establishment: 20,
            change: 10,
            re_election: 5,
            deregistration: 10,
            filing: 5,
            for_profit_conversion: 20,
            near_due_working_days: 3,
        }
    }
}

labelled_enum! {
    /// 时限状态 — how a timed matter stands against its due date.
    pub enum DeadlineStatus ("时限状态") {
        /// 正常 — more than the near-due margin left.
        OnTime => "on_time", "正常", "On time";
        /// 临期 — due within the near-due margin (the due date itself included).
        NearDue => "near_due", "临期", "Near due";
        /// 逾期 — past the due date.
        Overdue => "overdue", "逾期", "Overdue";
    }
}

impl TimeLimits {
    /// The limit for `kind` in working days; the green channel halves it, rounding up (5 → 3).
    pub fn working_days(&self, kind: MatterKind, channel: Channel) -> u32 {
        let limit = match kind {
            MatterKind::Establishment => self.establishment,
            MatterKind::Change => self.change,
            MatterKind::ReElection => self.re_election,
            MatterKind::Deregistration => self.deregistration,
            MatterKind::Filing => self.filing,
            MatterKind::ForProfitConversion => self.for_profit_conversion,
        };
        match channel {
            Channel::Standard => limit,
            Channel::Green => limit.div_ceil(2),
        }
    }

    /// The last day of the time limit: the limit's working days counted after the day of acceptance.
    pub fn due_date(
        &self,
        accepted_on: NaiveDate,
        kind: MatterKind,
        channel: Channel,
        calendar: &WorkCalendar,
    ) -> NaiveDate {
        calendar.add_working_days(accepted_on, self.working_days(kind, channel))
    }

    /// How a matter due on `due` stands on `today`: overdue after the due date, near due when at most
    /// [`near_due_working_days`](Self::near_due_working_days) working days are left.
    pub fn deadline_status(
        &self,
        today: NaiveDate,
        due: NaiveDate,
        calendar: &WorkCalendar,
    ) -> DeadlineStatus {
        if today > due {
            DeadlineStatus::Overdue
        } else if calendar.working_days_between(today, due) <= i64::from(self.near_due_working_days) {
            DeadlineStatus::NearDue
        } else {
            DeadlineStatus::OnTime
        }
    }
}

/// 待办队列项 — what the staff queue needs to know of a matter to place it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueEntry<Id> {
    pub id: Id,
    pub channel: Channel,
    /// The due date; none before acceptance.
    pub due: Option<NaiveDate>,
}

/// The order of the staff queue: the green channel first, then the earliest due date (matters without one,
/// not yet accepted, after those with one), then the id, so that the order is total and stable.
pub fn queue_order<Id: Ord>(a: &QueueEntry<Id>, b: &QueueEntry<Id>) -> Ordering {
    let channel_rank = |entry: &QueueEntry<Id>| match entry.channel {
        Channel::Green => 0,
        Channel::Standard => 1,
    };
    let due_rank = |entry: &QueueEntry<Id>| (entry.due.is_none(), entry.due);
    channel_rank(a)
        .cmp(&channel_rank(b))
        .then_with(|| due_rank(a).cmp(&due_rank(b)))
        .then_with(|| a.id.cmp(&b.id))
}

/// Sorts a queue by [`queue_order`].
pub fn sort_queue<Id: Ord>(entries: &mut [QueueEntry<Id>]) {
    entries.sort_by(queue_order);
}

#[cfg(test)]
mod tests;
