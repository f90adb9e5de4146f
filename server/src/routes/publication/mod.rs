//! `/api/v1/publication`: the publication of decisions (双公示). Every licensing and penalty decision
//! has an item in the outbox, written in the decision's transaction and due on the seventh working day
//! after it. Staff see their division's items, the on-time rate per period and division with the late
//! ones, and export the platform's item list (.xlsx or CSV); the bureau runs the outbox — push now, retry
//! an item now, mark an item published by upload. Pushing is a job (`publication_push`) on the job runner,
//! queued by each server's scheduler when an item is due and by "push now" (`push.rs`).

pub(crate) mod export;
mod items;
mod on_time;
pub(crate) mod push;

use domain::api::PublicationQuery;
use domain::publication::{DecisionKind, Period, PublicationStatus};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{Error, Result};
use crate::routes::inspection::{key_of, prefix_of};
use crate::state::{AppState, today};
use crate::store::publication::PublicationFilter;

pub use push::Platform;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(items::list_publications))
        .routes(routes!(items::find_publication))
        .routes(routes!(items::retry_publication))
        .routes(routes!(items::mark_published))
        .routes(routes!(items::push_now))
        .routes(routes!(on_time::on_time))
        .routes(routes!(export::export_publications))
}

/// A period of the query, or a 422 naming the field.
fn period_of(raw: Option<&str>) -> Result<Option<Period>> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => Period::parse(raw)
            .map(Some)
            .map_err(|message| Error::invalid("period", message)),
        None => Ok(None),
    }
}

impl TryFrom<&PublicationQuery> for PublicationFilter {
    type Error = Error;

    fn try_from(query: &PublicationQuery) -> Result<Self> {
        Ok(PublicationFilter {
            status: key_of(
                "status",
                "公示状态",
                query.status.as_deref(),
                PublicationStatus::parse,
            )?,
            kind: key_of("kind", "决定类别", query.kind.as_deref(), DecisionKind::parse)?,
            period: period_of(query.period.as_deref())?,
            division_prefix: prefix_of("division", query.division.as_deref())?,
            late_on: query.late.unwrap_or(false).then(today),
        })
    }
}
