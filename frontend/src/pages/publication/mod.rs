//! 双公示 — the publication of decisions: the outbox of items with their filters in the URL (status,
//! kind, period, division, late only), the export of the platform's item list and, for the bureau, "push
//! the due items now", followed until the run ends and the list read again (here); one item with its
//! pushes, retry and "published on" (`item.rs`); the on-time rate per period and division with the late
//! items (`on_time.rs`).

mod item;
mod on_time;

use domain::api::{Job, Page as ResultPage, PublicationItem, PublicationQuery};
use domain::jobs::JobStatus;
use domain::policy::{BUREAU_ONLY, STAFF};
use domain::publication::{DecisionKind, PublicationStatus};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::export::ExportButton;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::components::poll::poll_while;
use crate::i18n::{I18n, use_i18n};
use crate::pages::villages::list::loaded_cities;
use crate::routes::{Page, non_empty, use_url_query};
use crate::session::use_session;

pub use item::PublicationItemPage;
pub use on_time::OnTimePage;

#[component]
pub fn PublicationPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><Outbox /></RequireAuth> }
}

#[component]
fn Outbox() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (query, navigate_to) = use_url_query::<PublicationQuery>();
    let items = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_publications(&query).await }
    });
    // A new filter starts again from the first page.
    let apply = Callback::new(move |next: PublicationQuery| {
        navigate_to.run(PublicationQuery { page: None, ..next });
    });
    let push = Action::new_local(|_: &()| api::push_publications());
    // The push run, followed until it ends; then the list is read again and its summary shown.
    let run = RwSignal::new(None::<Job>);
    Effect::new(move |_| {
        if let Some(Ok(job)) = push.value().get() {
            run.set(Some(job));
        }
    });
    follow_run(run, move || items.refetch());
    let (period, set_period) = signal(String::new());
    Effect::new(move |_| set_period.set(query.get().period.unwrap_or_default()));
    view! {
        <section class="page">
            <h1>{move || i18n.t("publication.title")}</h1>
            <p class="lead">{move || i18n.t("publication.lead")}</p>
            <div class="form-actions">
                <A href=Page::PublicationOnTime.path() attr:class="button" attr:data-testid="publication-on-time">
                    {move || i18n.t("publication.on_time")}
                </A>
                <ExportButton href=Signal::derive(move || api::publications_export_url(&query.get(), "xlsx"))
                    label="publication.export_xlsx" testid="publication-export" />
                <ExportButton href=Signal::derive(move || api::publications_export_url(&query.get(), "csv"))
                    label="publication.export_csv" testid="publication-export-csv" />
                <Show when=move || session.has_role(BUREAU_ONLY)>
                    <button type="button" class="button button--primary" data-testid="publication-push"
                        disabled=move || push.pending().get() on:click=move |_| { push.dispatch(()); }>
                        {move || i18n.t("publication.push_now")}
                    </button>
                </Show>
            </div>
            {move || push.value().get().and_then(|r| r.err()).map(|e| view! {
                <p class="notice notice--error" role="alert">{e.message(&i18n)}</p>
            })}
            {move || run.get().map(|job| run_notice(i18n, job))}
            <Filters query apply period set_period />
            <Async resource=items let:page>
                <Items page query />
            </Async>
        </section>
    }
}

/// Where a push run is: under way, done with its summary, or failed with its reason.
fn run_notice(i18n: I18n, job: Job) -> impl IntoView {
    match job.status {
        JobStatus::Done => {
            let summary = job.summary.unwrap_or_default();
            let text = move || i18n.t_with("publication.push_done", &[("summary", summary.clone())]);
            view! { <p class="notice notice--ok" role="status" data-testid="publication-push-done">{text}</p> }.into_any()
        }
        JobStatus::Failed => {
            let error = job.error.unwrap_or_default();
            let text = move || i18n.t_with("publication.push_failed", &[("error", error.clone())]);
            view! { <p class="notice notice--error" role="alert">{text}</p> }.into_any()
        }
        _ => view! { <p class="notice" role="status" data-testid="publication-pushing">{move || i18n.t("publication.pushing")}</p> }.into_any(),
    }
}

/// Follows the push run in `run` until it ends — its state read again about once a second — then calls
/// `done` (which reads again what the run changed).
fn follow_run(run: RwSignal<Option<Job>>, done: impl Fn() + Copy + 'static) {
    poll_while(
        move || run.with(|job| job.as_ref().is_some_and(|j| !j.status.is_final())),
        move || {
            let Some(job_id) = run.with_untracked(|job| job.as_ref().map(|j| j.id)) else {
                return;
            };
            leptos::task::spawn_local(async move {
                if let Ok(job) = api::find_job(job_id).await {
                    let finished = job.status.is_final();
                    run.set(Some(job));
                    if finished {
                        done();
                    }
                }
            });
        },
    );
}

/// Status, kind, period, city and "late only", applied at once (the period on submit).
#[component]
fn Filters(
    query: Memo<PublicationQuery>,
    apply: Callback<PublicationQuery>,
    period: ReadSignal<String>,
    set_period: WriteSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let divisions = LocalResource::new(api::list_divisions);
    view! {
        <form class="filters" role="search" on:submit=move |ev| {
            ev.prevent_default();
            apply.run(PublicationQuery { period: non_empty(period.get_untracked()), ..query.get_untracked() });
        }>
            <EnumSelect label="publication.status" name="status" values=&PublicationStatus::ALL
                selected=Signal::derive(move || query.get().status)
                on_change=move |v| apply.run(PublicationQuery { status: v, ..query.get_untracked() }) />
            <EnumSelect label="publication.kind" name="kind" values=&DecisionKind::ALL
                selected=Signal::derive(move || query.get().kind)
                on_change=move |v| apply.run(PublicationQuery { kind: v, ..query.get_untracked() }) />
            <label class="field">
                <span>{move || i18n.t("publication.period")}</span>
                <input type="text" name="period" inputmode="numeric" maxlength="7" data-testid="publication-period"
                    placeholder=move || i18n.t("publication.period_placeholder")
                    prop:value=period on:input=move |ev| set_period.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{move || i18n.t("publication.division")}</span>
                <select name="division" on:change=move |ev| {
                    apply.run(PublicationQuery { division: non_empty(event_target_value(&ev)), ..query.get_untracked() });
                }>
                    <option value="" selected=move || query.get().division.is_none()>{move || i18n.t("common.all")}</option>
                    {move || loaded_cities(divisions).into_iter().map(|city| {
                        let code = city.code.clone();
                        view! {
                            <option value=city.code selected=move || query.get().division.as_ref() == Some(&code)>{city.name}</option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <label class="choice">
                <input type="checkbox" name="late" data-testid="publication-late"
                    prop:checked=move || query.get().late == Some(true)
                    on:change=move |ev| {
                        let late = event_target_checked(&ev).then_some(true);
                        apply.run(PublicationQuery { late, ..query.get_untracked() });
                    } />
                <span>{move || i18n.t("publication.late_only")}</span>
            </label>
            <button type="submit" class="button button--primary">{move || i18n.t("common.search")}</button>
        </form>
    }
}

#[component]
fn Items(page: ResultPage<PublicationItem>, query: Memo<PublicationQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    if page.items.is_empty() {
        return view! { <p class="notice">{move || i18n.t("publication.empty")}</p> }.into_any();
    }
    let href_for = move |n: u32| {
        Page::Publication.with_query(&PublicationQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count" data-testid="publication-total">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <table class="list-table" data-testid="publication-table">
            <thead><tr>
                <th>{move || i18n.t("publication.col.number")}</th>
                <th>{move || i18n.t("publication.col.party")}</th>
                <th>{move || i18n.t("publication.col.decided")}</th>
                <th>{move || i18n.t("publication.col.due")}</th>
                <th>{move || i18n.t("publication.status")}</th>
            </tr></thead>
            <tbody>{page.items.into_iter().map(|item| item_row(i18n, item)).collect_view()}</tbody>
        </table>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

fn item_row(i18n: I18n, item: PublicationItem) -> impl IntoView {
    let kind = item.kind;
    let badges = status_badges(i18n, &item);
    view! {
        <tr data-testid="publication-row">
            <td class="list-table__title" data-label=move || i18n.t("publication.col.number")>
                <A href=Page::publication(item.id)>{item.document_number}</A>
                <small>" · "{move || i18n.label(kind)}</small>
            </td>
            <td data-label=move || i18n.t("publication.col.party")>{item.organization_name}</td>
            <td data-label=move || i18n.t("publication.col.decided")>{item.decided_on.to_string()}</td>
            <td data-label=move || i18n.t("publication.col.due")>{item.due_on.to_string()}</td>
            <td data-label=move || i18n.t("publication.status")>{badges}</td>
        </tr>
    }
}

/// The item's status, and how late it is when it is.
fn status_badges(i18n: I18n, item: &PublicationItem) -> impl IntoView + use<> {
    let status = item.status;
    let class = match status {
        PublicationStatus::Failed => "badge badge--danger",
        PublicationStatus::Pending => "badge badge--warn",
        _ => "badge",
    };
    let late = item.late_days.map(|days| {
        let text = move || i18n.t_with("publication.late_days", &[("days", days.to_string())]);
        view! { " "<span class="badge badge--danger" data-testid="publication-late-days">{text}</span> }
    });
    view! {
        <span class=class data-testid="publication-status">{move || i18n.label(status)}</span>
        {late}
    }
}
