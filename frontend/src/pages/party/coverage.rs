//! 覆盖率与组建率: the table by day, level and division (a city's name opens its counties), each number a
//! link to the organizations behind it; and that list.

use domain::api::CoverageQuery;
use domain::party::Cohort;
use domain::policy::STAFF;
use domain::registry::organization::Level;
use leptos::prelude::*;

use super::{kind_badge, percent_text};
use crate::api;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::i18n::use_i18n;
use crate::routes::{Page, non_empty, use_url_query};

/// The rates for the day, level and division in the URL.
#[component]
pub(super) fn CoverageTable(decided: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let (query, apply) = use_url_query::<CoverageQuery>();
    let coverage = LocalResource::new(move || {
        decided.track();
        let query = query.get();
        async move { api::party_coverage(&query).await }
    });
    let set = move |change: &dyn Fn(&mut CoverageQuery)| {
        let mut next = query.get_untracked();
        change(&mut next);
        apply.run(next);
    };
    view! {
        <h2>{move || i18n.t("party.coverage")}</h2>
        <form class="filters" on:submit=|ev| ev.prevent_default()>
            <label class="field">
                <span>{move || i18n.t("party.on")}</span>
                <input type="date" name="on" prop:value=move || query.get().on.map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |ev| { let on = event_target_value(&ev).parse().ok(); set(&|q| q.on = on) } />
            </label>
            <EnumSelect label="party.level" name="level" values=&Level::ALL
                selected=Signal::derive(move || query.get().level)
                on_change=move |level| apply.run(CoverageQuery { level, ..query.get_untracked() }) />
            {move || query.get().division.map(|_| view! {
                <button type="button" class="button" data-testid="coverage-up"
                    on:click=move |_| set(&|q| q.division = None)>{i18n.t("party.whole_scope")}</button>
            })}
        </form>
        <Async resource=coverage let:c>
            <div data-testid="coverage">
                <dl class="facts" data-testid="coverage-total">
                    <dt>{i18n.t("party.coverage_rate")}</dt>
                    <dd data-testid="coverage-rate"><strong>{percent_text(c.total.coverage())}</strong>
                        " ("{link(&query.get_untracked(), &c.total.division_code, false, Cohort::Covered, c.total.covered)}" / "
                        {link(&query.get_untracked(), &c.total.division_code, false, Cohort::InScope, c.total.in_scope)}")"</dd>
                    <dt>{i18n.t("party.formation_rate")}</dt>
                    <dd data-testid="formation-rate"><strong>{percent_text(c.total.formation())}</strong>
                        " ("{link(&query.get_untracked(), &c.total.division_code, false, Cohort::Entity, c.total.entity)}" / "
                        {link(&query.get_untracked(), &c.total.division_code, false, Cohort::Eligible, c.total.eligible)}")"</dd>
                </dl>
                <table class="list-table" data-testid="coverage-rows">
                    <thead><tr><th>{i18n.t("party.division")}</th><th>{i18n.t("party.coverage_rate")}</th><th>{i18n.t("party.formation_rate")}</th></tr></thead>
                    <tbody>
                        {c.rows.iter().map(|row| {
                            let own = row.division_code == c.total.division_code;
                            let code = row.division_code.clone();
                            let q = query.get_untracked();
                            view! {
                                <tr data-testid="coverage-row">
                                    <td class="list-table__title">
                                        {if own || code.ends_with("0000") || !code.ends_with("00") {
                                            view! { <span>{row.division_name.clone()}</span> }.into_any()
                                        } else {
                                            let code = code.clone();
                                            view! { <button type="button" class="link-button"
                                                on:click=move |_| set(&|q| q.division = Some(code.clone()))>{row.division_name.clone()}</button> }.into_any()
                                        }}
                                    </td>
                                    <td data-label=i18n.t("party.coverage_rate")>{percent_text(row.coverage())}" ("
                                        {link(&q, &code, own, Cohort::Covered, row.covered)}" / "{link(&q, &code, own, Cohort::InScope, row.in_scope)}")"</td>
                                    <td data-label=i18n.t("party.formation_rate")>{percent_text(row.formation())}" ("
                                        {link(&q, &code, own, Cohort::Entity, row.entity)}" / "{link(&q, &code, own, Cohort::Eligible, row.eligible)}")"</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </Async>
    }
}

/// The link from a number to the organizations behind it, on the table's day and level: a row's division
/// (`own`: the row of the division's own registrations, which are those of its level) or the whole table.
fn link(query: &CoverageQuery, code: &str, own: bool, cohort: Cohort, count: u64) -> impl IntoView + use<> {
    let own_level = match (own, code.ends_with("0000")) {
        (false, _) => None,
        (true, true) => Some(Level::Provincial),
        (true, false) => Some(Level::City),
    };
    let href = Page::PartyOrganizations.with_query(&CoverageQuery {
        on: query.on,
        level: query.level.clone().or(own_level.map(|l| l.key().to_owned())),
        division: Some(code.to_owned()),
        cohort: Some(cohort.key().to_owned()),
        ..Default::default()
    });
    view! { <a href=href data-testid=format!("drill-{}", cohort.key())>{count}</a> }
}

/// The organizations behind one number, from the URL.
#[component]
pub fn PartyOrganizationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let (query, apply) = use_url_query::<CoverageQuery>();
    let list = LocalResource::new(move || {
        let query = query.get();
        async move { api::coverage_organizations(&query).await }
    });
    let cohort = move || {
        query
            .get()
            .cohort
            .as_deref()
            .and_then(Cohort::parse)
            .unwrap_or(Cohort::InScope)
    };
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::Party.path()>{move || i18n.t("party.back")}</a></p>
                <h1>{move || i18n.label(cohort())}</h1>
                <p class="lead">{move || {
                    let q = query.get();
                    i18n.t_with("party.drill_lead", &[
                        ("on", q.on.map_or_else(|| i18n.t("party.today"), |d| d.to_string())),
                        ("division", q.division.unwrap_or_default()),
                    ])
                }}</p>
                <form class="filters" on:submit=|ev| ev.prevent_default()>
                    <label class="field field--grow">
                        <span>{move || i18n.t("party.search")}</span>
                        <input type="search" name="q" prop:value=move || query.get().q.unwrap_or_default()
                            on:change=move |ev| { let mut q = query.get_untracked(); q.q = non_empty(event_target_value(&ev)); q.page = None; apply.run(q); } />
                    </label>
                </form>
                <Async resource=list let:page>
                    <p data-testid="drill-total">{i18n.t_with("party.count", &[("count", page.total.to_string())])}</p>
                    <ul class="record-list" data-testid="drill-list">
                        {page.items.iter().map(|org| view! {
                            <li class="record">
                                <div class="record__head">
                                    <a href=Page::party_organization(org.organization_id)><strong>{org.name.clone()}</strong></a>
                                    {kind_badge(org.kind)}
                                </div>
                                <div class="record__meta">
                                    <span>{i18n.label(org.level)}</span><span>{org.division_code.clone()}</span>
                                    <span>{i18n.t_with("party.members_count", &[("count", org.members.to_string())])}</span>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                    <Pager page=page.page per_page=page.per_page total=page.total
                        href_for=move |p| Page::PartyOrganizations.with_query(&CoverageQuery { page: Some(p), ..query.get_untracked() }) />
                </Async>
            </section>
        </RequireAuth>
    }
}
