//! `/api/v1/audit`: bureau administrators browse and export the audit log (read-only: the log has no
//! update or delete, in the API or the database).

use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use domain::api::{AuditQuery, AuditRecord, Page};
use domain::jobs::JobKind;
use domain::paging::PageRequest;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, BureauOnly};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::jobs::Progress;
use crate::jobs::export::{self, Cell, ExportFile, ExportParams, FileFormat, SheetSpec, Sink};
use crate::state::AppState;
use crate::store::AuditFilter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(export_audit))
}

/// Audit rows, newest first, filtered by actor, entity, action and date range.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = Page<AuditRecord>), (status = 422, body = domain::api::ApiError)))]
async fn list_audit(
    State(state): State<AppState>,
    _auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<AuditQuery>,
) -> Result<AppJson<Page<AuditRecord>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = audit_filter(query)?;
    let (items, total) = state.store.list_audit(&filter, page).await?;
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// The matching rows as CSV (UTF-8 with BOM, opens in Excel/WPS), newest first: at once when few, else
/// `202 Accepted` and a job.
#[utoipa::path(get, path = "/audit/export", tag = "audit", params(AuditQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, description = "CSV", content_type = "text/csv"),
              (status = 202, body = domain::api::Job, description = "a job writes the file; see Location"),
              (status = 422, body = domain::api::ApiError)))]
async fn export_audit(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<AuditQuery>,
) -> Result<Response> {
    let filter = audit_filter(query.clone())?;
    let rows = state.store.count_audit(&filter).await?;
    export::answer(
        &state,
        &auth,
        JobKind::AuditExport,
        &query,
        auth.visibility(),
        rows,
    )
    .await
}

/// The CSV's columns.
const HEADERS: [&str; 11] = [
    "编号",
    "时间",
    "操作人",
    "角色",
    "来源地址",
    "对象类型",
    "对象编号",
    "操作",
    "变更前",
    "变更后",
    "原因",
];

/// Writes the audit export of `params`: newest first, a slice at a time, every free-text cell neutralized.
pub(crate) async fn write(
    state: &AppState,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    let query: AuditQuery = serde_json::from_value(params.query.clone())?;
    let filter = audit_filter(query.clone()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let total = state.store.count_audit(&filter).await?;
    let sink = Sink::create(FileFormat::Csv)?;
    sink.sheet(SheetSpec {
        name: "审计日志".to_owned(),
        caption: export::caption("审计日志", &describe(&query), total),
        headers: &HEADERS,
        widths: &[],
    })
    .await?;
    let mut written = 0_u64;
    let mut before = None;
    loop {
        let slice = state.store.audit_before(&filter, before, export::SLICE).await?;
        let Some(last) = slice.last() else { break };
        before = Some(last.id);
        written += slice.len() as u64;
        sink.rows(slice.into_iter().map(audit_row).collect()).await?;
        progress.set(written, total, format!("已写入 {written} / {total} 条日志"));
    }
    sink.finish("sheguan-audit.csv".to_owned(), written).await
}

fn audit_row(r: AuditRecord) -> Vec<Cell> {
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
    vec![
        Cell::Number(r.id as f64),
        Cell::text(r.at.to_rfc3339()),
        Cell::text(&r.actor_name),
        Cell::text(r.actor_role.map(|role| role.label_zh()).unwrap_or_default()),
        Cell::text(&r.client_addr),
        Cell::text(&r.entity_type),
        Cell::text(&r.entity_id),
        Cell::text(&r.action),
        Cell::text(json(&r.before)),
        Cell::text(json(&r.after)),
        Cell::text(r.reason.as_deref().unwrap_or_default()),
    ]
}

/// The filter as the caption shows it.
fn describe(query: &AuditQuery) -> String {
    export::describe_filter([
        ("操作人", query.actor.clone()),
        ("对象类型", query.entity_type.clone()),
        ("对象编号", query.entity_id.clone()),
        ("操作", query.action.clone()),
        ("起", query.from.clone()),
        ("止", query.to.clone()),
    ])
}

fn audit_filter(query: AuditQuery) -> Result<AuditFilter> {
    let date = |field: &'static str, raw: Option<String>| -> Result<Option<NaiveDate>> {
        match raw.filter(|r| !r.is_empty()) {
            None => Ok(None),
            Some(raw) => NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| Error::invalid(field, format!("日期（{field}）格式应为 YYYY-MM-DD"))),
        }
    };
    let text = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let from = date("from", query.from)?;
    let to = date("to", query.to)?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(Error::invalid("to", "结束日期不能早于开始日期"));
    }
    Ok(AuditFilter {
        actor: text(query.actor).map(|a| a.to_lowercase()),
        entity_type: text(query.entity_type),
        entity_id: text(query.entity_id),
        action: text(query.action),
        from,
        to,
    })
}
