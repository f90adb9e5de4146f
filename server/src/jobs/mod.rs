//! The job runner: long work outside a request — large exports, daily scans, purges — on every server,
//! each job done by one of them.
//!
//! Jobs live in the database (`store/jobs/`). Each server runs a few workers that claim the ready job
//! (queued and due, or running on a lapsed lease), renew the lease while they work and write progress with
//! it, and store the result in the same transaction that marks the job done — only while the claim is
//! still theirs (the attempt number is the fencing token). A server that dies mid-job leaves a lease that
//! lapses; another server, or the same one restarted, claims the job again and does it from the start;
//! the first attempt can no longer store anything. A failed attempt is retried with backoff
//! (`domain::jobs::retry_delay`) up to the kind's limit.
//!
//! The scheduler queues each daily job (`domain::jobs::SCHEDULES`) once it is due in China Standard Time,
//! under the key `daily:<kind>:<day>`: the unique key makes it one run per day however many servers ask.

pub mod export;
mod work;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::jobs::{JobKind, SCHEDULES};
use futures_util::FutureExt;
use serde_json::json;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::state::AppState;
use crate::store::Store;
use crate::store::jobs::{ClaimedJob, JobOutcome, NewJob};

/// How the runner works; `Config` sets it.
#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Workers per server; 0 runs no jobs here (another server does).
    pub workers: usize,
    /// How long a claim holds without renewal; a dead server's jobs wait this long.
    pub lease: Duration,
    /// How often an idle worker looks for work (a job queued on this server wakes it at once).
    pub poll: Duration,
    /// Whether this server queues the daily jobs.
    pub schedules: bool,
    /// How long an export's file is kept for its owner.
    pub keep_files: chrono::Duration,
    /// Exports of at most this many rows are answered at once; larger ones run as a job.
    pub inline_export_rows: u64,
    /// Import files of at most this many rows are checked and stored at once; larger ones as a job.
    pub inline_import_rows: u64,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            workers: 2,
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(1),
            schedules: true,
            keep_files: chrono::Duration::hours(24),
            inline_export_rows: 5_000,
            inline_import_rows: 2_000,
        }
    }
}

/// The runner's handle in `AppState`: its settings, the bell that wakes this server's idle workers, and the
/// progress of the jobs running here.
#[derive(Debug)]
pub struct Jobs {
    pub settings: JobSettings,
    /// This server's name in `locked_by`.
    pub worker_id: String,
    wake: Notify,
    /// The progress of each job this server is running, as it is now. The heartbeat writes it to the
    /// database every third of a lease, but a job that holds SQLite's one writer for a long transaction
    /// (an import) cannot: reads on this server see it here at once.
    running: Mutex<HashMap<i64, Progress>>,
}

impl Jobs {
    pub fn new(settings: JobSettings) -> Self {
        Jobs {
            settings,
            worker_id: format!("{}-{}", hostname(), uuid::Uuid::new_v4().simple()),
            wake: Notify::new(),
            running: Mutex::new(HashMap::new()),
        }
    }

    /// Queues a job with its uploaded input and wakes a worker of this server; its id.
    pub async fn enqueue_with_input(
        &self,
        store: &Store,
        job: NewJob,
        input: &[u8],
    ) -> Result<i64, sqlx::Error> {
        let id = store.enqueue_job_with_input(&job, input, Utc::now()).await?;
        self.wake.notify_one();
        Ok(id)
    }

    /// How far job `id` has come, if it is running on this server: the fraction and what it counts.
    pub fn live_progress(&self, id: i64) -> Option<(f64, Option<String>)> {
        self.running_jobs().get(&id).map(Progress::get)
    }

    fn running_jobs(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Progress>> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a job and wakes a worker of this server; its id (`None` when its run key was taken).
    pub async fn enqueue(&self, store: &Store, job: NewJob) -> Result<Option<i64>, sqlx::Error> {
        let id = store.enqueue_job(&job, Utc::now()).await?;
        if id.is_some() {
            self.wake.notify_one();
        }
        Ok(id)
    }
}

/// How a job's run ends.
#[derive(Debug)]
pub enum Ended {
    /// With this outcome, for the runner to store under the claim's fence.
    With(JobOutcome),
    /// With its result already stored, fenced, in the transaction of its own work (an import).
    Stored,
    /// Without anything stored: the claim lapsed and another worker has the job.
    Lost,
}

/// How far a job has come: what it has done of its total and a note saying what it counts. Cheap to
/// clone; the worker's heartbeat writes it with the lease.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Mutex<(f64, Option<String>)>>);

impl Progress {
    pub fn set(&self, done: u64, total: u64, note: impl Into<String>) {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *state = (domain::jobs::fraction(done, total), Some(note.into()));
    }

    fn get(&self) -> (f64, Option<String>) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Runs this server's workers and scheduler until the future is dropped (the server stops); dropping it
/// aborts the work in hand, whose leases then lapse.
pub async fn run(state: AppState) {
    let settings = state.jobs.settings.clone();
    let mut tasks = JoinSet::new();
    for _ in 0..settings.workers {
        tasks.spawn(worker(state.clone()));
    }
    if settings.schedules {
        tasks.spawn(scheduler(state.clone()));
    }
    while tasks.join_next().await.is_some() {}
    std::future::pending::<()>().await;
}

/// Claims and runs jobs, one at a time, forever.
async fn worker(state: AppState) {
    let jobs = state.jobs.clone();
    let lease = chrono::Duration::from_std(jobs.settings.lease).unwrap_or(chrono::Duration::seconds(30));
    loop {
        let now = Utc::now();
        match state.store.claim_job(&jobs.worker_id, now, now + lease).await {
            Ok(Some(job)) => {
                let span =
                    tracing::info_span!("job", id = job.id, kind = job.kind.key(), attempt = job.attempt);
                execute(&state, job, lease).instrument(span).await
            }
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::sleep(jobs.settings.poll) => {}
                    _ = jobs.wake.notified() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not claim a job");
                tokio::time::sleep(jobs.settings.poll * 5).await;
            }
        }
    }
}

/// A task that ends with its handle (the job it renews a lease for ended, or was dropped with its server).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Renews `job`'s lease every third of it, with its progress, until the lease is lost (another worker
/// holds the job): then it returns. Aborted when the job ends.
async fn renew_lease(state: AppState, job: ClaimedJob, progress: Progress, lease: chrono::Duration) {
    let mut beat = tokio::time::interval(state.jobs.settings.lease / 3);
    beat.tick().await;
    loop {
        beat.tick().await;
        let (fraction, note) = progress.get();
        match state
            .store
            .job_heartbeat(&job, fraction, note.as_deref(), Utc::now() + lease)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => tracing::warn!(error = %e, "could not renew the job's lease"),
        }
    }
}

/// Runs one claimed job while renewing its lease; stores its outcome or its failure.
async fn execute(state: &AppState, job: ClaimedJob, lease: chrono::Duration) {
    let store = &state.store;
    if job.attempt > job.max_attempts {
        // Claimed again after its last attempt died with its server.
        let _ = store
            .fail_job(&job, "多次执行均未完成，已停止重试", None, Utc::now())
            .await;
        return;
    }
    tracing::info!("job started");
    let started = std::time::Instant::now();
    let progress = Progress::default();
    state.jobs.running_jobs().insert(job.id, progress.clone());
    let _running = RunningHere(&state.jobs, job.id);
    // A panic in a job is its failure, not the worker's end.
    let work = std::panic::AssertUnwindSafe(work::run(state, &job, &progress))
        .catch_unwind()
        .map(|result| result.unwrap_or_else(|_| Err(anyhow::anyhow!("the job panicked"))));
    tokio::pin!(work);
    // The lease is renewed by a task of its own, never between polls of the work: on SQLite a renewal
    // waits for the database's one writer, and when the work itself holds that writer (a transaction
    // open across the tick) a renewal on the same task would stop the work that it waits for — both,
    // and every other writer, would wait out the busy timeout.
    let renewal = renew_lease(state.clone(), job.clone(), progress.clone(), lease).in_current_span();
    let mut renewal = AbortOnDrop(tokio::spawn(renewal));
    let result = tokio::select! {
        result = &mut work => result,
        _ = &mut renewal.0 => {
            tracing::warn!("lost the job's lease: another worker has it; stopping");
            return;
        }
    };
    drop(renewal);
    let now = Utc::now();
    match result {
        Ok(Ended::Stored) => tracing::info!(ms = started.elapsed().as_millis() as u64, "job done"),
        Ok(Ended::Lost) => tracing::warn!("job finished after losing its lease; nothing stored"),
        Ok(Ended::With(outcome)) => {
            let stored = store.finish_job(&job, &outcome, now).await;
            if let Some((_, path, _)) = &outcome.file {
                let _ = tokio::fs::remove_file(path).await;
            }
            match stored {
                Ok(true) => tracing::info!(ms = started.elapsed().as_millis() as u64, "job done"),
                Ok(false) => tracing::warn!("job finished after losing its lease; result discarded"),
                Err(e) => tracing::error!(error = %e, "could not store the job's result"),
            }
        }
        Err(e) => {
            tracing::error!(error = ?e, "job failed");
            let retry_at = (job.attempt < job.max_attempts)
                .then(|| now + domain::jobs::retry_delay(job.attempt.max(1) as u32));
            let message = match retry_at {
                Some(at) => format!(
                    "第 {} 次执行出错（详情已记入服务器日志），将于 {} 重试",
                    job.attempt,
                    at.with_timezone(&domain::jobs::china()).format("%H:%M:%S")
                ),
                None => format!("执行 {} 次均出错（详情已记入服务器日志）", job.attempt),
            };
            let _ = store.fail_job(&job, &message, retry_at, now).await;
        }
    }
}

/// Takes a job off this server's running list when its run ends, however it ends.
struct RunningHere<'a>(&'a Jobs, i64);

impl Drop for RunningHere<'_> {
    fn drop(&mut self) {
        self.0.running_jobs().remove(&self.1);
    }
}

/// Queues each daily job when it is due, once a minute (and at start, catching up a missed run).
async fn scheduler(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        let now = Utc::now();
        for schedule in SCHEDULES {
            let day = schedule.due_day(now);
            let job = NewJob {
                kind: schedule.kind,
                params: json!({ "day": day }),
                owner_id: None,
                run_key: Some(schedule.run_key(day)),
            };
            if let Err(e) = state.jobs.enqueue(&state.store, job).await {
                tracing::warn!(error = %e, kind = schedule.kind.key(), "could not queue a daily job");
            }
        }
        // 双公示: a push run whenever an item is due, one a minute across servers.
        crate::routes::publication::push::queue_when_due(&state, now).await;
    }
}

/// The answer to a request whose work became job `id`: `202 Accepted`, `Location: /api/v1/jobs/{id}`,
/// and the job as `GET` on that address shows it.
pub async fn accepted(state: &AppState, id: i64) -> crate::error::Result<Response> {
    let row = state
        .store
        .job(id)
        .await?
        .ok_or_else(|| crate::error::Error::Internal(anyhow::anyhow!("job {id} vanished")))?;
    Ok((
        StatusCode::ACCEPTED,
        [
            (header::LOCATION, format!("/api/v1/jobs/{id}")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        crate::error::AppJson(row.into_api(Utc::now())),
    )
        .into_response())
}

/// Queues a daily job to run now, outside its schedule (the bureau's "run now").
pub async fn run_now(state: &AppState, kind: JobKind, owner_id: i64) -> Result<i64, sqlx::Error> {
    let job = NewJob {
        kind,
        params: json!({ "day": crate::state::today() }),
        owner_id: Some(owner_id),
        run_key: None,
    };
    Ok(state.jobs.enqueue(&state.store, job).await?.unwrap_or_default())
}

fn hostname() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "sheguan".to_owned())
}
