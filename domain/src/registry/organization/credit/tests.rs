//! Tests of the credit-list rules.

use super::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn abnormal_since(on: NaiveDate) -> CreditStanding {
    CreditStanding::Clear
        .record(ListingReason::AnnualReportMissing, on)
        .unwrap()
}

#[test]
fn a_missing_annual_report_puts_an_organization_on_the_abnormal_list() {
    let standing = abnormal_since(d(2024, 7, 1));
    assert_eq!(standing.list(), Some(CreditList::Abnormal));
    assert_eq!(standing.escalation_due_on(), Some(d(2026, 7, 1)));
}

#[test]
fn a_new_event_while_listed_restarts_the_period() {
    let standing = abnormal_since(d(2024, 7, 1))
        .record(ListingReason::Unreachable, d(2025, 3, 10))
        .unwrap();
    let CreditStanding::Listed(listing) = &standing else {
        panic!("listed")
    };
    assert_eq!(listing.listed_on(), d(2024, 7, 1));
    assert_eq!(listing.period_start(), d(2025, 3, 10));
    assert_eq!(listing.events().count(), 2);
    assert_eq!(standing.escalation_due_on(), Some(d(2027, 3, 10)));
}

#[test]
fn two_years_on_the_abnormal_list_move_an_organization_to_the_serious_list() {
    let standing = abnormal_since(d(2023, 6, 30));
    let early = standing
        .clone()
        .record(ListingReason::AbnormalForTwoYears, d(2025, 6, 29));
    assert_eq!(
        early,
        Err(TransitionError::AbnormalPeriodRunning {
            since: d(2023, 6, 30),
            until: d(2025, 6, 30)
        })
    );
    let serious = standing
        .record(ListingReason::AbnormalForTwoYears, d(2025, 6, 30))
        .unwrap();
    assert_eq!(serious.list(), Some(CreditList::Serious));
    assert_eq!(serious.escalation_due_on(), None);
}

#[test]
fn two_years_on_the_abnormal_list_needs_an_abnormal_listing() {
    assert_eq!(
        CreditStanding::Clear.record(ListingReason::AbnormalForTwoYears, d(2025, 1, 1)),
        Err(TransitionError::NotOnAbnormalList)
    );
}

#[test]
fn a_revocation_moves_an_abnormal_organization_straight_to_the_serious_list() {
    let standing = abnormal_since(d(2025, 1, 1))
        .record(ListingReason::RegistrationRevoked, d(2025, 2, 1))
        .unwrap();
    let CreditStanding::Listed(listing) = standing else {
        panic!("listed")
    };
    assert_eq!(listing.list, CreditList::Serious);
    assert_eq!(listing.listed_on(), d(2025, 2, 1));
}

#[test]
fn an_abnormal_event_on_the_serious_list_is_refused() {
    let serious = CreditStanding::Clear
        .record(ListingReason::LargeFine, d(2025, 1, 1))
        .unwrap();
    let error = serious
        .record(ListingReason::AnnualReportMissing, d(2025, 5, 1))
        .unwrap_err();
    assert_eq!(error, TransitionError::AlreadySerious);
    assert_eq!(
        error.to_string(),
        "该社会组织已列入严重违法失信名单，不再列入活动异常名录"
    );
}

#[test]
fn an_event_dated_before_the_last_one_is_refused() {
    let standing = abnormal_since(d(2025, 3, 1));
    assert_eq!(
        standing.record(ListingReason::Unreachable, d(2025, 2, 1)),
        Err(TransitionError::EventOutOfOrder {
            on: d(2025, 2, 1),
            last: d(2025, 3, 1)
        })
    );
}

#[test]
fn a_removal_application_is_due_for_decision_within_five_working_days() {
    let calendar = WorkCalendar::mainland_china();
    // Applied on Tue 2025-09-30: 10月1日–8日 are off, so the five days are 9, 10, 11 (Sat, 调休), 13, 14.
    let standing = abnormal_since(d(2025, 7, 1))
        .apply_for_removal(d(2025, 9, 30), &calendar)
        .unwrap();
    let CreditStanding::Listed(listing) = &standing else {
        panic!("listed")
    };
    assert_eq!(listing.removal.unwrap().decide_by, d(2025, 10, 14));
    assert!(!standing.is_removal_overdue(d(2025, 10, 14)));
    assert!(standing.is_removal_overdue(d(2025, 10, 15)));
    assert_eq!(
        standing.clone().apply_for_removal(d(2025, 10, 9), &calendar),
        Err(TransitionError::RemovalPending {
            applied_on: d(2025, 9, 30)
        })
    );
    assert_eq!(
        standing.decide_removal(RemovalDecision::Grant, d(2025, 10, 13)),
        Ok(CreditStanding::Clear)
    );
}

#[test]
fn a_refused_removal_keeps_the_listing_and_allows_a_new_application() {
    let calendar = WorkCalendar::mainland_china();
    let applied = abnormal_since(d(2025, 7, 1))
        .apply_for_removal(d(2025, 8, 4), &calendar)
        .unwrap();
    let refused = applied
        .decide_removal(RemovalDecision::Refuse, d(2025, 8, 6))
        .unwrap();
    assert_eq!(refused, abnormal_since(d(2025, 7, 1)));
    assert!(refused.apply_for_removal(d(2025, 9, 1), &calendar).is_ok());
}

#[test]
fn removal_needs_a_listing_and_a_pending_application() {
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(
        CreditStanding::Clear.apply_for_removal(d(2025, 1, 2), &calendar),
        Err(TransitionError::NotListed)
    );
    assert_eq!(
        abnormal_since(d(2025, 1, 2)).decide_removal(RemovalDecision::Grant, d(2025, 1, 3)),
        Err(TransitionError::NoRemovalApplication)
    );
}

#[test]
fn the_serious_list_can_be_left_on_application_only_after_two_quiet_years() {
    let calendar = WorkCalendar::mainland_china();
    let serious = CreditStanding::Clear
        .record(ListingReason::SuspensionPenalty, d(2023, 3, 1))
        .unwrap();
    assert_eq!(
        serious.clone().apply_for_removal(d(2025, 2, 28), &calendar),
        Err(TransitionError::SeriousPeriodRunning {
            since: d(2023, 3, 1),
            until: d(2025, 3, 1)
        })
    );
    assert!(serious.apply_for_removal(d(2025, 3, 3), &calendar).is_ok());
}

#[test]
fn letters_must_be_twenty_to_sixty_days_apart_to_prove_an_organization_unreachable() {
    assert_eq!(check_letter_interval(d(2025, 1, 1), d(2025, 1, 21)), Ok(()));
    assert_eq!(check_letter_interval(d(2025, 1, 1), d(2025, 3, 2)), Ok(()));
    assert_eq!(
        check_letter_interval(d(2025, 1, 1), d(2025, 1, 20)),
        Err(TransitionError::LetterInterval { days: 19 })
    );
    assert_eq!(
        check_letter_interval(d(2025, 1, 1), d(2025, 3, 3)),
        Err(TransitionError::LetterInterval { days: 61 })
    );
}

#[test]
fn every_reason_belongs_to_one_list() {
    let abnormal = ListingReason::ALL
        .iter()
        .filter(|r| r.list() == CreditList::Abnormal)
        .count();
    assert_eq!(abnormal, 6);
    assert_eq!(ListingReason::ALL.len() - abnormal, 8);
}

#[test]
fn a_credit_standing_reads_and_writes_json_with_a_tag() {
    let standing = abnormal_since(d(2025, 7, 1));
    let json = serde_json::to_value(&standing).unwrap();
    assert_eq!(json["standing"], "listed");
    assert_eq!(json["list"], "abnormal");
    assert_eq!(json["first"]["reason"], "annual_report_missing");
    assert_eq!(serde_json::from_value::<CreditStanding>(json).unwrap(), standing);
    assert_eq!(
        serde_json::to_string(&CreditStanding::Clear).unwrap(),
        r#"{"standing":"clear"}"#
    );
}

#[test]
fn an_application_or_decision_dated_too_early_is_refused() {
    let calendar = WorkCalendar::mainland_china();
    let listed = abnormal_since(d(2025, 7, 1));
    assert_eq!(
        listed.clone().apply_for_removal(d(2025, 6, 30), &calendar),
        Err(TransitionError::ApplicationBeforeListing {
            applied_on: d(2025, 6, 30),
            since: d(2025, 7, 1)
        })
    );
    let applied = listed.apply_for_removal(d(2025, 8, 4), &calendar).unwrap();
    let error = applied
        .decide_removal(RemovalDecision::Grant, d(2025, 8, 1))
        .unwrap_err();
    assert_eq!(error.to_string(), "决定日期 2025-08-01 早于申请日期 2025-08-04");
}
