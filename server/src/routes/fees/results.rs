//! A campaign's results by city and by disposition, counted from the recorded items in the caller's scope
//! by the rules of `domain::fees` — nothing here is typed in as a total.

use std::collections::BTreeMap;

use axum::extract::State;
use domain::api::{CampaignResults, CityResult, DispositionResult, FeeItemInput, ResultLine};
use domain::division::PROVINCE_CODE;

use super::campaign;
use crate::auth::{Auth, Staff};
use crate::error::{AppJson, AppPath, Result};
use crate::state::AppState;
use crate::store::fees::CampaignItem;

/// The results of a campaign: totals, by city (the provincial associations as 省本级), by disposition.
#[utoipa::path(get, path = "/fees/campaigns/{id}/results", tag = "fees", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = CampaignResults), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn fee_campaign_results(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<CampaignResults>> {
    campaign(&state, id).await?;
    let visibility = auth.visibility();
    let items = state
        .store
        .fee_campaign_items(id, &visibility, auth.user.user_id)
        .await?;
    let drawn = state
        .store
        .count_fee_inspections(id, &visibility, auth.user.user_id)
        .await?;
    Ok(AppJson(tally(id, drawn as u32, &items)))
}

/// The name a city's line shows: the province's own associations are 省本级.
pub(super) fn city_name(code: &str, name: &str) -> String {
    if code == PROVINCE_CODE {
        "省本级".to_owned()
    } else {
        name.to_owned()
    }
}

/// Counts the recorded items (ordered by inspection) into the results.
pub(super) fn tally(campaign_id: i64, drawn: u32, items: &[CampaignItem]) -> CampaignResults {
    let inspections = items.chunk_by(|a, b| a.item.inspection_id == b.item.inspection_id);
    let mut totals = ResultLine::default();
    let mut by_city: BTreeMap<String, CityResult> = BTreeMap::new();
    let mut all: Vec<Vec<FeeItemInput>> = Vec::new();
    for inspection in inspections {
        let first = &inspection[0];
        let inputs: Vec<FeeItemInput> = inspection.iter().map(|i| i.item.input()).collect();
        totals.add(&inputs);
        by_city
            .entry(first.city_code.clone())
            .or_insert_with(|| CityResult {
                division_code: first.city_code.clone(),
                division_name: city_name(&first.city_code, &first.city_name),
                line: ResultLine::default(),
            })
            .line
            .add(&inputs);
        all.push(inputs);
    }
    let by_disposition: Vec<DispositionResult> = domain::fees::by_disposition(all.iter().map(Vec::as_slice));
    CampaignResults {
        campaign_id,
        drawn,
        totals,
        by_city: by_city.into_values().collect(),
        by_disposition,
    }
}
