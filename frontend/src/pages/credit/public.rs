//! The public credit lists (活动异常名录 / 严重违法失信名单): anyone, signed in or not, searches an
//! organization by name or credit code and reads why it is listed, since when, the notice number, whether
//! an objection is being handled and the organization's explanation. Nothing personal is shown.

use domain::api::{Page as ResultPage, PublicListQuery, PublicListing};
use domain::credit::CreditList;
use leptos::prelude::*;

use super::list_badge;
use crate::api;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, non_empty, use_url_query};

#[component]
pub fn PublicListsPage() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<PublicListQuery>();
    // The abnormal list unless another is chosen.
    let effective = Memo::new(move |_| {
        let query = query.get();
        PublicListQuery {
            list: Some(
                query
                    .list
                    .unwrap_or_else(|| CreditList::Abnormal.key().to_owned()),
            ),
            ..query
        }
    });
    let listings = LocalResource::new(move || {
        let query = effective.get();
        async move { api::public_credit_list(&query).await }
    });
    let (search, set_search) = signal(String::new());
    Effect::new(move |_| set_search.set(query.get().q.unwrap_or_default()));
    view! {
        <section class="page">
            <h1>{move || i18n.t("credit.public_title")}</h1>
            <p class="lead">{move || i18n.t("credit.public_lead")}</p>
            <nav class="chips" aria-label=move || i18n.t("credit.list")>
                {CreditList::ALL.into_iter().map(|list| {
                    let href = Page::CreditLists.with_query(&PublicListQuery { list: Some(list.key().to_owned()), ..Default::default() });
                    view! {
                        <a href=href class="chip" data-testid=format!("list-{}", list.key())
                            aria-current=move || (effective.get().list.as_deref() == Some(list.key())).then_some("page")>
                            {move || i18n.label(list)}
                        </a>
                    }
                }).collect_view()}
            </nav>
            <form class="filters" role="search" on:submit=move |ev| {
                ev.prevent_default();
                navigate_to.run(PublicListQuery { q: non_empty(search.get_untracked()), page: None, ..effective.get_untracked() });
            }>
                <label class="field field--grow">
                    <span>{move || i18n.t("credit.public_search")}</span>
                    <input type="search" name="q" maxlength="50" data-testid="public-search"
                        prop:value=search on:input=move |ev| set_search.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=listings let:page>
                <PublicResults page query=effective />
            </Async>
        </section>
    }
}

#[component]
fn PublicResults(page: ResultPage<PublicListing>, query: Memo<PublicListQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice">{move || i18n.t("credit.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::CreditLists.with_query(&PublicListQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="public-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="public-listings">
            {page.items.into_iter().map(|l| public_record(i18n, l)).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

fn public_record(i18n: I18n, l: PublicListing) -> impl IntoView {
    let reason = l.reason;
    view! {
        <li class="record" data-testid="public-listing">
            <div class="record__head">
                <strong>{l.organization_name}</strong>
                {list_badge(i18n, l.list)}
                {l.objection_pending.then(|| view! {
                    <span class="badge badge--warn" data-testid="objection-pending">{move || i18n.t("credit.objection_pending")}</span>
                })}
            </div>
            <div class="record__meta">
                <code>{l.credit_code}</code>
                <span>{move || i18n.label(reason)}</span>
                <span>{move || i18n.t_with("credit.listed_on", &[("date", l.decided_on.to_string())])}</span>
                <span>{l.notice_number}</span>
            </div>
            {l.explanation.map(|text| view! {
                <p class="record__text" data-testid="public-explanation">
                    <strong>{move || i18n.t("credit.explanation_prefix")}</strong>{text}
                </p>
            })}
        </li>
    }
}
