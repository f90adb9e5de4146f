//! 信用名单 — the credit lists in the browser. Staff list the listings in scope by list, reason, state,
//! year and division and list an organization by hand (`manual`); an organization sees its own listings.
//! One listing's page (`listing`) carries the written notice, the objection (异议), the removal after
//! rectification and the public explanation; anyone reads the public lists (`public`).

mod listing;
mod manual;
mod public;

use domain::api::{CreditListing, ListingQuery, Page as ResultPage};
use domain::credit::{CreditList, ListingReason, ObjectionStatus};
use domain::policy::{Role, STAFF_OR_ORG};
use leptos::prelude::*;

use crate::api;
use crate::components::division::DivisionSelect;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_url_query};
use crate::session::{STAFF_VIEWS, use_session};

pub use listing::ListingPage;
pub use public::PublicListsPage;

use manual::NewListing;

/// The states a listing filter offers (`ListingQuery::state`): standing, ended, or every listing.
const STATES: [(&str, &str); 3] = [
    ("current", "credit.state.current"),
    ("ended", "credit.state.ended"),
    ("all", "credit.state.all"),
];

/// `/credit-listings`: staff's filtered list, or an organization's own listings.
#[component]
pub fn ListingsPage() -> impl IntoView {
    let session = use_session();
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            {move || if session.role_untracked() == Some(Role::OrgUser) || !STAFF_VIEWS {
                view! { <MyListings /> }.into_any()
            } else {
                view! { <StaffListings /> }.into_any()
            }}
        </RequireAuth>
    }
}

/// An organization's listings, standing and ended, each with what it may do.
#[component]
fn MyListings() -> impl IntoView {
    let i18n = use_i18n();
    let listings = LocalResource::new(|| {
        let query = ListingQuery {
            state: Some("all".into()),
            ..Default::default()
        };
        async move { api::list_listings(&query).await }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("credit.mine_title")}</h1>
            <p class="lead">{move || i18n.t("credit.mine_lead")}</p>
            <Async resource=listings let:page>
                {if page.items.is_empty() {
                    view! { <p class="notice notice--ok" data-testid="no-listings">{move || i18n.t("credit.mine_none")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="record-list" data-testid="my-listings">
                            {page.items.iter().map(|l| listing_record(i18n, l)).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Async>
        </section>
    }
}

#[component]
fn StaffListings() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<ListingQuery>();
    let apply = Callback::new(move |next: ListingQuery| navigate_to.run(ListingQuery { page: None, ..next }));
    let listings = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_listings(&query).await }
    });
    let on_listed = Callback::new(move |()| listings.refetch());
    view! {
        <section class="page">
            <h1>{move || i18n.t("credit.title")}</h1>
            <p class="lead">{move || i18n.t("credit.lead")}</p>
            <div class="form-actions">
                <a class="button" href=Page::CreditLists.path()>{move || i18n.t("credit.public_title")}</a>
            </div>
            <NewListing on_listed />
            <form class="filters" on:submit=move |ev| ev.prevent_default()>
                <EnumSelect label="credit.list" name="list" values=&CreditList::ALL
                    selected=Signal::derive(move || query.get().list)
                    on_change=move |v| apply.run(ListingQuery { list: v, ..query.get_untracked() }) />
                <EnumSelect label="credit.reason" name="reason" values=&ListingReason::ALL
                    selected=Signal::derive(move || query.get().reason)
                    on_change=move |v| apply.run(ListingQuery { reason: v, ..query.get_untracked() }) />
                <label class="field">
                    <span>{move || i18n.t("credit.state")}</span>
                    <select name="state" on:change=move |ev| {
                        apply.run(ListingQuery { state: crate::routes::non_empty(event_target_value(&ev)), ..query.get_untracked() });
                    }>
                        {STATES.into_iter().map(|(value, key)| view! {
                            <option value=value selected=move || query.get().state.as_deref().unwrap_or("current") == value>
                                {move || i18n.t(key)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("credit.year")}</span>
                    <input name="year" inputmode="numeric" maxlength="4" prop:value=move || query.get().year.map(|y| y.to_string()).unwrap_or_default()
                        on:change=move |ev| apply.run(ListingQuery { year: event_target_value(&ev).trim().parse().ok(), ..query.get_untracked() }) />
                </label>
                <DivisionSelect label="credit.division" selected=Signal::derive(move || query.get().division)
                    on_change=move |v| apply.run(ListingQuery { division: v, ..query.get_untracked() }) />
                <label class="choice">
                    <input type="checkbox" name="pending" prop:checked=move || query.get().pending == Some(true)
                        on:change=move |ev| apply.run(ListingQuery { pending: event_target_checked(&ev).then_some(true), ..query.get_untracked() }) />
                    {move || i18n.t("credit.pending")}
                </label>
            </form>
            <Async resource=listings let:page>
                <ListingResults page query />
            </Async>
        </section>
    }
}

#[component]
fn ListingResults(page: ResultPage<CreditListing>, query: Memo<ListingQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice">{move || i18n.t("credit.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::CreditListings.with_query(&ListingQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="listings-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="listings">
            {page.items.iter().map(|l| listing_record(i18n, l)).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

/// A listing in a list: the organization (a link to the listing), the list and reason, when, the notice
/// number, and what is pending on it.
fn listing_record(i18n: I18n, l: &CreditListing) -> impl IntoView + use<> {
    let (list, reason) = (l.list, l.reason);
    view! {
        <li class="record" data-testid="listing">
            <div class="record__head">
                <a href=Page::listing(l.id)><strong>{l.organization_name.clone()}</strong></a>
                {list_badge(i18n, list)}
                {status_badges(i18n, l)}
            </div>
            <div class="record__meta">
                <span>{move || i18n.label(reason)}</span>
                <span>{l.decided_on.to_string()}</span>
                <span>{l.notice_number.clone()}</span>
            </div>
        </li>
    }
}

/// The list as a badge: the serious list in red.
fn list_badge(i18n: I18n, list: CreditList) -> impl IntoView {
    let class = match list {
        CreditList::Abnormal => "badge badge--warn",
        CreditList::Serious => "badge badge--danger",
    };
    view! { <span class=class>{move || i18n.label(list)}</span> }
}

/// Ended (and how), an objection pending, a removal applied for and not yet decided.
fn status_badges(i18n: I18n, l: &CreditListing) -> impl IntoView + use<> {
    let ended = l.end.map(|end| view! { <span class="badge badge--ok" data-testid="listing-ended">{move || i18n.label(end)}</span> });
    let objection = l
        .objection
        .as_ref()
        .filter(|o| o.status == ObjectionStatus::Pending)
        .map(|o| {
            let status = o.status;
            view! { <span class="badge badge--warn">{move || i18n.label(status)}</span> }
        });
    let removal =
        l.removal.as_ref().filter(|r| r.decision.is_none()).map(
            |_| view! { <span class="badge badge--warn">{move || i18n.t("credit.removal_pending")}</span> },
        );
    view! { {ended} {objection} {removal} }
}
