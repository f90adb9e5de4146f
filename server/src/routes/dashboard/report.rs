//! The annual work report (年度工作总结) as JSON: its sections and the sentences written from the figures.

use axum::extract::State;
use domain::api::{DashboardQuery, WorkReport};
use domain::dashboard::report::annual_report as write_report;

use super::figures::figures_of;
use super::place_of;
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Result};
use crate::state::AppState;

/// The report of a year for the province (or a city in the caller's scope), written from its figures.
#[utoipa::path(get, path = "/reports/annual/{year}", tag = "dashboard",
    params(("year" = i32, Path, description = "年度"), ("city" = Option<String>, Query, description = "城市代码")),
    security(("session" = ["Staff"])),
    responses((status = 200, body = WorkReport), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn annual_report(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(year): AppPath<i32>,
    AppQuery(query): AppQuery<DashboardQuery>,
) -> Result<AppJson<WorkReport>> {
    Ok(AppJson(
        report_of(&state, &auth, year, query.city.as_deref()).await?,
    ))
}

/// The report for `year` and the city asked for, in the caller's scope.
pub(super) async fn report_of(
    state: &AppState,
    auth: &Auth<Staff>,
    year: i32,
    city: Option<&str>,
) -> Result<WorkReport> {
    let place = place_of(state, &auth.visibility(), Some(year), city).await?;
    let figures = figures_of(state, &place, false).await?;
    Ok(write_report(place.period.year, place.city, &place.name, &figures))
}
