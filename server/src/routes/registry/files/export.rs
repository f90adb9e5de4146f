//! Exporting the registry: every organization in the caller's visibility that matches the list's filters,
//! as an .xlsx workbook whose first row says how many and by which filter.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::api::OrganizationQuery;
use domain::jobs::JobKind;
use domain::paging::PageRequest;

use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppQuery, Result};
use crate::jobs::Progress;
use crate::jobs::export::{self, Cell, ExportFile, ExportParams, FileFormat, SheetSpec, Sink};
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
/// the list, without paging) as an .xlsx workbook whose first row says how many and by which filter: at
/// once when few, else `202 Accepted` and a job.
#[utoipa::path(get, path = "/organizations/export", tag = "registry", params(OrganizationQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "an .xlsx workbook"),
              (status = 202, body = domain::api::Job, description = "a job writes the workbook; see Location"),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn export_organizations(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<OrganizationQuery>,
) -> Result<Response> {
    let (filter, sort, descending) = org_filter(query.clone())?;
    let visibility = auth.visibility();
    let (_, rows) = state
        .store
        .list_organizations(&visibility, &filter, sort, descending, PageRequest::default())
        .await?;
    export::answer(
        &state,
        &auth,
        JobKind::OrganizationsExport,
        &query,
        visibility,
        rows,
    )
    .await
}

/// Writes the registry export of `params`, a slice at a time in the list's order.
pub(crate) async fn write(
    state: &AppState,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    let query: OrganizationQuery = serde_json::from_value(params.query.clone())?;
    let described = describe_filter(&query);
    let (filter, sort, descending) = org_filter(query).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let store = &state.store;
    let (_, total) = store
        .list_organizations(
            &params.visibility,
            &filter,
            sort,
            descending,
            PageRequest::default(),
        )
        .await?;
    let sink = Sink::create(FileFormat::Xlsx)?;
    sink.sheet(SheetSpec {
        name: "社会组织名录".to_owned(),
        caption: export::caption("社会组织名录", &described, total),
        headers: &EXPORT_HEADERS,
        widths: &[36.0, 22.0],
    })
    .await?;
    let mut written = 0_u64;
    while written < total {
        let slice = store
            .organizations_matching(
                &params.visibility,
                &filter,
                sort,
                descending,
                export::SLICE,
                written as i64,
            )
            .await?;
        if slice.is_empty() {
            break;
        }
        written += slice.len() as u64;
        sink.rows(slice.iter().map(organization_row).collect()).await?;
        progress.set(written, total, format!("已写入 {written} / {total} 个社会组织"));
    }
    let name = format!("organizations-{}.xlsx", Utc::now().format("%Y%m%d"));
    sink.finish(name, written).await
}

/// The filters as the sheet's first row shows them, e.g. `登记类型=foundation；搜索=养老`.
fn describe_filter(query: &OrganizationQuery) -> String {
    export::describe_filter([
        ("登记类型", query.kind.clone()),
        ("分类", query.category.clone()),
        ("新兴产业", query.emerging_industry.clone()),
        ("登记级别", query.level.clone()),
        ("城市", query.city.clone()),
        ("县区", query.county.clone()),
        ("登记状态", query.status.clone()),
        ("信用名单", query.credit_list.clone()),
        ("搜索", query.q.clone()),
    ])
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

/// One organization as a row of the export.
fn organization_row(o: &OrganizationRow) -> Vec<Cell> {
    let summary = o.summary();
    let categories: Vec<&str> = summary.categories.iter().map(|c| c.label_zh()).collect();
    vec![
        Cell::text(&o.name),
        Cell::text(&o.credit_code),
        Cell::text(summary.kind.label_zh()),
        Cell::text(categories.join("、")),
        Cell::text(
            summary
                .emerging_industry
                .map(|e| e.label_zh())
                .unwrap_or_default(),
        ),
        Cell::text(summary.level.label_zh()),
        Cell::text(registering_authority(o)),
        Cell::text(&o.division_code),
        Cell::text(summary.status.label_zh()),
        Cell::text(summary.credit_list.map(|l| l.label_zh()).unwrap_or("无")),
        Cell::text(o.legal_representative.as_deref().unwrap_or_default()),
        Cell::text(o.founded_on.map(|d| d.to_string()).unwrap_or_default()),
        o.registered_funds_fen.map_or(Cell::Empty, Cell::fen),
        Cell::text(o.domicile.as_deref().unwrap_or_default()),
        Cell::text(o.business_scope.as_deref().unwrap_or_default()),
    ]
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
