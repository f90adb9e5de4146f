//! The year's figures, the records behind each, and the public headline page.

use axum::extract::State;
use domain::api::{Dashboard, DashboardQuery, Figure, FigureRecord, FigureRecordsQuery, Page};
use domain::dashboard::FigureKey;
use domain::paging::PageRequest;

use super::{Place, place_of};
use crate::auth::{Auth, ClientInfo, Staff};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::Visibility;

/// The figures of a year by area, with the year before and each figure's records path.
#[utoipa::path(get, path = "/dashboard", tag = "dashboard", params(DashboardQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Dashboard), (status = 422, body = domain::api::ApiError),
        (status = 404, description = "城市不在本人管辖范围内", body = domain::api::ApiError)))]
pub(super) async fn dashboard(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<DashboardQuery>,
) -> Result<AppJson<Dashboard>> {
    let place = place_of(&state, &auth.visibility(), query.year, query.city.as_deref()).await?;
    let figures = figures_of(&state, &place, true).await?;
    Ok(AppJson(Dashboard {
        year: place.period.year,
        city: place.city,
        place: place.name,
        figures,
    }))
}

/// The year's figures for `place`; with `records`, each names the API path of its records.
pub(crate) async fn figures_of(state: &AppState, place: &Place, records: bool) -> Result<Vec<Figure>> {
    let previous = place
        .period
        .previous()
        .ok_or_else(|| Error::invalid("year", "年度（year）无效"))?;
    let (now, before) = tokio::try_join!(state.store.figures(&place.period), state.store.figures(&previous))?;
    Ok(now
        .into_iter()
        .zip(before)
        .map(|((key, value), (_, previous))| Figure {
            key,
            area: key.area(),
            label: key.label_zh().to_owned(),
            definition: key.definition_zh().to_owned(),
            unit: key.unit(),
            value: value.value,
            previous: previous.value,
            numerator: value.numerator,
            denominator: value.denominator,
            records: records.then(|| records_path(key, place)),
            part_of: key.part_of(),
        })
        .collect())
}

fn records_path(key: FigureKey, place: &Place) -> String {
    let city = place
        .city
        .as_deref()
        .map(|c| format!("&city={c}"))
        .unwrap_or_default();
    format!(
        "/api/v1/dashboard/records?key={}&year={}{city}",
        key.key(),
        place.period.year
    )
}

/// The records behind a figure (for a share, the records counted), newest first; for a count figure the
/// `total` equals the figure.
#[utoipa::path(get, path = "/dashboard/records", tag = "dashboard", params(FigureRecordsQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<FigureRecord>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn figure_records(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<FigureRecordsQuery>,
) -> Result<AppJson<Page<FigureRecord>>> {
    let key = FigureKey::parse(query.key.trim())
        .ok_or_else(|| Error::invalid("key", format!("没有这个指标（key）：「{}」", query.key.trim())))?;
    let page = PageRequest::new(query.page, query.per_page)?;
    let place = place_of(&state, &auth.visibility(), query.year, query.city.as_deref()).await?;
    let period = if query.previous.unwrap_or(false) {
        place
            .period
            .previous()
            .ok_or_else(|| Error::invalid("year", "年度（year）无效"))?
    } else {
        place.period
    };
    let (items, total) = state.store.figure_records(key, &period, page).await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// The year's headline figures for everyone: aggregates only (no records, nothing personal), for the
/// province or one city; rate-limited per address like the public lookup, since a year and place not yet
/// counted costs every figure's query.
#[utoipa::path(get, path = "/public/dashboard", tag = "dashboard", params(DashboardQuery),
    security(()),
    responses((status = 200, body = Dashboard), (status = 422, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn public_dashboard(
    State(state): State<AppState>,
    client: ClientInfo,
    AppQuery(query): AppQuery<DashboardQuery>,
) -> Result<AppJson<Dashboard>> {
    if !state.public_limiter.allow(&client.addr) {
        return Err(Error::RateLimited("查询过于频繁，请稍后再试".to_owned()));
    }
    let place = place_of(&state, &Visibility::All, query.year, query.city.as_deref()).await?;
    let figures = figures_of(&state, &place, false)
        .await?
        .into_iter()
        .filter(|figure| figure.key.is_public_headline())
        .collect();
    Ok(AppJson(Dashboard {
        year: place.period.year,
        city: place.city,
        place: place.name,
        figures,
    }))
}
