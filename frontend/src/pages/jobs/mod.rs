//! 我的任务 — the jobs a user started (large exports), each with its progress while it runs, then its file,
//! size and keeping time: where a large export is found again after a reload or on another day. Bureau
//! administrators may list every job, the scheduled runs included, and see and start the daily jobs
//! (`schedules`). The list polls while any of its jobs is under way.

mod schedules;

use domain::api::{Job, JobQuery, Page as ResultPage};
use domain::jobs::{JobKind, JobStatus};
use domain::policy::{ANY_ROLE, BUREAU_ONLY};
use leptos::prelude::*;

use crate::api;
use crate::components::export::job_progress;
use crate::components::field::EnumSelect;
use crate::components::guard::RequireAuth;
use crate::components::load::Async;
use crate::components::pager::Pager;
use crate::components::poll::poll_while;
use crate::format::{format_bytes, format_time, now};
use crate::i18n::{I18n, use_i18n};
use crate::routes::{Page, use_url_query};
use crate::session::use_session;

/// The kinds a user can start: the exports and the imports (the others are the bureau's daily jobs).
const EXPORTS: [JobKind; 8] = [
    JobKind::OrganizationsImportCheck,
    JobKind::OrganizationsImport,
    JobKind::ContributionsExport,
    JobKind::OrganizationsExport,
    JobKind::AuditExport,
    JobKind::InspectionExport,
    JobKind::FeesExport,
    JobKind::PublicationExport,
];

#[component]
pub fn JobsPage() -> impl IntoView {
    view! { <RequireAuth roles=ANY_ROLE><Jobs /></RequireAuth> }
}

#[component]
fn Jobs() -> impl IntoView {
    let i18n = use_i18n();
    let bureau = use_session().has_role_untracked(BUREAU_ONLY);
    // The filters live in the URL, so back, forward and reload keep them.
    let (query, navigate_to) = use_url_query::<JobQuery>();
    let apply = Callback::new(move |next: JobQuery| navigate_to.run(JobQuery { page: None, ..next }));
    let jobs = LocalResource::new(move || {
        let query = query.get();
        async move { api::list_jobs(&query).await }
    });
    let under_way = Memo::new(move |_| {
        jobs.with(
            |page| matches!(page, Some(Ok(page)) if page.items.iter().any(|job| !job.status.is_final())),
        )
    });
    poll_while(move || under_way.get(), move || jobs.refetch());
    let all = move || query.with(|q| q.all == Some(true));
    let kinds: &'static [JobKind] = if bureau { &JobKind::ALL } else { &EXPORTS };
    view! {
        <section class="page">
            <h1>{move || if all() { i18n.t("jobs.all_title") } else { i18n.t("jobs.title") }}</h1>
            <p class="lead">{move || i18n.t("jobs.lead")}</p>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <EnumSelect label="jobs.kind" name="kind" values=kinds selected=Signal::derive(move || query.get().kind)
                    on_change=move |kind| apply.run(JobQuery { kind, ..query.get_untracked() }) />
                {bureau.then(|| view! {
                    <label class="choice">
                        <input type="checkbox" name="all" data-testid="jobs-all" prop:checked=all
                            on:change=move |ev| apply.run(JobQuery {
                                all: event_target_checked(&ev).then_some(true),
                                ..query.get_untracked()
                            }) />
                        <span>{move || i18n.t("jobs.all")}</span>
                    </label>
                })}
            </form>
            <Async resource=jobs let:page>
                <JobList page query />
            </Async>
        </section>
        {bureau.then(|| view! { <schedules::DailyJobs on_run=move |()| jobs.refetch() /> })}
    }
}

#[component]
fn JobList(page: ResultPage<Job>, query: Memo<JobQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let show_owner = query.get_untracked().all == Some(true);
    if page.items.is_empty() {
        // Nothing at all yet says where jobs come from; nothing under a filter says only that.
        let filtered = show_owner || query.get_untracked().kind.is_some() || page.page > 1;
        let empty = if filtered { "jobs.none_match" } else { "jobs.empty" };
        return view! { <p class="notice" data-testid="jobs-empty">{move || i18n.t(empty)}</p> }.into_any();
    }
    let total = page.total;
    let href_for = move |n: u32| {
        Page::Jobs.with_query(&JobQuery {
            page: Some(n),
            ..query.get_untracked()
        })
    };
    view! {
        <p class="count">{move || i18n.t_with("common.total", &[("total", total.to_string())])}</p>
        <ul class="record-list" data-testid="jobs-list">
            {page.items.into_iter().map(|job| job_card(i18n, job, show_owner)).collect_view()}
        </ul>
        <Pager page=page.page per_page=page.per_page total href_for />
    }
    .into_any()
}

/// One job: what and whose, where it stands, when, what it did, and its file.
fn job_card(i18n: I18n, job: Job, show_owner: bool) -> impl IntoView {
    let (kind, status) = (job.kind, job.status);
    let created = format_time(job.created_at);
    let finished = job.finished_at.map(format_time);
    let owner = show_owner.then(|| job.owner.clone());
    let attempts = job.attempts;
    // Between attempts a job is queued again with the last attempt's error.
    let (retrying, failure) = match status {
        JobStatus::Failed => (None, job.error.clone()),
        _ => (job.error.clone(), None),
    };
    view! {
        <li class="record" data-testid="job">
            <div class="record__head">
                <strong>{move || i18n.label(kind)}</strong>
                <span class=status_badge(status)>{move || i18n.label(status)}</span>
                <small class="record__id">"#"{job.id}</small>
            </div>
            {(!status.is_final()).then(|| job_progress(i18n, &job))}
            <div class="record__meta">
                {owner.map(|owner| view! {
                    <span>{move || match &owner {
                        Some(name) => i18n.t_with("jobs.owner", &[("owner", name.clone())]),
                        None => i18n.t("jobs.system"),
                    }}</span>
                })}
                <span>{move || i18n.t_with("jobs.created", &[("at", created.clone())])}</span>
                {finished.map(|at| view! { <span>{move || i18n.t_with("jobs.finished", &[("at", at.clone())])}</span> })}
                {(attempts > 1).then(|| view! {
                    <span>{move || i18n.t_with("jobs.attempts", &[("count", attempts.to_string())])}</span>
                })}
            </div>
            {job.summary.clone().map(|summary| view! { <p class="record__text">{summary}</p> })}
            {retrying.map(|error| view! {
                <p class="record__text">{move || i18n.t("jobs.retrying")}" "{error}</p>
            })}
            {failure.map(|error| view! { <p class="field__error" data-testid="job-error">{error}</p> })}
            {job_file(i18n, &job)}
        </li>
    }
}

/// A finished export's file: the download while it is kept (for its owner), else why there is none.
fn job_file(i18n: I18n, job: &Job) -> Option<AnyView> {
    let name = job.file_name.clone()?;
    let size = job.file_bytes.map(format_bytes).unwrap_or_default();
    let kept = job.expires_at.is_some_and(|at| at > now());
    let expires = job.expires_at.map(format_time).unwrap_or_default();
    let action = match (&job.download, kept) {
        (Some(href), _) => view! {
            <a class="button button--primary" href=href.clone() download=name.clone() data-testid="job-download">
                {move || i18n.t("jobs.download")}
            </a>
        }
        .into_any(),
        (None, true) => view! { <span>{move || i18n.t("jobs.owner_only")}</span> }.into_any(),
        (None, false) => view! { <span data-testid="job-expired">{move || i18n.t("jobs.expired")}</span> }.into_any(),
    };
    Some(
        view! {
            <div class="record__actions job-file">
                {action}
                <span class="job-file__name">
                    {name}" · "{size}
                    {kept.then(|| view! { " · "{move || i18n.t_with("jobs.expires_at", &[("at", expires.clone())])} })}
                </span>
            </div>
        }
        .into_any(),
    )
}

/// The badge of a job's status: under way, done, failed.
pub(crate) fn status_badge(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Queued => "badge",
        JobStatus::Running => "badge badge--warn",
        JobStatus::Done => "badge badge--ok",
        JobStatus::Failed => "badge badge--danger",
    }
}
