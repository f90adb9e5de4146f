//! One publication item: the decision as the platform receives it, its due day and status, its pushes
//! (newest first); for the bureau, "retry now" (a push run whose progress is followed until it ends, then
//! the item is read again) and "published on" for an upload.

use domain::api::{Job, MarkPublishedRequest, PublicationDetail, PushAttempt};
use domain::policy::{BUREAU_ONLY, STAFF};
use leptos::prelude::*;

use super::{follow_run, status_badges};
use crate::api;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_id_param};
use crate::session::use_session;

#[component]
pub fn PublicationItemPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><ItemRecord /></RequireAuth> }
}

#[component]
fn ItemRecord() -> impl IntoView {
    let i18n = use_i18n();
    let id = use_id_param();
    let detail = LocalResource::new(move || {
        let id = id.get();
        async move { api::find_publication(id).await }
    });
    // The push run a retry queued, followed until it ends; then the item is read again.
    let run = RwSignal::new(None::<Job>);
    let retry = Action::new_local(move |_: &()| {
        let id = id.get_untracked();
        async move { api::retry_publication(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(job)) = retry.value().get() {
            run.set(Some(job));
        }
    });
    follow_run(run, move || detail.refetch());
    let mark = Action::new_local(move |body: &MarkPublishedRequest| {
        let (id, body) = (id.get_untracked(), body.clone());
        async move { api::mark_published(id, &body).await }
    });
    Effect::new(move |_| {
        if mark.value().get().is_some_and(|r| r.is_ok()) {
            detail.refetch();
        }
    });
    view! {
        <section class="page">
            <p><a href=Page::Publication.path()>{move || i18n.t("publication.back")}</a></p>
            {move || retry.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="notice notice--error" role="alert">{e.message(&i18n)}</p>
            })}
            {move || run.get().filter(|j| !j.status.is_final()).map(|_| view! {
                <p class="notice" role="status" data-testid="publication-pushing">{move || i18n.t("publication.pushing")}</p>
            })}
            <Async resource=detail let:found>
                <ItemView detail=found retry mark />
            </Async>
        </section>
    }
}

#[component]
fn ItemView(
    detail: PublicationDetail,
    retry: Action<(), api::Result<Job>>,
    mark: Action<MarkPublishedRequest, api::Result<PublicationDetail>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let PublicationDetail {
        item,
        attempts,
        push_configured,
    } = detail;
    let kind = item.kind;
    let open = !item.status.is_published();
    // Read untracked: the session must not re-run this view.
    let bureau = session.has_role_untracked(BUREAU_ONLY);
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".to_owned());
    let valid_until = match (item.valid_until, kind) {
        (Some(day), _) => day.to_string(),
        (None, domain::publication::DecisionKind::Licensing) => i18n.t("publication.indefinite"),
        (None, _) => "—".to_owned(),
    };
    view! {
        <h1 data-testid="publication-number">{item.document_number.clone()}</h1>
        <p class="lead">{move || i18n.label(kind)}" · "{status_badges(i18n, &item)}</p>
        <dl class="facts" data-testid="publication-item">
            {fact(i18n, "publication.col.party", item.organization_name.clone())}
            {fact(i18n, "publication.credit_code", dash(item.credit_code.clone()))}
            {fact(i18n, "publication.category", item.category.clone())}
            {fact(i18n, "publication.content", item.content.clone())}
            {fact(i18n, "publication.col.decided", item.decided_on.to_string())}
            {fact(i18n, "publication.valid_until", valid_until)}
            {fact(i18n, "publication.col.due", item.due_on.to_string())}
            {fact(i18n, "publication.published_on", dash(item.published_on.map(|d| d.to_string())))}
            {fact(i18n, "publication.receipt", dash(item.receipt.clone()))}
            {fact(i18n, "publication.last_error", dash(item.last_error.clone()))}
            {fact(i18n, "publication.next_attempt", dash(item.next_attempt_at.map(format_time)))}
        </dl>
        {(bureau && open).then(|| view! {
            <div class="form-actions">
                {push_configured.then(|| view! {
                    <button type="button" class="button button--primary" data-testid="publication-retry"
                        disabled=move || retry.pending().get() on:click=move |_| { retry.dispatch(()); }>
                        {move || i18n.t("publication.retry")}
                    </button>
                })}
            </div>
            <MarkPublished mark decided_on=item.decided_on />
        })}
        <h2>{move || i18n.t("publication.attempts")}</h2>
        {attempt_list(i18n, attempts)}
    }
}

fn fact(i18n: I18n, key: &'static str, value: String) -> impl IntoView {
    view! { <dt>{move || i18n.t(key)}</dt><dd>{value}</dd> }
}

fn attempt_list(i18n: I18n, attempts: Vec<PushAttempt>) -> impl IntoView {
    if attempts.is_empty() {
        return view! { <p class="notice">{move || i18n.t("publication.no_attempts")}</p> }.into_any();
    }
    view! {
        <ol class="plain-list" data-testid="publication-attempts">
            {attempts.into_iter().map(|a| {
                let outcome = a.outcome;
                let status = a.http_status.map(|s| format!(" · HTTP {s}")).unwrap_or_default();
                view! {
                    <li>
                        {i18n.t_with("publication.attempt_no", &[("n", a.attempt.to_string())])}" · "
                        {format_time(a.at)}" · "{move || i18n.label(outcome)}{status}
                        <br /><small>{a.message}</small>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// 标记已公示: the day the item was published by upload, and a note.
#[component]
fn MarkPublished(
    mark: Action<MarkPublishedRequest, api::Result<PublicationDetail>>,
    decided_on: chrono::NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let (on, set_on) = signal(String::new());
    let (note, set_note) = signal(String::new());
    let (bad_date, set_bad_date) = signal(false);
    view! {
        <form class="filters" data-testid="publication-mark" on:submit=move |ev| {
            ev.prevent_default();
            match on.get_untracked().parse::<chrono::NaiveDate>() {
                Ok(published_on) => {
                    set_bad_date.set(false);
                    let note = crate::routes::non_empty(note.get_untracked());
                    mark.dispatch(MarkPublishedRequest { published_on, note });
                }
                Err(_) => set_bad_date.set(true),
            }
        }>
            <label class="field">
                <span>{move || i18n.t("publication.published_on")}</span>
                <input type="date" name="published_on" required min=decided_on.to_string()
                    prop:value=on on:input=move |ev| set_on.set(event_target_value(&ev)) />
                {move || bad_date.get().then(|| view! { <span class="field__error">{move || i18n.t("publication.bad_date")}</span> })}
            </label>
            <label class="field field--grow">
                <span>{move || i18n.t("publication.note")}</span>
                <input type="text" name="note" maxlength="200" prop:value=note
                    on:input=move |ev| set_note.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="button" disabled=move || mark.pending().get()>
                {move || i18n.t("publication.mark_published")}
            </button>
            {move || mark.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="notice notice--error" role="alert">{e.message(&i18n)}</p>
            })}
        </form>
    }
}
