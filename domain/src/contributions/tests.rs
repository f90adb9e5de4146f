//! The ledger's rules on small examples.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
}

fn input(kind: ContributionKind, amount_fen: i64) -> ContributionInput {
    ContributionInput {
        kind,
        date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
        amount_fen,
        people: None,
        expo_role: None,
        village_code: None,
        description: String::new(),
        corrects_id: None,
        recipients: Vec::new(),
    }
}

fn fields(result: Result<ValidContribution, Vec<EntryError>>) -> Vec<String> {
    result.unwrap_err().into_iter().map(|e| e.field).collect()
}

#[test]
fn funds_need_a_positive_amount_within_the_ceiling() {
    assert!(input(ContributionKind::RuralFunds, 100).validate(today()).is_ok());
    for bad in [0, -1, MAX_AMOUNT.as_i64() + 1] {
        assert_eq!(
            fields(input(ContributionKind::RuralFunds, bad).validate(today())),
            ["amount_fen"]
        );
    }
}

#[test]
fn an_absurd_amount_is_refused_in_chinese() {
    let errors = input(ContributionKind::Investment, i64::MAX)
        .validate(today())
        .unwrap_err();
    assert!(errors[0].message.contains("100.00亿元"), "{errors:?}");
}

#[test]
fn dates_in_the_future_or_before_2015_are_refused() {
    let mut entry = input(ContributionKind::RuralFunds, 100);
    entry.date = NaiveDate::from_ymd_opt(2024, 6, 2).unwrap();
    assert_eq!(fields(entry.validate(today())), ["date"]);
    entry.date = NaiveDate::from_ymd_opt(2014, 12, 31).unwrap();
    assert_eq!(fields(entry.validate(today())), ["date"]);
}

#[test]
fn jobs_need_a_people_count_and_expos_a_role() {
    assert_eq!(
        fields(input(ContributionKind::Employment, 0).validate(today())),
        ["people"]
    );
    assert_eq!(
        fields(input(ContributionKind::Expo, 0).validate(today())),
        ["expo_role"]
    );
}

#[test]
fn a_scholarship_takes_its_amount_and_count_from_its_recipients() {
    let mut entry = input(ContributionKind::Scholarship, 0);
    let id = ResidentId::generate("340122", NaiveDate::from_ymd_opt(2006, 3, 1).unwrap(), 12);
    entry.recipients = vec![RecipientInput {
        name: "张小三".to_owned(),
        id_number: id.as_str().to_owned(),
        school: "安徽大学".to_owned(),
        admission: AdmissionKind::Undergraduate,
        amount_fen: 500_000,
        year: 2024,
    }];
    let valid = entry.validate(today()).unwrap();
    assert_eq!(valid.amount, Fen::new(500_000));
    assert_eq!(valid.people, Some(1));
    entry.recipients[0].id_number = "340122200603010121".to_owned();
    assert_eq!(fields(entry.validate(today())), ["recipients[0].id_number"]);
}

#[test]
fn a_verified_entry_is_locked_and_a_returned_one_can_be_resubmitted() {
    use ContributionStatus::*;
    assert_eq!(Verified.check_editable(), Err(TransitionError::Locked));
    assert_eq!(Verified.submit(), Err(TransitionError::Locked));
    assert_eq!(Returned.submit(), Ok(Submitted));
    assert_eq!(Submitted.verify(), Ok(Verified));
    assert_eq!(Submitted.return_to_organization(), Ok(Returned));
    assert_eq!(Draft.verify(), Err(TransitionError::NotUnderReview));
}
