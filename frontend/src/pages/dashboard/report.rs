//! 年度工作总结 — the annual work report of a year as a page, in the case study's structure (四度四员), with
//! its Word file. Every number is one of the year's figures.

use chrono::Datelike;
use domain::api::{DashboardQuery, WorkReport};
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos_router::components::A;

use super::YearCityPicker;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_url_query};

#[component]
pub fn AnnualReportPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><ReportView /></RequireAuth> }
}

#[component]
fn ReportView() -> impl IntoView {
    let i18n = use_i18n();
    let (query, apply) = use_url_query::<DashboardQuery>();
    let report = LocalResource::new(move || {
        let query = query.get();
        let year = query.year.unwrap_or_else(|| crate::format::today().year());
        async move { api::annual_work_report(year, query.city).await }
    });
    let back = move || Page::Dashboard.with_query(&query.get());
    view! {
        <section class="page">
            <p><A href=back>{move || i18n.t("dashboard.back")}</A></p>
            <YearCityPicker query=query apply=apply />
            <Async resource=report let:found>
                <Report report=found />
            </Async>
        </section>
    }
}

#[component]
fn Report(report: WorkReport) -> impl IntoView {
    let i18n = use_i18n();
    let document = api::annual_report_document_url(report.year, report.city.clone());
    view! {
        <article class="work-report" data-testid="work-report" lang="zh-CN">
            <h1>{report.title}</h1>
            <p class="actions">
                <a class="button button--primary" href=document download rel="external" data-testid="report-document">
                    {move || i18n.t("dashboard.document")}
                </a>
            </p>
            <p>{report.summary}</p>
            {report.sections.into_iter().map(|section| view! {
                <section data-testid=format!("report-{}", section.area.key())>
                    <h2>{section.heading}</h2>
                    <p><strong>{section.motto}"。"</strong>{section.sentences.concat()}</p>
                </section>
            }).collect_view()}
        </article>
    }
}
