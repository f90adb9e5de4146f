//! `GET /api/v1/villages`: village- and community-level committees, paged and filtered; `GET /villages/{code}`: one.

use axum::extract::State;
use domain::api::{Page, Village, VillageQuery};
use domain::division::{DivisionCode, DivisionLevel};
use domain::paging::PageRequest;
use domain::villages::VillageKind;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::VillageFilter;

/// The longest name fragment worth searching for.
const MAX_QUERY_CHARS: usize = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_villages))
        .routes(routes!(find_village))
}

/// Villages in code order; filter by city, county and kind, search by a part of the name.
#[utoipa::path(
    get,
    path = "/villages",
    tag = "reference",
    security(()),
    params(VillageQuery),
    responses(
        (status = 200, description = "一页村（社区）及总数", body = Page<Village>),
        (status = 400, description = "查询参数无法解析", body = domain::api::ApiError),
        (status = 422, description = "查询参数取值有误", body = domain::api::ApiError),
    )
)]
async fn list_villages(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<VillageQuery>,
) -> Result<AppJson<Page<Village>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = village_filter(query)?;
    let (items, total) = state.store.list_villages(&filter, page).await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// One village or community: its name, kind, township, county and city — public reference data.
#[utoipa::path(
    get,
    path = "/villages/{code}",
    tag = "reference",
    security(()),
    params(("code" = String, Path, description = "12 位统计用区划代码")),
    responses(
        (status = 200, description = "村（社区）", body = Village),
        (status = 404, description = "没有该代码的村（社区）", body = domain::api::ApiError),
    )
)]
async fn find_village(
    State(state): State<AppState>,
    AppPath(code): AppPath<String>,
) -> Result<AppJson<Village>> {
    state
        .store
        .find_village(code.trim())
        .await?
        .map(AppJson)
        .ok_or_else(|| Error::not_found("村（社区）"))
}

fn village_filter(query: VillageQuery) -> Result<VillageFilter> {
    let city = non_empty(query.city)
        .map(|raw| match DivisionCode::parse(&raw) {
            Ok(code) if code.level() == DivisionLevel::City => Ok(code),
            _ => Err(Error::invalid("city", "城市（city）须为 6 位城市代码，如 340100")),
        })
        .transpose()?;
    let county = non_empty(query.county)
        .map(|raw| match DivisionCode::parse(&raw) {
            Ok(code) if code.level() == DivisionLevel::County => Ok(code),
            _ => Err(Error::invalid(
                "county",
                "县区（county）须为 6 位县级代码，如 340122",
            )),
        })
        .transpose()?;
    let kind = non_empty(query.kind)
        .map(|raw| {
            VillageKind::parse(&raw)
                .ok_or_else(|| Error::invalid("kind", "类型（kind）须为 village、community 或 other"))
        })
        .transpose()?;
    let name = non_empty(query.q.map(|q| q.trim().to_owned()));
    if name.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
        return Err(Error::invalid(
            "q",
            format!("搜索词（q）不能超过 {MAX_QUERY_CHARS} 个字"),
        ));
    }
    Ok(VillageFilter {
        city,
        county,
        kind,
        name,
    })
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}
