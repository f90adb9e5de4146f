//! A campaign's results as an `.xlsx` workbook through the job runner's export path: the results by city,
//! by disposition, and every recorded fee item with its findings, disposition and burden removed — in the
//! caller's scope. A campaign's items are a few thousand rows, so the file usually answers at once.

use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::api::{CampaignResults, ResultLine};
use domain::jobs::JobKind;
use serde::{Deserialize, Serialize};

use super::campaign;
use super::results::{city_name, tally};
use crate::auth::{Auth, Staff};
use crate::error::{AppPath, Result};
use crate::jobs::Progress;
use crate::jobs::export::{self, Cell, ExportFile, ExportParams, FileFormat, SheetSpec, Sink};
use crate::state::AppState;

/// What the export job keeps of the request: the campaign and who asked (the caller's user id widens
/// the scope to the inspections they are drawn for, as in the lists).
#[derive(Debug, Serialize, Deserialize)]
struct FeeExportQuery {
    campaign_id: i64,
    user_id: i64,
}

const RESULT_HEADERS: [&str; 6] = [
    "市",
    "检查协会数",
    "查处违规收费",
    "规范收费",
    "减轻企业负担（元/年）",
    "惠及企业数",
];
const DISPOSITION_HEADERS: [&str; 5] = [
    "处理方式",
    "收费项目数",
    "涉及协会数",
    "减轻企业负担（元/年）",
    "惠及企业数",
];
const ITEM_HEADERS: [&str; 11] = [
    "市",
    "协会",
    "收费项目",
    "收费依据",
    "收费标准（元）",
    "年收费额（元）",
    "收费对象数",
    "检查发现",
    "处理方式",
    "新标准（元）",
    "减轻负担（元/年）",
];

/// 导出 — the campaign's results and items as an .xlsx workbook.
#[utoipa::path(get, path = "/fees/campaigns/{id}/export", tag = "fees", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, description = "an .xlsx workbook"),
              (status = 202, body = domain::api::Job, description = "a job writes the workbook; see Location"),
              (status = 404, body = domain::api::ApiError)))]
pub(super) async fn export_fee_campaign(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<Response> {
    campaign(&state, id).await?;
    let visibility = auth.visibility();
    let rows = state
        .store
        .fee_campaign_items(id, &visibility, auth.user.user_id)
        .await?
        .len() as u64;
    let query = FeeExportQuery {
        campaign_id: id,
        user_id: auth.user.user_id,
    };
    export::answer(&state, &auth, JobKind::FeesExport, &query, visibility, rows).await
}

/// Writes the workbook of `params`.
pub(crate) async fn write(
    state: &AppState,
    params: &ExportParams,
    progress: &Progress,
) -> anyhow::Result<ExportFile> {
    let query: FeeExportQuery = serde_json::from_value(params.query.clone())?;
    let store = &state.store;
    let row = store
        .find_fee_campaign(query.campaign_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("campaign {} is gone", query.campaign_id))?;
    let items = store
        .fee_campaign_items(query.campaign_id, &params.visibility, query.user_id)
        .await?;
    let drawn = store
        .count_fee_inspections(query.campaign_id, &params.visibility, query.user_id)
        .await?;
    let results = tally(query.campaign_id, drawn as u32, &items);
    let filter = format!("检查活动={}", row.title);
    let sink = Sink::create(FileFormat::Xlsx)?;
    write_results(&sink, &results, &filter).await?;
    sink.sheet(SheetSpec {
        name: "收费项目".to_owned(),
        caption: export::caption("涉企收费检查收费项目", &filter, items.len() as u64),
        headers: &ITEM_HEADERS,
        widths: &[10.0, 30.0, 16.0, 24.0, 12.0, 14.0, 10.0, 30.0, 8.0, 12.0, 14.0],
    })
    .await?;
    let total = items.len() as u64;
    let mut written = 0_u64;
    for slice in items.chunks(export::SLICE as usize) {
        let rows = slice
            .iter()
            .map(|i| {
                let item = i.item.input();
                let findings: Vec<&str> = item.findings.iter().map(|f| f.label_zh()).collect();
                vec![
                    Cell::text(city_name(&i.city_code, &i.city_name)),
                    Cell::text(&i.organization_name),
                    Cell::text(&item.name),
                    Cell::text(&item.basis),
                    Cell::fen(item.standard_fen.as_i64()),
                    Cell::fen(item.annual_income_fen.as_i64()),
                    Cell::Number(item.payers as f64),
                    Cell::text(findings.join("、")),
                    Cell::text(item.disposition.map_or("", |d| d.label_zh())),
                    item.new_standard_fen
                        .map_or(Cell::Empty, |f| Cell::fen(f.as_i64())),
                    Cell::fen(i.item.burden_removed_fen),
                ]
            })
            .collect();
        sink.rows(rows).await?;
        written += slice.len() as u64;
        progress.set(written, total, format!("已写入 {written} / {total} 个收费项目"));
    }
    let name = format!(
        "fee-inspections-{}-{}.xlsx",
        row.year,
        Utc::now().format("%Y%m%d")
    );
    sink.finish(name, written).await
}

/// The results by city (with the total) and by disposition, one sheet each.
async fn write_results(sink: &Sink, results: &CampaignResults, filter: &str) -> anyhow::Result<()> {
    let line = |name: &str, l: &ResultLine| {
        vec![
            Cell::text(name),
            Cell::Number(f64::from(l.inspected)),
            Cell::Number(f64::from(l.violations)),
            Cell::Number(f64::from(l.standardized)),
            Cell::fen(l.burden_removed_fen.as_i64()),
            Cell::Number(l.enterprises_benefited as f64),
        ]
    };
    sink.sheet(SheetSpec {
        name: "按市汇总".to_owned(),
        caption: export::caption("涉企收费检查结果（按市）", filter, results.by_city.len() as u64),
        headers: &RESULT_HEADERS,
        widths: &[12.0, 12.0, 14.0, 10.0, 22.0, 12.0],
    })
    .await?;
    let mut rows: Vec<Vec<Cell>> = results
        .by_city
        .iter()
        .map(|c| line(&c.division_name, &c.line))
        .collect();
    rows.push(line("合计", &results.totals));
    sink.rows(rows).await?;
    sink.sheet(SheetSpec {
        name: "按处理方式汇总".to_owned(),
        caption: export::caption(
            "涉企收费检查结果（按处理方式）",
            filter,
            results.by_disposition.len() as u64,
        ),
        headers: &DISPOSITION_HEADERS,
        widths: &[10.0, 12.0, 12.0, 22.0, 12.0],
    })
    .await?;
    let rows = results
        .by_disposition
        .iter()
        .map(|d| {
            vec![
                Cell::text(d.disposition.label_zh()),
                Cell::Number(f64::from(d.items)),
                Cell::Number(f64::from(d.associations)),
                Cell::fen(d.burden_removed_fen.as_i64()),
                Cell::Number(d.enterprises_benefited as f64),
            ]
        })
        .collect();
    sink.rows(rows).await
}
