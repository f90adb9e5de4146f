//! The review queue for staff: submitted entries in scope, each verified or returned with a reason.

use domain::api::{LedgerQuery, ReviewRequest};
use domain::policy::BUREAU_ONLY;
use leptos::prelude::*;

use super::entry_line;
use super::ledger::ledger_query;
use crate::api;
use crate::components::export::ExportButton;
use crate::components::load::Async;
use crate::i18n::{I18n, use_i18n};
use crate::session::use_session;

#[component]
pub(super) fn ReviewQueue() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let filter = ledger_query();
    let queue = LocalResource::new(move || {
        let query = LedgerQuery {
            queue: Some(true),
            organization_id: filter.get().organization_id,
            ..Default::default()
        };
        async move { api::list_contributions(&query).await }
    });
    let review = Action::new_local(move |(id, verify, reason): &(i64, bool, Option<String>)| {
        let (id, verify, reason) = (*id, *verify, reason.clone());
        async move { api::review_contribution(id, verify, &ReviewRequest { reason }).await }
    });
    Effect::new(move |_| {
        if review.value().get().is_some() {
            queue.refetch();
        }
    });
    view! {
        <section class="page">
            <h1>{move || i18n.t("contributions.queue")}</h1>
            <div class="ledger-actions">
                <ExportButton href=api::contributions_export_url().to_owned() label="contributions.export" testid="contributions-export" />
                {move || session.has_role_untracked(BUREAU_ONLY).then(|| view! {
                    <a class="button" href=crate::routes::Page::ContributionDuplicates.path() data-testid="duplicates-link">{move || i18n.t("contributions.duplicates_title")}</a>
                })}
            </div>
            {move || review.value().get().and_then(|r| r.err()).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
            <Async resource=queue let:page>
                <ul class="plain-list" data-testid="review-queue">
                    {page.items.into_iter().map(|e| {
                        let id = e.id;
                        view! {
                            <li class="stack">
                                {entry_line(&i18n, &e)}
                                <div class="ledger-actions">
                                    <button type="button" class="button button--primary"
                                        on:click=move |_| { review.dispatch((id, true, None)); }>{move || i18n.t("contributions.verify")}</button>
                                    <button type="button" class="button"
                                        on:click=move |_| {
                                            if let Some(reason) = ask_return_reason(i18n) { review.dispatch((id, false, Some(reason))); }
                                        }>{move || i18n.t("contributions.return")}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Async>
        </section>
    }
}

/// Asks the reviewer why an entry goes back; `None` when they cancel.
pub(super) fn ask_return_reason(i18n: I18n) -> Option<String> {
    web_sys::window().and_then(|w| {
        w.prompt_with_message(&i18n.t("contributions.return_reason"))
            .ok()
            .flatten()
    })
}
