//! Tests of the annual inspection's rules.

use super::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn a_report_goes_from_draft_through_review_and_is_then_locked() {
    let submitted = ReportStage::Draft.submit().unwrap();
    assert_eq!(submitted, ReportStage::Submitted);
    assert_eq!(submitted.check_editable(), Err(TransitionError::UnderReview));
    let returned = submitted.return_for_correction().unwrap();
    assert_eq!(returned.submit(), Ok(ReportStage::Submitted));
    let reviewed = submitted.review(InspectionResult::BasicallyQualified).unwrap();
    assert_eq!(reviewed.submit(), Err(TransitionError::Reviewed));
    assert_eq!(reviewed.check_editable(), Err(TransitionError::Reviewed));
}

#[test]
fn not_inspected_is_never_a_verdict_and_a_draft_cannot_be_judged() {
    assert_eq!(
        ReportStage::Submitted.review(InspectionResult::NotInspected),
        Err(TransitionError::NotInspectedByHand)
    );
    assert_eq!(
        ReportStage::Draft.review(InspectionResult::Qualified),
        Err(TransitionError::NotSubmitted)
    );
    assert_eq!(
        check_verdict(InspectionResult::Unqualified, " ")
            .unwrap_err()
            .field,
        "reasons"
    );
    assert!(check_verdict(InspectionResult::Qualified, "").is_ok());
}

#[test]
fn a_cycle_reports_on_a_past_year_with_a_deadline_not_in_the_past() {
    let today = d(2025, 3, 1);
    let cycle = CycleInput {
        year: 2024,
        deadline: d(2025, 5, 31),
        levels: vec![],
        division_code: "340000".to_owned(),
    };
    assert!(cycle.validate(today).is_ok());
    assert_eq!(cycle.levels().len(), 3);
    let past = CycleInput {
        deadline: d(2025, 2, 1),
        ..cycle.clone()
    };
    assert_eq!(past.validate(today).unwrap_err()[0].field, "deadline");
    let current = CycleInput { year: 2025, ..cycle };
    assert_eq!(current.validate(today).unwrap_err()[0].field, "year");
}

#[test]
fn a_submission_needs_its_sections_and_names_each_missing_field() {
    let empty = ReportInput::default();
    assert!(empty.validate_draft().is_ok());
    let fields: Vec<String> = empty
        .validate_submission()
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["activities", "party_building", "officers"]);
    let negative = ReportInput {
        revenue_fen: -1,
        ..ReportInput::default()
    };
    assert_eq!(negative.validate_draft().unwrap_err()[0].field, "revenue_fen");
}

#[test]
fn a_rectification_order_states_its_working_days_and_an_interview_its_interviewee() {
    let today = d(2025, 6, 10);
    let order = FollowUpInput {
        kind: FollowUpKind::Rectification,
        on: today,
        interviewee: None,
        working_days: Some(0),
        outcome: String::new(),
    };
    assert_eq!(order.validate(today).unwrap_err()[0].field, "working_days");
    let interview = FollowUpInput {
        kind: FollowUpKind::Interview,
        working_days: None,
        ..order
    };
    let fields: Vec<String> = interview
        .validate(today)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["interviewee", "outcome"]);
}
