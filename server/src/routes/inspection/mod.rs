//! `/api/v1/inspection`: the annual inspection. The bureau opens a year's cycle (`cycles`); an
//! organization keeps a draft of its report and submits it, also late (`reports`); staff in scope give a
//! verdict or return it and record the follow-ups (`review`); lists by year, result, stage, division and
//! level, and their `.xlsx` (`export`). An organization's profile lists its years with
//! `GET /inspection/reports?organization_id=`.

mod cycles;
pub(crate) mod export;
mod reports;
mod review;

use domain::api::{FieldError, ReportQuery};
use domain::inspection::{InspectionResult, ReportStage};
use domain::registry::organization::Level;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::inspection::ReportFilter;
use crate::store::visibility::division_prefix;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cycles::list_cycles, cycles::open_cycle))
        .routes(routes!(reports::list_reports))
        .routes(routes!(export::export_reports))
        .routes(routes!(reports::find_report))
        .routes(routes!(reports::save_my_report))
        .routes(routes!(review::review_report))
        .routes(routes!(review::return_report))
        .routes(routes!(review::add_follow_up))
        .routes(routes!(review::complete_follow_up))
}

/// A 422 naming every field of `errors`.
pub(crate) fn validation(errors: Vec<FieldError>) -> Error {
    let first = errors.first().map(|f| f.message.clone()).unwrap_or_default();
    Error::Validation {
        message: format!("提交的内容有误：{first}"),
        fields: errors,
    }
}

/// The code prefix of a division named in a query (`340100` → `3401`), or a 422 naming the parameter.
pub(crate) fn prefix_of(field: &str, code: Option<&str>) -> Result<Option<String>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(raw) => domain::division::DivisionCode::parse(raw)
            .map(|code| Some(division_prefix(&code).to_owned()))
            .map_err(|_| Error::invalid(field, format!("行政区划（{field}）应为 6 位区划代码"))),
        None => Ok(None),
    }
}

/// Reads an optional enum key of a query, or a 422 naming the parameter.
pub(crate) fn key_of<T>(
    field: &str,
    what: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => parse(raw)
            .map(Some)
            .ok_or_else(|| Error::invalid(field, format!("{what}（{field}）取值无效"))),
        None => Ok(None),
    }
}

impl TryFrom<&ReportQuery> for ReportFilter {
    type Error = Error;

    fn try_from(query: &ReportQuery) -> Result<Self> {
        Ok(ReportFilter {
            year: query.year,
            result: key_of(
                "result",
                "年检结论",
                query.result.as_deref(),
                InspectionResult::parse,
            )?,
            stage: key_of("stage", "报告状态", query.stage.as_deref(), ReportStage::parse)?,
            division_prefix: prefix_of("division", query.division.as_deref())?,
            level: key_of("level", "登记级别", query.level.as_deref(), |l| {
                Level::parse(l).ok()
            })?,
            organization_id: query.organization_id,
        })
    }
}
