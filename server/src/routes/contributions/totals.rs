//! Totals: the counted entries (verified, not superseded) the caller may see, summed by the dimensions
//! asked for — the province's, a city's or county's, an organization's own.

use axum::extract::State;
use domain::api::{ContributionTotals, LedgerQuery};
use domain::money::Fen;
use serde::Deserialize;

use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppJson, AppQuery, Error, Result};
use crate::state::AppState;
use crate::store::contributions::{LedgerFilter, TotalsBy};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(super) struct TotalsQuery {
    /// Comma-separated dimensions: `kind`, `year`, `city`, `organization` (default `kind,year`).
    by: Option<String>,
    kind: Option<String>,
    year: Option<i32>,
    city_code: Option<String>,
    organization_id: Option<i64>,
}

/// Verified entries in the caller's scope (an organization: its own), summed by the dimensions asked for.
#[utoipa::path(get, path = "/contributions/totals", tag = "contributions", params(TotalsQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = ContributionTotals), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn contribution_totals(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<TotalsQuery>,
) -> Result<AppJson<ContributionTotals>> {
    let by = totals_by(query.by.as_deref().unwrap_or("kind,year"))?;
    let filter = LedgerFilter::try_from(&LedgerQuery {
        kind: query.kind,
        year: query.year,
        city_code: query.city_code,
        organization_id: query.organization_id,
        counted: Some(true),
        ..LedgerQuery::default()
    })?;
    let groups = state
        .store
        .contribution_totals(&auth.visibility(), &filter, by)
        .await?;
    let entries = groups.iter().map(|g| g.entries).sum();
    let amount_fen = Fen::checked_sum(groups.iter().map(|g| g.amount_fen)).unwrap_or(Fen::new(i64::MAX));
    Ok(AppJson(ContributionTotals {
        groups,
        entries,
        amount_fen,
    }))
}

/// The dimensions of `by`: a comma-separated list of `kind`, `year`, `city` and `organization`.
fn totals_by(raw: &str) -> Result<TotalsBy> {
    let mut by = TotalsBy::default();
    for dimension in raw.split(',').map(str::trim) {
        match dimension {
            "kind" => by.kind = true,
            "year" => by.year = true,
            "city" => by.city = true,
            "organization" => by.organization = true,
            "" => {}
            _ => {
                return Err(Error::invalid(
                    "by",
                    "汇总维度（by）只能是 kind、year、city、organization",
                ));
            }
        }
    }
    Ok(by)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_dimensions_are_read_from_a_comma_separated_list() {
        let by = totals_by(" kind, city ,").unwrap();
        assert!(by.kind && by.city && !by.year && !by.organization);
        assert!(totals_by("county").is_err());
    }
}
