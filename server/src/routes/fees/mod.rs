//! `/api/v1/fees` and `/api/v1/public/fees/…`: fee inspections of business associations (涉企收费检查,
//! 双随机一公开). The bureau sets up a campaign (year, eligible associations, checklist, sample size,
//! inspector pool) and draws it from a seed (`campaigns`, `draw`); anyone may read the published draw and
//! any staff member re-runs it to verify the list; the drawn inspectors record each inspection's fee items,
//! findings and dispositions, a 查处 opening a penalty case (`inspections`); staff read the results by city
//! and disposition within their division and export them (`results`); an association's own user reads its
//! findings.

mod campaigns;
mod draw;
pub(crate) mod export;
mod inspections;
mod results;

use domain::fees::FeeError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::routes::inspection::validation;
use crate::state::AppState;
use crate::store::fees::CampaignRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            campaigns::list_fee_campaigns,
            campaigns::create_fee_campaign
        ))
        .routes(routes!(campaigns::find_fee_campaign))
        .routes(routes!(campaigns::close_fee_campaign))
        .routes(routes!(
            campaigns::list_fee_conflicts,
            campaigns::create_fee_conflict
        ))
        .routes(routes!(draw::draw_fee_campaign))
        .routes(routes!(draw::verify_fee_draw))
        .routes(routes!(draw::published_fee_draw))
        .routes(routes!(inspections::list_fee_inspections))
        .routes(routes!(inspections::find_fee_inspection))
        .routes(routes!(inspections::record_fee_inspection))
        .routes(routes!(results::fee_campaign_results))
        .routes(routes!(export::export_fee_campaign))
}

/// A refused fee input: 422 naming the field.
fn refused(error: FeeError) -> Error {
    validation(vec![domain::api::FieldError {
        field: error.field,
        message: error.message,
    }])
}

/// The campaign, or 404.
async fn campaign(state: &AppState, id: i64) -> Result<CampaignRow> {
    state
        .store
        .find_fee_campaign(id)
        .await?
        .ok_or_else(|| Error::not_found("检查活动"))
}
