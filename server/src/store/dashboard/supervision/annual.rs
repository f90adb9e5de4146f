//! Follow-ups of the annual inspection: provincial organizations that missed the previous year's
//! inspection (their report marked 未报送 at the deadline, whether or not sent late afterwards), with a
//! follow-up of some kind dated in the year — one row per organization, however many follow-ups it had.

use domain::dashboard::FigureKey;
use domain::inspection::FollowUpKind;

use crate::store::dashboard::{Columns, Measure, Source};

/// Follow-ups of one of `$kinds` in the year and place on a provincial organization's missed report of
/// the year before (`f`, `r`, `o`).
macro_rules! followed_up {
    ($kinds:expr) => {
        concat!(
            "f.kind IN (",
            $kinds,
            ") AND f.on_date >= {start} AND f.on_date < {end} AND f.division_code LIKE {division} \
             AND r.year = {year} - 1 AND (r.stage = 'not_filed' OR r.late) AND o.level = 'provincial'"
        )
    };
}

/// The kinds of the organization's follow-ups that count, labelled (`MAX` gives one of them).
fn kind_label(key: &str) -> String {
    FollowUpKind::parse(key).map_or_else(|| key.to_owned(), |k| k.label_zh().to_owned())
}

/// One row per organization, linked to its missed report (where the follow-ups are recorded).
fn organizations(filter: &'static str) -> Source {
    Source {
        from: "inspection_follow_ups f JOIN annual_reports r ON r.id = f.report_id \
               JOIN organizations o ON o.id = f.organization_id",
        filter,
        group_by: Some("o.id, o.name, o.credit_code"),
        columns: Columns {
            id: "o.id",
            title: "o.name",
            code: "o.credit_code",
            date: "MAX(f.on_date)",
            detail: "MAX(f.kind)",
            amount: "NULL",
            link: Some(("/inspection/", "MAX(r.id)")),
            order: "MAX(f.on_date) DESC, o.id DESC",
            describe: kind_label,
        },
    }
}

pub(super) fn measure(key: FigureKey) -> Measure {
    Measure::Count(organizations(match key {
        FigureKey::AnnualMissingInterviewed => followed_up!("'interview'"),
        FigureKey::AnnualMissingPenalized => followed_up!("'rectification', 'penalty_referral'"),
        FigureKey::AnnualMissingAudited => followed_up!("'audit'"),
        other => unreachable!("{other:?} is not an annual-inspection figure"),
    }))
}
