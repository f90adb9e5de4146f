//! 作用发挥 — figures from the verified ledger: an entry counts when it is verified and not superseded by a
//! correction (the same rule as the ledger's totals), in the year it is dated, by the division of the
//! organization when it was recorded. A provincial organization is registered at the province
//! (`340000`), so its entries are those recorded there: the million-entry ledger is read through one
//! index (`contributions_dashboard`) without joining the registry, which only names the rows listed.

use domain::contributions::ContributionKind;
use domain::dashboard::FigureKey;

use super::{Columns, Measure, Source};

/// The organization's name and credit code, read only for the rows a page lists.
const NAME: &str = "(SELECT o.name FROM organizations o WHERE o.id = c.organization_id)";
const CODE: &str = "(SELECT o.credit_code FROM organizations o WHERE o.id = c.organization_id)";

fn kind_label(key: &str) -> String {
    ContributionKind::parse(key).map_or_else(|| key.to_owned(), |k| k.label_zh().to_owned())
}

/// One row per entry, linked to its page in the ledger.
fn entries(filter: &'static str) -> Source {
    Source {
        from: "contributions c",
        filter,
        group_by: None,
        columns: Columns {
            id: "c.id",
            title: NAME,
            code: CODE,
            date: "c.date",
            detail: "c.kind",
            amount: "c.amount_fen",
            link: Some(("/contributions/", "c.id")),
            order: "c.date DESC, c.id DESC",
            describe: kind_label,
        },
    }
}

pub(super) fn measure(key: FigureKey) -> Measure {
    match key {
        FigureKey::Expos => Measure::Count(entries(
            "c.kind = 'expo' AND c.status = 'verified' AND c.superseded_by IS NULL AND c.year = {year} \
             AND c.division_code = '340000' AND c.division_code LIKE {division}",
        )),
        FigureKey::Investment => Measure::Sum(entries(
            "c.kind = 'investment' AND c.status = 'verified' AND c.superseded_by IS NULL AND c.year = {year} \
             AND c.division_code = '340000' AND c.division_code LIKE {division}",
        )),
        FigureKey::RuralAidProvincial => Measure::Sum(entries(
            "c.kind IN ('rural_funds', 'rural_goods', 'project', 'consumption') AND c.status = 'verified' \
             AND c.superseded_by IS NULL AND c.year = {year} AND c.division_code = '340000' \
             AND c.division_code LIKE {division}",
        )),
        // A student funded twice in the year (by two entries) is one student: one row per ID-number hash,
        // shown masked.
        FigureKey::ScholarshipStudents => Measure::Count(Source {
            from: "contributions c JOIN contribution_recipients r ON r.contribution_id = c.id",
            filter: "c.kind = 'scholarship' AND c.status = 'verified' AND c.superseded_by IS NULL \
                     AND c.year = {year} AND c.division_code = '340000' AND c.division_code LIKE {division}",
            group_by: Some("r.id_hash"),
            columns: Columns {
                id: "MIN(r.id)",
                title: "MIN(r.name_masked)",
                code: "MIN(r.id_number_masked)",
                date: "MIN(c.date)",
                detail: "MIN(r.school)",
                amount: "SUM(r.amount_fen)",
                link: Some(("/contributions/", "MIN(c.id)")),
                order: "MIN(c.date) DESC, MIN(r.id) DESC",
                describe: super::verbatim,
            },
        }),
        FigureKey::ScholarshipOrganizations => Measure::Count(Source {
            from: "contributions c JOIN organizations o ON o.id = c.organization_id",
            filter: "c.kind = 'scholarship' AND c.status = 'verified' AND c.superseded_by IS NULL \
                     AND c.year = {year} AND c.division_code = '340000' AND c.division_code LIKE {division}",
            group_by: Some("o.id, o.name, o.credit_code"),
            columns: Columns {
                id: "o.id",
                title: "o.name",
                code: "o.credit_code",
                date: "MAX(c.date)",
                detail: "'助学'",
                amount: "SUM(c.amount_fen)",
                link: Some(("/organizations/", "o.id")),
                order: "MAX(c.date) DESC, o.id DESC",
                describe: super::verbatim,
            },
        }),
        other => unreachable!("{other:?} is not an impact figure"),
    }
}
