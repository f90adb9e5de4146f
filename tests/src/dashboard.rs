//! `TestApp` methods for the dashboard and the annual work report: `/api/v1/dashboard`,
//! `/api/v1/reports/annual`.

use domain::api::{Dashboard, Figure, FigureRecord, Page, WorkReport};
use domain::dashboard::FigureKey;

use crate::{ApiResult, TestApp};

impl TestApp {
    /// `GET /api/v1/dashboard?{query}`
    pub async fn dashboard(&self, query: &str) -> ApiResult<Dashboard> {
        self.get_json(&format!("/api/v1/dashboard?{query}")).await
    }

    /// `GET /api/v1/public/dashboard?{query}`
    pub async fn public_dashboard(&self, query: &str) -> ApiResult<Dashboard> {
        self.get_json(&format!("/api/v1/public/dashboard?{query}")).await
    }

    /// The records behind a figure, as its `records` path names them (`&page=…` may be added).
    pub async fn figure_records(&self, records: &str) -> ApiResult<Page<FigureRecord>> {
        self.get_json(records).await
    }

    /// Every record behind a figure, page by page (100 a page).
    pub async fn all_figure_records(&self, figure: &Figure) -> Vec<FigureRecord> {
        let path = figure
            .records
            .as_deref()
            .expect("a staff figure names its records");
        let mut all = Vec::new();
        for page in 1.. {
            let batch = self
                .figure_records(&format!("{path}&page={page}&per_page=100"))
                .await
                .expect("the records of a figure");
            let done = batch.items.len() < 100;
            all.extend(batch.items);
            if done {
                break;
            }
        }
        all
    }

    /// `GET /api/v1/reports/annual/{year}?{query}`
    pub async fn annual_work_report(&self, year: i32, query: &str) -> ApiResult<WorkReport> {
        self.get_json(&format!("/api/v1/reports/annual/{year}?{query}"))
            .await
    }
}

/// The figure of `key` in a dashboard.
pub fn figure(dashboard: &Dashboard, key: FigureKey) -> &Figure {
    dashboard
        .figures
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("the dashboard has no {key:?}"))
}
