//! 党建指导员批次: the list (the bureau dispatches a new one), and one batch with its instructors, their
//! organizations, visits and evaluations — the bureau assigns while the term runs and evaluates after it.

use domain::api::{
    AssignRequest, BatchInstructor, EvaluationRequest, NewPartyBatchRequest, PartyBatch, PartyOrgRef,
};
use domain::party::Rating;
use domain::policy::{BUREAU_ONLY, STAFF};
use leptos::prelude::*;

use super::OrgPicker;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::routes::{Page, use_id_param};
use crate::session::use_session;

#[component]
pub fn BatchesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let batches = LocalResource::new(api::list_party_batches);
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::Party.path()>{move || i18n.t("party.back")}</a></p>
                <h1>{move || i18n.t("party.batches")}</h1>
                <Show when=move || session.has_role_untracked(BUREAU_ONLY)>
                    <NewBatchForm on_created=move || batches.refetch() />
                </Show>
                <Async resource=batches let:list>
                    <ul class="record-list" data-testid="batches">
                        {list.iter().map(batch_row).collect_view()}
                    </ul>
                </Async>
            </section>
        </RequireAuth>
    }
}

fn batch_row(b: &PartyBatch) -> impl IntoView + use<> {
    let i18n = use_i18n();
    view! {
        <li class="record" data-testid="batch">
            <div class="record__head">
                <a href=Page::party_batch(b.id)><strong>{i18n.t_with("party.batch_number", &[("number", b.number.to_string())])}</strong></a>
                <span>{b.term_start.to_string()}" — "{b.term_end.to_string()}</span>
            </div>
            <div class="record__meta">{batch_counts(b)}</div>
        </li>
    }
}

fn batch_counts(b: &PartyBatch) -> String {
    use_i18n().t_with(
        "party.batch_counts",
        &[
            ("instructors", b.instructors.to_string()),
            ("organizations", b.organizations.to_string()),
            ("visits", b.visits.to_string()),
            ("evaluated", b.evaluated.to_string()),
            ("excellent", b.excellent.to_string()),
        ],
    )
}

#[component]
fn NewBatchForm(#[prop(into)] on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let number = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let create = Action::new_local(move |body: &NewPartyBatchRequest| {
        let body = body.clone();
        async move { api::create_party_batch(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            on_created.run(());
        }
    });
    let date = move |label: &'static str, name: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input type="date" name=name prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <details class="panel">
            <summary>{move || i18n.t("party.new_batch")}</summary>
            <form class="form" data-testid="new-batch" on:submit=move |ev| {
                ev.prevent_default();
                let today = crate::format::today();
                create.dispatch(NewPartyBatchRequest {
                    number: number.get_untracked().trim().parse().unwrap_or(0),
                    term_start: start.get_untracked().parse().unwrap_or(today),
                    term_end: end.get_untracked().parse().unwrap_or(today),
                });
            }>
                <label class="field">
                    <span>{move || i18n.t("party.number")}</span>
                    <input type="number" inputmode="numeric" name="number" prop:value=move || number.get()
                        on:input=move |ev| number.set(event_target_value(&ev)) />
                </label>
                {date("party.term_start", "term_start", start)}
                {date("party.term_end", "term_end", end)}
                <button type="submit" class="button button--primary" disabled=move || create.pending().get()>{move || i18n.t("party.dispatch")}</button>
                {move || create.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
            </form>
        </details>
    }
}

#[component]
pub fn BatchPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = use_id_param();
    let detail = LocalResource::new(move || api::party_batch(id.get()));
    view! {
        <RequireAuth roles=STAFF>
            <section class="page">
                <p><a href=Page::PartyBatches.path()>{move || i18n.t("party.batches")}</a></p>
                <Async resource=detail let:d>
                    <h1>{i18n.t_with("party.batch_number", &[("number", d.batch.number.to_string())])}</h1>
                    <p class="lead">{d.batch.term_start.to_string()}" — "{d.batch.term_end.to_string()}</p>
                    <p data-testid="batch-counts">{batch_counts(&d.batch)}</p>
                    {(session.has_role_untracked(BUREAU_ONLY) && d.batch.term_end >= crate::format::today()).then(|| view! {
                        <AssignForm batch_id=d.batch.id on_saved=move || detail.refetch() />
                    })}
                    <ul class="record-list" data-testid="batch-instructors">
                        {d.instructors.into_iter().map(|i| {
                            let evaluable = session.has_role_untracked(BUREAU_ONLY) && i.evaluation.is_none()
                                && d.batch.term_end <= crate::format::today();
                            instructor_row(d.batch.id, i, evaluable, Callback::new(move |()| detail.refetch()))
                        }).collect_view()}
                    </ul>
                </Async>
            </section>
        </RequireAuth>
    }
}

fn instructor_row(
    batch_id: i64,
    i: BatchInstructor,
    evaluable: bool,
    on_saved: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let orgs = i
        .organizations
        .iter()
        .map(|o| o.name.clone())
        .collect::<Vec<_>>()
        .join("、");
    view! {
        <li class="record" data-testid="batch-instructor">
            <div class="record__head">
                <strong>{i.display_name.clone()}</strong>
                {i.evaluation.as_ref().map(|e| view! { <span class="badge badge--ok" data-testid="rating">{i18n.label(e.rating)}</span> })}
            </div>
            <p class="record__text">{orgs}</p>
            <div class="record__meta">
                <span>{i18n.t_with("party.visit_count", &[("count", i.visits.to_string())])}</span>
                {i.last_visit.map(|d| view! { <span>{i18n.t_with("party.last_visit", &[("on", d.to_string())])}</span> })}
                {i.evaluation.as_ref().map(|e| view! { <span>{e.reasons.clone()}</span> })}
            </div>
            {evaluable.then(|| view! { <EvaluateForm batch_id user_id=i.user_id on_saved /> })}
        </li>
    }
}

#[component]
fn AssignForm(batch_id: i64, #[prop(into)] on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let instructors = LocalResource::new(api::list_party_instructors);
    let instructor = RwSignal::new(0_i64);
    let chosen = RwSignal::new(Vec::<PartyOrgRef>::new());
    let assign = Action::new_local(move |(user_id, body): &(i64, AssignRequest)| {
        let (user_id, body) = (*user_id, body.clone());
        async move { api::assign_party_instructor(batch_id, user_id, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = assign.value().get() {
            chosen.set(Vec::new());
            on_saved.run(());
        }
    });
    view! {
        <details class="panel">
            <summary>{move || i18n.t("party.assign")}</summary>
            <form class="form" data-testid="assign-form" on:submit=move |ev| {
                ev.prevent_default();
                let ids = chosen.get_untracked().iter().map(|o| o.id).collect();
                assign.dispatch((instructor.get_untracked(), AssignRequest { organization_ids: ids }));
            }>
                <label class="field">
                    <span>{move || i18n.t("party.instructor")}</span>
                    <select name="instructor" on:change=move |ev| instructor.set(event_target_value(&ev).parse().unwrap_or(0))>
                        <option value="0">{move || i18n.t("party.choose_instructor")}</option>
                        {move || instructors.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|a| view! {
                            <option value=a.user_id.to_string()>{a.display_name}" ("{a.username}")"</option>
                        }).collect_view()}
                    </select>
                </label>
                <OrgPicker testid="assign-organization" on_pick=move |org: PartyOrgRef| chosen.update(|c| if !c.contains(&org) { c.push(org) }) />
                <p class="chips" data-testid="assigned-organizations">
                    {move || chosen.get().into_iter().map(|org| {
                        let id = org.id;
                        view! { <button type="button" class="chip" on:click=move |_| chosen.update(|c| c.retain(|o| o.id != id))>{org.name}" ×"</button> }
                    }).collect_view()}
                </p>
                <button type="submit" class="button button--primary" disabled=move || assign.pending().get()>{move || i18n.t("party.assign")}</button>
                {move || assign.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
            </form>
        </details>
    }
}

#[component]
fn EvaluateForm(batch_id: i64, user_id: i64, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let rating = RwSignal::new(Rating::Excellent);
    let reasons = RwSignal::new(String::new());
    let evaluate = Action::new_local(move |body: &EvaluationRequest| {
        let body = body.clone();
        async move { api::evaluate_party_instructor(batch_id, user_id, &body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = evaluate.value().get() {
            on_saved.run(());
        }
    });
    view! {
        <form class="form" data-testid="evaluate-form" on:submit=move |ev| {
            ev.prevent_default();
            evaluate.dispatch(EvaluationRequest { rating: rating.get_untracked(), reasons: reasons.get_untracked(), evaluated_on: crate::format::today() });
        }>
            <label class="field">
                <span>{move || i18n.t("party.rating")}</span>
                <select name="rating" on:change=move |ev| if let Some(r) = Rating::parse(&event_target_value(&ev)) { rating.set(r) }>
                    {Rating::ALL.into_iter().map(|r| view! { <option value=r.key()>{move || i18n.label(r)}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t("party.reasons")}</span>
                <textarea name="reasons" rows="2" prop:value=move || reasons.get() on:input=move |ev| reasons.set(event_target_value(&ev))></textarea>
            </label>
            <button type="submit" class="button button--primary" disabled=move || evaluate.pending().get()>{move || i18n.t("party.evaluate")}</button>
            {move || evaluate.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
        </form>
    }
}
