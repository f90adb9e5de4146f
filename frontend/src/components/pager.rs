//! Previous / next page links for a paged list; the page lives in the URL.

use domain::paging::page_count;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

/// `href_for(page)` gives the URL of a page of the same list.
#[component]
pub fn Pager(
    page: u32,
    per_page: u32,
    total: u64,
    href_for: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let pages = page_count(total, per_page).max(1);
    let prev = (page > 1).then(|| href_for(page - 1));
    let next = (u64::from(page) < pages).then(|| href_for(page + 1));
    view! {
        <nav class="pager" aria-label="pagination">
            {match prev {
                Some(href) => view! { <A href=href attr:class="button" attr:rel="prev">{move || i18n.t("common.prev")}</A> }.into_any(),
                None => view! { <span class="button button--disabled">{move || i18n.t("common.prev")}</span> }.into_any(),
            }}
            <span class="pager__status">
                {move || i18n.t_with("common.page_of", &[("page", page.to_string()), ("pages", pages.to_string())])}
            </span>
            {match next {
                Some(href) => view! { <A href=href attr:class="button" attr:rel="next">{move || i18n.t("common.next")}</A> }.into_any(),
                None => view! { <span class="button button--disabled">{move || i18n.t("common.next")}</span> }.into_any(),
            }}
        </nav>
    }
}
