//! `/api/v1/dashboard` and `/api/v1/reports/annual`: the year's figures by area, each with the records
//! behind it (`figures`), the public page's headline aggregates, and the annual work report as JSON and as
//! a Word file (`report`, `document`). Staff only, in their scope; the public page names no one.

mod document;
mod figures;
mod report;

use chrono::Datelike;
use domain::division::DivisionCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::state::{AppState, today};
use crate::store::Visibility;
use crate::store::dashboard::Period;
use crate::store::visibility::division_prefix;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(figures::dashboard))
        .routes(routes!(figures::figure_records))
        .routes(routes!(figures::public_dashboard))
        .routes(routes!(report::annual_report))
        .routes(routes!(document::annual_report_document))
}

/// The first year with records worth counting; earlier years are refused.
const FIRST_YEAR: i32 = 2000;

/// Where the figures are counted and what the place is called.
pub(crate) struct Place {
    /// The division code the caller asked for (or is limited to), if any.
    pub city: Option<String>,
    pub name: String,
    pub period: Period,
}

/// The year asked for (this year when absent), or a 422 naming `year`.
fn year_of(year: Option<i32>) -> Result<i32> {
    let this_year = today().year();
    match year {
        None => Ok(this_year),
        Some(y) if (FIRST_YEAR..=this_year).contains(&y) => Ok(y),
        Some(_) => Err(Error::invalid(
            "year",
            format!("年度（year）应在 {FIRST_YEAR} 至 {this_year} 之间"),
        )),
    }
}

/// The period and place of a request: the city asked for within the caller's scope. Local staff are held
/// to their division (a broader city is narrowed to it); a division outside their scope is not found.
pub(crate) async fn place_of(
    state: &AppState,
    visibility: &Visibility,
    year: Option<i32>,
    city: Option<&str>,
) -> Result<Place> {
    let year = year_of(year)?;
    let asked = match city.map(str::trim).filter(|c| !c.is_empty()) {
        Some(raw) => Some(
            DivisionCode::parse(raw)
                .map_err(|_| Error::invalid("city", "城市（city）应为 6 位行政区划代码"))?,
        ),
        None => None,
    };
    let asked_prefix = asked.as_ref().map(|code| division_prefix(code).to_owned());
    let prefix = match (visibility, asked_prefix) {
        (Visibility::Division(own), Some(asked)) if asked.starts_with(own.as_str()) => asked,
        (Visibility::Division(own), Some(asked)) if own.starts_with(asked.as_str()) => own.clone(),
        (Visibility::Division(_), Some(_)) => return Err(Error::not_found("行政区划")),
        (Visibility::Division(own), None) => own.clone(),
        (_, Some(asked)) => asked,
        (_, None) => String::new(),
    };
    let code = (!prefix.is_empty()).then(|| format!("{prefix:0<6}"));
    let name = match &code {
        Some(code) => state
            .store
            .division_names(Some(code))
            .await?
            .into_iter()
            .find(|(c, _)| c == code)
            .map(|(_, name)| name)
            .ok_or_else(|| Error::not_found("行政区划"))?,
        None => "安徽省".to_owned(),
    };
    let period = Period::new(year, &prefix).ok_or_else(|| Error::invalid("year", "年度（year）无效"))?;
    Ok(Place {
        city: code,
        name,
        period,
    })
}
