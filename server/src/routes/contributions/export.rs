//! The ledger as an .xlsx workbook: one sheet of entries, one of scholarship recipients (masked).

use domain::api::Contribution;
use domain::contributions::AdmissionKind;
use domain::money::Fen;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::store::contributions::RecipientRow;

/// The most rows a worksheet holds (below the header).
pub const MAX_ROWS: i64 = 1_048_575;

/// Builds the workbook. `truncated` adds a note that the export stopped at the sheet's limit.
pub fn workbook(
    entries: &[Contribution],
    recipients: &[RecipientRow],
    truncated: bool,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");

    let sheet = book.add_worksheet();
    sheet.set_name("贡献记录")?;
    let headers = [
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
    for (col, title) in headers.iter().enumerate() {
        sheet.write_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, e) in entries.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write(row, 0, e.id as f64)?;
        sheet.write(row, 1, &e.organization_name)?;
        sheet.write(row, 2, &e.division_code)?;
        sheet.write(row, 3, e.kind.label_zh())?;
        sheet.write(row, 4, e.date.to_string())?;
        sheet.write_with_format(row, 5, yuan(e.amount_fen), &money)?;
        if let Some(people) = e.people {
            sheet.write(row, 6, f64::from(people))?;
        }
        sheet.write(row, 7, e.expo_role.map(|r| r.label_zh()).unwrap_or_default())?;
        sheet.write(
            row,
            8,
            e.village_name
                .as_deref()
                .or(e.village_code.as_deref())
                .unwrap_or_default(),
        )?;
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

    let sheet = book.add_worksheet();
    sheet.set_name("受助学生（已脱敏）")?;
    for (col, title) in [
        "记录编号",
        "姓名",
        "身份证号",
        "学校",
        "录取类型",
        "金额（元）",
        "年度",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_with_format(0, col as u16, *title, &bold)?;
    }
    for (i, r) in recipients.iter().take(MAX_ROWS as usize).enumerate() {
        let row = i as u32 + 1;
        sheet.write(row, 0, r.contribution_id as f64)?;
        sheet.write(row, 1, &r.name_masked)?;
        sheet.write(row, 2, &r.id_number_masked)?;
        sheet.write(row, 3, &r.school)?;
        let admission = AdmissionKind::parse(&r.admission).map(AdmissionKind::label_zh);
        sheet.write(row, 4, admission.unwrap_or_default())?;
        sheet.write_with_format(row, 5, yuan(Fen::new(r.amount_fen)), &money)?;
        sheet.write(row, 6, r.year)?;
    }
    book.save_to_buffer()
}

/// 元 as a spreadsheet number; exact for every amount below 2⁵³ fen.
fn yuan(amount: Fen) -> f64 {
    amount.as_i64() as f64 / 100.0
}
