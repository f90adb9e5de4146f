//! 我的工作台 — the instructor's phone page: their organizations with each one's party status and what is
//! due, a visit logged in a few taps (the day is today, a tap picks what was done), their record for each
//! term and their latest visits.

use domain::api::{NewVisitRequest, WorkspaceOrganization};
use domain::policy::INSTRUCTORS;
use leptos::prelude::*;

use super::kind_badge;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::routes::Page;

/// What was done, one tap each (the locale keys of the quick notes).
const QUICK_NOTES: [&str; 4] = [
    "party.note_meetings",
    "party.note_lecture",
    "party.note_members",
    "party.note_groups",
];

#[component]
pub fn WorkspacePage() -> impl IntoView {
    let i18n = use_i18n();
    let workspace = LocalResource::new(api::party_workspace);
    view! {
        <RequireAuth roles=INSTRUCTORS>
            <section class="page page--narrow">
                <h1>{move || i18n.t("party.workspace")}</h1>
                <Async resource=workspace let:w>
                    <h2>{i18n.t("party.my_organizations")}</h2>
                    <ul class="cards" data-testid="my-organizations">
                        {w.organizations.into_iter().map(|org| view! {
                            <OrganizationCard org on_logged=move || workspace.refetch() />
                        }).collect_view()}
                    </ul>
                    <h2>{i18n.t("party.my_terms")}</h2>
                    <ul class="record-list" data-testid="my-terms">
                        {w.terms.iter().map(|t| view! {
                            <li class="record">
                                <div class="record__head">
                                    <strong>{i18n.t_with("party.batch_number", &[("number", t.batch_number.to_string())])}</strong>
                                    {t.current.then(|| view! { <span class="badge badge--ok">{i18n.t("party.current")}</span> })}
                                    {t.evaluation.as_ref().map(|e| view! { <span class="badge">{i18n.label(e.rating)}</span> })}
                                </div>
                                <div class="record__meta">
                                    <span>{t.term_start.to_string()}" — "{t.term_end.to_string()}</span>
                                    <span>{i18n.t_with("party.term_record", &[("organizations", t.organizations.to_string()), ("visits", t.visits.to_string())])}</span>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                    <h2>{i18n.t("party.my_visits")}</h2>
                    <ul class="plain-list" data-testid="my-visits">
                        {w.visits.iter().map(|v| view! {
                            <li>{v.visited_on.to_string()}" · "<strong>{v.organization_name.clone()}</strong>" · "{v.note.clone()}</li>
                        }).collect_view()}
                    </ul>
                </Async>
            </section>
        </RequireAuth>
    }
}

/// One organization: its status, what is due, and the visit form behind a button.
#[component]
fn OrganizationCard(org: WorkspaceOrganization, #[prop(into)] on_logged: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let visited_on = RwSignal::new(crate::format::today());
    let id = org.organization_id;
    let log = Action::new_local(move |body: &NewVisitRequest| {
        let body = body.clone();
        async move { api::create_party_visit(&body).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = log.value().get() {
            open.set(false);
            note.set(String::new());
            on_logged.run(());
        }
    });
    view! {
        <li class="card" data-testid="my-organization">
            <div class="record__head">
                <a href=Page::party_organization(id)><strong>{org.name.clone()}</strong></a>
                {kind_badge(org.kind)}
            </div>
            <div class="record__meta">
                <span>{i18n.t_with("party.members_count", &[("count", org.members.to_string())])}</span>
                <span>{match org.last_visit {
                    Some(on) => i18n.t_with("party.last_visit", &[("on", on.to_string())]),
                    None => i18n.t("party.never_visited"),
                }}</span>
            </div>
            <div class="chips" data-testid="due">
                {org.due.iter().map(|d| view! { <span class="badge badge--warn">{i18n.label(*d)}</span> }).collect_view()}
            </div>
            <Show when=move || !open.get()>
                <button type="button" class="button button--primary button--block" data-testid="log-visit"
                    on:click=move |_| open.set(true)>{move || i18n.t("party.log_visit")}</button>
            </Show>
            <Show when=move || open.get()>
                <form class="form" data-testid="visit-form" on:submit=move |ev| {
                    ev.prevent_default();
                    log.dispatch(NewVisitRequest { organization_id: id, visited_on: visited_on.get_untracked(), note: note.get_untracked() });
                }>
                    <label class="field">
                        <span>{move || i18n.t("party.visited_on")}</span>
                        <input type="date" name="visited_on" prop:value=move || visited_on.get().to_string()
                            on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { visited_on.set(d) } />
                    </label>
                    <div class="chips">
                        {QUICK_NOTES.into_iter().map(|key| view! {
                            <button type="button" class="chip" data-testid="quick-note"
                                on:click=move |_| note.set(i18n.t(key))>{move || i18n.t(key)}</button>
                        }).collect_view()}
                    </div>
                    <label class="field">
                        <span>{move || i18n.t("party.note")}</span>
                        <textarea name="note" rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </label>
                    <div class="form-actions">
                        <button type="submit" class="button button--primary" disabled=move || log.pending().get()>{move || i18n.t("party.save_visit")}</button>
                        <button type="button" class="button" on:click=move |_| open.set(false)>{move || i18n.t("party.cancel")}</button>
                    </div>
                    {move || log.value().get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error on_retry=move || () /> })}
                </form>
            </Show>
        </li>
    }
}
