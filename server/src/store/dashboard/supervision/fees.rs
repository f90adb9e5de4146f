//! Fee inspections (涉企收费检查) of the campaigns of the year: the recorded inspections, and of them those
//! that `domain::fees` counts as a violation or as fees put right, with the burden removed and the
//! enterprises benefited as the fee module's results add them up (one row per inspection).

use domain::dashboard::FigureKey;

use crate::store::dashboard::{Columns, Measure, Source, verbatim};

/// The dispositions [`domain::fees::is_violation`] counts (checked by a test below).
macro_rules! violating {
    () => {
        "'investigate'"
    };
}

/// The dispositions [`domain::fees::is_standardized`] counts.
macro_rules! standardizing {
    () => {
        "'cancel', 'reduce', 'standardize', 'publish'"
    };
}

/// The recorded inspections of the year's campaigns, of associations registered in the place (`i`, `f`).
macro_rules! recorded_in_year {
    ($and:expr) => {
        concat!(
            "f.year = {year} AND i.stage = 'recorded' AND i.division_code LIKE {division}",
            $and
        )
    };
}

/// An item with a disposition among `$dispositions` (`t`).
macro_rules! with_item {
    ($dispositions:expr) => {
        concat!(
            " AND EXISTS (SELECT 1 FROM fee_items t WHERE t.inspection_id = i.id AND t.disposition IN (",
            $dispositions,
            "))"
        )
    };
}

/// An item whose disposition removes a burden (取消 or 降低: `burden_removed_fen`, written by the rule).
macro_rules! removing {
    () => {
        " AND EXISTS (SELECT 1 FROM fee_items t WHERE t.inspection_id = i.id AND t.burden_removed_fen > 0)"
    };
}

/// One row per inspection, linked to its page; `amount` is what it adds to a sum.
fn inspections(filter: &'static str, amount: &'static str) -> Source {
    Source {
        from: "fee_inspections i JOIN fee_campaigns f ON f.id = i.campaign_id \
               JOIN organizations o ON o.id = i.organization_id",
        filter,
        group_by: None,
        columns: Columns {
            id: "i.id",
            title: "o.name",
            code: "o.credit_code",
            date: "i.inspected_on",
            detail: "f.title",
            amount,
            link: Some(("/fees/inspections/", "i.id")),
            order: "i.inspected_on DESC, i.id DESC",
            describe: verbatim,
        },
    }
}

pub(super) fn measure(key: FigureKey) -> Measure {
    match key {
        FigureKey::FeeInspected => Measure::Count(inspections(recorded_in_year!(""), "NULL")),
        FigureKey::FeeViolations => {
            Measure::Count(inspections(recorded_in_year!(with_item!(violating!())), "NULL"))
        }
        FigureKey::FeesStandardized => Measure::Count(inspections(
            recorded_in_year!(with_item!(standardizing!())),
            "NULL",
        )),
        FigureKey::FeeBurdenRemoved => Measure::Sum(inspections(
            recorded_in_year!(removing!()),
            "(SELECT SUM(t.burden_removed_fen) FROM fee_items t WHERE t.inspection_id = i.id)",
        )),
        // `domain::fees::enterprises_benefited`: the most payers of any item whose burden is removed, since
        // the same member enterprises pay an association's several fees.
        FigureKey::FeeEnterprisesBenefited => Measure::Sum(inspections(
            recorded_in_year!(removing!()),
            "(SELECT MAX(t.payers) FROM fee_items t WHERE t.inspection_id = i.id AND t.burden_removed_fen > 0)",
        )),
        other => unreachable!("{other:?} is not a fee figure"),
    }
}

#[cfg(test)]
mod tests {
    use domain::fees::{Disposition, FeeFinding, FeeItemInput, is_standardized, is_violation};
    use domain::money::Fen;

    fn item(disposition: Disposition) -> FeeItemInput {
        FeeItemInput {
            name: "会费".into(),
            basis: "会员大会决议".into(),
            standard_fen: Fen::new(200_000),
            annual_income_fen: Fen::new(1_000_000),
            payers: 5,
            findings: vec![FeeFinding::FeeWithoutService],
            disposition: Some(disposition),
            new_standard_fen: (disposition == Disposition::Reduce).then(|| Fen::new(50_000)),
        }
    }

    fn keys(list: &str) -> Vec<&str> {
        list.split(", ").map(|k| k.trim_matches('\'')).collect()
    }

    fn dispositions(rule: fn(&[FeeItemInput]) -> bool) -> Vec<&'static str> {
        Disposition::ALL
            .into_iter()
            .filter(|d| rule(&[item(*d)]))
            .map(Disposition::key)
            .collect()
    }

    #[test]
    fn the_disposition_lists_are_the_fee_modules_rules() {
        assert_eq!(keys(violating!()), dispositions(is_violation));
        assert_eq!(keys(standardizing!()), dispositions(is_standardized));
    }
}
