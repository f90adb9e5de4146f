//! 登记服务 — figures from the registry: the industry associations founded in the year (by the founding
//! date the registry holds, whatever their standing now) and the matters decided in the year (a matter is
//! 办结 once approved or rejected; `decided_at` is set by that step).

use domain::dashboard::FigureKey;
use domain::registry::matter::{MatterKind, MatterStage};

use super::{Columns, Measure, Source};

/// One row per organization founded in the year tagged as an industry association, in the place
/// (`categories` is a comma list).
macro_rules! new_associations {
    () => {
        "o.founded_on >= {start} AND o.founded_on < {end} \
         AND (',' || o.categories || ',') LIKE '%,industry_association,%' AND o.division_code LIKE {division}"
    };
}

fn associations(filter: &'static str) -> Measure {
    Measure::Count(Source {
        from: "organizations o",
        filter,
        group_by: None,
        columns: Columns {
            id: "o.id",
            title: "o.name",
            code: "o.credit_code",
            date: "o.founded_on",
            detail: "o.level",
            amount: "NULL",
            link: Some(("/organizations/", "o.id")),
            order: "o.founded_on DESC, o.id DESC",
            describe: level_label,
        },
    })
}

fn level_label(key: &str) -> String {
    domain::registry::organization::Level::parse(key)
        .ok()
        .map_or_else(|| key.to_owned(), |l| l.label_zh().to_owned())
}

/// The matters of the provincial authority (registered at a division of the province level) decided in
/// the year, in the place.
macro_rules! provincial_decided {
    () => {
        "d.level = 'province' AND m.state IN ('approved', 'rejected') \
         AND m.decided_at >= {start_ts} AND m.decided_at < {end_ts} AND m.division_code LIKE {division}"
    };
}

/// One row per matter kept by `filter` (over `m` and its division `d`), linked to its page.
fn matters(filter: &'static str) -> Measure {
    Measure::Count(Source {
        from: "matters m JOIN divisions d ON d.code = m.division_code",
        filter,
        group_by: None,
        columns: Columns {
            id: "m.id",
            title: "m.organization_name",
            code: "NULL",
            date: "date(m.decided_at)",
            detail: "m.kind || ':' || m.state",
            amount: "NULL",
            link: Some(("/matters/", "m.id")),
            order: "m.decided_at DESC, m.id DESC",
            describe: kind_and_outcome,
        },
    })
}

/// `change:approved` reads 变更登记（准予登记）.
fn kind_and_outcome(detail: &str) -> String {
    let (kind, state) = detail.split_once(':').unwrap_or((detail, ""));
    let kind = MatterKind::parse(kind).ok().map_or(kind, |k| k.label_zh());
    match MatterStage::parse(state) {
        Some(stage) => format!("{kind}（{}）", stage.label_zh()),
        None => kind.to_owned(),
    }
}

pub(super) fn measure(key: FigureKey) -> Measure {
    match key {
        FigureKey::NewIndustryAssociations => associations(new_associations!()),
        FigureKey::NewEmergingProvincial => associations(concat!(
            new_associations!(),
            " AND o.level = 'provincial' AND o.emerging_industry IS NOT NULL"
        )),
        FigureKey::ProvincialMattersCompleted => matters(concat!(
            provincial_decided!(),
            " AND m.kind IN ('establishment', 'change', 're_election', 'deregistration', 'filing')"
        )),
        FigureKey::ProvincialEstablishments => {
            matters(concat!(provincial_decided!(), " AND m.kind = 'establishment'"))
        }
        FigureKey::ProvincialChanges => matters(concat!(provincial_decided!(), " AND m.kind = 'change'")),
        FigureKey::ProvincialReElections => {
            matters(concat!(provincial_decided!(), " AND m.kind = 're_election'"))
        }
        FigureKey::ProvincialDeregistrations => {
            matters(concat!(provincial_decided!(), " AND m.kind = 'deregistration'"))
        }
        FigureKey::ProvincialFilings => matters(concat!(provincial_decided!(), " AND m.kind = 'filing'")),
        FigureKey::ForProfitToNonprofit => matters(
            "m.kind = 'for_profit_conversion' AND m.state = 'approved' \
             AND m.decided_at >= {start_ts} AND m.decided_at < {end_ts} AND m.division_code LIKE {division}",
        ),
        other => unreachable!("{other:?} is not a registration figure"),
    }
}
