//! 党建 — party building in social organizations (`DOMAIN.md` §8): each organization's party organization
//! as dated records (so any past day's state can be computed), the approvals that create branches, the
//! coverage (覆盖率) and formation (组建率) rates, and the party-building instructors (党建指导员) sent in
//! numbered batches, their visits and their evaluation at the end of the term.
//!
//! The two rates are defined once, here ([`has_party_organization`], [`may_form_entity_branch`],
//! [`Cohort::contains`]); the server counts and lists organizations only through them.

pub mod api;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::illegal::{CaseError, not_future, required_text};
use crate::label::labelled_enum;

/// 3 名以上正式党员: the members an entity branch needs (《中国共产党支部工作条例》).
pub const ENTITY_BRANCH_MIN_MEMBERS: u32 = 3;
/// The most formal members a record may state (a bound on what a form sends).
pub const MAX_MEMBERS: u32 = 100_000;
/// The most organizations a joint branch may join.
pub const MAX_JOINT: usize = 20;
/// 走访: an instructor visits each assigned organization at least this often (days).
pub const VISIT_INTERVAL_DAYS: i64 = 30;
/// The longest term of a batch, in days (about three years).
pub const MAX_TERM_DAYS: i64 = 3 * 366;

labelled_enum! {
    /// 党组织形式 — the party organization an organization has.
    pub enum PartyOrgKind ("党组织形式") keys_only {
        /// 实体性党支部 — its own branch, 3+ formal members.
        Entity => "entity", "实体性党支部", "Entity party branch";
        /// 联合党支部 — one branch joining several organizations.
        Joint => "joint", "联合党支部", "Joint party branch";
        /// 功能型党支部 — a functional branch (members' relations kept elsewhere).
        Functional => "functional", "功能型党支部", "Functional party branch";
        /// 未建立党组织 — none yet; a liaison (党建联络员) keeps contact.
        NoBranch => "none", "未建立党组织", "No party organization";
    }
}

labelled_enum! {
    /// 党建信息状态 — whether a dated record counts yet.
    pub enum RecordStatus ("党建信息状态") keys_only {
        /// 待确认 — an organization's own update, awaiting staff.
        Pending => "pending", "待确认", "Awaiting confirmation";
        /// 已确认 — counts from its effective date.
        Confirmed => "confirmed", "已确认", "Confirmed";
        /// 已退回 — staff did not confirm it.
        Rejected => "rejected", "已退回", "Returned";
    }
}

labelled_enum! {
    /// 信息来源 — who wrote a record.
    pub enum RecordSource ("信息来源") keys_only {
        Staff => "staff", "工作人员登记", "Recorded by staff";
        Organization => "organization", "社会组织报送", "Reported by the organization";
        Approval => "approval", "党组织审批", "Approval";
    }
}

labelled_enum! {
    /// 审批状态 — an application to set up a party organization.
    pub enum ApprovalStatus ("审批状态") keys_only {
        Pending => "pending", "待审批", "Pending";
        Approved => "approved", "已批准", "Approved";
        Rejected => "rejected", "不予批准", "Not approved";
    }
}

labelled_enum! {
    /// 考核等次 — an instructor's rating at the end of the term.
    pub enum Rating ("考核等次") keys_only {
        Excellent => "excellent", "优秀", "Excellent";
        Qualified => "qualified", "合格", "Qualified";
        Unqualified => "unqualified", "不合格", "Unqualified";
    }
}

labelled_enum! {
    /// 统计口径 — the organizations behind a number of the coverage table (what a drill-down lists).
    pub enum Cohort ("统计口径") keys_only {
        /// 纳入统计的社会组织 — the coverage rate's denominator.
        InScope => "in_scope", "纳入统计的社会组织", "Organizations in scope";
        /// 已建立党组织 — the coverage rate's numerator.
        Covered => "covered", "已建立党组织", "With a party organization";
        /// 有 3 名以上正式党员 — the formation rate's denominator.
        Eligible => "eligible", "有3名以上正式党员", "With 3+ formal members";
        /// 已建实体性党支部 — the formation rate's numerator.
        Entity => "entity", "已建实体性党支部", "With an entity branch";
    }
}

labelled_enum! {
    /// 待办 — what an instructor should see to at an assigned organization.
    pub enum Due ("待办事项") keys_only {
        /// 30 天内未走访.
        Visit => "visit", "本月待走访", "Visit due";
        /// 尚未建立党组织: guide it towards one (or a liaison).
        Establish => "establish", "指导建立党组织", "Help set up a party organization";
        /// 有 3 名以上党员而无实体性党支部.
        Upgrade => "upgrade", "可建实体性党支部", "Could form an entity branch";
        /// 社会组织报送的变更待工作人员确认.
        Confirmation => "confirmation", "有待确认的变更", "Change awaiting confirmation";
    }
}

/// 覆盖率的分子: an organization "has a party organization" when it has a branch of any form — entity,
/// joint or functional. A liaison alone (党建联络员) is work coverage, not an organization.
pub fn has_party_organization(kind: PartyOrgKind) -> bool {
    kind != PartyOrgKind::NoBranch
}

/// 组建率的分母: an organization with 3+ formal party members could (and should) form an entity branch.
pub fn may_form_entity_branch(members: u32) -> bool {
    members >= ENTITY_BRANCH_MIN_MEMBERS
}

impl Cohort {
    /// Whether an organization in scope whose state on the day is `kind` with `members` formal members
    /// belongs to this cohort — the one definition of both rates' numerators and denominators.
    pub fn contains(self, kind: PartyOrgKind, members: u32) -> bool {
        match self {
            Cohort::InScope => true,
            Cohort::Covered => has_party_organization(kind),
            Cohort::Eligible => may_form_entity_branch(members),
            Cohort::Entity => kind == PartyOrgKind::Entity,
        }
    }
}

/// One organization's party information as of a day (a record's content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyInfo {
    pub kind: PartyOrgKind,
    /// 正式党员人数.
    pub members: u32,
    /// 批准日期 (a party organization only).
    #[serde(default)]
    pub approved_on: Option<NaiveDate>,
    /// 批准机关, e.g. 安徽省社会组织综合党委.
    #[serde(default)]
    pub approving_body: Option<String>,
    /// 党建联络员 (no party organization only).
    #[serde(default)]
    pub liaison: Option<String>,
    /// The organizations a joint branch joins besides this one.
    #[serde(default)]
    pub joint_with: Vec<i64>,
    /// 群团组织: 工会, 共青团, 妇联.
    #[serde(default)]
    pub trade_union: bool,
    #[serde(default)]
    pub youth_league: bool,
    #[serde(default)]
    pub womens_federation: bool,
}

impl PartyInfo {
    /// What an organization that never recorded anything counts as.
    pub fn nothing() -> Self {
        PartyInfo {
            kind: PartyOrgKind::NoBranch,
            members: 0,
            approved_on: None,
            approving_body: None,
            liaison: None,
            joint_with: Vec::new(),
            trade_union: false,
            youth_league: false,
            womens_federation: false,
        }
    }

    /// The information as it may be stored for organization `own_id`, or the first field that is wrong.
    /// Fields that do not belong to the kind are dropped (a form may keep them while the kind changes).
    pub fn checked(mut self, own_id: i64, today: NaiveDate) -> Result<Self, CaseError> {
        if self.members > MAX_MEMBERS {
            return Err(CaseError::invalid(
                "members",
                format!("正式党员人数（members）不能超过 {MAX_MEMBERS}"),
            ));
        }
        if self.kind == PartyOrgKind::NoBranch {
            self.liaison = Some(required_text(
                "liaison",
                "党建联络员",
                self.liaison.as_deref().unwrap_or(""),
                50,
            )?);
            self.approved_on = None;
            self.approving_body = None;
            self.joint_with.clear();
            return Ok(self);
        }
        self.liaison = None;
        if self.kind == PartyOrgKind::Entity && !may_form_entity_branch(self.members) {
            return Err(CaseError::invalid(
                "members",
                format!("实体性党支部须有 {ENTITY_BRANCH_MIN_MEMBERS} 名以上正式党员（members）"),
            ));
        }
        let approved_on = self
            .approved_on
            .ok_or_else(|| CaseError::invalid("approved_on", "请填写批准日期（approved_on）"))?;
        not_future("approved_on", "批准日期", approved_on, today)?;
        let body = self.approving_body.as_deref().unwrap_or("");
        self.approving_body = Some(required_text("approving_body", "批准机关", body, 100)?);
        self.joint_with = checked_joint(self.kind, &self.joint_with, own_id)?;
        Ok(self)
    }
}

/// The organizations a joint branch joins: at least one, at most [`MAX_JOINT`], none twice, not itself.
/// Other kinds join none.
pub fn checked_joint(kind: PartyOrgKind, ids: &[i64], own_id: i64) -> Result<Vec<i64>, CaseError> {
    if kind != PartyOrgKind::Joint {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = ids.iter().copied().filter(|id| *id != own_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > MAX_JOINT {
        return Err(CaseError::invalid(
            "joint_with",
            format!("联合党支部须选择 1 至 {MAX_JOINT} 个联建的社会组织（joint_with）"),
        ));
    }
    Ok(ids)
}

/// The checked application to set up a party organization of `kind` with `members` formal members.
pub fn check_application(
    kind: PartyOrgKind,
    members: u32,
    applied_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), CaseError> {
    if !has_party_organization(kind) {
        return Err(CaseError::invalid("kind", "请选择申请建立的党组织形式（kind）"));
    }
    if members > MAX_MEMBERS {
        return Err(CaseError::invalid(
            "members",
            format!("正式党员人数（members）不能超过 {MAX_MEMBERS}"),
        ));
    }
    if kind == PartyOrgKind::Entity && !may_form_entity_branch(members) {
        return Err(CaseError::invalid(
            "members",
            format!("实体性党支部须有 {ENTITY_BRANCH_MIN_MEMBERS} 名以上正式党员（members）"),
        ));
    }
    not_future("applied_on", "申请日期", applied_on, today)
}

/// A decision on an application filed on `applied_on`: dated between the application and today, and a
/// refusal says why. Only a pending application may be decided.
pub fn check_decision(
    status: ApprovalStatus,
    approve: bool,
    applied_on: NaiveDate,
    decided_on: NaiveDate,
    note: Option<&str>,
    today: NaiveDate,
) -> Result<ApprovalStatus, CaseError> {
    if status != ApprovalStatus::Pending {
        return Err(CaseError::NotNow(format!(
            "该申请已{}，不能再审批",
            status.label_zh()
        )));
    }
    not_future("decided_on", "审批日期", decided_on, today)?;
    if decided_on < applied_on {
        return Err(CaseError::invalid(
            "decided_on",
            format!("审批日期（decided_on）不能早于申请日期 {applied_on}"),
        ));
    }
    if approve {
        Ok(ApprovalStatus::Approved)
    } else {
        required_text("note", "不予批准的理由", note.unwrap_or(""), 500)?;
        Ok(ApprovalStatus::Rejected)
    }
}

/// 任期 — a batch's term, first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Term {
    /// A term that ends after it starts and lasts at most [`MAX_TERM_DAYS`].
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, CaseError> {
        if end <= start {
            return Err(CaseError::invalid(
                "term_end",
                "任期结束日期（term_end）须晚于开始日期",
            ));
        }
        if (end - start).num_days() > MAX_TERM_DAYS {
            return Err(CaseError::invalid("term_end", "任期（term_end）不能超过三年"));
        }
        Ok(Term { start, end })
    }

    /// Whether `day` falls within the term: assignments give scope, visits are logged.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// 批次编号: 第 1 批 to 第 999 批.
pub fn check_batch_number(number: i64) -> Result<i64, CaseError> {
    if !(1..=999).contains(&number) {
        return Err(CaseError::invalid("number", "批次（number）应为 1 至 999 的整数"));
    }
    Ok(number)
}

/// A visit on `on` during `term`: within it, not in the future, with what was done.
pub fn check_visit(term: Term, on: NaiveDate, note: &str, today: NaiveDate) -> Result<String, CaseError> {
    not_future("visited_on", "走访日期", on, today)?;
    if !term.contains(on) {
        return Err(CaseError::invalid(
            "visited_on",
            format!(
                "走访日期（visited_on）须在任期 {} 至 {} 之内",
                term.start, term.end
            ),
        ));
    }
    required_text("note", "走访指导内容", note, 1000)
}

/// An evaluation on `on` of an instructor of a batch with `term`: at the term's end, with reasons.
pub fn check_evaluation(
    term: Term,
    on: NaiveDate,
    reasons: &str,
    today: NaiveDate,
) -> Result<String, CaseError> {
    if today < term.end {
        return Err(CaseError::NotNow(format!(
            "任期至 {} 结束，结束后才能考核",
            term.end
        )));
    }
    not_future("evaluated_on", "考核日期", on, today)?;
    if on < term.end {
        return Err(CaseError::invalid(
            "evaluated_on",
            format!("考核日期（evaluated_on）不能早于任期结束日 {}", term.end),
        ));
    }
    required_text("reasons", "考核理由", reasons, 1000)
}

/// What an instructor should see to at an organization whose state today is `info`, last visited on
/// `last_visit`, with `pending` changes awaiting staff.
pub fn due(info: &PartyInfo, last_visit: Option<NaiveDate>, pending: bool, today: NaiveDate) -> Vec<Due> {
    let mut due = Vec::new();
    if last_visit.is_none_or(|on| (today - on).num_days() >= VISIT_INTERVAL_DAYS) {
        due.push(Due::Visit);
    }
    if !has_party_organization(info.kind) {
        due.push(Due::Establish);
    }
    if info.kind != PartyOrgKind::Entity && may_form_entity_branch(info.members) {
        due.push(Due::Upgrade);
    }
    if pending {
        due.push(Due::Confirmation);
    }
    due
}

/// A rate as a percentage with one decimal (`55.0`), or `None` when nothing is counted.
pub fn percent(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| (numerator as f64 * 1000.0 / denominator as f64).round() / 10.0)
}

impl api::CoverageRow {
    /// Counts one organization in scope whose state on the day is `kind` with `members` formal members,
    /// into every cohort that [`Cohort::contains`] it.
    pub fn count(&mut self, kind: PartyOrgKind, members: u32) {
        for cohort in Cohort::ALL {
            if cohort.contains(kind, members) {
                *self.cohort_mut(cohort) += 1;
            }
        }
    }

    fn cohort_mut(&mut self, cohort: Cohort) -> &mut u64 {
        match cohort {
            Cohort::InScope => &mut self.in_scope,
            Cohort::Covered => &mut self.covered,
            Cohort::Eligible => &mut self.eligible,
            Cohort::Entity => &mut self.entity,
        }
    }

    /// 覆盖率 in percent.
    pub fn coverage(&self) -> Option<f64> {
        percent(self.covered, self.in_scope)
    }

    /// 组建率 in percent.
    pub fn formation(&self) -> Option<f64> {
        percent(self.entity, self.eligible)
    }
}
