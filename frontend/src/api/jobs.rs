//! 后台任务 — background jobs: one's own (and, for the bureau, every) job with its progress and download,
//! the daily schedules; and the exports, which answer with the file when it is small and with a job when
//! it is not.

use domain::api::{Job, JobQuery, Page, ScheduleStatus};
use domain::jobs::JobKind;
use gloo_net::http::{Method, Request};
use wasm_bindgen::JsCast;

use super::{AbortOnDrop, Error, Result, decode, get, send_json};
use crate::routes::with_query;

/// `GET /api/v1/jobs`
pub async fn list_jobs(query: &JobQuery) -> Result<Page<Job>> {
    get(&with_query("/api/v1/jobs", query)).await
}

/// `GET /api/v1/jobs/{id}`
pub async fn find_job(id: i64) -> Result<Job> {
    get(&format!("/api/v1/jobs/{id}")).await
}

/// `GET /api/v1/jobs/schedules` (bureau administrators)
pub async fn job_schedules() -> Result<Vec<ScheduleStatus>> {
    get("/api/v1/jobs/schedules").await
}

/// `POST /api/v1/jobs/schedules/{kind}/run` (bureau administrators): the job it started.
pub async fn run_schedule(kind: JobKind) -> Result<Job> {
    send_json(
        Method::POST,
        &format!("/api/v1/jobs/schedules/{}/run", kind.key()),
        &serde_json::json!({}),
    )
    .await
}

/// What an export answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Export {
    /// The file came at once (`200`) and the browser is saving it under this name.
    Saved(String),
    /// The export is large: it runs as this job (`202 Accepted`), whose file is downloaded when done.
    Started(Box<Job>),
}

/// `GET` an export URL (the registry's, the ledger's, the audit log's): saves the file when it comes at
/// once, else returns the job that writes it.
pub async fn export(url: &str) -> Result<Export> {
    let controller = web_sys::AbortController::new().ok();
    let mut guard = AbortOnDrop(controller);
    let signal = guard.0.as_ref().map(|c| c.signal());
    let request = Request::get(url)
        .abort_signal(signal.as_ref())
        .build()
        .map_err(|e| Error::Fetch(e.to_string()))?;
    let response = request.send().await.map_err(|e| Error::Fetch(e.to_string()))?;
    let answer = if response.status() == 200 {
        let name = response
            .headers()
            .get("content-disposition")
            .as_deref()
            .and_then(domain::jobs::attachment_name)
            .unwrap_or_else(|| "export".to_owned());
        // The body goes from the response to the download as a Blob, never through wasm memory.
        let raw = web_sys::Response::from(response);
        let reading = raw.blob().map_err(|_| Error::Fetch("blob".to_owned()))?;
        let blob = wasm_bindgen_futures::JsFuture::from(reading)
            .await
            .map_err(|_| Error::Fetch("blob".to_owned()))?;
        save(&blob.unchecked_into(), &name)?;
        Ok(Export::Saved(name))
    } else {
        decode::<Job>(response)
            .await
            .map(|job| Export::Started(Box::new(job)))
    };
    guard.0 = None;
    answer
}

/// Hands `blob` to the browser as a download named `name`: an object URL clicked through a temporary
/// `<a download>`, revoked once the browser has taken the file.
fn save(blob: &web_sys::Blob, name: &str) -> Result<()> {
    let failed = |_| Error::Fetch("download".to_owned());
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(failed)?;
    let document = leptos::prelude::document();
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(failed)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&link);
    }
    link.click();
    link.remove();
    // The download starts asynchronously: revoking at once could cancel it in some browsers.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}
