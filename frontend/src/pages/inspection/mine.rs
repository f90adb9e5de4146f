//! An organization's years: each cycle it takes part in, with its report's stage and verdict, the reasons
//! staff gave or why the report came back; and the form for the year chosen (`?year=`, kept in the URL).

use domain::api::{AnnualReport, InspectionCycle, ReportQuery};
use domain::paging::MAX_PER_PAGE;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::form::ReportForm;
use super::{editable, report_badges};
use crate::api;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_url_query};

/// The year whose form is open.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct YearQuery {
    year: Option<i32>,
}

#[component]
pub(super) fn MyReports() -> impl IntoView {
    let i18n = use_i18n();
    let (query, _) = use_url_query::<YearQuery>();
    let years = LocalResource::new(move || async move {
        let cycles = api::list_cycles().await?;
        let all = ReportQuery {
            per_page: Some(MAX_PER_PAGE),
            ..Default::default()
        };
        let reports = api::list_reports(&all).await?.items;
        Ok::<_, api::Error>((cycles, reports))
    });
    let on_saved = Callback::new(move |()| years.refetch());
    view! {
        <section class="page">
            <h1>{move || i18n.t("inspection.mine_title")}</h1>
            <p class="lead">{move || i18n.t("inspection.mine_lead")}</p>
            <Async resource=years let:found>
                {
                    let (cycles, reports) = found;
                    view! {
                        {cycles.is_empty().then(|| view! { <p class="notice">{move || i18n.t("inspection.no_cycles")}</p> })}
                        <ul class="record-list" data-testid="my-years">
                            {cycles.iter().map(|cycle| {
                                let report = reports.iter().find(|r| r.year == cycle.year).cloned();
                                view! { <YearRecord cycle=cycle.clone() report /> }
                            }).collect_view()}
                        </ul>
                    }
                }
            </Async>
            {move || query.get().year.map(|year| view! { <YearForm year on_saved /> })}
        </section>
    }
}

/// One year: the deadline, where the report stands, what staff said, and what the organization may do.
#[component]
fn YearRecord(cycle: InspectionCycle, report: Option<AnnualReport>) -> impl IntoView {
    let i18n = use_i18n();
    let year = cycle.year;
    let may_edit = editable(report.as_ref().map(|r| r.stage));
    let started = report.is_some();
    let href = Page::Inspection.with_query(&YearQuery { year: Some(year) });
    let reasons = report.as_ref().and_then(|r| r.reasons.clone());
    view! {
        <li class="record" data-testid=format!("year-{year}")>
            <div class="record__head">
                <strong>{move || i18n.t_with("inspection.year_title", &[("year", year.to_string())])}</strong>
                {match &report {
                    Some(report) => report_badges(i18n, report).into_any(),
                    None => view! { <span class="badge badge--warn">{move || i18n.t("inspection.not_started")}</span> }.into_any(),
                }}
            </div>
            <div class="record__meta">
                <span>{move || i18n.t_with("inspection.deadline_on", &[("date", cycle.deadline.to_string())])}</span>
                {report.as_ref().and_then(|r| r.submitted_at).map(|at| view! {
                    <span>{move || i18n.t_with("inspection.submitted_at", &[("at", crate::format::format_time(at))])}</span>
                })}
            </div>
            {reasons.map(|reasons| view! { <p class="record__text" data-testid="report-reasons">{reasons}</p> })}
            <div class="record__actions">
                {may_edit.then(|| view! {
                    <a class="button button--primary" href=href.clone() data-testid=format!("edit-{year}")>
                        {move || if started { i18n.t("inspection.edit") } else { i18n.t("inspection.start") }}
                    </a>
                })}
                {report.as_ref().map(|r| view! {
                    <a class="button" href=Page::report(r.id)>{move || i18n.t("inspection.view")}</a>
                })}
            </div>
        </li>
    }
}

/// The form of the chosen year, starting from what was kept; a report under review or judged is not
/// the organization's to change.
#[component]
fn YearForm(year: i32, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let saved = LocalResource::new(move || async move {
        let query = ReportQuery {
            year: Some(year),
            ..Default::default()
        };
        match api::list_reports(&query).await?.items.first() {
            Some(report) => Ok(Some(api::find_report(report.id).await?)),
            None => Ok::<_, api::Error>(None),
        }
    });
    view! {
        <Async resource=saved let:report>
            {if editable(report.as_ref().map(|r| r.stage)) {
                view! { <ReportForm year saved=report.and_then(|r| r.content) on_saved /> }.into_any()
            } else {
                view! { <p class="notice">{move || i18n.t("inspection.not_editable")}</p> }.into_any()
            }}
        </Async>
    }
}
