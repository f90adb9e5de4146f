//! The ledger as an .xlsx workbook: every entry the caller may see that passes the list's filter on one
//! sheet, their scholarship recipients (masked) on another.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::api::{Contribution, LedgerQuery};
use domain::contributions::AdmissionKind;
use domain::money::Fen;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::contributions::{LedgerFilter, RecipientRow};

/// The most rows a worksheet holds (below the header).
const MAX_ROWS: i64 = 1_048_575;

/// The entries sheet's columns.
const ENTRY_HEADERS: [&str; 16] = [
    "编号",
    "社会组织",
    "区划",
    "类型",
    "日期",
    "金额（元）",
    "人数",
    "会展",
    "村（社区）",
    "说明",
    "状态",
    "退回原因",
    "更正记录",
    "被更正为",
    "受助学生数",
    "佐证材料数",
];

/// The recipients sheet's columns.
const RECIPIENT_HEADERS: [&str; 7] = [
    "记录编号",
    "姓名",
    "身份证号",
    "学校",
    "录取类型",
    "金额（元）",
    "年度",
];

/// Every entry in the caller's scope that passes the filter, as an .xlsx workbook; recipients are masked.
#[utoipa::path(get, path = "/contributions/export", tag = "contributions", params(LedgerQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "an .xlsx workbook")))]
pub(super) async fn export_contributions(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<Response> {
    let filter = LedgerFilter::try_from(&query)?;
    let (entries, total) = state
        .store
        .export_contributions(&auth.visibility(), &filter, MAX_ROWS)
        .await?;
    let scholarship_ids: Vec<i64> = entries
        .iter()
        .filter(|e| e.recipient_count > 0)
        .map(|e| e.id)
        .collect();
    let mut recipients = Vec::new();
    for chunk in scholarship_ids.chunks(500) {
        recipients.extend(state.store.contribution_recipients(chunk).await?);
    }
    let truncated = total > entries.len() as u64;
    let bytes = tokio::task::spawn_blocking(move || workbook(&entries, &recipients, truncated))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|e| Error::Internal(e.into()))?;
    let filename = format!("contributions-{}.xlsx", Utc::now().format("%Y%m%d"));
    let headers = [
        (
            header::CONTENT_TYPE,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
        ),
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

/// Builds the workbook. `truncated` adds a note that the export stopped at the sheet's limit.
fn workbook(
    entries: &[Contribution],
    recipients: &[RecipientRow],
    truncated: bool,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats {
        bold: Format::new().set_bold(),
        money: Format::new().set_num_format("#,##0.00"),
    };
    entries_sheet(book.add_worksheet(), &formats, entries, truncated)?;
    recipients_sheet(book.add_worksheet(), &formats, recipients)?;
    book.save_to_buffer()
}

/// The cell formats both sheets use: headers in bold, amounts with two decimals.
struct Formats {
    bold: Format,
    money: Format,
}

/// The sheet of entries, one row each.
fn entries_sheet(
    sheet: &mut Worksheet,
    formats: &Formats,
    entries: &[Contribution],
    truncated: bool,
) -> Result<(), XlsxError> {
    sheet.set_name("贡献记录")?;
    for (col, title) in ENTRY_HEADERS.iter().enumerate() {
        sheet.write_with_format(0, col as u16, *title, &formats.bold)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write(row, 0, e.id as f64)?;
        sheet.write(row, 1, &e.organization_name)?;
        sheet.write(row, 2, &e.division_code)?;
        sheet.write(row, 3, e.kind.label_zh())?;
        sheet.write(row, 4, e.date.to_string())?;
        sheet.write_with_format(row, 5, yuan(e.amount_fen), &formats.money)?;
        if let Some(people) = e.people {
            sheet.write(row, 6, f64::from(people))?;
        }
        sheet.write(row, 7, e.expo_role.map(|r| r.label_zh()).unwrap_or_default())?;
        let village = e.village_name.as_deref().or(e.village_code.as_deref());
        sheet.write(row, 8, village.unwrap_or_default())?;
        sheet.write(row, 9, &e.description)?;
        sheet.write(row, 10, e.status.label_zh())?;
        sheet.write(row, 11, e.return_reason.as_deref().unwrap_or_default())?;
        if let Some(id) = e.corrects_id {
            sheet.write(row, 12, id as f64)?;
        }
        if let Some(id) = e.superseded_by {
            sheet.write(row, 13, id as f64)?;
        }
        sheet.write(row, 14, f64::from(e.recipient_count))?;
        sheet.write(row, 15, f64::from(e.evidence_count))?;
    }
    if truncated {
        sheet.write(
            entries.len() as u32 + 1,
            0,
            "（记录过多，已截至工作表上限，请按年度或地区分批导出）",
        )?;
    }
    Ok(())
}

/// The sheet of scholarship recipients, masked, up to the sheet's limit.
fn recipients_sheet(
    sheet: &mut Worksheet,
    formats: &Formats,
    recipients: &[RecipientRow],
) -> Result<(), XlsxError> {
    sheet.set_name("受助学生（已脱敏）")?;
    for (col, title) in RECIPIENT_HEADERS.iter().enumerate() {
        sheet.write_with_format(0, col as u16, *title, &formats.bold)?;
    }
    for (i, r) in recipients.iter().take(MAX_ROWS as usize).enumerate() {
        let row = i as u32 + 1;
        sheet.write(row, 0, r.contribution_id as f64)?;
        sheet.write(row, 1, &r.name_masked)?;
        sheet.write(row, 2, &r.id_number_masked)?;
        sheet.write(row, 3, &r.school)?;
        let admission = AdmissionKind::parse(&r.admission).map(AdmissionKind::label_zh);
        sheet.write(row, 4, admission.unwrap_or_default())?;
        sheet.write_with_format(row, 5, yuan(Fen::new(r.amount_fen)), &formats.money)?;
        sheet.write(row, 6, r.year)?;
    }
    Ok(())
}

/// 元 as a spreadsheet number; exact for every amount below 2⁵³ fen.
fn yuan(amount: Fen) -> f64 {
    amount.as_i64() as f64 / 100.0
}
