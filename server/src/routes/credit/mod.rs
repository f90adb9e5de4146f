//! `/api/v1/credit-listings` and `/api/v1/public/credit-lists`: the credit lists as records. Staff list an
//! organization by hand for the reasons the rules do not cover and decide removals and objections
//! (`listings`, `decisions`); an organization applies for removal after rectifying, objects and attaches a
//! public explanation (`requests`); anyone reads the current lists (`public`). The rules that list by
//! themselves (a missing annual report, an overdue rectification, two years on the abnormal list) are
//! `Store::apply_credit_rules`, run daily by the job runner.

mod decisions;
mod listings;
mod public;
mod requests;

use domain::api::CreditListing;
use domain::credit::notice_text;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::credit::ListingRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(listings::list_listings, listings::create_listing))
        .routes(routes!(listings::find_listing))
        .routes(routes!(requests::apply_for_removal))
        .routes(routes!(decisions::decide_removal))
        .routes(routes!(requests::file_objection))
        .routes(routes!(decisions::decide_objection))
        .routes(routes!(requests::set_explanation))
        .routes(routes!(public::public_credit_list))
}

/// The listing, if the caller's visibility covers it (else 404).
async fn visible(state: &AppState, visibility: &Visibility, id: i64) -> Result<ListingRow> {
    state
        .store
        .find_listing(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("信用名单列入记录"))
}

/// A listing with its written notice.
async fn detail(state: &AppState, visibility: &Visibility, id: i64) -> Result<CreditListing> {
    let row = visible(state, visibility, id).await?;
    let mut listing = row.to_api();
    listing.notice = Some(notice_text(
        &listing.organization_name,
        &listing.credit_code,
        listing.reason,
        listing.decided_on,
        &listing.notice_number,
    ));
    Ok(listing)
}

/// The listing changed between reading and writing: 409, the user reloads.
fn changed_meanwhile() -> Error {
    Error::conflict("该列入记录的状态已变化，请刷新后再试")
}
