//! The ledger as an .xlsx workbook: every entry the caller may see that passes the list's filter, on as
//! many sheets as it takes, and their scholarship recipients (masked) after them. Small exports answer at
//! once; large ones (the province's million entries) run as a job with progress (`jobs::export`).

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::api::{Contribution, LedgerQuery};
use domain::contributions::AdmissionKind;
use domain::jobs::JobKind;

use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppQuery, Result};
use crate::jobs::Progress;
use crate::jobs::export::{self, Cell, ExportFile, ExportParams, FileFormat, SheetSpec, Sink};
use crate::state::AppState;
use crate::store::contributions::LedgerFilter;

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

/// Every entry in the caller's scope that passes the filter, as an .xlsx workbook (recipients masked):
/// the file at once when the filter selects few entries, else `202 Accepted` and a job.
#[utoipa::path(get, path = "/contributions/export", tag = "contributions", params(LedgerQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, description = "an .xlsx workbook"),
              (status = 202, body = domain::api::Job, description = "a job writes the workbook; see Location"),
              (status = 422, body = domain::api::ApiError)))]
pub(super) async fn export_contributions(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<LedgerQuery>,
) -> Result<Response> {
    let filter = LedgerFilter::try_from(&query)?;
    let visibility = auth.visibility();
    let rows = state.store.count_contributions(&visibility, &filter).await?;
    export::answer(
        &state,
        &auth,
        JobKind::ContributionsExport,
        &query,
        visibility,
        rows,
    )
    .await
}

/// Writes the ledger export of `params`: the entries in id order, a slice at a time, then the recipients
/// of the scholarship entries among them.
pub(crate) async fn write(
    state: &AppState,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    let query: LedgerQuery = serde_json::from_value(params.query.clone())?;
    let filter = LedgerFilter::try_from(&query).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let store = &state.store;
    let total = store.count_contributions(&params.visibility, &filter).await?;
    let sink = Sink::create(FileFormat::Xlsx)?;
    sink.sheet(SheetSpec {
        name: "贡献记录".to_owned(),
        caption: export::caption("贡献台账", &describe(&query), total),
        headers: &ENTRY_HEADERS,
        widths: &[10.0, 30.0, 10.0, 12.0, 12.0, 14.0],
    })
    .await?;
    let mut written = 0_u64;
    let mut after = 0_i64;
    let mut scholarship_ids = Vec::new();
    loop {
        let slice = store
            .contributions_after(&params.visibility, &filter, after, export::SLICE)
            .await?;
        let Some(last) = slice.last() else { break };
        after = last.id;
        written += slice.len() as u64;
        scholarship_ids.extend(slice.iter().filter(|e| e.recipient_count > 0).map(|e| e.id));
        sink.rows(slice.iter().map(entry_row).collect()).await?;
        progress.set(written, total, format!("已写入 {written} / {total} 条记录"));
    }
    sink.sheet(SheetSpec {
        name: "受助学生（已脱敏）".to_owned(),
        caption: format!("以上 {written} 条记录中助学类记录的受助学生，姓名与身份证号已脱敏"),
        headers: &RECIPIENT_HEADERS,
        widths: &[10.0, 10.0, 22.0, 24.0],
    })
    .await?;
    for chunk in scholarship_ids.chunks(500) {
        let recipients = store.contribution_recipients(chunk).await?;
        let rows = recipients
            .iter()
            .map(|r| {
                let admission = AdmissionKind::parse(&r.admission).map(AdmissionKind::label_zh);
                vec![
                    Cell::Number(r.contribution_id as f64),
                    Cell::text(&r.name_masked),
                    Cell::text(&r.id_number_masked),
                    Cell::text(&r.school),
                    Cell::text(admission.unwrap_or_default()),
                    Cell::fen(r.amount_fen),
                    Cell::Number(f64::from(r.year)),
                ]
            })
            .collect();
        sink.rows(rows).await?;
    }
    let name = format!("contributions-{}.xlsx", Utc::now().format("%Y%m%d"));
    sink.finish(name, written).await
}

/// One entry as a row of the entries sheet.
fn entry_row(e: &Contribution) -> Vec<Cell> {
    let optional = |id: Option<i64>| id.map_or(Cell::Empty, |id| Cell::Number(id as f64));
    let village = e.village_name.as_deref().or(e.village_code.as_deref());
    vec![
        Cell::Number(e.id as f64),
        Cell::text(&e.organization_name),
        Cell::text(&e.division_code),
        Cell::text(e.kind.label_zh()),
        Cell::text(e.date.to_string()),
        Cell::fen(e.amount_fen.as_i64()),
        e.people.map_or(Cell::Empty, |p| Cell::Number(f64::from(p))),
        Cell::text(e.expo_role.map(|r| r.label_zh()).unwrap_or_default()),
        Cell::text(village.unwrap_or_default()),
        Cell::text(&e.description),
        Cell::text(e.status.label_zh()),
        Cell::text(e.return_reason.as_deref().unwrap_or_default()),
        optional(e.corrects_id),
        optional(e.superseded_by),
        Cell::Number(f64::from(e.recipient_count)),
        Cell::Number(f64::from(e.evidence_count)),
    ]
}

/// The filter as the caption shows it, e.g. `年度=2021；类型=rural_funds`.
fn describe(query: &LedgerQuery) -> String {
    let yes = |flag: Option<bool>| flag.filter(|f| *f).map(|_| "是".to_owned());
    export::describe_filter([
        ("状态", query.status.clone()),
        ("类型", query.kind.clone()),
        ("年度", query.year.map(|y| y.to_string())),
        ("城市", query.city_code.clone()),
        ("社会组织", query.organization_id.map(|id| id.to_string())),
        ("仅计入统计", yes(query.counted)),
        ("待审核", yes(query.queue)),
    ])
}
