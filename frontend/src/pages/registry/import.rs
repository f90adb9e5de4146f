//! 名录导入 — staff import organizations from an .xlsx or .csv file: download the template, check the
//! file (every bad row listed with its row, column and reason), then import it all or nothing. The
//! upload's progress is shown as it goes; a large file is then checked and stored by a job on the server,
//! whose progress (rows checked, rows stored) shows until its report comes.

use domain::api::{ImportReport, Job};
use domain::jobs::JobStatus;
use domain::policy::STAFF;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Imported};
use crate::components::guard::RequireAuth;
use crate::components::poll::poll_while;
use crate::i18n::use_i18n;

/// How many problems the page lists (the count says how many there are in all).
const SHOWN_PROBLEMS: usize = 500;

#[component]
pub fn ImportPage() -> impl IntoView {
    view! { <RequireAuth roles=STAFF><ImportForm /></RequireAuth> }
}

/// Where the current step stands.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    /// Uploading: bytes sent and the total.
    Uploading(f64, f64),
    /// Uploaded; the server is checking (or storing) the rows.
    Working,
    /// A large file: a job on the server checks (or stores) the rows, last seen so.
    Job(Box<Job>),
}

#[component]
fn ImportForm() -> impl IntoView {
    let i18n = use_i18n();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let stage = RwSignal::new(Stage::Idle);
    let report = RwSignal::new(None::<ImportReport>);
    let imported = RwSignal::new(None::<ImportReport>);
    let failure = RwSignal::new(None::<api::Error>);
    // Why an import job failed, in the server's words.
    let job_failure = RwSignal::new(None::<String>);
    let progress = Callback::new(move |(loaded, total): (f64, f64)| {
        stage.set(if loaded >= total {
            Stage::Working
        } else {
            Stage::Uploading(loaded, total)
        });
    });
    let committing = StoredValue::new(false);
    let finish = move |commit: bool, result: Result<ImportReport, api::Error>| match result {
        Ok(found) if !commit || found.imported == 0 => {
            failure.set(None);
            report.set(Some(found));
        }
        Ok(done) => {
            failure.set(None);
            report.set(None);
            imported.set(Some(done));
        }
        Err(error) => failure.set(Some(error)),
    };
    let run = Action::new_local(move |commit: &bool| {
        let commit = *commit;
        committing.set_value(commit);
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        async move {
            let file = file?;
            stage.set(Stage::Uploading(0.0, file.size()));
            let result = api::import_organizations(&file, commit, progress).await;
            Some((commit, result))
        }
    });
    Effect::new(move |_| match run.value().get().flatten() {
        Some((_, Ok(Imported::Started(job)))) => stage.set(Stage::Job(job)),
        Some((commit, Ok(Imported::Report(found)))) => {
            stage.set(Stage::Idle);
            finish(commit, Ok(found));
        }
        Some((commit, Err(error))) => {
            stage.set(Stage::Idle);
            finish(commit, Err(error));
        }
        None => {}
    });
    // A job under way: look again about once a second until it ends, then show its report.
    let job_id = Memo::new(move |_| {
        stage.with(|s| match s {
            Stage::Job(job) if !job.status.is_final() => Some(job.id),
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
                let seen = api::find_job(id).await;
                asking.set_value(false);
                match seen {
                    Ok(job) if job.status.is_final() => {
                        stage.try_set(Stage::Idle);
                        let found = job
                            .result
                            .and_then(|r| serde_json::from_value::<ImportReport>(r).ok());
                        match found {
                            Some(found) if job.status == JobStatus::Done => {
                                finish(committing.get_value(), Ok(found))
                            }
                            _ => {
                                job_failure.try_set(Some(job.error.or(job.summary).unwrap_or_default()));
                            }
                        }
                    }
                    Ok(job) => {
                        stage.try_set(Stage::Job(Box::new(job)));
                    }
                    Err(_) => {} // asked again next second
                }
            });
        },
    );
    let on_file = move |_| {
        report.set(None);
        imported.set(None);
        failure.set(None);
        job_failure.set(None);
    };
    let busy = move || run.pending().get() || stage.with(|s| matches!(s, Stage::Job(_)));
    let stage_view = move || match stage.get() {
        Stage::Idle => None,
        Stage::Uploading(loaded, total) => {
            let percent = if total > 0.0 {
                (loaded / total * 100.0).round()
            } else {
                0.0
            };
            Some(view! {
                <div class="stack" data-testid="import-progress">
                    <progress class="progress" max="100" value=percent.to_string()></progress>
                    <span>{move || i18n.t_with("import.uploading", &[("percent", percent.to_string())])}</span>
                </div>
            }.into_any())
        }
        Stage::Job(job) => {
            let percent = (job.progress * 100.0).round();
            let note = job.progress_note.unwrap_or_else(|| i18n.t("import.queued"));
            Some(
                view! {
                    <div class="stack" data-testid="import-progress">
                        <progress class="progress" max="100" value=percent.to_string()></progress>
                        <span data-testid="import-job-progress">{note}</span>
                    </div>
                }
                .into_any(),
            )
        }
        Stage::Working => Some(
            view! {
                <div class="stack" data-testid="import-progress">
                    <progress class="progress"></progress>
                    <span>{move || i18n.t("import.working")}</span>
                </div>
            }
            .into_any(),
        ),
    };
    view! {
        <section class="page">
            <h1>{move || i18n.t("import.title")}</h1>
            <p class="lead">{move || i18n.t("import.lead")}</p>
            <div class="form-actions">
                <a class="button" href=api::import_template_url("xlsx") download data-testid="template-xlsx">{move || i18n.t("import.template_xlsx")}</a>
                <a class="button" href=api::import_template_url("csv") download data-testid="template-csv">{move || i18n.t("import.template_csv")}</a>
            </div>
            <form class="stack" on:submit=move |ev| { ev.prevent_default(); run.dispatch(false); }>
                <label class="field">
                    <span>{move || i18n.t("import.file")}</span>
                    <input type="file" name="file" accept=".xlsx,.csv" node_ref=file_input data-testid="import-file" on:change=on_file />
                </label>
                <div class="form-actions">
                    <button type="submit" class="button button--primary" data-testid="import-check" disabled=busy>
                        {move || i18n.t("import.check")}
                    </button>
                </div>
            </form>
            {stage_view}
            {move || failure.get().map(|e| {
                let fields = match &e {
                    api::Error::Api { error, .. } => error.error.fields.iter().take(SHOWN_PROBLEMS).map(|f| f.message.clone()).collect::<Vec<_>>(),
                    _ => Vec::new(),
                };
                view! {
                    <div class="notice notice--error" role="alert">
                        <p>{e.message(&i18n)}</p>
                        <ul>{fields.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                    </div>
                }
            })}
            {move || job_failure.get().map(|reason| view! {
                <div class="notice notice--error" role="alert" data-testid="import-job-failed">
                    <p>{move || i18n.t("import.job_failed")}</p>
                    <p>{reason}</p>
                </div>
            })}
            {move || imported.get().map(|done| view! {
                <p class="notice notice--ok" data-testid="import-done">
                    {move || i18n.t_with("import.done", &[("count", done.imported.to_string()), ("file", done.file_name.clone())])}
                </p>
            })}
            {move || report.get().map(|found| {
                let ImportReport { rows, valid, problems, .. } = found;
                let clean = problems.is_empty() && valid > 0;
                let count = problems.len();
                let more = count.saturating_sub(SHOWN_PROBLEMS);
                view! {
                    <div class="stack" data-testid="import-report">
                        <p class="count" data-testid="import-summary">{move || i18n.t_with("import.summary", &[
                            ("rows", rows.to_string()),
                            ("valid", valid.to_string()),
                            ("problems", count.to_string()),
                        ])}</p>
                        {(count > 0).then(|| view! {
                            <table class="list-table" data-testid="import-problems">
                                <thead><tr>
                                    <th>{move || i18n.t("import.row")}</th>
                                    <th>{move || i18n.t("import.column")}</th>
                                    <th>{move || i18n.t("import.reason")}</th>
                                </tr></thead>
                                <tbody>
                                    {problems.into_iter().take(SHOWN_PROBLEMS).map(|p| view! {
                                        <tr>
                                            <td data-label=move || i18n.t("import.row")>{p.row}</td>
                                            <td data-label=move || i18n.t("import.column")>{p.column}</td>
                                            <td data-label=move || i18n.t("import.reason")>{p.message}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        {(more > 0).then(|| view! { <p class="notice">{move || i18n.t_with("import.more", &[("count", more.to_string())])}</p> })}
                        {clean.then(|| view! {
                            <button type="button" class="button button--primary" data-testid="import-commit" disabled=busy
                                on:click=move |_| { run.dispatch(true); }>
                                {move || i18n.t_with("import.commit", &[("count", valid.to_string())])}
                            </button>
                        })}
                    </div>
                }
            })}
        </section>
    }
}
