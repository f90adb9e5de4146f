//! The registry as files: the import template (.xlsx, .csv); the import of organizations from .xlsx or
//! .csv (`read`: UTF-8 with or without BOM, or GB18030) as a dry run and as an all-or-nothing commit
//! (`import`); and the export of the filtered registry to .xlsx (`export`).
//!
//! Import is for staff: the bureau imports anywhere, local staff only organizations registered in their
//! division (a row outside it is a problem of the row). Every row is checked by
//! `domain::registry::import` — the registry's own parsers — and checked again when committed.

pub(crate) mod export;
mod import;
pub(crate) mod import_job;
mod read;

use axum::extract::DefaultBodyLimit;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::registry::import::COLUMNS;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, Staff};
use crate::error::{AppQuery, Error, Result};
use crate::state::AppState;

/// The largest import file: a 35,000-row .csv is about 8 MB.
pub(crate) const MAX_IMPORT_BYTES: usize = 40 * 1024 * 1024;
/// The most organization rows one file may hold.
pub(crate) const MAX_IMPORT_ROWS: usize = 100_000;

pub(super) const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(import::check_import))
        .routes(routes!(import::commit_import))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024));
    OpenApiRouter::new()
        .routes(routes!(import_template))
        .routes(routes!(export::export_organizations))
        .merge(uploads)
}

/// The query of the template download.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TemplateQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

pub(super) fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

pub(super) fn xlsx_error(e: XlsxError) -> Error {
    Error::Internal(anyhow::anyhow!("xlsx: {e}"))
}

/// The import template: the header row (credit code, division, date and phone columns formatted as
/// text so that a spreadsheet keeps them as typed) and, in the .xlsx, a sheet explaining each column.
#[utoipa::path(get, path = "/organizations/import/template", tag = "registry", params(TemplateQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "an .xlsx workbook or a UTF-8 .csv with BOM"),
              (status = 422, body = domain::api::ApiError)))]
async fn import_template(_auth: Auth<Staff>, AppQuery(query): AppQuery<TemplateQuery>) -> Result<Response> {
    match query.format.as_deref().map(str::trim).unwrap_or("xlsx") {
        "xlsx" | "" => Ok(download(
            template_xlsx().map_err(xlsx_error)?,
            XLSX_TYPE,
            "organizations-template.xlsx",
        )),
        "csv" => {
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            let header: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
            bytes.extend_from_slice(header.join(",").as_bytes());
            bytes.extend_from_slice(b"\r\n");
            Ok(download(
                bytes,
                "text/csv; charset=utf-8",
                "organizations-template.csv",
            ))
        }
        _ => Err(Error::invalid("format", "格式（format）须为 xlsx 或 csv")),
    }
}

fn template_xlsx() -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("社会组织")?;
    for (col, column) in COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet.write_with_format(0, col, column.header, &bold)?;
        sheet.set_column_width(col, 18)?;
        // Everything is text: codes keep their letters and leading zeros, dates stay as typed.
        sheet.set_column_format(col, &text)?;
    }
    let help = book.add_worksheet();
    help.set_name("填写说明")?;
    for (col, title) in ["列", "是否必填", "示例", "说明"].iter().enumerate() {
        help.write_with_format(0, col as u16, *title, &bold)?;
    }
    let notes = [
        "以组织形式结尾，如协会、商会、基金会、服务中心",
        "18 位，按文本填写；第 1 位为 5，第 2 位与登记类型一致",
        "社会团体、社会服务机构（民办非企业单位）或基金会",
        "行业协会商会、公益慈善类、科技类、城乡社区服务类、其他，多个以顿号分隔",
        "仅行业协会商会可填，为十大新兴产业之一",
        "省级 340000，市级如 340100，县级如 340104",
        "正常（默认）、撤销或注销",
        "",
        "如 2015-06-01",
        "单位元，如 30000 或 30,000.00",
        "",
        "",
        "11 位手机号或带区号的固定电话",
    ];
    for (i, (column, note)) in COLUMNS.iter().zip(notes).enumerate() {
        let row = i as u32 + 1;
        help.write(row, 0, column.header)?;
        help.write(row, 1, if column.required { "必填" } else { "选填" })?;
        help.write(row, 2, column.example)?;
        help.write(row, 3, note)?;
    }
    help.set_column_width(0, 18)?;
    help.set_column_width(2, 30)?;
    help.set_column_width(3, 60)?;
    book.save_to_buffer()
}
