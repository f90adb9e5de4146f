//! The ledger's totals: counted entries (verified, not superseded) summed by kind, year, city and
//! organization — from the rollups (`contribution_rollup` by county, `contribution_city_rollup` by city)
//! where no organization is involved, otherwise from the ledger through its `(organization_id, year, kind)`
//! index, which holds the columns summed (migration 0029: an organization's entries are read from
//! adjacent index pages alone).

use domain::api::ContributionTotal;
use domain::contributions::ContributionKind;
use domain::money::Fen;
use sqlx::QueryBuilder;

use super::{LedgerFilter, push_ledger_where};
use crate::store::{Store, Visibility, on_pool};

/// The dimensions of a totals query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TotalsBy {
    pub kind: bool,
    pub year: bool,
    pub city: bool,
    pub organization: bool,
}

#[derive(Debug, sqlx::FromRow)]
struct TotalRow {
    kind: Option<String>,
    year: Option<i32>,
    city_code: Option<String>,
    city_name: Option<String>,
    organization_id: Option<i64>,
    organization_name: Option<String>,
    entries: i64,
    amount_fen: i64,
    people: i64,
}

impl Store {
    /// Counted entries `visibility` covers that pass `filter`, summed by the dimensions of `by`: from the
    /// rollup when no organization is involved (province, city and county totals), otherwise from the
    /// ledger through its organization index.
    pub async fn contribution_totals(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        by: TotalsBy,
    ) -> Result<Vec<ContributionTotal>, sqlx::Error> {
        if visibility.organization_ids().is_none() && filter.organization_id.is_none() && !by.organization {
            self.rollup_totals(visibility, filter, by).await
        } else {
            self.ledger_totals(visibility, filter, by).await
        }
    }

    /// As [`Store::contribution_totals`] for totals without an organization, read from the rollup.
    pub async fn rollup_totals(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        by: TotalsBy,
    ) -> Result<Vec<ContributionTotal>, sqlx::Error> {
        // The rollup has no organization column: a visibility of organizations can only sum the ledger.
        if visibility.organization_ids().is_some() {
            return self.ledger_totals(visibility, filter, by).await;
        }
        let (grouped, group) = totals_grouping(TotalsBy {
            organization: false,
            ..by
        });
        // The province and a city read the rollup by city (migration 0030): a few thousand cells, where
        // the counties' are a quarter of a million at national volume. A county reads its own cells.
        let prefix = visibility.division_prefix();
        let by_city = prefix.is_none_or(|p| p.len() <= 4);
        let table = if by_city {
            "contribution_city_rollup"
        } else {
            "contribution_rollup"
        };
        let select = format!(
            "SELECT {grouped}, CAST(COALESCE(SUM(c.entries), 0) AS BIGINT) AS entries,
                    CAST(COALESCE(SUM(c.amount_fen), 0) AS BIGINT) AS amount_fen,
                    CAST(COALESCE(SUM(c.people), 0) AS BIGINT) AS people
             FROM {table} c WHERE 1 = 1"
        );
        let rows: Vec<TotalRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(select.as_str());
            match prefix {
                Some(prefix) if by_city => crate::store::push_division_prefix!(query, "c.city_code", prefix),
                Some(prefix) => crate::store::push_division_prefix!(query, "c.division_code", prefix),
                None => {}
            }
            if let Some(kind) = filter.kind {
                query.push(" AND c.kind = ").push_bind(kind.key());
            }
            if let Some(year) = filter.year {
                query.push(" AND c.year = ").push_bind(year);
            }
            if let Some(city) = &filter.city_code {
                query.push(" AND c.city_code = ").push_bind(city.clone());
            }
            query.push(" ").push(group.as_str());
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(totals_from(rows))
    }

    /// As [`Store::contribution_totals`], summing the ledger itself (the rollup's check in the tests).
    pub async fn ledger_totals(
        &self,
        visibility: &Visibility,
        filter: &LedgerFilter,
        by: TotalsBy,
    ) -> Result<Vec<ContributionTotal>, sqlx::Error> {
        let (grouped, group) = totals_grouping(by);
        let counted = LedgerFilter {
            counted: true,
            ..filter.clone()
        };
        let select = format!(
            "SELECT {grouped}, COUNT(*) AS entries,
                    CAST(COALESCE(SUM(c.amount_fen), 0) AS BIGINT) AS amount_fen,
                    CAST(COALESCE(SUM(c.people), 0) AS BIGINT) AS people
             FROM contributions c"
        );
        let rows: Vec<TotalRow> = on_pool!(self, pool => {
            let mut query = QueryBuilder::new(select.as_str());
            push_ledger_where!(query, visibility, counted);
            query.push(" ").push(group.as_str());
            query.build_query_as().fetch_all(pool).await?
        });
        Ok(totals_from(rows))
    }
}

/// The grouping of a totals query over `c` (the ledger or its rollup, which name these columns alike): the
/// leading SELECT columns — each dimension, or NULL when not grouped by it — and the GROUP BY / ORDER BY.
fn totals_grouping(by: TotalsBy) -> (String, String) {
    let pick = |on: bool, expr: &'static str, null: &'static str| if on { expr } else { null };
    let kind = pick(by.kind, "c.kind", "CAST(NULL AS TEXT)");
    let year = pick(by.year, "c.year", "CAST(NULL AS INTEGER)");
    let city = pick(by.city, "c.city_code", "CAST(NULL AS TEXT)");
    let city_name = pick(
        by.city,
        "(SELECT d.name FROM divisions d WHERE d.code = c.city_code)",
        "CAST(NULL AS TEXT)",
    );
    let org = pick(by.organization, "c.organization_id", "CAST(NULL AS BIGINT)");
    let org_name = pick(
        by.organization,
        "(SELECT o.name FROM organizations o WHERE o.id = c.organization_id)",
        "CAST(NULL AS TEXT)",
    );
    let columns: Vec<&str> = [
        (by.kind, "c.kind"),
        (by.year, "c.year"),
        (by.city, "c.city_code"),
        (by.organization, "c.organization_id"),
    ]
    .into_iter()
    .filter_map(|(on, column)| on.then_some(column))
    .collect();
    let group = if columns.is_empty() {
        String::new()
    } else {
        format!("GROUP BY {0} ORDER BY {0}", columns.join(", "))
    };
    let select = format!(
        "{kind} AS kind, {year} AS year, {city} AS city_code, {city_name} AS city_name, \
         {org} AS organization_id, {org_name} AS organization_name"
    );
    (select, group)
}

/// The groups that have entries, as the API gives them.
fn totals_from(rows: Vec<TotalRow>) -> Vec<ContributionTotal> {
    rows.into_iter()
        .filter(|r| r.entries > 0)
        .map(|r| ContributionTotal {
            kind: r.kind.as_deref().and_then(ContributionKind::parse),
            year: r.year,
            city_code: r.city_code,
            city_name: r.city_name,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            entries: r.entries,
            amount_fen: Fen::new(r.amount_fen),
            people: r.people,
        })
        .collect()
}
