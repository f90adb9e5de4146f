//! The provincial authority's decisions of the year (行政许可, 行政处罚) and the share of the year's
//! decisions published on the credit platform by their due day (双公示), as the publication module's
//! on-time rate counts it: on time over those whose outcome is known (published, or unpublished past the
//! due day); the items not yet due are left out of both.

use domain::dashboard::FigureKey;
use domain::penalties::PenaltyKind;
use domain::publication::DecisionKind;
use domain::registry::matter::MatterKind;

use crate::store::dashboard::{Columns, Measure, Source};

fn matter_label(key: &str) -> String {
    MatterKind::parse(key).map_or_else(|_| key.to_owned(), |k| k.label_zh().to_owned())
}

fn penalty_kinds(keys: &str) -> String {
    keys.split(',')
        .filter(|k| !k.is_empty())
        .map(|k| PenaltyKind::parse(k).map_or(k, |k| k.label_zh()))
        .collect::<Vec<_>>()
        .join("、")
}

fn decision_label(key: &str) -> String {
    DecisionKind::parse(key).map_or_else(|| key.to_owned(), |k| k.label_zh().to_owned())
}

/// The items of the decisions made in the year and place whose outcome is known (`p`), and `$and`.
macro_rules! known_items {
    ($and:expr) => {
        concat!(
            "p.decided_on >= {start} AND p.decided_on < {end} AND p.division_code LIKE {division} \
             AND (p.published_on IS NOT NULL OR p.due_on < {today})",
            $and
        )
    };
}

fn publication_items(filter: &'static str) -> Source {
    Source {
        from: "publication_items p",
        filter,
        group_by: None,
        columns: Columns {
            id: "p.id",
            title: "p.organization_name",
            code: "p.document_number",
            date: "p.decided_on",
            detail: "p.kind",
            amount: "NULL",
            link: Some(("/publication/", "p.id")),
            order: "p.decided_on DESC, p.id DESC",
            describe: decision_label,
        },
    }
}

pub(super) fn measure(key: FigureKey) -> Measure {
    match key {
        // The authority is the registering division of the matter; the province's is 340000. A decision is
        // numbered in the year it is dated (`year` = the year of `decided_on`), which the index serves.
        FigureKey::LicensingDecisions => Measure::Count(Source {
            from: "licensing_decisions l",
            filter: "l.year = {year} AND l.authority_code = '340000' AND l.authority_code LIKE {division}",
            group_by: None,
            columns: Columns {
                id: "l.id",
                title: "l.organization_name",
                code: "l.document_number",
                date: "l.decided_on",
                detail: "l.kind",
                amount: "NULL",
                link: Some(("/matters/", "l.matter_id")),
                order: "l.decided_on DESC, l.id DESC",
                describe: matter_label,
            },
        }),
        FigureKey::PenaltyDecisions => Measure::Count(Source {
            from: "penalty_cases p JOIN organizations o ON o.id = p.organization_id",
            filter: "p.stage = 'decided' AND p.division_code = '340000' AND p.division_code LIKE {division} \
                     AND p.decided_on >= {start} AND p.decided_on < {end}",
            group_by: None,
            columns: Columns {
                id: "p.id",
                title: "o.name",
                code: "p.document_number",
                date: "p.decided_on",
                detail: "p.kinds",
                amount: "p.fine_fen",
                link: Some(("/penalties/", "p.id")),
                order: "p.decided_on DESC, p.id DESC",
                describe: penalty_kinds,
            },
        }),
        FigureKey::PublicationOnTime => Measure::Share {
            numerator: publication_items(known_items!(" AND p.published_on <= p.due_on")),
            denominator: publication_items(known_items!("")),
        },
        other => unreachable!("{other:?} is not a decision figure"),
    }
}
