//! `/api/v1/audit`: bureau administrators browse and export the audit log (read-only: the log has no
//! update or delete, in the API or the database).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use chrono::NaiveDate;
use domain::api::{AuditQuery, AuditRecord, Page};
use domain::paging::PageRequest;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Auth, BureauOnly};
use crate::error::{AppJson, AppQuery, Error, Result};
// A cell that a spreadsheet would read as a formula is prefixed with `'`, as in the registry's export.
use crate::routes::registry::files::neutralize;
use crate::state::AppState;
use crate::store::AuditFilter;

/// The most rows one export holds; the filter narrows larger sets.
const EXPORT_LIMIT: i64 = 100_000;

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

/// The matching rows as CSV (UTF-8 with BOM, opens in Excel/WPS), newest first, at most 100,000.
#[utoipa::path(get, path = "/audit/export", tag = "audit", params(AuditQuery),
    security(("session" = ["BureauOnly"])),
    responses((status = 200, description = "CSV", content_type = "text/csv")))]
async fn export_audit(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppQuery(query): AppQuery<AuditQuery>,
) -> Result<impl IntoResponse> {
    let filter = audit_filter(query)?;
    let (rows, total) = state.store.export_audit(&filter, EXPORT_LIMIT).await?;
    let body = audit_csv(rows)?;
    tracing::info!(
        actor = auth.user.username,
        rows = total.min(EXPORT_LIMIT as u64),
        "audit log exported"
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"sheguan-audit.csv\"".to_owned(),
            ),
        ],
        body,
    ))
}

/// The rows as CSV: UTF-8 with a BOM (so that Excel and WPS read it as such), one header row, and every
/// free-text cell neutralized.
fn audit_csv(rows: Vec<AuditRecord>) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_error = |e: csv::Error| Error::Internal(e.into());
    out.write_record([
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
    ])
    .map_err(csv_error)?;
    for r in rows {
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_default();
        out.write_record([
            r.id.to_string(),
            r.at.to_rfc3339(),
            neutralize(&r.actor_name),
            r.actor_role
                .map(|role| role.label_zh().to_owned())
                .unwrap_or_default(),
            r.client_addr,
            r.entity_type,
            neutralize(&r.entity_id),
            r.action,
            neutralize(&json(&r.before)),
            neutralize(&json(&r.after)),
            neutralize(r.reason.as_deref().unwrap_or_default()),
        ])
        .map_err(csv_error)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    Ok(body)
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
