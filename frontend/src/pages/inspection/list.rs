//! Staff's list of a year's reports: filters by year, result, stage, division and level held in the URL,
//! the shared export button for what the filter selects, and a link to each report.

use domain::api::{AnnualReport, Page as ResultPage, ReportQuery};
use domain::inspection::{InspectionResult, ReportStage};
use domain::policy::BUREAU_ONLY;
use domain::registry::organization::Level;
use leptos::prelude::*;

use super::report_badges;
use crate::api;
use crate::components::division::DivisionSelect;
use crate::components::export::ExportButton;
use crate::components::field::EnumSelect;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_url_query};
use crate::session::use_session;

#[component]
pub(super) fn ReportList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (query, navigate_to) = use_url_query::<ReportQuery>();
    // A new filter starts again from the first page.
    let apply = Callback::new(move |next: ReportQuery| navigate_to.run(ReportQuery { page: None, ..next }));
    let cycles = LocalResource::new(api::list_cycles);
    // Staff read one year at a time: the one in the URL, else the latest opened.
    let effective = Memo::new(move |_| {
        let mut query = query.get();
        if query.year.is_none() {
            query.year = cycles
                .get()
                .and_then(Result::ok)
                .and_then(|c| c.first().map(|c| c.year));
        }
        query
    });
    let reports = LocalResource::new(move || {
        let query = effective.get();
        async move {
            if query.year.is_none() {
                return Ok(None);
            }
            api::list_reports(&query).await.map(Some)
        }
    });
    let years = move || {
        cycles
            .get()
            .and_then(Result::ok)
            .map(|c| c.into_iter().map(|c| c.year).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t("inspection.list_title")}</h1>
            <p class="lead">{move || i18n.t("inspection.list_lead")}</p>
            <div class="form-actions">
                <ExportButton href=Signal::derive(move || api::reports_export_url(&effective.get()))
                    label="inspection.export" testid="reports-export" />
                <a class="button" href=Page::InspectionCycles.path() data-testid="cycles-link">
                    {move || if session.has_role(BUREAU_ONLY) { i18n.t("inspection.open_cycle") } else { i18n.t("inspection.cycles_title") }}
                </a>
            </div>
            <form class="filters" on:submit=move |ev| ev.prevent_default()>
                <label class="field">
                    <span>{move || i18n.t("inspection.year")}</span>
                    <select name="year" on:change=move |ev| {
                        apply.run(ReportQuery { year: event_target_value(&ev).parse().ok(), ..query.get_untracked() });
                    }>
                        {move || years().into_iter().map(|year| view! {
                            <option value=year.to_string() selected=move || effective.get().year == Some(year)>{year}</option>
                        }).collect_view()}
                    </select>
                </label>
                <EnumSelect label="inspection.result" name="result" values=&InspectionResult::ALL
                    selected=Signal::derive(move || query.get().result)
                    on_change=move |v| apply.run(ReportQuery { result: v, ..query.get_untracked() }) />
                <EnumSelect label="inspection.stage" name="stage" values=&ReportStage::ALL
                    selected=Signal::derive(move || query.get().stage)
                    on_change=move |v| apply.run(ReportQuery { stage: v, ..query.get_untracked() }) />
                <EnumSelect label="inspection.level" name="level" values=&Level::ALL
                    selected=Signal::derive(move || query.get().level)
                    on_change=move |v| apply.run(ReportQuery { level: v, ..query.get_untracked() }) />
                <DivisionSelect label="inspection.division" selected=Signal::derive(move || query.get().division)
                    on_change=move |v| apply.run(ReportQuery { division: v, ..query.get_untracked() }) />
            </form>
            <Async resource=reports let:page>
                {match page {
                    Some(page) => view! { <ReportResults page query=effective /> }.into_any(),
                    None => view! { <p class="notice">{move || i18n.t("inspection.no_cycles")}</p> }.into_any(),
                }}
            </Async>
        </section>
    }
}

#[component]
fn ReportResults(page: ResultPage<AnnualReport>, query: Memo<ReportQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice">{move || i18n.t("inspection.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::Inspection.with_query(&ReportQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="reports-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <table class="list-table" data-testid="reports-table">
            <thead><tr>
                <th>{move || i18n.t("inspection.organization")}</th>
                <th>{move || i18n.t("inspection.level")}</th>
                <th>{move || i18n.t("inspection.stage")}</th>
                <th>{move || i18n.t("inspection.submitted")}</th>
            </tr></thead>
            <tbody>{page.items.iter().map(|r| report_row(i18n, r)).collect_view()}</tbody>
        </table>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

fn report_row(i18n: I18n, r: &AnnualReport) -> impl IntoView + use<> {
    let level = r.level;
    let submitted = r
        .submitted_at
        .map(crate::format::format_time)
        .unwrap_or_else(|| "—".to_owned());
    view! {
        <tr>
            <td class="list-table__title" data-label=move || i18n.t("inspection.organization")>
                <a href=Page::report(r.id)>{r.organization_name.clone()}</a>
            </td>
            <td data-label=move || i18n.t("inspection.level")>{move || i18n.label(level)}</td>
            <td data-label=move || i18n.t("inspection.stage")>{report_badges(i18n, r)}</td>
            <td data-label=move || i18n.t("inspection.submitted")>{submitted}</td>
        </tr>
    }
}
