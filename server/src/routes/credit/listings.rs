//! Listings: the list in the caller's scope, one listing with its notice, and staff listing an
//! organization by hand (never for a missing annual report: the rule does that).

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{CreditListing, ListingQuery, NewListingRequest, Page};
use domain::credit::{
    CreditList, EventKind, ListingReason, check_letter_interval, check_manual_listing, check_text,
};
use domain::paging::PageRequest;

use super::detail;
use crate::auth::{Auth, Staff, StaffOrOrg};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::routes::inspection::{key_of, prefix_of, validation};
use crate::state::{AppState, today};
use crate::store::credit::{ListingFilter, ListingState, NewListing};

impl TryFrom<&ListingQuery> for ListingFilter {
    type Error = Error;

    fn try_from(query: &ListingQuery) -> Result<Self> {
        let state = match query.state.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None | Some("current") => ListingState::Current,
            Some("ended") => ListingState::Ended,
            Some("all") => ListingState::All,
            Some(_) => return Err(Error::invalid("state", "状态（state）应为 current、ended 或 all")),
        };
        Ok(ListingFilter {
            list: key_of("list", "信用名单", query.list.as_deref(), |l| {
                CreditList::parse(l).ok()
            })?,
            reason: key_of("reason", "列入事由", query.reason.as_deref(), |r| {
                ListingReason::parse(r).ok()
            })?,
            state,
            year: query.year,
            division_prefix: prefix_of("division", query.division.as_deref())?,
            organization_id: query.organization_id,
            pending: query.pending.unwrap_or(false),
        })
    }
}

/// Listings in the caller's scope (current ones by default); an organization sees its own.
#[utoipa::path(get, path = "/credit-listings", tag = "credit", params(ListingQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<CreditListing>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_listings(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<ListingQuery>,
) -> Result<AppJson<Page<CreditListing>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = ListingFilter::try_from(&query)?;
    let (rows, total) = state
        .store
        .list_listings(&auth.visibility(), &filter, page)
        .await?;
    Ok(AppJson(Page {
        items: rows.iter().map(|r| r.to_api()).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// One listing with its written notice.
#[utoipa::path(get, path = "/credit-listings/{id}", tag = "credit", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = CreditListing), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_listing(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<CreditListing>> {
    Ok(AppJson(detail(&state, &auth.visibility(), id).await?))
}

/// Lists an organization of the caller's division by a decision of the registration authority. 无法取得联系
/// needs two returned letters sent 20–60 days apart on record.
#[utoipa::path(post, path = "/credit-listings", tag = "credit", request_body = NewListingRequest,
    security(("session" = ["Staff"])),
    responses((status = 201, body = CreditListing), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn create_listing(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppJson(body): AppJson<NewListingRequest>,
) -> Result<(StatusCode, AppJson<CreditListing>)> {
    check_manual_listing(body.reason, body.decided_on, today()).map_err(|e| validation(vec![e]))?;
    let event = check_text("event", "列入事实", &body.event, 500).map_err(|e| validation(vec![e]))?;
    let visibility = auth.visibility();
    state
        .store
        .find_organization(&visibility, body.organization_id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))?;
    if body.reason == ListingReason::Unreachable {
        let letters = state.store.letters_of(body.organization_id).await?;
        let proven = letters
            .windows(2)
            .any(|p| check_letter_interval(p[0].sent_on, p[1].sent_on).is_ok());
        if !proven {
            return Err(Error::invalid(
                "reason",
                "列入「无法取得联系」须先登记两次间隔 20 至 60 日的退信记录（reason）",
            ));
        }
    }
    let new = NewListing {
        organization_id: body.organization_id,
        reason: body.reason,
        event_kind: EventKind::StaffDecision,
        event_id: None,
        summary: event,
        on: body.decided_on,
    };
    let id = match state.store.record_listing(&new, &auth.actor()).await {
        Ok(Some(id)) => id,
        Ok(None) => return Err(Error::conflict("该事件已列入")),
        Err(Ok(refused)) => return Err(Error::conflict(refused.to_string())),
        Err(Err(e)) => return Err(e.into()),
    };
    Ok((
        StatusCode::CREATED,
        AppJson(detail(&state, &visibility, id).await?),
    ))
}
