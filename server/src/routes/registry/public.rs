//! `/api/v1/public/organizations`: the registry lookup anyone may use, without signing in. It shows
//! what a registration certificate shows publicly and nothing personal, and is rate-limited per address.

use axum::extract::State;
use domain::api::{PublicLookup, PublicOrganization, PublicQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ClientInfo;
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::routes::registry::organizations::registering_authority;
use crate::state::AppState;

/// The most matches shown.
const MAX_RESULTS: i64 = 20;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(lookup_organizations))
}

/// Looks organizations up by a part of the name (2 characters or more) or by the credit code: name, code,
/// kind, registering authority, status, and the current credit listings with their notice numbers, pending
/// objections and the organization's explanation.
#[utoipa::path(get, path = "/public/organizations", tag = "public", params(PublicQuery),
    security(()),
    responses((status = 200, body = PublicLookup), (status = 422, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
async fn lookup_organizations(
    State(state): State<AppState>,
    client: ClientInfo,
    AppQuery(query): AppQuery<PublicQuery>,
) -> Result<AppJson<PublicLookup>> {
    if !state.public_limiter.allow(&client.addr) {
        return Err(Error::RateLimited("查询过于频繁，请稍后再试".to_owned()));
    }
    let q = query.q.map(|q| q.trim().to_owned()).unwrap_or_default();
    let chars = q.chars().count();
    if !(2..=50).contains(&chars) {
        return Err(Error::invalid(
            "q",
            "请输入 2–50 个字的名称关键词或 18 位统一社会信用代码",
        ));
    }
    let mut rows = state.store.lookup_organizations(&q, MAX_RESULTS + 1).await?;
    let truncated = rows.len() as i64 > MAX_RESULTS;
    rows.truncate(MAX_RESULTS as usize);
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut listings = state.store.current_public_listings(&ids).await?;
    let items = rows
        .iter()
        .map(|row| {
            let summary = row.summary();
            let mine = listings
                .extract_if(.., |(organization_id, _)| *organization_id == summary.id)
                .map(|(_, listing)| listing)
                .collect();
            PublicOrganization {
                name: summary.name,
                credit_code: summary.credit_code,
                kind: summary.kind,
                level: summary.level,
                registering_authority: registering_authority(row),
                status: summary.status,
                credit_list: summary.credit_list,
                listings: mine,
            }
        })
        .collect();
    Ok(AppJson(PublicLookup { items, truncated }))
}
