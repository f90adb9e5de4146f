//! The registry as files: the import template (.xlsx, .csv), the import of organizations from .xlsx or
//! .csv (UTF-8 with or without BOM, or GB18030) as a dry run and as an all-or-nothing commit, and the
//! export of the filtered registry to .xlsx.
//!
//! Import is for staff: the bureau imports anywhere, local staff only organizations registered in their
//! division (a row outside it is a problem of the row). Every row is checked by
//! `domain::registry_import` — the registry's own parsers — and checked again when committed.

use std::collections::HashSet;
use std::io::Cursor;

use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate, Utc};
use domain::api::{FieldError, ImportProblem, ImportReport, OrganizationQuery};
use domain::division::{DivisionCode, PROVINCE_CODE};
use domain::money::Fen;
use domain::policy::Principal;
use domain::registry::import::{COLUMNS, ImportedOrganization, Registered, check_file};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;
use serde_json::json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, Staff, StaffOrOrg};
use crate::error::{AppQuery, Error, Result, ResultExt, UniqueKey};
use crate::routes::registry::organizations::{org_filter, org_scope, registering_authority};
use crate::state::AppState;
use crate::store::registry::OrganizationRow;
use crate::store::registry::organizations::{ImportRow, OrganizationSeed};

/// The largest import file: a 35,000-row .csv is about 8 MB.
pub const MAX_IMPORT_BYTES: usize = 40 * 1024 * 1024;
/// The most organization rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// The most rows an export writes (a worksheet's limit, less the title and header rows).
pub const MAX_EXPORT_ROWS: i64 = 1_048_574;

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn router() -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(check_import))
        .routes(routes!(commit_import))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024));
    OpenApiRouter::new()
        .routes(routes!(import_template))
        .routes(routes!(export_organizations))
        .merge(uploads)
}

/// The query of the template download.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TemplateQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

fn download(bytes: Vec<u8>, content_type: &str, filename: &str) -> Response {
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

fn xlsx_error(e: XlsxError) -> Error {
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

/// An uploaded file: its name and bytes.
struct Upload {
    name: String,
    bytes: Vec<u8>,
}

async fn read_upload(
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Upload> {
    let mut multipart = multipart
        .map_err(|e| Error::BadRequest(format!("上传请求须为 multipart/form-data：{}", e.body_text())))?;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .file_name()
            .map(|n| n.chars().take(120).collect::<String>())
            .unwrap_or_default();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if bytes.len() + chunk.len() > MAX_IMPORT_BYTES {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok(Upload { name, bytes });
    }
    Err(Error::invalid("file", "请选择要导入的 .xlsx 或 .csv 文件"))
}

fn too_large() -> Error {
    let message = format!("文件超过 {} MB，请分批导入", MAX_IMPORT_BYTES / 1024 / 1024);
    Error::PayloadTooLarge {
        message: message.clone(),
        fields: vec![FieldError {
            field: "file".to_owned(),
            message,
        }],
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> Error {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        Error::BadRequest(format!("无法读取上传的文件：{}", e.body_text()))
    }
}

/// The file's rows as text: an .xlsx (by its content: a ZIP) through calamine, its first sheet; anything
/// else as CSV in UTF-8 (a BOM is dropped) or, when it is not valid UTF-8, GB18030.
fn read_rows(upload: &Upload) -> Result<Vec<Vec<String>>> {
    let bytes = &upload.bytes;
    if bytes.is_empty() {
        return Err(Error::invalid("file", "文件是空的"));
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(Error::invalid(
            "file",
            "不支持旧版 .xls 文件，请在表格软件中另存为 .xlsx 或 .csv 后导入",
        ));
    } else {
        read_csv(bytes)?
    };
    if rows.len() > MAX_IMPORT_ROWS + 1 {
        return Err(Error::invalid(
            "file",
            format!("一次最多导入 {MAX_IMPORT_ROWS} 行，请分批导入"),
        ));
    }
    Ok(rows)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let unreadable =
        |e: String| Error::invalid("file", format!("无法读取该 .xlsx 文件，请确认文件完好：{e}"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let range = match book.worksheet_range_at(0) {
        Some(range) => range.map_err(|e| unreadable(e.to_string()))?,
        None => return Err(Error::invalid("file", "该 .xlsx 文件没有工作表")),
    };
    // Rows are numbered from the sheet's first row even when the used range starts lower.
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); first_row as usize];
    for cells in range.rows() {
        let mut row = vec![String::new(); first_col as usize];
        row.extend(cells.iter().map(cell_text));
        rows.push(row);
    }
    Ok(rows)
}

/// A spreadsheet cell as the text the row check reads: whole numbers without `.0`, dates as YYYY-MM-DD.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => {
            let serial = dt.as_f64();
            // The 1900 date system: serial 1 is 1900-01-01, counted from 1899-12-30 past Excel's leap bug.
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(Duration::days(serial.floor() as i64)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Data::Error(_) | Data::Empty => String::new(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let text: String = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_owned(),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(Error::invalid(
                    "file",
                    "无法识别文件的编码：请保存为 UTF-8 或 GB18030（GBK）编码的 .csv，或 .xlsx",
                ));
            }
            text.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    // The reader skips blank lines; the line a record is on is counted from where it ends, so that the
    // numbering stays the one a spreadsheet shows.
    let (mut counted_to, mut lines) = (0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(lines as u64 + 1, |p| p.line());
            Error::invalid("file", format!("第 {line} 行不是有效的 CSV：{e}"))
        })?;
        if !more {
            break;
        }
        let end = (reader.position().byte() as usize).min(text.len());
        let read = &text.as_bytes()[counted_to..end];
        lines += read.iter().filter(|b| **b == b'\n').count();
        counted_to = end;
        let line = if read.ends_with(b"\n") { lines } else { lines + 1 };
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// The registry's credit codes and names, for the duplicate checks.
struct Existing {
    codes: HashSet<String>,
    names: HashSet<String>,
}

impl Registered for Existing {
    fn has_credit_code(&self, code: &str) -> bool {
        self.codes.contains(code)
    }
    fn has_name(&self, name: &str) -> bool {
        self.names.contains(name)
    }
}

/// Reads and checks an uploaded file as the caller: every row, duplicates, the caller's scope.
async fn check_upload(
    state: &AppState,
    user: &Principal,
    upload: &Upload,
) -> Result<(u32, Vec<ImportedOrganization>, Vec<ImportProblem>)> {
    let rows = read_rows(upload)?;
    let mut divisions: HashSet<String> = state
        .store
        .list_divisions()
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();
    divisions.insert(PROVINCE_CODE.to_owned());
    let (codes, names): (HashSet<String>, HashSet<String>) =
        state.store.registry_keys().await?.into_iter().unzip();
    let existing = Existing { codes, names };
    let user = user.clone();
    // Checking 35,000 rows takes a moment: off the async workers.
    let checked = tokio::task::spawn_blocking(move || {
        let known = |code: &DivisionCode| divisions.contains(code.as_str());
        let in_scope = |org: &ImportedOrganization| {
            (!user.covers_division(&org.division)).then(|| ImportProblem {
                row: org.row,
                column: "登记管理机关代码".to_owned(),
                message: format!(
                    "{} 不在您的管辖范围内，只能导入本辖区登记的社会组织",
                    org.division.as_str()
                ),
            })
        };
        check_file(&rows, &known, &existing, &in_scope)
    })
    .await
    .map_err(|e| Error::Internal(e.into()))?;
    Ok((checked.rows, checked.valid, checked.problems))
}

/// 导入预检 — the dry run: reads the file and checks every row; lists every problem with its row, column
/// and reason in Chinese. Stores nothing.
#[utoipa::path(post, path = "/organizations/import/check", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "one `file` field: .xlsx or .csv"),
    security(("session" = ["Staff"])),
    responses((status = 200, body = ImportReport), (status = 413, body = domain::api::ApiError),
              (status = 422, body = domain::api::ApiError)))]
async fn check_import(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<axum::Json<ImportReport>> {
    let upload = read_upload(multipart).await?;
    let (rows, valid, problems) = check_upload(&state, &auth.user, &upload).await?;
    Ok(axum::Json(ImportReport {
        file_name: upload.name,
        rows,
        valid: valid.len() as u32,
        problems,
        imported: 0,
    }))
}

/// 导入 — checks the file again and stores every row in one transaction, each with its timeline event and
/// audit row; with any problem (or a duplicate stored meanwhile) nothing is stored and the answer is 422
/// (409) listing the problems as `rows[N].列名`.
#[utoipa::path(post, path = "/organizations/import", tag = "registry",
    request_body(content_type = "multipart/form-data", description = "one `file` field: .xlsx or .csv"),
    security(("session" = ["Staff"])),
    responses((status = 200, body = ImportReport), (status = 409, body = domain::api::ApiError),
              (status = 413, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
async fn commit_import(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<axum::Json<ImportReport>> {
    let upload = read_upload(multipart).await?;
    let (rows, valid, problems) = check_upload(&state, &auth.user, &upload).await?;
    if !problems.is_empty() {
        let first = &problems[0];
        return Err(Error::Validation {
            message: format!(
                "导入未执行，没有保存任何记录：共 {} 处问题，如第 {} 行「{}」：{}",
                problems.len(),
                first.row,
                first.column,
                first.message
            ),
            fields: problems
                .iter()
                .map(|p| FieldError {
                    field: format!("rows[{}].{}", p.row, p.column),
                    message: format!("第 {} 行「{}」：{}", p.row, p.column, p.message),
                })
                .collect(),
        });
    }
    let file_name = if upload.name.is_empty() {
        "未命名文件".to_owned()
    } else {
        upload.name.clone()
    };
    let import_rows: Vec<ImportRow> = valid.iter().map(import_row).collect();
    let ids = state
        .store
        .import_organizations(&import_rows, &file_name, &auth.actor())
        .await
        .on_unique(&REGISTRY_KEYS)?;
    Ok(axum::Json(ImportReport {
        file_name: upload.name,
        rows,
        valid: valid.len() as u32,
        problems: Vec::new(),
        imported: ids.len() as u32,
    }))
}

/// A credit code or name registered between the check and the commit: the whole file is refused.
const REGISTRY_KEYS: [UniqueKey; 2] = [
    UniqueKey {
        table: "organizations",
        column: "credit_code",
        field: "",
        message: "导入未执行：有统一社会信用代码或名称刚被登记，请重新预检后再导入",
    },
    UniqueKey {
        table: "organizations",
        column: "name",
        field: "",
        message: "导入未执行：有统一社会信用代码或名称刚被登记，请重新预检后再导入",
    },
];

fn import_row(org: &ImportedOrganization) -> ImportRow {
    let classification = &org.classification;
    let categories: Vec<&str> = classification.categories().map(|c| c.key()).collect();
    let seed = OrganizationSeed {
        credit_code: org.credit_code.as_str().to_owned(),
        name: org.name.clone(),
        kind: classification.kind().key().to_owned(),
        level: org.level.key().to_owned(),
        division_code: org.division.as_str().to_owned(),
        categories: categories.join(","),
        emerging_industry: classification.emerging_industry().map(|e| e.key().to_owned()),
        supervisory_unit: None,
        legal_representative: org.legal_representative.clone(),
        founded_on: org.founded_on,
        registered_funds_fen: org.registered_funds.map(Fen::as_i64),
        domicile: org.domicile.clone(),
        business_scope: org.business_scope.clone(),
        contact_phone: org.contact_phone.clone(),
        status: Some(org.status.key().to_owned()),
        credit_list: None,
    };
    let audit_after = json!({
        "row": org.row,
        "name": seed.name,
        "credit_code": seed.credit_code,
        "kind": seed.kind,
        "division_code": seed.division_code,
        "status": seed.status,
    });
    ImportRow {
        organization: seed,
        audit_after,
    }
}

/// Text a spreadsheet could take for a formula (`=`, `+`, `-`, `@`, or a tab or carriage return first)
/// gets a leading apostrophe, so that it is shown, never run.
pub fn neutralize(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// 导出 — every organization in the caller's scope that matches the registry's filters (the same query as
/// the list, without paging) as an .xlsx workbook; the first row says how many and by which filter.
#[utoipa::path(get, path = "/organizations/export", tag = "registry", params(OrganizationQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "an .xlsx workbook"), (status = 422, body = domain::api::ApiError)))]
async fn export_organizations(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<OrganizationQuery>,
) -> Result<Response> {
    let described = describe_filter(&query);
    let (filter, sort, descending) = org_filter(query)?;
    let scope = org_scope(&auth.user);
    let rows = state
        .store
        .organizations_matching(&scope, &filter, sort, descending, MAX_EXPORT_ROWS, 0)
        .await?;
    let bytes = tokio::task::spawn_blocking(move || export_workbook(&rows, &described))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(xlsx_error)?;
    let filename = format!("organizations-{}.xlsx", Utc::now().format("%Y%m%d"));
    Ok(download(bytes, XLSX_TYPE, &filename))
}

/// The filters as the sheet's first row shows them, e.g. `登记类型=foundation；搜索=养老`.
fn describe_filter(query: &OrganizationQuery) -> String {
    let parts: Vec<String> = [
        ("登记类型", &query.kind),
        ("分类", &query.category),
        ("新兴产业", &query.emerging_industry),
        ("登记级别", &query.level),
        ("城市", &query.city),
        ("县区", &query.county),
        ("登记状态", &query.status),
        ("信用名单", &query.credit_list),
        ("搜索", &query.q),
    ]
    .into_iter()
    .filter_map(|(label, value)| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| format!("{label}={v}"))
    })
    .collect();
    if parts.is_empty() {
        "全部".to_owned()
    } else {
        parts.join("；")
    }
}

/// The export's headers, in order.
pub const EXPORT_HEADERS: [&str; 15] = [
    "名称",
    "统一社会信用代码",
    "登记类型",
    "分类",
    "所属新兴产业",
    "登记级别",
    "登记管理机关",
    "登记管理机关代码",
    "登记状态",
    "信用名单",
    "法定代表人",
    "成立日期",
    "注册资金（元）",
    "住所",
    "业务范围",
];

fn export_workbook(rows: &[OrganizationRow], filter: &str) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let sheet = book.add_worksheet();
    sheet.set_name("社会组织名录")?;
    sheet.write_with_format(
        0,
        0,
        format!(
            "共 {} 个社会组织（筛选条件：{}；导出时间：{}）",
            rows.len(),
            neutralize(filter),
            Utc::now().format("%Y-%m-%d %H:%M UTC")
        ),
        &bold,
    )?;
    for (col, title) in EXPORT_HEADERS.iter().enumerate() {
        sheet.write_with_format(1, col as u16, *title, &bold)?;
    }
    for (i, o) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        let summary = o.summary();
        let text = |value: &str| neutralize(value);
        sheet.write_string(row, 0, text(&o.name))?;
        sheet.write_string(row, 1, text(&o.credit_code))?;
        sheet.write_string(row, 2, summary.kind.label_zh())?;
        let categories: Vec<&str> = summary.categories.iter().map(|c| c.label_zh()).collect();
        sheet.write_string(row, 3, categories.join("、"))?;
        sheet.write_string(
            row,
            4,
            summary
                .emerging_industry
                .map(|e| e.label_zh())
                .unwrap_or_default(),
        )?;
        sheet.write_string(row, 5, summary.level.label_zh())?;
        sheet.write_string(row, 6, text(&registering_authority(o)))?;
        sheet.write_string(row, 7, &o.division_code)?;
        sheet.write_string(row, 8, summary.status.label_zh())?;
        sheet.write_string(row, 9, summary.credit_list.map(|l| l.label_zh()).unwrap_or("无"))?;
        sheet.write_string(
            row,
            10,
            text(o.legal_representative.as_deref().unwrap_or_default()),
        )?;
        sheet.write_string(row, 11, o.founded_on.map(|d| d.to_string()).unwrap_or_default())?;
        if let Some(fen) = o.registered_funds_fen {
            sheet.write_number_with_format(row, 12, fen as f64 / 100.0, &money)?;
        }
        sheet.write_string(row, 13, text(o.domicile.as_deref().unwrap_or_default()))?;
        sheet.write_string(row, 14, text(o.business_scope.as_deref().unwrap_or_default()))?;
    }
    sheet.set_column_width(0, 36)?;
    sheet.set_column_width(1, 22)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_neutralized() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("+86 551"), "'+86 551");
        assert_eq!(neutralize("-1"), "'-1");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("合肥市养老服务协会"), "合肥市养老服务协会");
    }

    #[test]
    fn blank_csv_lines_keep_the_row_numbers_a_spreadsheet_shows() {
        let rows = read_csv("a,b\r\n1,2\r\n\r\n3,4\r\n\n5,6\n".as_bytes()).unwrap();
        assert_eq!(rows.len(), 6, "{rows:?}");
        assert_eq!(rows[3], ["3", "4"]);
        assert_eq!(rows[5], ["5", "6"]);
        assert!(rows[2].is_empty() && rows[4].is_empty());
    }

    #[test]
    fn gb18030_and_bom_csv_read_alike() {
        let text = "名称,统一社会信用代码\r\n合肥市养老服务协会,51340100MJ0000018R\r\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        let mut bom = "\u{feff}".as_bytes().to_vec();
        bom.extend_from_slice(text.as_bytes());
        let a = read_csv(&gb).unwrap();
        let b = read_csv(&bom).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[0][0], "名称");
        assert_eq!(a[1][0], "合肥市养老服务协会");
    }
}
