//! 覆盖率与组建率: on any day, for a level and a division, with a row per division below it, and the
//! organizations behind each number. Both read every organization's state on the day once
//! (`Store::party_states_on`) and count or list it through `domain::party::Cohort` — so a drill-down's
//! total is the number it was opened from.

use axum::extract::State;
use domain::api::{Coverage, CoverageOrganization, CoverageQuery, CoverageRow, Page};
use domain::division::DivisionCode;
use domain::paging::PageRequest;
use domain::party::Cohort;
use domain::registry::organization::Level;

use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::Visibility;
use crate::store::party::{CoverageFilter, StateRow};

/// The coverage and formation rates in the caller's scope on a day (today by default), for one level or
/// all, in a division (the caller's whole scope by default), with a row per city (or county) below it.
#[utoipa::path(get, path = "/party/coverage", tag = "party", params(CoverageQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Coverage), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn find_party_coverage(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<CoverageQuery>,
) -> Result<AppJson<Coverage>> {
    let filter = coverage_filter(&query, false)?;
    let visibility = auth.visibility();
    let states = state.store.party_states_on(&visibility, &filter).await?;
    // Local staff's table starts at their own division.
    let parent = match (&filter.division_prefix, &visibility) {
        (Some(prefix), _) => prefix.clone(),
        (None, Visibility::Division(prefix)) => prefix.clone(),
        (None, _) => String::new(),
    };
    let names = state.store.division_names(Some(&parent)).await?;
    let name_of = |code: &str| {
        names
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let mut total = CoverageRow {
        division_code: scope_code(&parent),
        division_name: name_of(&scope_code(&parent)),
        ..CoverageRow::default()
    };
    let mut rows: Vec<CoverageRow> = Vec::new();
    for org in &states {
        let (kind, members) = (org.kind(), org.members());
        total.count(kind, members);
        let code = child_of(&parent, &org.division_code);
        let at = match rows.iter().position(|r| r.division_code == code) {
            Some(at) => at,
            None => {
                rows.push(CoverageRow {
                    division_name: name_of(&code),
                    division_code: code,
                    ..CoverageRow::default()
                });
                rows.len() - 1
            }
        };
        rows[at].count(kind, members);
    }
    rows.sort_by(|a, b| a.division_code.cmp(&b.division_code));
    Ok(AppJson(Coverage {
        on: filter.on,
        level: filter.level,
        total,
        rows,
    }))
}

/// The organizations behind one number of the coverage table (`cohort`, `in_scope` by default), by name,
/// paged; the total is that number.
#[utoipa::path(get, path = "/party/coverage/organizations", tag = "party", params(CoverageQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<CoverageOrganization>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_coverage_organizations(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<CoverageQuery>,
) -> Result<AppJson<Page<CoverageOrganization>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let cohort =
        key_of("cohort", "统计口径", query.cohort.as_deref(), Cohort::parse)?.unwrap_or(Cohort::InScope);
    let filter = coverage_filter(&query, true)?;
    let states = state.store.party_states_on(&auth.visibility(), &filter).await?;
    let members: Vec<&StateRow> = states
        .iter()
        .filter(|org| cohort.contains(org.kind(), org.members()))
        .collect();
    let items = members
        .iter()
        .skip(page.offset() as usize)
        .take(page.per_page() as usize)
        .map(|org| CoverageOrganization {
            organization_id: org.id,
            name: org.name.clone(),
            credit_code: org.credit_code.clone(),
            level: Level::parse(&org.level).unwrap_or(Level::Provincial),
            division_code: org.division_code.clone(),
            kind: org.kind(),
            members: org.members(),
        })
        .collect();
    Ok(AppJson(Page {
        items,
        total: members.len() as u64,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// The filter a coverage query names; the search words only for the drill-down.
fn coverage_filter(query: &CoverageQuery, with_search: bool) -> Result<CoverageFilter> {
    let today = today();
    let on = query.on.unwrap_or(today);
    if on > today {
        return Err(Error::invalid("on", "统计日期（on）不能晚于今天"));
    }
    let q = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| with_search && !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 100) {
        return Err(Error::invalid("q", "搜索词（q）不能超过 100 个字"));
    }
    Ok(CoverageFilter {
        on,
        level: key_of("level", "登记级别", query.level.as_deref(), |l| {
            Level::parse(l).ok()
        })?,
        division_prefix: prefix_of("division", query.division.as_deref())?,
        q: q.map(str::to_owned),
    })
}

/// The 6-digit code of a prefix: `34` → `340000`, `3401` → `340100`; the province when none.
fn scope_code(prefix: &str) -> String {
    if prefix.is_empty() {
        return domain::division::PROVINCE_CODE.to_owned();
    }
    format!("{prefix:0<6}")
}

/// The row an organization registered in `code` counts in, below the division of `prefix`: its city under
/// the province, its county under a city; registrations of the division itself keep its own code.
fn child_of(prefix: &str, code: &str) -> String {
    let own = scope_code(prefix);
    if code == own {
        return own;
    }
    match DivisionCode::parse(code) {
        Ok(division) if prefix.len() <= 2 => division.city().as_str().to_owned(),
        _ => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizations_count_in_the_division_just_below_the_one_asked_for() {
        assert_eq!(child_of("", "340000"), "340000");
        assert_eq!(child_of("34", "340122"), "340100");
        assert_eq!(child_of("34", "340100"), "340100");
        assert_eq!(child_of("3401", "340122"), "340122");
        assert_eq!(child_of("3401", "340100"), "340100");
        assert_eq!(scope_code("3401"), "340100");
    }
}
