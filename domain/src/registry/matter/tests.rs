//! Tests of the registration-matter workflow, time limits and queue.

use super::*;
use crate::registry::organization::{Category, EmergingIndustry, OrgKind};

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn items(list: &[&str]) -> Vec<String> {
    list.iter().map(|item| (*item).to_owned()).collect()
}

#[test]
fn a_matter_goes_from_draft_through_completion_to_approval() {
    let state = MatterState::Draft
        .apply(MatterAction::Submit, Party::Applicant)
        .unwrap();
    assert_eq!(state, MatterState::Submitted);
    let returned = state
        .apply(
            MatterAction::Return {
                missing: items(&[" 章程草案 ", "", "法定代表人身份证明"]),
            },
            Party::Staff,
        )
        .unwrap();
    assert_eq!(
        returned,
        MatterState::Returned {
            missing: items(&["章程草案", "法定代表人身份证明"])
        }
    );
    let state = returned.apply(MatterAction::Submit, Party::Applicant).unwrap();
    let state = state.apply(MatterAction::Accept, Party::Staff).unwrap();
    assert!(state.is_timed());
    let state = state.apply(MatterAction::StartReview, Party::Staff).unwrap();
    let state = state.apply(MatterAction::Approve, Party::Staff).unwrap();
    assert_eq!(state, MatterState::Approved);
    assert!(state.is_decided());
    assert!(state.next_actions().is_empty());
}

#[test]
fn a_rejection_keeps_its_reasons() {
    let state = MatterState::UnderReview
        .apply(
            MatterAction::Reject {
                reasons: items(&["名称与已登记的社会组织重复"]),
            },
            Party::Staff,
        )
        .unwrap();
    assert_eq!(
        state,
        MatterState::Rejected {
            reasons: items(&["名称与已登记的社会组织重复"])
        }
    );
    assert_eq!(state.label_zh(), "不予登记");
}

#[test]
fn a_return_without_missing_items_or_a_rejection_without_reasons_is_refused() {
    let error = MatterState::Submitted
        .apply(
            MatterAction::Return {
                missing: items(&["  "]),
            },
            Party::Staff,
        )
        .unwrap_err();
    assert_eq!(error, TransitionError::NoMissingItems);
    assert_eq!(error.to_string(), "退回补正须列明需要补正的材料");
    let error = MatterState::UnderReview.apply(MatterAction::Reject { reasons: Vec::new() }, Party::Staff);
    assert_eq!(error, Err(TransitionError::NoReasons));
}

#[test]
fn only_staff_accept_and_only_applicants_submit() {
    let error = MatterState::Submitted
        .apply(MatterAction::Accept, Party::Applicant)
        .unwrap_err();
    assert_eq!(
        error,
        TransitionError::WrongParty {
            action: ActionKind::Accept,
            party: Party::Applicant,
            allowed: Party::Staff
        }
    );
    assert_eq!(
        error.to_string(),
        "「受理」由登记机关工作人员办理，申请人不能办理"
    );
    assert!(
        MatterState::Draft
            .apply(MatterAction::Submit, Party::Staff)
            .is_err()
    );
}

#[test]
fn a_step_that_does_not_fit_the_state_is_refused() {
    let error = MatterState::Draft
        .apply(MatterAction::Approve, Party::Staff)
        .unwrap_err();
    assert_eq!(
        error,
        TransitionError::NotAllowed {
            state: "草稿",
            action: ActionKind::Approve
        }
    );
    assert_eq!(error.to_string(), "事项处于「草稿」状态，不能「准予登记」");
    // 补正 happens before acceptance; an accepted matter cannot be returned.
    assert!(
        MatterState::Accepted
            .apply(
                MatterAction::Return {
                    missing: items(&["章程"])
                },
                Party::Staff
            )
            .is_err()
    );
    assert!(
        MatterState::Approved
            .apply(MatterAction::Submit, Party::Applicant)
            .is_err()
    );
}

fn sample(kind: ActionKind) -> MatterAction {
    match kind {
        ActionKind::Submit => MatterAction::Submit,
        ActionKind::Accept => MatterAction::Accept,
        ActionKind::Return => MatterAction::Return {
            missing: items(&["章程草案"]),
        },
        ActionKind::StartReview => MatterAction::StartReview,
        ActionKind::Approve => MatterAction::Approve,
        ActionKind::Reject => MatterAction::Reject {
            reasons: items(&["不符合条件"]),
        },
    }
}

#[test]
fn the_offered_next_actions_are_exactly_the_ones_that_succeed() {
    let states = [
        MatterState::Draft,
        MatterState::Submitted,
        MatterState::Returned {
            missing: items(&["章程草案"]),
        },
        MatterState::Accepted,
        MatterState::UnderReview,
        MatterState::Approved,
        MatterState::Rejected {
            reasons: items(&["不符合条件"]),
        },
    ];
    for state in states {
        for kind in ActionKind::ALL {
            let offered = state.next_actions().contains(&kind);
            let result = state.clone().apply(sample(kind), kind.party());
            assert_eq!(result.is_ok(), offered, "{} + {kind}", state.key());
        }
    }
}

#[test]
fn states_and_actions_read_and_write_tagged_json() {
    let returned = MatterState::Returned {
        missing: items(&["章程草案"]),
    };
    let json = serde_json::to_string(&returned).unwrap();
    assert_eq!(json, r#"{"state":"returned","missing":["章程草案"]}"#);
    assert_eq!(serde_json::from_str::<MatterState>(&json).unwrap(), returned);
    assert_eq!(
        serde_json::to_string(&MatterState::UnderReview).unwrap(),
        r#"{"state":"under_review"}"#
    );
    let action: MatterAction = serde_json::from_str(r#"{"action":"reject","reasons":["材料不实"]}"#).unwrap();
    assert_eq!(action.kind(), ActionKind::Reject);
    assert_eq!(
        serde_json::to_string(&MatterAction::StartReview).unwrap(),
        r#"{"action":"start_review"}"#
    );
}

#[test]
fn the_default_time_limits_are_the_bureaus() {
    let limits = TimeLimits::default();
    let standard = |kind| limits.working_days(kind, Channel::Standard);
    assert_eq!(standard(MatterKind::Establishment), 20);
    assert_eq!(standard(MatterKind::Change), 10);
    assert_eq!(standard(MatterKind::ReElection), 5);
    assert_eq!(standard(MatterKind::Filing), 5);
    assert_eq!(standard(MatterKind::Deregistration), 10);
    assert_eq!(standard(MatterKind::ForProfitConversion), 20);
    assert_eq!(limits.near_due_working_days, 3);
}

#[test]
fn the_green_channel_halves_the_limit_rounding_up() {
    let limits = TimeLimits::default();
    let green = |kind| limits.working_days(kind, Channel::Green);
    assert_eq!(green(MatterKind::Establishment), 10);
    assert_eq!(green(MatterKind::Change), 5);
    assert_eq!(green(MatterKind::ReElection), 3);
    assert_eq!(green(MatterKind::Filing), 3);
}

#[test]
fn an_emerging_industry_association_gets_the_green_channel() {
    let ai = Classification::new(
        OrgKind::SocialGroup,
        [Category::IndustryAssociation],
        Some(EmergingIndustry::ArtificialIntelligence),
    )
    .unwrap();
    assert_eq!(Channel::for_classification(&ai), Channel::Green);
    let plain = Classification::new(OrgKind::SocialGroup, [Category::IndustryAssociation], None).unwrap();
    assert_eq!(Channel::for_classification(&plain), Channel::Standard);
}

#[test]
fn the_due_date_counts_working_days_after_acceptance_across_national_day() {
    let calendar = WorkCalendar::mainland_china();
    let limits = TimeLimits::default();
    // Accepted Fri 2025-09-26: Sun 28 (调休) is day 1, 10月1日–8日 are off, Sat 10月11日 (调休) counts.
    let accepted = d(2025, 9, 26);
    assert_eq!(
        limits.due_date(accepted, MatterKind::Establishment, Channel::Standard, &calendar),
        d(2025, 10, 30)
    );
    assert_eq!(
        limits.due_date(accepted, MatterKind::Establishment, Channel::Green, &calendar),
        d(2025, 10, 16)
    );
    // Three working days from Thu 2026-02-12: Fri 13, Sat 14 (调休), then 春节 until Mon 23, so Tue 24.
    assert_eq!(
        limits.due_date(d(2026, 2, 12), MatterKind::ReElection, Channel::Green, &calendar),
        d(2026, 2, 24)
    );
}

#[test]
fn a_matter_is_near_due_within_three_working_days_and_overdue_after_its_due_date() {
    let calendar = WorkCalendar::mainland_china();
    let limits = TimeLimits::default();
    let due = d(2025, 10, 16);
    // (10月10日, 16日] holds Sat 11 (调休), 13, 14, 15, 16: five working days.
    assert_eq!(
        limits.deadline_status(d(2025, 10, 10), due, &calendar),
        DeadlineStatus::OnTime
    );
    assert_eq!(
        limits.deadline_status(d(2025, 10, 13), due, &calendar),
        DeadlineStatus::NearDue
    );
    assert_eq!(
        limits.deadline_status(due, due, &calendar),
        DeadlineStatus::NearDue
    );
    assert_eq!(
        limits.deadline_status(d(2025, 10, 17), due, &calendar),
        DeadlineStatus::Overdue
    );
}

#[test]
fn a_matter_ten_calendar_days_away_is_near_due_when_a_holiday_lies_between() {
    let calendar = WorkCalendar::mainland_china();
    let limits = TimeLimits::default();
    // From 9月30日 to 10月10日 only 10月9日 and 10日 are working days.
    assert_eq!(
        limits.deadline_status(d(2025, 9, 30), d(2025, 10, 10), &calendar),
        DeadlineStatus::NearDue
    );
    let relaxed = TimeLimits {
        near_due_working_days: 1,
        ..TimeLimits::default()
    };
    assert_eq!(
        relaxed.deadline_status(d(2025, 9, 30), d(2025, 10, 10), &calendar),
        DeadlineStatus::OnTime
    );
}

#[test]
fn the_queue_puts_the_green_channel_first_then_the_earliest_due_date_then_the_id() {
    let entry = |id: i64, channel, due| QueueEntry { id, channel, due };
    let mut queue = vec![
        entry(1, Channel::Standard, Some(d(2025, 10, 20))),
        entry(2, Channel::Standard, None),
        entry(3, Channel::Green, Some(d(2025, 11, 5))),
        entry(4, Channel::Standard, Some(d(2025, 10, 14))),
        entry(5, Channel::Green, None),
        entry(6, Channel::Standard, Some(d(2025, 10, 14))),
        entry(7, Channel::Green, Some(d(2025, 10, 30))),
    ];
    sort_queue(&mut queue);
    let order: Vec<i64> = queue.iter().map(|e| e.id).collect();
    assert_eq!(order, [7, 3, 5, 4, 6, 1, 2]);
}

#[test]
fn every_matter_kind_has_its_chinese_name() {
    let names: Vec<_> = MatterKind::ALL.iter().map(|k| k.label_zh()).collect();
    assert_eq!(
        names,
        ["成立登记", "变更登记", "换届", "注销登记", "备案", "营改非"]
    );
    assert_eq!(MatterKind::parse("营改非"), Ok(MatterKind::ForProfitConversion));
    assert_eq!(
        serde_json::to_string(&MatterKind::ReElection).unwrap(),
        r#""re_election""#
    );
}

#[test]
fn whoever_filed_or_reviewed_a_matter_may_not_decide_it() {
    let handlers = Handlers {
        filed_by: Some(7),
        reviewed_by: Some(8),
    };
    let approve = |user| MatterState::UnderReview.take(MatterAction::Approve, Party::Staff, user, &handlers);
    let reviewer = approve(8).unwrap_err();
    assert_eq!(
        reviewer,
        TransitionError::SameHands {
            action: ActionKind::Approve,
            hand: Hand::Reviewed
        }
    );
    assert!(reviewer.to_string().contains("审查了本事项"), "{reviewer}");
    assert!(matches!(
        approve(7),
        Err(TransitionError::SameHands {
            hand: Hand::Filed,
            ..
        })
    ));
    assert_eq!(approve(9), Ok(MatterState::Approved));
    let reject = MatterAction::Reject {
        reasons: items(&["材料不实"]),
    };
    assert!(matches!(
        MatterState::UnderReview.take(reject, Party::Staff, 8, &handlers),
        Err(TransitionError::SameHands {
            action: ActionKind::Reject,
            ..
        })
    ));
    // The reviewer still takes every other step; the decision is all that is kept from them.
    assert_eq!(
        MatterState::Accepted.take(MatterAction::StartReview, Party::Staff, 7, &handlers),
        Ok(MatterState::UnderReview)
    );
    let offered = MatterState::UnderReview.next_actions();
    assert!(handlers.allowed(offered, 8).is_empty());
    assert_eq!(handlers.allowed(offered, 9), offered);
}

#[test]
fn a_matter_nobody_has_reviewed_yet_can_be_decided_by_anyone_of_staff() {
    assert_eq!(
        MatterState::UnderReview.take(MatterAction::Approve, Party::Staff, 1, &Handlers::default()),
        Ok(MatterState::Approved)
    );
}
