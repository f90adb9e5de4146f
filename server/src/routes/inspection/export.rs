//! The reports as an `.xlsx` workbook: every report in the caller's scope that passes the list's filter
//! (a year's province is about 35,000 rows), with a caption saying what, which filter and how many. Small
//! exports answer at once; large ones run as a job with progress (`jobs::export`).

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::api::{AnnualReport, ReportQuery};
use domain::jobs::JobKind;

use crate::auth::{Auth, Staff};
use crate::error::{AppQuery, Result};
use crate::jobs::Progress;
use crate::jobs::export::{self, Cell, ExportFile, ExportParams, FileFormat, SheetSpec, Sink};
use crate::state::AppState;
use crate::store::inspection::ReportFilter;

const HEADERS: [&str; 9] = [
    "编号",
    "年度",
    "社会组织",
    "区划",
    "登记级别",
    "报告状态",
    "年检结论",
    "理由",
    "补报",
];

/// 导出 — the reports that match the list's filter as an .xlsx workbook: the file at once when they are
/// few, else `202 Accepted` and a job.
#[utoipa::path(get, path = "/inspection/reports/export", tag = "inspection", params(ReportQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "an .xlsx workbook"),
              (status = 202, body = domain::api::Job, description = "a job writes the workbook; see Location"),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn export_reports(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<ReportQuery>,
) -> Result<Response> {
    let filter = ReportFilter::try_from(&query)?;
    let visibility = auth.visibility();
    let rows = state.store.count_reports(&visibility, &filter).await?;
    export::answer(&state, &auth, JobKind::InspectionExport, &query, visibility, rows).await
}

/// Writes the report export of `params`: the reports in id order, a slice at a time.
pub(crate) async fn write(
    state: &AppState,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    let query: ReportQuery = serde_json::from_value(params.query.clone())?;
    let filter = ReportFilter::try_from(&query).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let store = &state.store;
    let total = store.count_reports(&params.visibility, &filter).await?;
    let sink = Sink::create(FileFormat::Xlsx)?;
    sink.sheet(SheetSpec {
        name: "年度工作报告".to_owned(),
        caption: export::caption("年度工作报告", &describe(&query), total),
        headers: &HEADERS,
        widths: &[10.0, 8.0, 34.0, 10.0, 10.0, 10.0, 10.0, 30.0],
    })
    .await?;
    let mut written = 0_u64;
    let mut after = 0_i64;
    loop {
        let slice = store
            .reports_after(&params.visibility, &filter, after, export::SLICE)
            .await?;
        let Some(last) = slice.last() else { break };
        after = last.id;
        written += slice.len() as u64;
        sink.rows(slice.iter().map(|r| report_row(&r.to_api(false))).collect())
            .await?;
        progress.set(written, total, format!("已写入 {written} / {total} 份报告"));
    }
    let year = query.year.map_or("all".to_owned(), |y| y.to_string());
    let name = format!("annual-reports-{year}-{}.xlsx", Utc::now().format("%Y%m%d"));
    sink.finish(name, written).await
}

/// One report as a row.
fn report_row(report: &AnnualReport) -> Vec<Cell> {
    vec![
        Cell::Number(report.id as f64),
        Cell::Number(f64::from(report.year)),
        Cell::text(&report.organization_name),
        Cell::text(&report.division_code),
        Cell::text(report.level.label_zh()),
        Cell::text(report.stage.label_zh()),
        Cell::text(report.result.map_or("", |r| r.label_zh())),
        Cell::text(report.reasons.as_deref().unwrap_or_default()),
        Cell::text(if report.late { "是" } else { "" }),
    ]
}

/// The filter as the caption shows it, e.g. `年度=2024；年检结论=unqualified`.
fn describe(query: &ReportQuery) -> String {
    export::describe_filter([
        ("年度", query.year.map(|y| y.to_string())),
        ("年检结论", query.result.clone()),
        ("报告状态", query.stage.clone()),
        ("区划", query.division.clone()),
        ("登记级别", query.level.clone()),
        ("社会组织", query.organization_id.map(|id| id.to_string())),
    ])
}
