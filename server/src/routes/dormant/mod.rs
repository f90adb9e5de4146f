//! `/api/v1/dormant`: dormant ("zombie") organizations. The nightly scan (`Store::scan_dormant`, run by
//! the job runner) proposes candidates with their signals and evidence; staff of the organization's
//! division confirm or dismiss them and take the confirmed through interview and rectification to an
//! outcome (`cases`); staff record returned letters (`letters`); the counts by stage and city cover any
//! period (`counts`). Organization users and instructors reach none of these routes.

mod cases;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cases::list_cases))
        .routes(routes!(cases::case_counts))
        .routes(routes!(cases::find_case))
        .routes(routes!(cases::step_case))
        .routes(routes!(cases::record_letter))
}
