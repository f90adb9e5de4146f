//! 党建工作 — figures from the party module's records: the branches approved for provincial organizations,
//! the coverage of provincial organizations at the year's end (the coverage page's own rule: an
//! organization's state on a day is its latest confirmed record effective by then), the latest batch of
//! instructors and their evaluations.

use domain::dashboard::FigureKey;
use domain::party::PartyOrgKind;

use super::{Columns, Measure, Source};

fn kind_label(key: &str) -> String {
    PartyOrgKind::parse(key).map_or_else(|| key.to_owned(), |k| k.label_zh().to_owned())
}

/// Approvals of provincial organizations of one kind decided (approved) in the year, in the place.
fn approvals(filter: &'static str) -> Measure {
    Measure::Count(Source {
        from: "party_approvals a JOIN organizations o ON o.id = a.organization_id",
        filter,
        group_by: None,
        columns: Columns {
            id: "a.id",
            title: "o.name",
            code: "o.credit_code",
            date: "a.decided_on",
            detail: "a.approving_body",
            amount: "a.members",
            link: Some(("/party/organizations/", "o.id")),
            order: "a.decided_on DESC, a.id DESC",
            describe: super::verbatim,
        },
    })
}

/// The provincial organizations in scope at the year's end, as the coverage page counts them on 31
/// December: in normal standing now (the registry keeps no end date of a registration) and founded by then.
macro_rules! in_scope {
    () => {
        "o.level = 'provincial' AND o.status = 'normal' \
         AND (o.founded_on IS NULL OR o.founded_on < {end}) AND o.division_code LIKE {division}"
    };
}

/// One row per provincial organization in scope (`o`), shown with `date` and `detail`.
fn provincial(from: &'static str, filter: &'static str, date: &'static str, detail: &'static str) -> Source {
    Source {
        from,
        filter,
        group_by: None,
        columns: Columns {
            id: "o.id",
            title: "o.name",
            code: "o.credit_code",
            date,
            detail,
            amount: "NULL",
            link: Some(("/party/organizations/", "o.id")),
            order: "o.name, o.id",
            describe: kind_label,
        },
    }
}

/// `r` is the organization's state at the year's end: a confirmed record effective by then with no later
/// one (by day, then id) — the coverage page's "latest confirmed record", written as an anti-join so that
/// both databases read each organization's records once.
macro_rules! state_at_year_end {
    () => {
        "r.status = 'confirmed' AND r.effective_on < {end} AND NOT EXISTS (SELECT 1 FROM party_records n \
         WHERE n.organization_id = o.id AND n.status = 'confirmed' AND n.effective_on < {end} \
         AND (n.effective_on > r.effective_on OR (n.effective_on = r.effective_on AND n.id > r.id)))"
    };
}

/// The assignments `pa` in the place of the latest batch whose term started before the year's end.
macro_rules! in_latest_batch {
    () => {
        "pa.division_code LIKE {division} AND pa.batch_id = (SELECT lb.id FROM party_batches lb \
         WHERE lb.term_start < {end} ORDER BY lb.term_start DESC, lb.number DESC LIMIT 1)"
    };
}

/// One row per instructor evaluated in the year (kept by `filter`), whatever the batch; the city filter
/// keeps those who had an organization in the city in the batch evaluated.
fn evaluated(filter: &'static str) -> Measure {
    Measure::Count(Source {
        from: "party_evaluations e JOIN users u ON u.id = e.instructor_id",
        filter,
        group_by: Some("e.instructor_id, u.display_name"),
        columns: Columns {
            id: "e.instructor_id",
            title: "u.display_name",
            code: "NULL",
            date: "MAX(e.evaluated_on)",
            detail: "MIN(e.rating)",
            amount: "NULL",
            link: Some(("/party/batches/", "MAX(e.batch_id)")),
            order: "MAX(e.evaluated_on) DESC, e.instructor_id DESC",
            describe: rating_label,
        },
    })
}

fn rating_label(key: &str) -> String {
    domain::party::Rating::parse(key).map_or_else(|| key.to_owned(), |r| r.label_zh().to_owned())
}

/// Whether the evaluated instructor had an organization in the place in the batch evaluated.
macro_rules! evaluated_in_place {
    ($rating:literal) => {
        concat!(
            "e.evaluated_on >= {start} AND e.evaluated_on < {end}",
            $rating,
            " AND EXISTS (SELECT 1 FROM party_assignments ea WHERE ea.batch_id = e.batch_id \
             AND ea.instructor_id = e.instructor_id AND ea.division_code LIKE {division})"
        )
    };
}

pub(super) fn measure(key: FigureKey) -> Measure {
    match key {
        FigureKey::FunctionalBranchesApproved => approvals(
            "a.kind = 'functional' AND a.status = 'approved' AND a.decided_on >= {start} \
             AND a.decided_on < {end} AND o.level = 'provincial' AND a.division_code LIKE {division}",
        ),
        FigureKey::EntityBranchesApproved => approvals(
            "a.kind = 'entity' AND a.status = 'approved' AND a.decided_on >= {start} \
             AND a.decided_on < {end} AND o.level = 'provincial' AND a.division_code LIKE {division}",
        ),
        FigureKey::CoverageProvincial => Measure::Share {
            numerator: provincial(
                "organizations o JOIN party_records r ON r.organization_id = o.id",
                concat!(
                    in_scope!(),
                    " AND ",
                    state_at_year_end!(),
                    " AND r.kind <> 'none'"
                ),
                "r.effective_on",
                "r.kind",
            ),
            denominator: provincial("organizations o", in_scope!(), "o.founded_on", "'none'"),
        },
        // One row per instructor of the batch (with an organization in the place).
        FigureKey::InstructorsLatestBatch => Measure::Count(Source {
            from: "party_assignments pa JOIN party_batches b ON b.id = pa.batch_id \
                   JOIN users u ON u.id = pa.instructor_id",
            filter: in_latest_batch!(),
            group_by: Some("pa.instructor_id, u.display_name"),
            columns: Columns {
                id: "pa.instructor_id",
                title: "u.display_name",
                code: "NULL",
                date: "MIN(b.term_start)",
                detail: "CAST(COUNT(*) AS TEXT)",
                amount: "COUNT(*)",
                link: Some(("/party/batches/", "MIN(b.id)")),
                order: "u.display_name, pa.instructor_id",
                describe: |n| format!("入驻 {n} 个社会组织"),
            },
        }),
        // One row per organization of the batch (one instructor per organization and batch).
        FigureKey::OrganizationsLatestBatch => Measure::Count(Source {
            from: "party_assignments pa JOIN party_batches b ON b.id = pa.batch_id \
                   JOIN organizations o ON o.id = pa.organization_id JOIN users u ON u.id = pa.instructor_id",
            filter: in_latest_batch!(),
            group_by: None,
            columns: Columns {
                id: "o.id",
                title: "o.name",
                code: "o.credit_code",
                date: "b.term_start",
                detail: "u.display_name",
                amount: "NULL",
                link: Some(("/party/organizations/", "o.id")),
                order: "o.name, o.id",
                describe: |instructor| format!("党建指导员：{instructor}"),
            },
        }),
        FigureKey::InstructorsEvaluated => evaluated(evaluated_in_place!("")),
        FigureKey::InstructorsExcellent => evaluated(evaluated_in_place!(" AND e.rating = 'excellent'")),
        other => unreachable!("{other:?} is not a party figure"),
    }
}
