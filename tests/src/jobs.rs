//! `TestApp` methods for background jobs: `/api/v1/jobs`, its downloads and the daily schedules.

use std::time::Duration;

use domain::api::{Job, Page, ScheduleStatus};

use crate::{ApiResult, TestApp, decode};

impl TestApp {
    /// `GET /api/v1/jobs?{query}`
    pub async fn list_jobs(&self, query: &str) -> ApiResult<Page<Job>> {
        decode(self.get(&format!("/api/v1/jobs?{query}")).await).await
    }

    /// `GET /api/v1/jobs/{id}`
    pub async fn job(&self, id: i64) -> ApiResult<Job> {
        decode(self.get(&format!("/api/v1/jobs/{id}")).await).await
    }

    /// `GET /api/v1/jobs/{id}/download`, the raw answer.
    pub async fn download_job(&self, id: i64) -> reqwest::Response {
        self.get(&format!("/api/v1/jobs/{id}/download")).await
    }

    /// `GET /api/v1/jobs/schedules`
    pub async fn job_schedules(&self) -> ApiResult<Vec<ScheduleStatus>> {
        decode(self.get("/api/v1/jobs/schedules").await).await
    }

    /// `POST /api/v1/jobs/schedules/{kind}/run`
    pub async fn run_schedule(&self, kind: &str) -> ApiResult<Job> {
        decode(
            self.post_json(
                &format!("/api/v1/jobs/schedules/{kind}/run"),
                &serde_json::json!({}),
            )
            .await,
        )
        .await
    }

    /// Polls the job until it is done or failed (at most 60 s), as the app's progress bar does.
    pub async fn wait_for_job(&self, id: i64) -> Job {
        for _ in 0..600 {
            let job = self.job(id).await.expect("the job");
            if job.status.is_final() {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("job {id} did not finish within 60 s");
    }
}
