//! Staff: clues and cases in scope with their filters in the URL (stage, source, division, batch, name),
//! and the form that records a clue from a petition, an inspection or another agency — opened prefilled
//! when a petition (`?petition=`) or a revoked or deregistered organization (`?organization=`) raises it.

use domain::api::{IllegalCase, IllegalCaseQuery, NewIllegalCaseRequest, Page as ResultPage};
use domain::illegal::{ClueSource, IllegalStage};
use domain::policy::{BUREAU_ONLY, STAFF};
use domain::registry::organization::OrgStatus;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::stage_badge;
use crate::api;
use crate::components::division::DivisionPicker;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::components::pager::Pager;
use crate::i18n::use_i18n;
use crate::pages::villages::list::loaded_cities;
use crate::routes::{Page, RaisedFrom, non_empty, use_url_query};
use crate::session::use_session;

#[component]
pub fn IllegalCasesPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><CaseList /></RequireAuth> }
}

#[component]
fn CaseList() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (query, navigate_to) = use_url_query::<IllegalCaseQuery>();
    let cases = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_illegal_cases(&query).await }
    });
    // A new filter starts again from the first page.
    let apply =
        Callback::new(move |next: IllegalCaseQuery| navigate_to.run(IllegalCaseQuery { page: None, ..next }));
    let search = RwSignal::new(String::new());
    let batch = RwSignal::new(String::new());
    Effect::new(move |_| {
        let q = query.get();
        search.set(q.q.unwrap_or_default());
        batch.set(q.batch.map(|b| b.to_string()).unwrap_or_default());
    });
    let divisions = LocalResource::new(api::list_divisions);
    view! {
        <section class="page">
            <h1>{move || i18n.t("illegal.cases_title")}</h1>
            <p class="lead">{move || i18n.t("illegal.cases_lead")}</p>
            <div class="form-actions">
                <a class="button" href=Page::PublicIllegal.path()>{move || i18n.t("illegal.public_title")}</a>
                <Show when=move || session.has_role_untracked(BUREAU_ONLY)>
                    <a class="button" href=Page::IllegalBatches.path() data-testid="batches-link">{move || i18n.t("illegal.assemble")}</a>
                </Show>
            </div>
            <NewClueForm />
            <form class="filters" role="search" on:submit=move |ev| {
                ev.prevent_default();
                apply.run(IllegalCaseQuery {
                    q: non_empty(search.get_untracked()),
                    batch: batch.get_untracked().trim().parse().ok(),
                    ..query.get_untracked()
                });
            }>
                <label class="field field--grow">
                    <span>{move || i18n.t("illegal.search")}</span>
                    <input type="search" name="q" maxlength="50" prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <EnumSelect label="illegal.stage" name="stage" values=&IllegalStage::ALL selected=Signal::derive(move || query.get().stage)
                    on_change=move |v| apply.run(IllegalCaseQuery { stage: v, ..query.get_untracked() }) />
                <EnumSelect label="illegal.source" name="source" values=&ClueSource::ALL selected=Signal::derive(move || query.get().source)
                    on_change=move |v| apply.run(IllegalCaseQuery { source: v, ..query.get_untracked() }) />
                <label class="field">
                    <span>{move || i18n.t("enforcement.city")}</span>
                    <select name="division" on:change=move |ev| apply.run(IllegalCaseQuery { division: non_empty(event_target_value(&ev)), ..query.get_untracked() })>
                        <option value="">{move || i18n.t("common.all")}</option>
                        {move || loaded_cities(divisions).into_iter().map(|c| {
                            let code = c.code.clone();
                            view! { <option value=c.code selected=move || query.get().division.as_deref() == Some(code.as_str())>{c.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("illegal.batch")}</span>
                    <input name="batch" inputmode="numeric" prop:value=batch on:input=move |ev| batch.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
            </form>
            <Async resource=cases let:page>
                <CaseResults page query />
            </Async>
        </section>
    }
}

#[component]
fn CaseResults(page: ResultPage<IllegalCase>, query: Memo<IllegalCaseQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    let href_for = move |n: u32| {
        Page::IllegalCases.with_query(&IllegalCaseQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="cases-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="illegal-cases">
            {page.items.into_iter().map(|c| view! {
                <li class="record">
                    <div class="record__head">
                        <a href=Page::illegal_case(c.id)><strong>{c.name}</strong></a>
                        {stage_badge(c.stage)}
                        {c.batch_number.map(|n| view! { <span class="badge">{move || i18n.t_with("illegal.batch_n", &[("n", n.to_string())])}</span> })}
                    </div>
                    <div class="record__meta">
                        <span>{move || i18n.label(c.source)}</span>
                        <span>{c.division_code}</span>
                        <span>{crate::format::format_time(c.created_at)}</span>
                    </div>
                </li>
            }).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
}

/// Records a clue that did not come through the public form; the new case opens. A petition named in the
/// URL fills in its matter and division and is attached; a revoked or deregistered organization fills in
/// its name and division and is attached (the server checks its status).
#[component]
fn NewClueForm() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let division = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let activities = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let source = RwSignal::new(ClueSource::Agency);
    let petition_id = RwSignal::new(None::<i64>);
    let organization = RwSignal::new(None::<(i64, String, OrgStatus)>);
    let (from, _) = use_url_query::<RaisedFrom>();
    let petition = LocalResource::new(move || api::find_named(from.get().petition, api::find_petition));
    let registered =
        LocalResource::new(move || api::find_named(from.get().organization, api::find_organization));
    Effect::new(move |_| {
        if let Some(Ok(Some(p))) = petition.get() {
            petition_id.set(Some(p.id));
            source.set(ClueSource::Petition);
            activities.set(p.matter);
            division.set(p.division_code);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(detail))) = registered.get() {
            let o = detail.organization.summary;
            organization.set(Some((o.id, o.name.clone(), o.status)));
            name.set(o.name);
            division.set(o.division_code);
        }
    });
    let load_error = move || {
        let petition = petition.get().and_then(Result::err);
        petition.or_else(|| registered.get().and_then(Result::err))
    };
    let create = Action::new_local(move |body: &NewIllegalCaseRequest| {
        let body = body.clone();
        async move { api::create_illegal_case(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(case)) = create.value().get() {
            navigate(&Page::illegal_case(case.id), Default::default());
        }
    });
    let text =
        move |signal: RwSignal<String>| move |ev: leptos::ev::Event| signal.set(event_target_value(&ev));
    let sources = [ClueSource::Petition, ClueSource::Inspection, ClueSource::Agency];
    view! {
        <details class="panel" open=move || from.get().is_some()>
            <summary data-testid="new-clue">{move || i18n.t("illegal.new_clue")}</summary>
            {move || load_error().map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
            {move || petition_id.get().map(|id| view! {
                <p data-testid="raised-from"><a href=Page::petition(id)>{move || i18n.t_with("illegal.from_petition", &[("id", id.to_string())])}</a></p>
            })}
            {move || organization.get().map(|(id, name, status)| view! {
                <p data-testid="raised-organization">
                    {move || i18n.t("illegal.still_acting")}" "
                    <a href=Page::organization(id)>{name}</a>" · "{move || i18n.label(status)}
                </p>
            })}
            <form class="stack" on:submit=move |ev| {
                ev.prevent_default();
                create.dispatch(NewIllegalCaseRequest {
                    name: name.get_untracked(),
                    division_code: division.get_untracked(),
                    address: address.get_untracked(),
                    activities: activities.get_untracked(),
                    source: source.get_untracked(),
                    evidence: evidence.get_untracked(),
                    organization_id: organization.get_untracked().map(|(id, ..)| id),
                    petition_id: petition_id.get_untracked(),
                });
            }>
                <label class="field">
                    <span>{move || i18n.t("illegal.source")}</span>
                    <select name="new_source" on:change=move |ev| {
                        if let Some(s) = ClueSource::parse(&event_target_value(&ev)) { source.set(s) }
                    }>
                        {sources.into_iter().map(|s| view! {
                            <option value=s.key() selected=move || source.get() == s>{move || i18n.label(s)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t("illegal.body_name")}</span>
                    <input name="new_name" maxlength="100" prop:value=name on:input=text(name) />
                </label>
                <DivisionPicker label="illegal.where" name="new_division" value=division />
                <label class="field">
                    <span>{move || i18n.t("illegal.address")}</span>
                    <input name="new_address" maxlength="200" prop:value=address on:input=text(address) />
                </label>
                <label class="field">
                    <span>{move || i18n.t("illegal.activities")}</span>
                    <textarea name="new_activities" rows="3" prop:value=activities on:input=text(activities)></textarea>
                </label>
                <label class="field">
                    <span>{move || i18n.t("illegal.evidence")}</span>
                    <textarea name="new_evidence" rows="2" prop:value=evidence on:input=text(evidence)></textarea>
                </label>
                {move || create.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                <button type="submit" class="button button--primary" disabled=move || create.pending().get()>{move || i18n.t("illegal.record_clue")}</button>
            </form>
        </details>
    }
}
