//! `/api/v1/party`: party building (党建, `DOMAIN.md` §8). An organization's party record and its history
//! (`records.rs`: anyone whose scope covers it reads it; staff record changes, an organization reports its
//! own for staff to confirm); approvals of new branches (`approvals.rs`, staff); the coverage and
//! formation rates on any day, level and division with the organizations behind each number
//! (`coverage.rs`, staff); instructors' batches, assignments and evaluations (`batches.rs`, the bureau
//! decides, staff read); the instructor's workspace and visits (`workspace.rs`, instructors).

mod approvals;
mod batches;
mod coverage;
mod records;
mod workspace;

use domain::api::PartyOrgRef;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::state::AppState;
use crate::store::Visibility;
use crate::store::registry::OrganizationRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(records::find_party_profile))
        .routes(routes!(records::create_party_record))
        .routes(routes!(records::list_party_records))
        .routes(routes!(records::decide_party_record))
        .routes(routes!(
            approvals::list_party_approvals,
            approvals::create_party_approval
        ))
        .routes(routes!(approvals::decide_party_approval))
        .routes(routes!(coverage::find_party_coverage))
        .routes(routes!(coverage::list_coverage_organizations))
        .routes(routes!(batches::list_party_batches, batches::create_party_batch))
        .routes(routes!(batches::find_party_batch))
        .routes(routes!(batches::assign_party_instructor))
        .routes(routes!(batches::evaluate_party_instructor))
        .routes(routes!(batches::list_party_instructors))
        .routes(routes!(workspace::find_party_workspace))
        .routes(routes!(workspace::create_party_visit))
}

/// A registered organization `visibility` covers, or 404 (never 403: that would confirm it exists).
async fn organization_in(state: &AppState, visibility: &Visibility, id: i64) -> Result<OrganizationRow> {
    state
        .store
        .find_organization(visibility, id)
        .await?
        .ok_or_else(|| Error::not_found("社会组织"))
}

/// The organizations a joint branch joins: each must exist, or a 422 naming the field.
async fn joint_organizations(state: &AppState, ids: &[i64]) -> Result<Vec<PartyOrgRef>> {
    let names = state.store.party_org_names(ids).await?;
    if names.len() != ids.len() {
        return Err(Error::invalid("joint_with", "联建的社会组织（joint_with）不存在"));
    }
    Ok(names)
}
