//! A large import as a job: the upload is stored with the job; a worker reads it, checks every row
//! (progress: rows checked) and, for an import, stores every row (progress: rows stored) in one
//! transaction that also marks the job done under its fence — all or nothing, once. The job's `result`
//! is the same `ImportReport` a small file gets at once.

use domain::api::ImportReport;
use domain::jobs::JobKind;
use serde_json::Value;

use super::import::{
    CheckedFile, ImportParams, REGISTRY_KEYS, check_rows, import_row, report, rows_of, stored_name,
};
use super::read::Upload;
use crate::error::{Error, unique_conflict};
use crate::jobs::{Ended, Progress};
use crate::state::AppState;
use crate::store::jobs::{ClaimedJob, JobOutcome};
use crate::store::registry::import::ImportRow;

/// Runs an import job (`organizations_import_check` or `organizations_import`) to its end.
pub(crate) async fn run(state: &AppState, job: &ClaimedJob, progress: &Progress) -> anyhow::Result<Ended> {
    let params: ImportParams = serde_json::from_value(job.params.clone())?;
    progress.set(0, 1, "正在读取文件");
    let bytes = state.store.job_input(job.id).await?;
    let upload = Upload {
        name: params.file_name.clone(),
        bytes,
    };
    let (upload, rows) = match rows_of(upload).await {
        Ok(read) => read,
        // A file the reader refuses is the user's problem, not a failure to retry: the report says why.
        Err(refusal) => return Ok(Ended::With(refused(&params.file_name, &refusal))),
    };
    drop(upload);
    let checking = progress.clone();
    let checked = check_rows(state, params.visibility.clone(), rows, move |done, total| {
        checking.set(done as u64, total as u64, format!("已检查 {done} / {total} 行"));
    })
    .await
    .map_err(anyhow_of)?;
    let problems = checked.problems.len();
    if job.kind == JobKind::OrganizationsImportCheck || problems > 0 {
        let summary = match (job.kind, problems) {
            (JobKind::OrganizationsImportCheck, 0) => {
                format!("预检通过：共 {} 行，均可导入", checked.rows)
            }
            (JobKind::OrganizationsImportCheck, _) => {
                format!("预检完成：共 {} 行，{problems} 处问题", checked.rows)
            }
            _ => format!("导入未执行，没有保存任何记录：共 {problems} 处问题"),
        };
        return Ok(Ended::With(outcome(
            summary,
            &report(&params.file_name, &checked, 0),
        )));
    }
    store(state, job, progress, &params, &checked).await
}

/// Stores the checked rows and the job's end in one transaction.
async fn store(
    state: &AppState,
    job: &ClaimedJob,
    progress: &Progress,
    params: &ImportParams,
    checked: &CheckedFile,
) -> anyhow::Result<Ended> {
    let rows: Vec<ImportRow> = checked.valid.iter().map(import_row).collect();
    let total = rows.len() as u64;
    progress.set(0, total, format!("已保存 0 / {total} 行"));
    let stored = |done: usize| progress.set(done as u64, total, format!("已保存 {done} / {total} 行"));
    let finished = |ids: &[i64]| {
        let report = report(&params.file_name, checked, ids.len());
        let summary = format!("已导入 {} 个社会组织", ids.len());
        (summary, serde_json::to_value(&report).unwrap_or(Value::Null))
    };
    let result = state
        .store
        .import_organizations_for_job(
            &rows,
            &stored_name(&params.file_name),
            &params.actor,
            job,
            &finished,
            &stored,
        )
        .await;
    match result {
        Ok(Some(_)) => Ok(Ended::Stored),
        Ok(None) => Ok(Ended::Lost),
        // A credit code or name registered since the check: refused as a small file would be.
        Err(e) => match unique_conflict(e, &REGISTRY_KEYS) {
            refusal @ Error::Conflict { .. } => Ok(Ended::With(refused(&params.file_name, &refusal))),
            other => Err(anyhow_of(other)),
        },
    }
}

/// The outcome of a file refused as a whole: its reason as the summary and as the report's only problem.
fn refused(file_name: &str, refusal: &Error) -> JobOutcome {
    let message = refusal.to_string();
    let report = ImportReport {
        file_name: file_name.to_owned(),
        rows: 0,
        valid: 0,
        problems: vec![domain::api::ImportProblem {
            row: 1,
            column: "文件".to_owned(),
            message: message.clone(),
        }],
        imported: 0,
    };
    outcome(format!("导入未执行：{message}"), &report)
}

fn outcome(summary: String, report: &ImportReport) -> JobOutcome {
    JobOutcome {
        summary: Some(summary),
        result: serde_json::to_value(report).ok(),
        ..JobOutcome::default()
    }
}

/// A failure to retry, with what the server knows of it (a database error keeps its source for the log).
fn anyhow_of(e: Error) -> anyhow::Error {
    match e {
        Error::Database(e) | Error::Unavailable(e) => e.into(),
        Error::Internal(e) => e,
        other => anyhow::anyhow!("{other}"),
    }
}
