//! Illegal organizations (named in the year's batches, banned in the year) and dormant organizations
//! (confirmed in the year, by the stage their case is in now — as `GET /dormant/counts` counts them).

use domain::dashboard::FigureKey;
use domain::dormant::CaseStage;
use domain::illegal::IllegalStage;

use crate::store::dashboard::{Columns, Measure, Source};

/// The dormant stages [`CaseStage::is_identified`] counts, as an SQL list (checked by a test below).
macro_rules! identified {
    () => {
        "'confirmed', 'interviewed', 'rectifying', 'observation', 'deregistered', 'revoked'"
    };
}

/// The identified stages [`CaseStage::is_remediated`] counts as remediated.
macro_rules! remediated {
    () => {
        "'observation', 'deregistered', 'revoked'"
    };
}

/// The identified stages that are not remediated: still interviewed or rectifying.
macro_rules! in_rectification {
    () => {
        "'confirmed', 'interviewed', 'rectifying'"
    };
}

/// The cases confirmed in the year and place (`d`).
macro_rules! confirmed_in_year {
    ($stages:expr) => {
        concat!(
            "d.confirmed_on >= {start} AND d.confirmed_on < {end} AND d.division_code LIKE {division} \
             AND d.stage IN (",
            $stages,
            ")"
        )
    };
}

fn illegal_stage_label(key: &str) -> String {
    IllegalStage::parse(key).map_or_else(|| key.to_owned(), |s| s.label_zh().to_owned())
}

fn dormant_stage_label(key: &str) -> String {
    CaseStage::parse(key).map_or_else(|| key.to_owned(), |s| s.label_zh().to_owned())
}

fn batch_label(number: &str) -> String {
    format!("第 {number} 批")
}

fn cases_named(count: &str) -> String {
    format!("列入 {count} 个")
}

/// One row per illegal-organization case (`c`), linked to its page.
fn illegal_cases(
    from: &'static str,
    filter: &'static str,
    date: &'static str,
    detail: (&'static str, fn(&str) -> String),
) -> Source {
    Source {
        from,
        filter,
        group_by: None,
        columns: Columns {
            id: "c.id",
            title: "c.name",
            code: "c.decision_number",
            date,
            detail: detail.0,
            amount: "NULL",
            link: Some(("/illegal/", "c.id")),
            order: "c.id DESC",
            describe: detail.1,
        },
    }
}

pub(super) fn illegal(key: FigureKey) -> Measure {
    match key {
        // A case stays named in its batch whatever happens to it afterwards (banned, dissuaded …).
        FigureKey::IllegalPublished => {
            let mut source = illegal_cases(
                "illegal_cases c JOIN illegal_batches b ON b.id = c.batch_id",
                "b.published_on >= {start} AND b.published_on < {end} AND c.division_code LIKE {division}",
                "b.published_on",
                ("CAST(b.number AS TEXT)", batch_label),
            );
            source.columns.order = "b.published_on DESC, c.id DESC";
            Measure::Count(source)
        }
        // A batch counts in a city when it names a case of the city.
        FigureKey::IllegalBatches => Measure::Count(Source {
            from: "illegal_batches b",
            filter: "b.published_on >= {start} AND b.published_on < {end} \
                     AND EXISTS (SELECT 1 FROM illegal_cases c WHERE c.batch_id = b.id \
                                 AND c.division_code LIKE {division})",
            group_by: None,
            columns: Columns {
                id: "b.number",
                title: "'涉嫌非法社会组织名单第 ' || CAST(b.number AS TEXT) || ' 批'",
                code: "CAST(NULL AS TEXT)",
                date: "b.published_on",
                detail: "CAST((SELECT COUNT(*) FROM illegal_cases c WHERE c.batch_id = b.id) AS TEXT)",
                amount: "NULL",
                link: Some(("/illegal?batch=", "b.number")),
                order: "b.published_on DESC, b.number DESC",
                describe: cases_named,
            },
        }),
        FigureKey::IllegalBanned => {
            let mut source = illegal_cases(
                "illegal_cases c",
                "c.stage = 'banned' AND c.outcome_on >= {start} AND c.outcome_on < {end} \
                 AND c.division_code LIKE {division}",
                "c.outcome_on",
                ("c.stage", illegal_stage_label),
            );
            source.columns.order = "c.outcome_on DESC, c.id DESC";
            Measure::Count(source)
        }
        other => unreachable!("{other:?} is not an illegal-organization figure"),
    }
}

/// One row per case, linked to its page, with the stage it is in now. The organization is looked up for
/// the listed rows only, so that a count reads nothing but the index of migration 0021.
fn dormant_cases(filter: &'static str) -> Source {
    Source {
        from: "dormant_cases d",
        filter,
        group_by: None,
        columns: Columns {
            id: "d.id",
            title: "(SELECT o.name FROM organizations o WHERE o.id = d.organization_id)",
            code: "(SELECT o.credit_code FROM organizations o WHERE o.id = d.organization_id)",
            date: "d.confirmed_on",
            detail: "d.stage",
            amount: "NULL",
            link: Some(("/dormant/", "d.id")),
            order: "d.confirmed_on DESC, d.id DESC",
            describe: dormant_stage_label,
        },
    }
}

pub(super) fn dormant(key: FigureKey) -> Measure {
    Measure::Count(dormant_cases(match key {
        FigureKey::DormantIdentified => confirmed_in_year!(identified!()),
        FigureKey::DormantRemediated => confirmed_in_year!(remediated!()),
        FigureKey::DormantInRectification => confirmed_in_year!(in_rectification!()),
        other => unreachable!("{other:?} is not a dormant-organization figure"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &str) -> Vec<&str> {
        list.split(", ").map(|k| k.trim_matches('\'')).collect()
    }

    fn stages(keep: impl Fn(CaseStage) -> bool) -> Vec<&'static str> {
        CaseStage::ALL
            .into_iter()
            .filter(|s| keep(*s))
            .map(CaseStage::key)
            .collect()
    }

    #[test]
    fn the_stage_lists_are_the_dormant_counts_rules() {
        assert_eq!(keys(identified!()), stages(CaseStage::is_identified));
        assert_eq!(
            keys(remediated!()),
            stages(|s| s.is_identified() && s.is_remediated())
        );
        assert_eq!(
            keys(in_rectification!()),
            stages(|s| s.is_identified() && !s.is_remediated())
        );
    }
}
