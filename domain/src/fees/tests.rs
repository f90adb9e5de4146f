use super::*;

fn item(disposition: Option<Disposition>, income: i64, payers: i64) -> FeeItemInput {
    FeeItemInput {
        name: "会费".into(),
        basis: "会员大会决议（2019 年）".into(),
        standard_fen: Fen::new(200_000),
        annual_income_fen: Fen::new(income),
        payers,
        findings: disposition.map_or_else(Vec::new, |_| vec![FeeFinding::FeeWithoutService]),
        disposition,
        new_standard_fen: (disposition == Some(Disposition::Reduce)).then(|| Fen::new(50_000)),
    }
}

#[test]
fn cancel_removes_the_income_and_reduce_the_part_above_the_new_standard() {
    assert_eq!(
        burden_removed(&item(Some(Disposition::Cancel), 1_000_000, 5)),
        Fen::new(1_000_000)
    );
    // 2,000 元 → 500 元: three quarters of the income.
    assert_eq!(
        burden_removed(&item(Some(Disposition::Reduce), 1_000_000, 5)),
        Fen::new(750_000)
    );
    assert_eq!(
        burden_removed(&item(Some(Disposition::Standardize), 1_000_000, 5)),
        Fen::new(0)
    );
    assert_eq!(burden_removed(&item(None, 1_000_000, 5)), Fen::new(0));
    let items = [
        item(Some(Disposition::Cancel), 100, 30),
        item(Some(Disposition::Reduce), 100, 80),
        item(Some(Disposition::Publish), 100, 900),
    ];
    assert_eq!(enterprises_benefited(&items), 80);
    assert!(is_standardized(&items) && !is_violation(&items));
}

#[test]
fn bad_items_are_refused_naming_the_field() {
    let checklist = [FeeFinding::FeeWithoutService];
    let field = |item: FeeItemInput| check_items(&[item], &checklist).unwrap_err().field;
    let mut no_disposition = item(Some(Disposition::Cancel), 1, 1);
    no_disposition.disposition = None;
    assert_eq!(field(no_disposition), "items[0].disposition");
    let mut off_list = item(Some(Disposition::Cancel), 1, 1);
    off_list.findings = vec![FeeFinding::ForcedExpos];
    assert_eq!(field(off_list), "items[0].findings");
    let mut higher = item(Some(Disposition::Reduce), 1, 1);
    higher.new_standard_fen = Some(Fen::new(300_000));
    assert_eq!(field(higher), "items[0].new_standard_fen");
    assert_eq!(field(item(None, -1, 1)), "items[0].annual_income_fen");
    assert_eq!(check_items(&[], &checklist).unwrap_err().field, "items");
    assert!(check_items(&[item(Some(Disposition::Cancel), 1, 1)], &checklist).is_ok());
}

#[test]
fn every_label_is_in_both_languages() {
    use crate::label::Labelled;
    fn english<T: Labelled>() {
        for &v in T::all() {
            assert!(!v.label_zh().is_empty());
            assert!(v.label_en().is_ascii(), "{}", v.label_en());
        }
    }
    english::<FeeFinding>();
    english::<Disposition>();
    english::<CampaignStage>();
    english::<InspectionStage>();
}
