//! The records behind one figure, a page at a time: their total is the figure. Each row opens the record's
//! own page in its module.

use domain::api::{DashboardQuery, FigureRecord, FigureRecordsQuery, Page as ResultPage};
use domain::dashboard::{FigureKey, Unit};
use domain::money::Fen;
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{Lang, use_i18n};
use crate::routes::{Page, use_url_query};

#[component]
pub fn FigureRecordsPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><Records /></RequireAuth> }
}

#[component]
fn Records() -> impl IntoView {
    let i18n = use_i18n();
    let (query, _) = use_url_query::<FigureRecordsQuery>();
    // Without a figure there is nothing to ask (the address while leaving the page, or typed by hand).
    let records = LocalResource::new(move || {
        let query = query.get();
        async move {
            match FigureKey::parse(query.key.trim()) {
                Some(_) => api::figure_records(&query).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let key = move || FigureKey::parse(&query.get().key);
    let back = move || {
        let q = query.get();
        Page::Dashboard.with_query(&DashboardQuery {
            year: q.year,
            city: q.city,
        })
    };
    let title = move || key().map(|k| i18n.label(k).to_owned()).unwrap_or_default();
    let definition = move || {
        key().map(|k| match i18n.lang() {
            Lang::ZhCn => k.definition_zh(),
            Lang::En => k.definition_en(),
        })
    };
    let year = move || query.get().year.map(|y| y.to_string()).unwrap_or_default();
    view! {
        <section class="page">
            <p><A href=back>{move || i18n.t("dashboard.back")}</A></p>
            <h1 data-testid="records-title">{title}" · "{year}</h1>
            <p class="lead">{definition}</p>
            <Async resource=records let:found>
                {match found {
                    Some(found) => view! { <RecordList found=found query=query.get_untracked() /> }.into_any(),
                    None => view! { <p class="notice">{move || i18n.t("dashboard.no_figure")}</p> }.into_any(),
                }}
            </Async>
        </section>
    }
}

#[component]
fn RecordList(found: ResultPage<FigureRecord>, query: FigureRecordsQuery) -> impl IntoView {
    let i18n = use_i18n();
    let money = FigureKey::parse(&query.key).is_some_and(|k| k.unit() == Unit::Fen);
    let total = found.total;
    let href_for = move |page: u32| {
        Page::DashboardRecords.with_query(&FigureRecordsQuery {
            page: Some(page),
            ..query.clone()
        })
    };
    view! {
        <p class="count" data-testid="records-total">{move || i18n.t_with("dashboard.records_total", &[("total", total.to_string())])}</p>
        <ul class="plain-list record-list" data-testid="records-list">
            {found.items.into_iter().map(|record| {
                let amount = record.amount.map(|a| if money { Fen::new(a).format_wan_yi() } else { a.to_string() });
                let title = match record.link {
                    Some(href) => view! { <A href=href>{record.title}</A> }.into_any(),
                    None => view! { <span>{record.title}</span> }.into_any(),
                };
                view! {
                    <li>
                        <strong>{title}</strong>
                        <span class="record-list__meta">
                            {record.code.map(|c| view! { <span>{c}</span> })}
                            {record.date.map(|d| view! { <span>{d.to_string()}</span> })}
                            <span>{record.detail}</span>
                            {amount.filter(|_| money).map(|a| view! { <span>{a}</span> })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <Pager page=found.page per_page=found.per_page total=total href_for=href_for />
    }
}
