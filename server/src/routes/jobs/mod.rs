//! `/api/v1/jobs`: background jobs. Everyone sees the jobs they started — with their progress and, once an
//! export is done, its download, which only they may fetch (audited) until the file expires; bureau
//! administrators also see every job and the daily schedules, and may run a daily job at once.
//! Someone else's job answers 404.

use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::api::{Job, JobQuery, Page, ScheduleStatus};
use domain::jobs::{JobKind, SCHEDULES, Schedule};
use domain::paging::PageRequest;
use domain::policy::Role;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{AnyRole, Auth, BureauOnly};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::jobs::export;
use crate::state::AppState;
use crate::store::AuditEntry;
use crate::store::jobs::JobRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_jobs))
        .routes(routes!(schedules))
        .routes(routes!(run_schedule))
        .routes(routes!(find_job))
        .routes(routes!(download_job))
}

/// The caller's jobs, newest first; `all=true` every job and the scheduled runs (bureau administrators).
#[utoipa::path(get, path = "/jobs", tag = "jobs", params(JobQuery),
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = Page<Job>), (status = 403, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn list_jobs(
    State(state): State<AppState>,
    auth: Auth<AnyRole>,
    AppQuery(query): AppQuery<JobQuery>,
) -> Result<Response> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let all = query.all.unwrap_or(false);
    if all && auth.user.role != Role::BureauAdmin {
        return Err(Error::Forbidden);
    }
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(raw) => {
            Some(JobKind::parse(raw).ok_or_else(|| Error::invalid("kind", "任务类型（kind）取值无效"))?)
        }
        None => None,
    };
    let owner = (!all).then_some(auth.user.user_id);
    let (rows, total) = state.store.jobs(owner, kind, page).await?;
    let now = Utc::now();
    let items = rows.into_iter().map(|row| visible(row, &auth, now)).collect();
    Ok(no_store(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    })))
}

/// One job: its owner, or a bureau administrator (without the download, which is the owner's alone).
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = i64, Path)),
    security(("session" = ["AnyRole"])),
    responses((status = 200, body = Job), (status = 404, body = domain::api::ApiError)))]
async fn find_job(
    State(state): State<AppState>,
    auth: Auth<AnyRole>,
    AppPath(id): AppPath<i64>,
) -> Result<Response> {
    let row = load(&state, &auth, id).await?;
    let mut job = visible(row, &auth, Utc::now());
    if job.status == domain::jobs::JobStatus::Running
        && let Some((progress, note)) = state.jobs.live_progress(id)
    {
        job.progress = progress;
        job.progress_note = note.or(job.progress_note);
    }
    Ok(no_store(AppJson(job)))
}

/// The file of a finished export, to the user who asked for it, while it is kept; audited.
#[utoipa::path(get, path = "/jobs/{id}/download", tag = "jobs", params(("id" = i64, Path)),
    security(("session" = ["AnyRole"])),
    responses((status = 200, description = "the export's file"), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
async fn download_job(
    State(state): State<AppState>,
    auth: Auth<AnyRole>,
    AppPath(id): AppPath<i64>,
) -> Result<Response> {
    let row = load(&state, &auth, id).await?;
    if row.owner_id != Some(auth.user.user_id) {
        return Err(Error::not_found("任务"));
    }
    let job = row.into_api(Utc::now());
    let (Some(name), Some(_)) = (job.file_name.clone(), job.download.as_ref()) else {
        return Err(Error::conflict(
            "该任务没有可下载的文件：尚未完成、没有文件，或文件已过保留期限",
        ));
    };
    state
        .store
        .record_audit(&AuditEntry {
            actor: &auth.actor(),
            entity_type: "job",
            entity_id: id.to_string(),
            action: "download",
            before: None,
            after: Some(json!({ "kind": job.kind.key(), "file": name, "bytes": job.file_bytes })),
            reason: None,
        })
        .await?;
    let content_type = if name.ends_with(".csv") {
        export::CSV_TYPE
    } else {
        export::XLSX_TYPE
    };
    let store = state.store.clone();
    let chunks = futures_util::stream::unfold(0_i32, move |seq| {
        let store = store.clone();
        async move {
            match store.job_file_chunk(id, seq, Utc::now()).await {
                Ok(Some(data)) => Some((Ok::<_, sqlx::Error>(data), seq + 1)),
                Ok(None) => None,
                Err(e) => Some((Err(e), i32::MAX)),
            }
        }
    });
    let mut response = export::download(Body::from_stream(chunks), content_type, &name);
    if let Some(bytes) = job.file_bytes {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, bytes.into());
    }
    Ok(response)
}

/// The daily jobs: when each runs (China Standard Time), its next run, and its latest run.
#[utoipa::path(get, path = "/jobs/schedules", tag = "jobs",
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Vec<ScheduleStatus>)))]
async fn schedules(State(state): State<AppState>, _auth: Auth<BureauOnly>) -> Result<Response> {
    let now = Utc::now();
    let mut list = Vec::with_capacity(SCHEDULES.len());
    for schedule in SCHEDULES {
        let last = state.store.latest_job(schedule.kind).await?;
        let duration = last
            .as_ref()
            .and_then(|j| Some((j.finished_at? - j.started_at?).num_milliseconds()));
        list.push(ScheduleStatus {
            kind: schedule.kind,
            at: schedule.at,
            next_run: schedule.next_run(now),
            last_run: last.map(|row| row.into_api(now)),
            last_duration_ms: duration,
        });
    }
    Ok(no_store(AppJson(list)))
}

/// Runs a daily job now, besides its schedule (e.g. after a fix); the new job.
#[utoipa::path(post, path = "/jobs/schedules/{kind}/run", tag = "jobs", params(("kind" = String, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 202, body = Job), (status = 404, body = domain::api::ApiError)))]
async fn run_schedule(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(kind): AppPath<String>,
) -> Result<Response> {
    let schedule = JobKind::parse(&kind)
        .and_then(Schedule::of)
        .ok_or_else(|| Error::not_found("任务"))?;
    let id = crate::jobs::run_now(&state, schedule.kind, auth.user.user_id).await?;
    state
        .store
        .record_audit(&AuditEntry {
            actor: &auth.actor(),
            entity_type: "job",
            entity_id: id.to_string(),
            action: "run",
            before: None,
            after: Some(json!({ "kind": schedule.kind.key() })),
            reason: None,
        })
        .await?;
    let row = load(&state, &auth, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/jobs/{id}"))],
        no_store(AppJson(row.into_api(Utc::now()))),
    )
        .into_response())
}

/// The job if the caller may see it: their own, or any for a bureau administrator; else 404.
async fn load<R: crate::auth::Rule>(state: &AppState, auth: &Auth<R>, id: i64) -> Result<JobRow> {
    let row = state
        .store
        .job(id)
        .await?
        .ok_or_else(|| Error::not_found("任务"))?;
    let own = row.owner_id == Some(auth.user.user_id);
    if own || auth.user.role == Role::BureauAdmin {
        Ok(row)
    } else {
        Err(Error::not_found("任务"))
    }
}

/// The job as the caller sees it: the download address only for the owner.
fn visible<R: crate::auth::Rule>(row: JobRow, auth: &Auth<R>, now: chrono::DateTime<Utc>) -> Job {
    let own = row.owner_id == Some(auth.user.user_id);
    let mut job = row.into_api(now);
    if !own {
        job.download = None;
    }
    job
}

/// Jobs name files of personal data and who asked: never cached.
fn no_store(body: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], body).into_response()
}
