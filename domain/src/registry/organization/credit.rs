//! 信用名单 — the two credit lists of the 社会组织信用信息管理办法 (2018) and the rules for going on and off them.
//!
//! An organization is on at most one list at a time. A new event while listed restarts the period
//! (列入时限重新计算); two years on the abnormal-activity list move it to the serious list; it leaves the
//! abnormal list on application once it has rectified, decided within five working days.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::TransitionError;
use crate::calendar::WorkCalendar;
use crate::label::labelled_enum;

/// 满2年: months on the abnormal-activity list, counted from the latest event, before the serious list.
pub const ABNORMAL_MONTHS_BEFORE_SERIOUS: u32 = 24;
/// 严进严出: months on the serious list, counted from the latest event, before removal may be applied for.
pub const SERIOUS_MONTHS_BEFORE_REMOVAL: u32 = 24;
/// 5个工作日: the time the bureau has to decide an application for removal.
pub const REMOVAL_DECISION_WORKING_DAYS: u32 = 5;

labelled_enum! {
    /// 信用名单 — the credit lists an organization can be put on.
    pub enum CreditList ("信用名单") {
        /// 活动异常名录 — the abnormal-activity list.
        Abnormal => "abnormal", "活动异常名录", "Abnormal-activity list";
        /// 严重违法失信名单 — the list of serious violations and dishonesty.
        Serious => "serious", "严重违法失信名单", "Serious violation and dishonesty list";
    }
}

labelled_enum! {
    /// 列入事由 — why an organization is put on a list; each reason belongs to one list.
    pub enum ListingReason ("列入事由") {
        /// 未按规定报送年度工作报告 — the annual work report is missing.
        AnnualReportMissing => "annual_report_missing", "未按规定报送年度工作报告", "Annual work report not submitted";
        /// 未按规定设立党组织 — no party organization although one is required.
        NoPartyOrganization => "no_party_organization", "未按规定设立党组织",
            "No party organization set up as required";
        /// 未按期完成整改 — a rectification order was not met in time.
        RectificationOverdue => "rectification_overdue", "未按期完成整改", "Rectification not completed in time";
        /// 通过登记的住所无法取得联系 — two registered letters to the domicile, 20–60 days apart, went unsigned.
        Unreachable => "unreachable", "通过登记的住所无法取得联系", "Unreachable at the registered domicile";
        /// 受到警告或不满5万元罚款的行政处罚 — a penalty decision of a minor kind (the first in three years).
        MinorPenalty => "minor_penalty", "受到警告或不满5万元罚款的行政处罚",
            "Administrative penalty: a warning or a fine under 50,000 yuan";
        /// 其他应列入活动异常名录的情形 — another ground laid down by law.
        OtherAbnormal => "other_abnormal", "其他应列入活动异常名录的情形", "Other ground for the abnormal-activity list";
        /// 列入活动异常名录满两年 — two years on the abnormal-activity list.
        AbnormalForTwoYears => "abnormal_for_two_years", "列入活动异常名录满两年",
            "Two years on the abnormal-activity list";
        /// 弄虚作假办理变更登记被撤销变更登记 — a change registration obtained by fraud and revoked.
        FraudulentChange => "fraudulent_change", "弄虚作假办理变更登记被撤销变更登记", "Change registration obtained by fraud";
        /// 受到限期停止活动行政处罚 — ordered to suspend activities.
        SuspensionPenalty => "suspension_penalty", "受到限期停止活动行政处罚", "Ordered to suspend activities";
        /// 受到5万元以上罚款处罚 — fined 50,000 yuan or more.
        LargeFine => "large_fine", "受到5万元以上罚款处罚", "Fined 50,000 yuan or more";
        /// 三年内两次以上受到警告或不满5万元罚款处罚 — repeated minor penalties within three years.
        RepeatedPenalties => "repeated_penalties", "三年内两次以上受到警告或不满5万元罚款处罚",
            "Repeated warnings or fines within three years";
        /// 被纳入失信被执行人名单 — listed by a court as a dishonest judgment debtor.
        DishonestDebtor => "dishonest_debtor", "被纳入失信被执行人名单", "Listed as a dishonest judgment debtor";
        /// 被撤销登记或吊销登记证书 — registration revoked.
        RegistrationRevoked => "registration_revoked", "被撤销登记或吊销登记证书", "Registration revoked";
        /// 其他应列入严重违法失信名单的情形 — another ground laid down by law.
        OtherSerious => "other_serious", "其他应列入严重违法失信名单的情形", "Other ground for the serious list";
    }
}

impl ListingReason {
    /// The list this reason puts an organization on.
    pub fn list(self) -> CreditList {
        match self {
            ListingReason::AnnualReportMissing
            | ListingReason::NoPartyOrganization
            | ListingReason::RectificationOverdue
            | ListingReason::Unreachable
            | ListingReason::MinorPenalty
            | ListingReason::OtherAbnormal => CreditList::Abnormal,
            ListingReason::AbnormalForTwoYears
            | ListingReason::FraudulentChange
            | ListingReason::SuspensionPenalty
            | ListingReason::LargeFine
            | ListingReason::RepeatedPenalties
            | ListingReason::DishonestDebtor
            | ListingReason::RegistrationRevoked
            | ListingReason::OtherSerious => CreditList::Serious,
        }
    }
}

labelled_enum! {
    /// 移出决定 — the bureau's decision on an application for removal.
    pub enum RemovalDecision ("移出决定") {
        /// 准予移出 — removed from the list.
        Grant => "grant", "准予移出", "Removal granted";
        /// 不予移出 — stays on the list (the reason goes into the written decision and the audit log).
        Refuse => "refuse", "不予移出", "Removal refused";
    }
}

/// One event that put, or kept, an organization on a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListingEvent {
    pub reason: ListingReason,
    pub on: NaiveDate,
}

/// 移出申请 — an application for removal awaiting the bureau's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalApplication {
    pub applied_on: NaiveDate,
    /// The last day of the five working days the bureau has to decide.
    pub decide_by: NaiveDate,
}

/// 列入记录 — an organization's time on one list. Change it only through [`CreditStanding`]'s transitions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listing {
    pub list: CreditList,
    /// The event that put the organization on this list.
    pub first: ListingEvent,
    /// Events while listed, oldest first; the latest restarts the period.
    #[serde(default)]
    pub later: Vec<ListingEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removal: Option<RemovalApplication>,
}

impl Listing {
    fn new(reason: ListingReason, on: NaiveDate) -> Listing {
        Listing {
            list: reason.list(),
            first: ListingEvent { reason, on },
            later: Vec::new(),
            removal: None,
        }
    }

    /// 列入日期 — the day the organization was put on this list.
    pub fn listed_on(&self) -> NaiveDate {
        self.first.on
    }

    /// 起算日 — the day the current period started: the latest event's date.
    pub fn period_start(&self) -> NaiveDate {
        self.later.last().unwrap_or(&self.first).on
    }

    pub fn events(&self) -> impl Iterator<Item = &ListingEvent> {
        std::iter::once(&self.first).chain(&self.later)
    }

    fn after_period(&self, months: u32) -> NaiveDate {
        self.period_start()
            .checked_add_months(Months::new(months))
            .expect("a listing period ends within chrono's range")
    }
}

/// 信用状态 — whether an organization is on a credit list, and how long it has been.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum CreditStanding {
    /// 未列入 — on no list.
    #[default]
    Clear,
    /// 已列入 — on one list.
    Listed(Listing),
}

impl CreditStanding {
    pub fn list(&self) -> Option<CreditList> {
        match self {
            CreditStanding::Clear => None,
            CreditStanding::Listed(listing) => Some(listing.list),
        }
    }

    /// Records an event that lists the organization (列入), dated `on`.
    ///
    /// - A first event puts it on the reason's list.
    /// - A new event for the list it is on restarts the period.
    /// - A serious-list event moves it from the abnormal list to the serious list; 列入活动异常名录满两年 is
    ///   accepted only once the abnormal period has run two years.
    /// - An abnormal-list event while on the serious list is refused: the serious list already covers it.
    pub fn record(self, reason: ListingReason, on: NaiveDate) -> Result<CreditStanding, TransitionError> {
        let listing = match self {
            CreditStanding::Clear if reason == ListingReason::AbnormalForTwoYears => {
                return Err(TransitionError::NotOnAbnormalList);
            }
            CreditStanding::Clear => return Ok(CreditStanding::Listed(Listing::new(reason, on))),
            CreditStanding::Listed(listing) => listing,
        };
        let last = listing.period_start();
        if on < last {
            return Err(TransitionError::EventOutOfOrder { on, last });
        }
        match (listing.list, reason.list()) {
            (CreditList::Serious, CreditList::Abnormal) => Err(TransitionError::AlreadySerious),
            (CreditList::Serious, CreditList::Serious) if reason == ListingReason::AbnormalForTwoYears => {
                Err(TransitionError::NotOnAbnormalList)
            }
            (CreditList::Abnormal, CreditList::Serious) if reason == ListingReason::AbnormalForTwoYears => {
                let until = listing.after_period(ABNORMAL_MONTHS_BEFORE_SERIOUS);
                if on < until {
                    return Err(TransitionError::AbnormalPeriodRunning { since: last, until });
                }
                Ok(CreditStanding::Listed(Listing::new(reason, on)))
            }
            // Moving lists ends the abnormal listing, and with it any application to leave it.
            (CreditList::Abnormal, CreditList::Serious) => {
                Ok(CreditStanding::Listed(Listing::new(reason, on)))
            }
            (_, _) => {
                let mut listing = listing;
                listing.later.push(ListingEvent { reason, on });
                Ok(CreditStanding::Listed(listing))
            }
        }
    }

    /// The day from which an organization on the abnormal list is due to move to the serious list.
    pub fn escalation_due_on(&self) -> Option<NaiveDate> {
        match self {
            CreditStanding::Listed(listing) if listing.list == CreditList::Abnormal => {
                Some(listing.after_period(ABNORMAL_MONTHS_BEFORE_SERIOUS))
            }
            _ => None,
        }
    }

    /// Records an application for removal after rectification (申请移出), to be decided within five
    /// working days of `applied_on`. From the serious list one may apply only after two years without a
    /// new event.
    pub fn apply_for_removal(
        self,
        applied_on: NaiveDate,
        calendar: &WorkCalendar,
    ) -> Result<CreditStanding, TransitionError> {
        let CreditStanding::Listed(mut listing) = self else {
            return Err(TransitionError::NotListed);
        };
        if let Some(pending) = listing.removal {
            return Err(TransitionError::RemovalPending {
                applied_on: pending.applied_on,
            });
        }
        let since = listing.period_start();
        if applied_on < since {
            return Err(TransitionError::ApplicationBeforeListing { applied_on, since });
        }
        if listing.list == CreditList::Serious {
            let until = listing.after_period(SERIOUS_MONTHS_BEFORE_REMOVAL);
            if applied_on < until {
                return Err(TransitionError::SeriousPeriodRunning { since, until });
            }
        }
        let decide_by = calendar.add_working_days(applied_on, REMOVAL_DECISION_WORKING_DAYS);
        listing.removal = Some(RemovalApplication {
            applied_on,
            decide_by,
        });
        Ok(CreditStanding::Listed(listing))
    }

    /// Records the bureau's decision on the pending application: granted, the organization leaves the
    /// list; refused, it stays and may apply again.
    pub fn decide_removal(
        self,
        decision: RemovalDecision,
        decided_on: NaiveDate,
    ) -> Result<CreditStanding, TransitionError> {
        let CreditStanding::Listed(mut listing) = self else {
            return Err(TransitionError::NotListed);
        };
        let Some(application) = listing.removal else {
            return Err(TransitionError::NoRemovalApplication);
        };
        if decided_on < application.applied_on {
            return Err(TransitionError::DecisionBeforeApplication {
                decided_on,
                applied_on: application.applied_on,
            });
        }
        match decision {
            RemovalDecision::Grant => Ok(CreditStanding::Clear),
            RemovalDecision::Refuse => {
                listing.removal = None;
                Ok(CreditStanding::Listed(listing))
            }
        }
    }

    /// Whether an application for removal is still undecided after its five working days.
    pub fn is_removal_overdue(&self, today: NaiveDate) -> bool {
        match self {
            CreditStanding::Listed(Listing {
                removal: Some(application),
                ..
            }) => today > application.decide_by,
            _ => false,
        }
    }
}

/// Checks that two registered letters (邮寄专用信函) to the domicile were sent 20 to 60 days apart, the
/// interval after which two unsigned letters prove an organization unreachable.
pub fn check_letter_interval(first_sent: NaiveDate, second_sent: NaiveDate) -> Result<(), TransitionError> {
    let days = (second_sent - first_sent).num_days();
    if (20..=60).contains(&days) {
        Ok(())
    } else {
        Err(TransitionError::LetterInterval { days })
    }
}

#[cfg(test)]
mod tests;
