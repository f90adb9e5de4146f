//! Staff: penalty cases in scope with their filters in the URL (stage, city, year decided), and the form
//! that files a case against a registered organization found by name — opened prefilled when a petition
//! (`?petition=&organization=`) raises it.

use domain::api::{NewPenaltyRequest, OrganizationQuery, Page as ResultPage, PenaltyCase, PenaltyQuery};
use domain::penalties::PenaltyStage;
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::stage_badge;
use crate::api;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::components::pager::Pager;
use crate::format::today;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::{Page, RaisedFrom, non_empty, use_url_query};

#[component]
pub fn PenaltiesPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><PenaltyList /></RequireAuth> }
}

#[component]
fn PenaltyList() -> impl IntoView {
    let i18n = use_i18n();
    let (query, navigate_to) = use_url_query::<PenaltyQuery>();
    let cases = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_penalties(&query).await }
    });
    let apply = Callback::new(move |next: PenaltyQuery| navigate_to.run(PenaltyQuery { page: None, ..next }));
    let divisions = LocalResource::new(api::list_divisions);
    let this_year = chrono::Datelike::year(&today());
    view! {
        <section class="page">
            <h1>{move || i18n.t("penalties.list_title")}</h1>
            <p class="lead">{move || i18n.t("penalties.list_lead")}</p>
            <NewCaseForm />
            <form class="filters" on:submit=move |ev| ev.prevent_default()>
                <EnumSelect label="penalties.stage" name="stage" values=&PenaltyStage::ALL selected=Signal::derive(move || query.get().stage)
                    on_change=move |v| apply.run(PenaltyQuery { stage: v, ..query.get_untracked() }) />
                <label class="field">
                    <span>{move || i18n.t("enforcement.city")}</span>
                    <select name="division" on:change=move |ev| apply.run(PenaltyQuery { division: non_empty(event_target_value(&ev)), ..query.get_untracked() })>
                        <option value="">{move || i18n.t("common.all")}</option>
                        {move || loaded_cities(divisions).into_iter().map(|c| {
                            let code = c.code.clone();
                            view! { <option value=c.code selected=move || query.get().division.as_deref() == Some(code.as_str())>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("penalties.year")}</span>
                    <select name="year" on:change=move |ev| apply.run(PenaltyQuery { year: event_target_value(&ev).parse().ok(), ..query.get_untracked() })>
                        <option value="">{move || i18n.t("common.all")}</option>
                        {(this_year - 9..=this_year).rev().map(|y| view! {
                            <option value=y.to_string() selected=move || query.get().year == Some(y)>{y}</option>
                        }).collect_view()}
                    </select>
                </label>
            </form>
            <Async resource=cases let:page>
                <CaseResults page query />
            </Async>
        </section>
    }
}

#[component]
fn CaseResults(page: ResultPage<PenaltyCase>, query: Memo<PenaltyQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    let href_for = move |n: u32| {
        Page::Penalties.with_query(&PenaltyQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="penalties-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="penalty-list">
            {page.items.into_iter().map(|c| view! {
                <li class="record">
                    <div class="record__head">
                        <a href=Page::penalty(c.id)><strong>{c.organization_name.clone()}</strong></a>
                        {stage_badge(c.stage)}
                    </div>
                    <div class="record__meta">
                        <span>{move || i18n.t("penalties.filed_on")}" "{c.filed_on.to_string()}</span>
                        {c.decision.as_ref().map(|d| view! { <span>{d.document_number.clone()}</span> })}
                        <span>{c.rule_broken.clone()}</span>
                    </div>
                </li>
            }).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
}

/// Files a case: the organization (found by name in the caller's registry), the facts, the evidence and
/// the rule broken; the new case opens. A petition named in the URL is attached, its matter fills in the
/// facts and the organization it concerns is chosen.
#[component]
fn NewCaseForm() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let search = RwSignal::new(String::new());
    let organization = RwSignal::new(None::<(i64, String)>);
    let petition_id = RwSignal::new(None::<i64>);
    let (from, _) = use_url_query::<RaisedFrom>();
    let petition = LocalResource::new(move || api::find_named(from.get().petition, api::find_petition));
    let registered =
        LocalResource::new(move || api::find_named(from.get().organization, api::find_organization));
    let found = Action::new_local(move |q: &String| {
        let query = OrganizationQuery {
            q: Some(q.clone()),
            status: Some("normal".to_owned()),
            per_page: Some(5),
            ..Default::default()
        };
        async move { api::list_organizations(&query).await }
    });
    let facts = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let rule = RwSignal::new(String::new());
    let filed_on = RwSignal::new(today().to_string());
    Effect::new(move |_| {
        if let Some(Ok(Some(p))) = petition.get() {
            petition_id.set(Some(p.id));
            facts.set(p.matter);
            if let (Some(id), Some(name)) = (p.organization_id, p.organization_name) {
                organization.set(Some((id, name)));
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(detail))) = registered.get() {
            let o = detail.organization.summary;
            organization.set(Some((o.id, o.name)));
        }
    });
    let load_error = move || {
        let petition = petition.get().and_then(Result::err);
        petition.or_else(|| registered.get().and_then(Result::err))
    };
    let create = Action::new_local(move |body: &NewPenaltyRequest| {
        let body = body.clone();
        async move { api::create_penalty(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(case)) = create.value().get() {
            navigate(&Page::penalty(case.id), Default::default());
        }
    });
    let text =
        move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    view! {
        <details class="panel" open=move || from.get().is_some()>
            <summary>{move || i18n.t("penalties.file_case")}</summary>
            <div class="stack">
                {move || load_error().map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                {move || petition_id.get().map(|id| view! {
                    <p data-testid="raised-from"><a href=Page::petition(id)>{move || i18n.t_with("penalties.from_petition", &[("id", id.to_string())])}</a></p>
                })}
                <form class="filters" role="search" on:submit=move |ev| { ev.prevent_default(); found.dispatch(search.get_untracked()); }>
                    <label class="field field--grow">
                        <span>{move || i18n.t("penalties.find_organization")}</span>
                        <input type="search" name="organization_q" maxlength="50" prop:value=search on:input=text(search) />
                    </label>
                    <button type="submit" class="button">{move || i18n.t("common.search")}</button>
                </form>
                {move || found.value().get().map(|answer| match answer {
                    Ok(page) => page.items.into_iter().map(|o| {
                        let chosen = (o.id, o.name.clone());
                        view! {
                            <button type="button" class="chip" on:click=move |_| organization.set(Some(chosen.clone()))>{o.name}</button>
                        }
                    }).collect_view().into_any(),
                    Err(error) => view! { <ErrorNotice error on_retry=move || () /> }.into_any(),
                })}
                <p data-testid="chosen-organization">
                    {move || match organization.get() {
                        Some((_, name)) => name,
                        None => i18n.t("penalties.no_organization"),
                    }}
                </p>
                <form class="stack" on:submit=move |ev| {
                    ev.prevent_default();
                    let Some((organization_id, _)) = organization.get_untracked() else { return };
                    create.dispatch(NewPenaltyRequest {
                        organization_id,
                        filed_on: filed_on.get_untracked().parse().unwrap_or_else(|_| today()),
                        facts: facts.get_untracked(),
                        evidence: evidence.get_untracked(),
                        rule_broken: rule.get_untracked(),
                        petition_id: petition_id.get_untracked(),
                    });
                }>
                    <label class="field">
                        <span>{move || i18n.t("penalties.filed_on")}</span>
                        <input type="date" name="filed_on" prop:value=filed_on on:input=text(filed_on) />
                    </label>
                    <label class="field">
                        <span>{move || i18n.t("penalties.facts")}</span>
                        <textarea name="facts" rows="3" prop:value=facts on:input=text(facts)></textarea>
                    </label>
                    <label class="field">
                        <span>{move || i18n.t("penalties.evidence")}</span>
                        <textarea name="evidence" rows="2" prop:value=evidence on:input=text(evidence)></textarea>
                    </label>
                    <label class="field">
                        <span>{move || i18n.t("penalties.rule_broken")}</span>
                        <input name="rule_broken" maxlength="500" prop:value=rule on:input=text(rule) />
                    </label>
                    {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                    <button type="submit" class="button button--primary" disabled=move || create.pending().get() || organization.with(Option::is_none)>
                        {move || i18n.t("penalties.file_case")}
                    </button>
                </form>
            </div>
        </details>
    }
}
