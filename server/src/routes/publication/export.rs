//! The platform's item list (双公示 数据项) as an `.xlsx` workbook or a CSV file: every item in the caller's
//! scope that passes the outbox's filter, for platforms reached by upload. Small exports answer at once;
//! large ones run as a job (`jobs::export`).

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::api::{PlatformRecord, PublicationItem, PublicationQuery};
use domain::jobs::JobKind;

use super::push::record_of;
use crate::auth::{Auth, Staff};
use crate::error::{AppQuery, Error, Result};
use crate::jobs::Progress;
use crate::jobs::export::{self, Cell, ExportFile, ExportParams, FileFormat, SheetSpec, Sink};
use crate::state::{AppState, today};
use crate::store::publication::PublicationFilter;

const HEADERS: [&str; 14] = [
    "相对人名称",
    "统一社会信用代码",
    "行政相对人类别",
    "决定文书号",
    "决定类别",
    "许可/处罚类别",
    "内容",
    "决定日期",
    "有效期至",
    "决定机关",
    "数据来源单位",
    "应公示日期",
    "公示状态",
    "公示日期",
];

/// The file format the query asks for (`xlsx` by default), or a 422 naming the field.
fn format_of(query: &PublicationQuery) -> Result<FileFormat> {
    match query.format.as_deref().map(str::trim) {
        None | Some("") | Some("xlsx") => Ok(FileFormat::Xlsx),
        Some("csv") => Ok(FileFormat::Csv),
        Some(_) => Err(Error::invalid("format", "导出格式（format）应为 xlsx 或 csv")),
    }
}

/// 导出 — the items that match the list's filter in the platform's item list, `.xlsx` or CSV: the file at
/// once when they are few, else `202 Accepted` and a job.
#[utoipa::path(get, path = "/publication/items/export", tag = "publication", params(PublicationQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "an .xlsx workbook or a CSV file"),
              (status = 202, body = domain::api::Job, description = "a job writes the file; see Location"),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn export_publications(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<PublicationQuery>,
) -> Result<Response> {
    format_of(&query)?;
    let filter = PublicationFilter::try_from(&query)?;
    let visibility = auth.visibility();
    let rows = state.store.count_publications(&visibility, &filter).await?;
    export::answer(
        &state,
        &auth,
        JobKind::PublicationExport,
        &query,
        visibility,
        rows,
    )
    .await
}

/// Writes the export of `params`: the items in id order, a slice at a time.
pub(crate) async fn write(
    state: &AppState,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    let query: PublicationQuery = serde_json::from_value(params.query.clone())?;
    let filter = PublicationFilter::try_from(&query).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let format = format_of(&query).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let store = &state.store;
    let names: HashMap<String, String> = store
        .list_divisions()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let total = store.count_publications(&params.visibility, &filter).await?;
    let sink = Sink::create(format)?;
    sink.sheet(SheetSpec {
        name: "双公示数据".to_owned(),
        caption: export::caption("行政许可和行政处罚决定公示数据", &describe(&query), total),
        headers: &HEADERS,
        widths: &[
            30.0, 22.0, 16.0, 22.0, 10.0, 16.0, 40.0, 12.0, 12.0, 18.0, 18.0, 12.0, 12.0, 12.0,
        ],
    })
    .await?;
    let (today, calendar) = (today(), &state.registry.calendar);
    let mut written = 0_u64;
    let mut after = 0_i64;
    loop {
        let slice = store
            .publications_after(&params.visibility, &filter, after, export::SLICE)
            .await?;
        let Some(last) = slice.last() else { break };
        after = last.id;
        written += slice.len() as u64;
        let rows = slice
            .iter()
            .map(|item| item_row(&record_of(item, &names), &item.to_api(today, calendar)))
            .collect();
        sink.rows(rows).await?;
        progress.set(written, total, format!("已写入 {written} / {total} 条"));
    }
    let extension = match format {
        FileFormat::Xlsx => "xlsx",
        FileFormat::Csv => "csv",
    };
    let name = format!("publication-{}.{extension}", Utc::now().format("%Y%m%d"));
    sink.finish(name, written).await
}

/// One item as the platform's row, with the outbox's columns after it.
fn item_row(record: &PlatformRecord, item: &PublicationItem) -> Vec<Cell> {
    let date = |d: Option<chrono::NaiveDate>| d.map_or(String::new(), |d| d.to_string());
    let valid_until = match (item.kind, record.valid_until) {
        (_, Some(day)) => day.to_string(),
        (domain::publication::DecisionKind::Licensing, None) => "长期".to_owned(),
        (_, None) => String::new(),
    };
    vec![
        Cell::text(&record.party_name),
        Cell::text(record.credit_code.as_deref().unwrap_or_default()),
        Cell::text(&record.party_category),
        Cell::text(&record.document_number),
        Cell::text(&record.decision_kind),
        Cell::text(&record.category),
        Cell::text(&record.content),
        Cell::text(record.decided_on.to_string()),
        Cell::text(valid_until),
        Cell::text(&record.authority),
        Cell::text(&record.source_unit),
        Cell::text(item.due_on.to_string()),
        Cell::text(item.status.label_zh()),
        Cell::text(date(item.published_on)),
    ]
}

/// The filter as the caption shows it.
fn describe(query: &PublicationQuery) -> String {
    export::describe_filter([
        ("期间", query.period.clone()),
        ("决定类别", query.kind.clone()),
        ("公示状态", query.status.clone()),
        ("区划", query.division.clone()),
        ("仅逾期", query.late.filter(|l| *l).map(|_| "是".to_owned())),
    ])
}
