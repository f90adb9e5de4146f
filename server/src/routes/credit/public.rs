//! `GET /api/v1/public/credit-lists`: who is on the abnormal-activity or the serious list now, for anyone,
//! rate-limited per address like the public lookup; nothing personal.

use axum::extract::State;
use domain::api::{Page, PublicListQuery, PublicListing};
use domain::credit::CreditList;

use crate::auth::ClientInfo;
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::AppState;

const PER_PAGE: u32 = 20;

/// The organizations currently on `list`, newest listing first; `q` a part of the name or a credit code.
#[utoipa::path(get, path = "/public/credit-lists", tag = "public", params(PublicListQuery),
    security(()),
    responses((status = 200, body = Page<PublicListing>), (status = 422, body = domain::api::ApiError),
              (status = 429, body = domain::api::ApiError)))]
pub(super) async fn public_credit_list(
    State(state): State<AppState>,
    client: ClientInfo,
    AppQuery(query): AppQuery<PublicListQuery>,
) -> Result<AppJson<Page<PublicListing>>> {
    if !state.public_limiter.allow(&client.addr) {
        return Err(Error::RateLimited("查询过于频繁，请稍后再试".to_owned()));
    }
    let list = query
        .list
        .as_deref()
        .and_then(|l| CreditList::parse(l).ok())
        .ok_or_else(|| {
            Error::invalid(
                "list",
                "名单（list）应为 abnormal（活动异常名录）或 serious（严重违法失信名单）",
            )
        })?;
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 50) {
        return Err(Error::invalid("q", "关键词（q）不超过 50 个字"));
    }
    let page = query.page.unwrap_or(1);
    if page == 0 || page > 500 {
        return Err(Error::invalid("page", "页码（page）应在 1 到 500 之间"));
    }
    let offset = i64::from(page - 1) * i64::from(PER_PAGE);
    let (items, total) = state
        .store
        .public_credit_list(list, q, i64::from(PER_PAGE), offset)
        .await?;
    Ok(AppJson(Page {
        items,
        total,
        page,
        per_page: PER_PAGE,
    }))
}
