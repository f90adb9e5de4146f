//! 定时任务 — the daily jobs, for bureau administrators: when each runs (China Standard Time), when it runs
//! next, how its latest run went and how long it took; and a button to run one now (e.g. after a fix).

use domain::api::ScheduleStatus;
use domain::jobs::{JobKind, JobStatus};
use leptos::prelude::*;

use super::status_badge;
use crate::api;
use crate::components::export::job_progress;
use crate::components::load::Async;
use crate::components::poll::poll_while;
use crate::format::format_time;
use crate::i18n::{I18n, use_i18n};

#[component]
pub(super) fn DailyJobs(
    /// Called when a run has been started (the list above shows it).
    #[prop(into)]
    on_run: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let schedules = LocalResource::new(api::job_schedules);
    let run = Action::new_local(|kind: &JobKind| {
        let kind = *kind;
        async move { api::run_schedule(kind).await }
    });
    Effect::new(move |_| {
        if run.value().with(|v| matches!(v, Some(Ok(_)))) {
            schedules.refetch();
            on_run.run(());
        }
    });
    let under_way = Memo::new(move |_| {
        schedules.with(|list| {
            matches!(list, Some(Ok(list)) if list.iter().any(|s| {
                s.last_run.as_ref().is_some_and(|job| !job.status.is_final())
            }))
        })
    });
    poll_while(move || under_way.get(), move || schedules.refetch());
    let started = move || match run.value().get() {
        Some(Ok(job)) => Some(
            view! {
                <p class="notice notice--ok" role="status">
                    {move || i18n.t_with("jobs.run_started", &[("kind", i18n.label(job.kind).to_owned())])}
                </p>
            }
            .into_any(),
        ),
        Some(Err(e)) => {
            Some(view! { <p class="notice notice--error" role="alert">{e.message(&i18n)}</p> }.into_any())
        }
        None => None,
    };
    view! {
        <section class="page" data-testid="schedules">
            <h2>{move || i18n.t("jobs.schedules_title")}</h2>
            <p class="lead">{move || i18n.t("jobs.schedules_lead")}</p>
            {started}
            <Async resource=schedules let:list>
                <ul class="record-list" data-testid="schedule-list">
                    {list.into_iter().map(|s| schedule_card(i18n, s, run)).collect_view()}
                </ul>
            </Async>
        </section>
    }
}

/// One daily job: its time, its next run, its latest run, and "run now".
fn schedule_card(
    i18n: I18n,
    schedule: ScheduleStatus,
    run: Action<JobKind, api::Result<domain::api::Job>>,
) -> impl IntoView {
    let kind = schedule.kind;
    let at = schedule.at.format("%H:%M").to_string();
    let next = format_time(schedule.next_run);
    let last = schedule.last_run.clone();
    let under_way = last.as_ref().is_some_and(|job| !job.status.is_final());
    let badge = match &last {
        Some(job) => {
            let status = job.status;
            view! { <span class=status_badge(status)>{move || i18n.label(status)}</span> }.into_any()
        }
        None => view! { <span class="badge">{move || i18n.t("jobs.never_run")}</span> }.into_any(),
    };
    let last_at = last
        .as_ref()
        .map(|job| format_time(job.finished_at.or(job.started_at).unwrap_or(job.created_at)));
    // Under a second in milliseconds, else in seconds to a tenth.
    let took = schedule.last_duration_ms.map(|ms| match ms {
        ..1000 => ("jobs.duration_ms", ms.max(0).to_string()),
        _ => ("jobs.duration", format!("{:.1}", ms as f64 / 1000.0)),
    });
    let summary = last.as_ref().and_then(|job| job.summary.clone());
    let error = last
        .as_ref()
        .filter(|job| job.status == JobStatus::Failed)
        .and_then(|job| job.error.clone());
    view! {
        <li class="record" data-testid="schedule">
            <div class="record__head">
                <strong>{move || i18n.label(kind)}</strong>
                {badge}
            </div>
            {last.as_ref().filter(|_| under_way).map(|job| job_progress(i18n, job))}
            <div class="record__meta">
                <span>{move || i18n.t_with("jobs.daily_at", &[("time", at.clone())])}</span>
                <span>{move || i18n.t_with("jobs.next_run", &[("at", next.clone())])}</span>
                {last_at.map(|at| view! { <span>{move || i18n.t_with("jobs.last_run", &[("at", at.clone())])}</span> })}
                {took.map(|(key, n)| view! { <span>{move || i18n.t_with(key, &[("n", n.clone())])}</span> })}
            </div>
            {summary.map(|text| view! { <p class="record__text">{text}</p> })}
            {error.map(|text| view! { <p class="field__error">{text}</p> })}
            <div class="record__actions">
                <button type="button" class="button" data-testid=format!("run-{}", kind.key())
                    disabled=move || under_way || run.pending().get()
                    on:click=move |_| { run.dispatch(kind); }>
                    {move || i18n.t("jobs.run_now")}
                </button>
            </div>
        </li>
    }
}
