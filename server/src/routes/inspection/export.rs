//! The year's reports as an `.xlsx` workbook: every report in the caller's scope that passes the list's
//! filter (a year's province is about 35,000 rows), the count and the filter in row 1.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::api::ReportQuery;
use rust_xlsxwriter::Workbook;

use crate::auth::{Auth, Staff};
use crate::error::{AppQuery, Error, Result};
use crate::routes::registry::files::export::neutralize;
use crate::state::AppState;
use crate::store::inspection::ReportFilter;

/// The most rows one workbook holds.
const MAX_ROWS: i64 = 100_000;

const HEADERS: [&str; 8] = ["编号", "年度", "社会组织", "区划", "登记级别", "报告状态", "年检结论", "理由"];

/// 导出 — the reports that match the list's filter as an .xlsx workbook.
#[utoipa::path(get, path = "/inspection/reports/export", tag = "inspection", params(ReportQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "an .xlsx workbook"), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn export_reports(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<ReportQuery>,
) -> Result<Response> {
    let filter = ReportFilter::try_from(&query)?;
    let (rows, total) = state.store.list_reports(&auth.visibility(), &filter, MAX_ROWS, 0).await?;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let internal = |e: rust_xlsxwriter::XlsxError| Error::Internal(e.into());
    let title = format!("年度工作报告 共 {total} 条（年度：{}）", query.year.map_or("全部".to_owned(), |y| y.to_string()));
    sheet.write_string(0, 0, title).map_err(internal)?;
    for (col, header) in HEADERS.iter().enumerate() {
        sheet.write_string(1, col as u16, *header).map_err(internal)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        let report = r.to_api(false);
        sheet.write_number(row, 0, report.id as f64).map_err(internal)?;
        sheet.write_number(row, 1, f64::from(report.year)).map_err(internal)?;
        sheet.write_string(row, 2, neutralize(&report.organization_name)).map_err(internal)?;
        sheet.write_string(row, 3, &report.division_code).map_err(internal)?;
        sheet.write_string(row, 4, report.level.label_zh()).map_err(internal)?;
        sheet.write_string(row, 5, report.stage.label_zh()).map_err(internal)?;
        sheet.write_string(row, 6, report.result.map_or("", |r| r.label_zh())).map_err(internal)?;
        sheet.write_string(row, 7, neutralize(report.reasons.as_deref().unwrap_or(""))).map_err(internal)?;
    }
    let bytes = workbook.save_to_buffer().map_err(internal)?;
    let headers = [
        (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"annual-reports.xlsx\"".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}
