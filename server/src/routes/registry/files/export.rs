//! Exporting the registry: every organization in the caller's visibility that matches the list's filters,
//! as an .xlsx workbook whose first row says how many and by which filter.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::api::OrganizationQuery;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{MAX_EXPORT_ROWS, XLSX_TYPE, download, xlsx_error};
use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppQuery, Error, Result};
use crate::routes::registry::organizations::{org_filter, registering_authority};
use crate::state::AppState;
use crate::store::registry::OrganizationRow;

/// Text a spreadsheet could take for a formula (`=`, `+`, `-`, `@`, or a tab or carriage return first)
/// gets a leading apostrophe, so that it is shown, never run.
pub(crate) fn neutralize(text: &str) -> String {
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
pub(super) async fn export_organizations(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<OrganizationQuery>,
) -> Result<Response> {
    let described = describe_filter(&query);
    let (filter, sort, descending) = org_filter(query)?;
    let rows = state
        .store
        .organizations_matching(&auth.visibility(), &filter, sort, descending, MAX_EXPORT_ROWS, 0)
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
const EXPORT_HEADERS: [&str; 15] = [
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
}
