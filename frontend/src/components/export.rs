//! `<ExportButton>`: the one way a list exports what its filter selects. A small export comes at once and
//! the browser saves it; a large one runs on the server as a job (`202 Accepted`), whose progress shows
//! under the button until its file can be downloaded — or found again later on the jobs page.

use domain::api::Job;
use domain::jobs::JobStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Export};
use crate::components::notice::ErrorNotice;
use crate::components::poll::poll_while;
use crate::format::{format_bytes, format_time};
use crate::i18n::{I18n, use_i18n};
use crate::routes::Page;

/// Where an export stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    /// The request is on its way (a small file comes in this answer).
    Asking,
    /// The file came at once and the browser saved it under this name.
    Saved(String),
    /// The export runs as a job, last seen so.
    Running(Job),
    Failed(api::Error),
}

impl Stage {
    fn busy(&self) -> bool {
        match self {
            Stage::Asking => true,
            Stage::Running(job) => !job.status.is_final(),
            _ => false,
        }
    }
}

/// A button that exports `href` (an export URL with the list's filters), and what became of it.
#[component]
pub fn ExportButton(
    /// The export's URL, with the list's current filters.
    #[prop(into)]
    href: Signal<String>,
    /// The locale key of the button's label.
    label: &'static str,
    /// The button's `data-testid`.
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let stage = RwSignal::new(Stage::Idle);
    let start = move || {
        stage.set(Stage::Asking);
        let url = href.get_untracked();
        spawn_local(async move {
            let next = match api::export(&url).await {
                Ok(Export::Saved(name)) => Stage::Saved(name),
                Ok(Export::Started(job)) => Stage::Running(*job),
                Err(error) => Stage::Failed(error),
            };
            stage.try_set(next);
        });
    };
    // While the job is under way, ask again about once a second.
    let job_id = Memo::new(move |_| {
        stage.with(|s| match s {
            Stage::Running(job) if !job.status.is_final() => Some(job.id),
            _ => None,
        })
    });
    let asking = StoredValue::new(false);
    poll_while(
        move || job_id.get().is_some(),
        move || {
            let Some(id) = job_id.get_untracked() else { return };
            if asking.get_value() {
                return;
            }
            asking.set_value(true);
            spawn_local(async move {
                let answer = api::find_job(id).await;
                asking.try_set_value(false);
                // The view may have gone, or a new export begun, while the answer was on its way.
                let current = stage.try_with_untracked(|s| matches!(s, Stage::Running(old) if old.id == id));
                if current != Some(true) {
                    return;
                }
                match answer {
                    Ok(job) => stage.set(Stage::Running(job)),
                    // The job is gone or no longer ours; a network hiccup is simply tried again.
                    Err(error @ api::Error::Api { .. }) => stage.set(Stage::Failed(error)),
                    Err(api::Error::Fetch(_)) => {}
                }
            });
        },
    );
    let shown = move || match stage.get() {
        Stage::Idle | Stage::Asking => None,
        Stage::Saved(name) => Some(
            view! {
                <p class="export__note" role="status" data-testid="export-saved">
                    {move || i18n.t_with("jobs.export_saved", &[("name", name.clone())])}
                </p>
            }
            .into_any(),
        ),
        Stage::Running(job) => Some(job_panel(i18n, job)),
        Stage::Failed(error) => Some(view! { <ErrorNotice error on_retry=move |()| start() /> }.into_any()),
    };
    view! {
        <div class="export">
            <button type="button" class="button" data-testid=testid
                disabled=move || stage.with(Stage::busy)
                aria-busy=move || stage.with(Stage::busy).to_string()
                on:click=move |_| start()>
                {move || if stage.with(|s| matches!(s, Stage::Asking)) { i18n.t("jobs.export_asking") } else { i18n.t(label) }}
            </button>
            {shown}
        </div>
    }
}

/// The job an export became: its progress while it runs, then its file, or why it failed.
fn job_panel(i18n: I18n, job: Job) -> AnyView {
    let jobs_link = view! {
        <a href=Page::Jobs.path() data-testid="export-jobs-link">{move || i18n.t("jobs.see_all")}</a>
    };
    let body = match job.status {
        JobStatus::Queued | JobStatus::Running => view! {
            {job_progress(i18n, &job)}
            <p class="export__note">{move || i18n.t("jobs.export_background")}" "{jobs_link}</p>
        }
        .into_any(),
        JobStatus::Done => {
            let file = job.file_name.clone().unwrap_or_default();
            let size = job.file_bytes.map(format_bytes).unwrap_or_default();
            let expires = job.expires_at.map(format_time);
            view! {
                <div class="export__actions">
                    {job.download.clone().map(|href| view! {
                        <a class="button button--primary" href=href download=file.clone() data-testid="export-download">
                            {move || i18n.t("jobs.download")}
                        </a>
                    })}
                    {jobs_link}
                </div>
                <p class="export__note">
                    <span class="export__file">{file.clone()}</span>" · "{size}
                    {expires.map(|at| view! { " · "{move || i18n.t_with("jobs.expires_at", &[("at", at.clone())])} })}
                </p>
            }
            .into_any()
        }
        JobStatus::Failed => {
            let error = job.error.clone();
            view! {
                <p class="notice notice--error" role="alert" data-testid="export-failed">
                    <strong>{move || i18n.t("jobs.export_failed")}</strong>" "
                    {error}
                </p>
                <p class="export__note">{jobs_link}</p>
            }
            .into_any()
        }
    };
    view! {
        <div class="export__job" role="status" aria-live="polite" data-testid="export-job">
            <strong>{move || i18n.label(job.kind)}" · "{move || i18n.label(job.status)}</strong>
            {body}
        </div>
    }
    .into_any()
}

/// A job's progress bar with its percentage and what it counts (`已写入 12,000 / 50,000 行`).
pub fn job_progress(i18n: I18n, job: &Job) -> impl IntoView + use<> {
    let percent = (job.progress.clamp(0.0, 1.0) * 100.0).floor();
    let note = job.progress_note.clone();
    let status = job.status;
    view! {
        <div class="job-progress" data-testid="job-progress">
            <progress class="progress" max="100" value=percent.to_string()
                aria-label=move || i18n.label(status)>{format!("{percent}%")}</progress>
            <span class="job-progress__text">
                <strong>{format!("{percent}%")}</strong>
                {note.map(|n| view! { " · "{n} })}
            </span>
        </div>
    }
}
