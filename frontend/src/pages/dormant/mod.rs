//! 僵尸型社会组织 — dormant organizations in the browser, for staff: the cases by stage, division and year
//! with the counts by city (`counts`), a returned letter recorded (`letter`), and one case with its
//! signals, evidence and the steps from candidate to an outcome (`case`).

mod case;
mod counts;
mod letter;

use domain::api::{CaseQuery, DormantCase, Page as ResultPage};
use domain::dormant::CaseStage;
use domain::policy::STAFF;
use leptos::prelude::*;

use crate::api;
use crate::components::division::DivisionSelect;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_url_query};

pub use case::CasePage;

use counts::CaseCountsTable;
use letter::ReturnedLetterForm;

#[component]
pub fn CasesPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><CaseList /></RequireAuth> }
}

#[component]
fn CaseList() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<CaseQuery>();
    let apply = Callback::new(move |next: CaseQuery| navigate_to.run(CaseQuery { page: None, ..next }));
    let cases = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_cases(&query).await }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("dormant.title")}</h1>
            <p class="lead">{move || i18n.t("dormant.lead")}</p>
            <CaseCountsTable />
            <ReturnedLetterForm />
            <h2>{move || i18n.t("dormant.cases")}</h2>
            <form class="filters" on:submit=move |ev| ev.prevent_default()>
                <EnumSelect label="dormant.stage" name="stage" values=&CaseStage::ALL
                    selected=Signal::derive(move || query.get().stage)
                    on_change=move |v| apply.run(CaseQuery { stage: v, ..query.get_untracked() }) />
                <DivisionSelect label="dormant.division" selected=Signal::derive(move || query.get().division)
                    on_change=move |v| apply.run(CaseQuery { division: v, ..query.get_untracked() }) />
                <label class="field">
                    <span>{move || i18n.t("dormant.year")}</span>
                    <input name="year" inputmode="numeric" maxlength="4"
                        prop:value=move || query.get().year.map(|y| y.to_string()).unwrap_or_default()
                        on:change=move |ev| apply.run(CaseQuery { year: event_target_value(&ev).trim().parse().ok(), ..query.get_untracked() }) />
                </label>
            </form>
            <Async resource=cases let:page>
                <CaseResults page query />
            </Async>
        </section>
    }
}

#[component]
fn CaseResults(page: ResultPage<DormantCase>, query: Memo<CaseQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice">{move || i18n.t("dormant.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::Dormant.with_query(&CaseQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="cases-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="cases">
            {page.items.iter().map(|c| case_record(i18n, c)).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

fn case_record(i18n: I18n, c: &DormantCase) -> impl IntoView + use<> {
    let stage = c.stage;
    let signals: Vec<_> = c.signals.iter().map(|s| s.signal).collect();
    let proposed = c.proposed_on.to_string();
    view! {
        <li class="record" data-testid="case">
            <div class="record__head">
                <a href=Page::dormant_case(c.id)><strong>{c.organization_name.clone()}</strong></a>
                {stage_badge(i18n, stage)}
            </div>
            <div class="record__meta">
                <span>{move || i18n.t_with("dormant.proposed_on", &[("date", proposed.clone())])}</span>
                <span>{move || i18n.labels(&signals)}</span>
            </div>
        </li>
    }
}

/// The case's stage as a badge: waiting in amber, an outcome in green, dismissed plain.
fn stage_badge(i18n: I18n, stage: CaseStage) -> impl IntoView {
    let class = if stage.is_remediated() {
        "badge badge--ok"
    } else if stage == CaseStage::Dismissed {
        "badge"
    } else {
        "badge badge--warn"
    };
    view! { <span class=class data-testid="case-stage">{move || i18n.label(stage)}</span> }
}
