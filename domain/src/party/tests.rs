use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn branch(kind: PartyOrgKind, members: u32) -> PartyInfo {
    PartyInfo {
        kind,
        members,
        approved_on: Some(day(2021, 6, 1)),
        approving_body: Some("安徽省社会组织综合党委".to_owned()),
        ..PartyInfo::nothing()
    }
}

#[test]
fn the_cohorts_define_both_rates() {
    use PartyOrgKind::*;
    assert!(Cohort::Covered.contains(Functional, 0));
    assert!(Cohort::Covered.contains(Joint, 1));
    assert!(!Cohort::Covered.contains(NoBranch, 5));
    assert!(Cohort::Eligible.contains(NoBranch, 3) && !Cohort::Eligible.contains(Entity, 2));
    assert!(Cohort::Entity.contains(Entity, 3) && !Cohort::Entity.contains(Functional, 9));
    assert!(PartyOrgKind::ALL.iter().all(|k| Cohort::InScope.contains(*k, 0)));
    assert_eq!(percent(11, 20), Some(55.0));
    assert_eq!(percent(1, 3), Some(33.3));
    assert_eq!(percent(0, 0), None);
}

#[test]
fn an_entity_branch_needs_three_members_and_an_approval() {
    let today = day(2026, 1, 1);
    let err = branch(PartyOrgKind::Entity, 2).checked(1, today).unwrap_err();
    assert_eq!(err.to_field_error().unwrap().field, "members");
    let missing = PartyInfo {
        approved_on: None,
        ..branch(PartyOrgKind::Functional, 0)
    };
    assert!(
        missing
            .checked(1, today)
            .unwrap_err()
            .to_string()
            .contains("approved_on")
    );
    assert!(branch(PartyOrgKind::Entity, 3).checked(1, today).is_ok());
}

#[test]
fn no_party_organization_needs_a_liaison_and_drops_the_approval() {
    let today = day(2026, 1, 1);
    let none = branch(PartyOrgKind::NoBranch, 1);
    assert!(
        none.clone()
            .checked(1, today)
            .unwrap_err()
            .to_string()
            .contains("liaison")
    );
    let with_liaison = PartyInfo {
        liaison: Some(" 张三 ".to_owned()),
        ..none
    };
    let checked = with_liaison.checked(1, today).unwrap();
    assert_eq!(checked.liaison.as_deref(), Some("张三"));
    assert_eq!(checked.approved_on, None);
}

#[test]
fn a_joint_branch_joins_other_organizations_once_each() {
    assert!(checked_joint(PartyOrgKind::Joint, &[1], 1).is_err());
    assert_eq!(
        checked_joint(PartyOrgKind::Joint, &[3, 2, 3, 1], 1).unwrap(),
        vec![2, 3]
    );
    assert!(
        checked_joint(PartyOrgKind::Functional, &[2], 1)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn decisions_follow_the_application_and_refusals_say_why() {
    let today = day(2026, 1, 1);
    let applied = day(2025, 6, 1);
    use ApprovalStatus::*;
    assert_eq!(
        check_decision(Pending, true, applied, day(2025, 7, 1), None, today).unwrap(),
        Approved
    );
    assert!(check_decision(Pending, true, applied, day(2025, 5, 1), None, today).is_err());
    assert!(check_decision(Pending, false, applied, day(2025, 7, 1), None, today).is_err());
    assert!(matches!(
        check_decision(Approved, true, applied, day(2025, 7, 1), None, today),
        Err(CaseError::NotNow(_))
    ));
    assert!(check_application(PartyOrgKind::NoBranch, 0, applied, today).is_err());
}

#[test]
fn visits_fall_in_the_term_and_evaluations_come_after_it() {
    let term = Term::new(day(2025, 1, 1), day(2025, 12, 31)).unwrap();
    let today = day(2026, 1, 10);
    assert!(check_visit(term, day(2025, 3, 1), "指导三会一课", today).is_ok());
    assert!(check_visit(term, day(2026, 1, 2), "指导", today).is_err());
    assert!(check_visit(term, day(2025, 3, 1), "  ", today).is_err());
    assert!(matches!(
        check_evaluation(term, day(2025, 12, 1), "好", day(2025, 12, 1)),
        Err(CaseError::NotNow(_))
    ));
    assert!(check_evaluation(term, day(2026, 1, 5), "履职尽责", today).is_ok());
    assert!(Term::new(day(2025, 1, 1), day(2025, 1, 1)).is_err());
}

#[test]
fn what_is_due_follows_the_state_and_the_last_visit() {
    let today = day(2026, 3, 1);
    let none = PartyInfo {
        members: 4,
        ..PartyInfo::nothing()
    };
    assert_eq!(
        due(&none, None, true, today),
        vec![Due::Visit, Due::Establish, Due::Upgrade, Due::Confirmation]
    );
    let entity = branch(PartyOrgKind::Entity, 5);
    assert!(due(&entity, Some(day(2026, 2, 20)), false, today).is_empty());
}
