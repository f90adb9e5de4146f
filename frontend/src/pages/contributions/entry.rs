//! One entry: its content, recipients (masked; in full for the bureau, audited), evidence and review;
//! the review buttons for staff, a correction form for the organization once it is verified.

use domain::api::{Contribution, RecipientFull, ReviewRequest};
use domain::contributions::ContributionStatus;
use domain::policy::{BUREAU_ONLY, ORG_USERS, STAFF, STAFF_OR_ORG};
use leptos::prelude::*;

use super::report::ReportForm;
use super::review::ask_return_reason;
use super::status_label;
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::i18n::use_i18n;
use crate::session::{STAFF_VIEWS, use_session};

/// A review of the entry on the page: verify, or return with a reason.
type Review = Action<(bool, Option<String>), api::Result<Contribution>>;
/// The bureau's audited reading of the recipients in full.
type FullRecipients = Action<(), api::Result<Vec<RecipientFull>>>;

#[component]
pub fn ContributionPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = crate::routes::use_id_param();
    let entry = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_contribution(id).await }
    });
    let review: Review = Action::new_local(move |(verify, reason): &(bool, Option<String>)| {
        let (verify, reason, id) = (*verify, reason.clone(), id.get_untracked());
        async move { api::review_contribution(id, verify, &ReviewRequest { reason }).await }
    });
    Effect::new(move |_| {
        if review.value().get().is_some_and(|r| r.is_ok()) {
            entry.refetch();
        }
    });
    // Held by the page, so that the full list and the open correction outlast a reload of the entry.
    let full: FullRecipients = Action::new_local(move |_: &()| {
        let id = id.get_untracked();
        async move { api::full_recipients(id).await }
    });
    let correcting = RwSignal::new(false);
    view! {
        <RequireAuth roles=STAFF_OR_ORG>
            <section class="page">
                <p><a href=crate::routes::Page::Contributions.path()>{move || i18n.t("contributions.back_to_ledger")}</a></p>
                {move || review.value().get().and_then(|r| r.err()).map(|e| view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> })}
                <Async resource=entry let:e>
                    {
                        // Read untracked: the session must not re-run this view (see `Session::role_untracked`).
                        let is_staff = STAFF_VIEWS && session.has_role_untracked(STAFF);
                        let is_admin = STAFF_VIEWS && session.has_role_untracked(BUREAU_ONLY);
                        let is_org = session.has_role_untracked(ORG_USERS);
                        let reviewable = is_staff && e.status == ContributionStatus::Submitted;
                        let correctable = is_org
                            && e.status == ContributionStatus::Verified && e.superseded_by.is_none();
                        view! {
                            <EntryFacts entry=e.clone() />
                            <EntryRecipients entry=e.clone() is_admin full />
                            <EvidenceList entry=e.clone() />
                            {reviewable.then(|| view! { <ReviewButtons review /> })}
                            {correctable.then(|| view! { <Correction entry=e correcting /> })}
                        }
                    }
                </Async>
            </section>
        </RequireAuth>
    }
}

/// The entry's title and facts.
#[component]
fn EntryFacts(entry: Contribution) -> impl IntoView {
    let i18n = use_i18n();
    let e = entry;
    view! {
        <h1>{i18n.label(e.kind)}" · "{e.amount_fen.format_yuan()}</h1>
        <dl class="ledger-entry" data-testid="contribution">
            <dt>{move || i18n.t("contributions.organization")}</dt><dd>{e.organization_name.clone()}</dd>
            <dt>{move || i18n.t("contributions.date")}</dt><dd>{e.date.to_string()}</dd>
            <dt>{move || i18n.t("contributions.status")}</dt><dd data-testid="contribution-status">{status_label(&i18n, &e)}</dd>
            {e.return_reason.clone().map(|r| view! { <dt>{move || i18n.t("contributions.return_reason_label")}</dt><dd>{r}</dd> })}
            {e.people.map(|p| view! { <dt>{move || i18n.t("contributions.people")}</dt><dd>{p}</dd> })}
            {e.village_name.clone().map(|v| view! { <dt>{move || i18n.t("contributions.village")}</dt><dd>{v}</dd> })}
            {e.corrects_id.map(|c| view! {
                <dt>{move || i18n.t("contributions.corrects")}</dt>
                <dd><a href=crate::routes::Page::contribution(c)>{format!("#{c}")}</a></dd>
            })}
            {e.superseded_by.map(|c| view! {
                <dt>{move || i18n.t("contributions.superseded_by")}</dt>
                <dd><a href=crate::routes::Page::contribution(c)>{format!("#{c}")}</a></dd>
            })}
            <dt>{move || i18n.t("contributions.description")}</dt><dd>{e.description.clone()}</dd>
        </dl>
    }
}

/// The scholarship recipients, masked; a bureau administrator may read them in full (the reading is audited).
#[component]
fn EntryRecipients(entry: Contribution, is_admin: bool, full: FullRecipients) -> impl IntoView {
    let i18n = use_i18n();
    (!entry.recipients.is_empty()).then(|| view! {
        <h2>{move || i18n.t("contributions.recipients")}</h2>
        <ul class="plain-list" data-testid="recipients-masked">
            {entry.recipients.iter().map(|r| view! {
                <li>
                    {r.name.clone()}" · "{r.id_number.clone()}" · "{r.school.clone()}" · "
                    {i18n.label(r.admission)}" · "{r.amount_fen.format_yuan()}" · "{r.year}
                    {(r.funded_elsewhere == Some(true)).then(|| view! {
                        " "<span class="badge badge--danger">{move || i18n.t("contributions.funded_elsewhere")}</span>
                    })}
                </li>
            }).collect_view()}
        </ul>
        {is_admin.then(|| view! {
            <button type="button" class="button" data-testid="view-full" on:click=move |_| { full.dispatch(()); }>
                {move || i18n.t("contributions.view_full")}
            </button>
            <p class="field__hint">{move || i18n.t("contributions.view_full_audited")}</p>
            {move || full.value().get().map(|answer| match answer {
                Ok(list) => view! {
                    <ul class="plain-list" data-testid="recipients-full">
                        {list.into_iter().map(|r| view! {
                            <li>{r.name}" · "{r.id_number}" · "{r.school}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(error) => view! { <p class="notice notice--error" role="alert">{error.message(&i18n)}</p> }.into_any(),
            })}
        })}
    })
}

/// The evidence files, each opened in a new tab.
#[component]
fn EvidenceList(entry: Contribution) -> impl IntoView {
    let i18n = use_i18n();
    let id = entry.id;
    (!entry.evidence.is_empty()).then(|| view! {
        <h2>{move || i18n.t("contributions.evidence_files")}</h2>
        <ul class="plain-list" data-testid="evidence">
            {entry.evidence.iter().map(|f| view! {
                <li><a href=api::evidence_url(id, f.id) rel="noopener" target="_blank">
                    {if f.original_name.is_empty() { format!("#{}", f.id) } else { f.original_name.clone() }}
                </a></li>
            }).collect_view()}
        </ul>
    })
}

/// Staff verify a submitted entry or return it with a reason.
#[component]
fn ReviewButtons(review: Review) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="ledger-actions">
            <button type="button" class="button button--primary" data-testid="verify"
                on:click=move |_| { review.dispatch((true, None)); }>{move || i18n.t("contributions.verify")}</button>
            <button type="button" class="button" on:click=move |_| {
                if let Some(reason) = ask_return_reason(i18n) { review.dispatch((false, Some(reason))); }
            }>{move || i18n.t("contributions.return")}</button>
        </div>
    }
}

/// The organization corrects a verified entry: the report form, opened and closed by a button.
#[component]
fn Correction(entry: Contribution, correcting: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="button" data-testid="correct" on:click=move |_| correcting.update(|c| *c = !*c)>
            {move || i18n.t("contributions.correct")}
        </button>
        {move || correcting.get().then(|| view! { <ReportForm correcting=entry.clone() /> })}
    }
}
