//! The on-time rate (按时公示率) of a period, per division and in all, computed from the outbox: an item
//! is on time when published by its due day, late when published after it or still unpublished past it
//! (counted in working days), and not yet due otherwise; the rate is on time over on time and late.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use domain::api::{OnTimeQuery, OnTimeReport, OnTimeRow};
use domain::division::{DivisionCode, DivisionLevel, PROVINCE_CODE};
use domain::publication::{Period, Tally, Timeliness};

use super::period_of;
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::routes::inspection::prefix_of;
use crate::state::{AppState, today};
use crate::store::publication::PublicationFilter;

/// The most late items the report lists.
const LATE_LISTED: i64 = 200;

/// The period's on-time rate per division (the cities, or the counties of the division asked for) and
/// in all, with the late items, earliest due first.
#[utoipa::path(get, path = "/publication/on-time", tag = "publication", params(OnTimeQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = OnTimeReport), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn on_time(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<OnTimeQuery>,
) -> Result<AppJson<OnTimeReport>> {
    let today = today();
    let period = period_of(query.period.as_deref())?.unwrap_or(Period::year_of(today));
    let division = query.division.as_deref().map(str::trim).filter(|d| !d.is_empty());
    let by_county = match division.map(DivisionCode::parse) {
        Some(Ok(code)) => code.level() != DivisionLevel::Province,
        Some(Err(_)) => {
            return Err(Error::invalid(
                "division",
                "行政区划（division）应为 6 位区划代码",
            ));
        }
        None => false,
    };
    let filter = PublicationFilter {
        period: Some(period),
        division_prefix: prefix_of("division", division)?,
        ..PublicationFilter::default()
    };
    let visibility = auth.visibility();
    let calendar = &state.registry.calendar;
    let names: HashMap<String, String> = state
        .store
        .list_divisions()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for row in state.store.publication_timeliness(&visibility, &filter).await? {
        let timeliness = Timeliness::of(row.due_on, row.published_on, today, calendar);
        total.add(timeliness);
        groups
            .entry(group_of(&row.division_code, by_county))
            .or_default()
            .add(timeliness);
    }
    let late_filter = PublicationFilter {
        late_on: Some(today),
        ..filter
    };
    let late = state
        .store
        .late_publications(&visibility, &late_filter, LATE_LISTED)
        .await?;
    Ok(AppJson(OnTimeReport {
        period: period.to_string(),
        rows: groups
            .into_iter()
            .map(|(code, tally)| {
                let name = name_of(&code, by_county, &names);
                row_of(code, name, &tally)
            })
            .collect(),
        total: row_of(
            division.unwrap_or(PROVINCE_CODE).to_owned(),
            "合计".to_owned(),
            &total,
        ),
        late: late.iter().map(|r| r.to_api(today, calendar)).collect(),
    }))
}

/// The division an item is counted under: its city (the province's own items apart), or itself when
/// the report is of a city's or county's counties.
fn group_of(code: &str, by_county: bool) -> String {
    if by_county || code.ends_with("0000") || code.len() != 6 {
        code.to_owned()
    } else {
        format!("{}00", &code[..4])
    }
}

fn name_of(code: &str, by_county: bool, names: &HashMap<String, String>) -> String {
    let name = names.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let own_level = code == PROVINCE_CODE || (by_county && code.ends_with("00"));
    if own_level {
        format!("{name}（本级）")
    } else {
        name
    }
}

fn row_of(division_code: String, division_name: String, tally: &Tally) -> OnTimeRow {
    OnTimeRow {
        division_code,
        division_name,
        decided: tally.decided,
        on_time: tally.on_time,
        late: tally.late,
        not_due: tally.not_due,
        rate: tally.rate(),
    }
}
