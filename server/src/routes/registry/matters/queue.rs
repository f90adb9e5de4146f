//! The matters a caller sees: the staff queue (green channel first, then the earliest due date), an
//! organization's own matters, and one matter.

use std::collections::HashMap;

use axum::extract::State;
use domain::api::{MatterDetail, MatterQuery, MatterSummary, Page};
use domain::paging::PageRequest;
use domain::registry::matter::{MatterKind, QueueEntry, sort_queue};

use super::{matter_detail, matter_summary};
use crate::auth::{Auth, StaffOrOrg};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::{AppState, today};
use crate::store::registry::matters::{MatterFilter, MatterStates};

/// The list's filter from the query: `state` (`open` by default, `decided`, `all` or one state) and `kind`.
fn matter_filter(query: &MatterQuery) -> Result<MatterFilter<'static>> {
    let raw_state = query.state.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let states = match raw_state {
        None | Some("open") => MatterStates::Open,
        Some("decided") => MatterStates::Decided,
        Some("all") => MatterStates::All,
        Some(one) => match MatterStates::one(one) {
            Some(states) => states,
            None => return Err(Error::invalid("state", "状态（state）取值无效")),
        },
    };
    let kind = match query.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(raw) => Some(
            MatterKind::parse(raw)
                .map_err(|_| Error::invalid("kind", "事项类型（kind）取值无效"))?
                .key(),
        ),
        None => None,
    };
    Ok(MatterFilter {
        states,
        kind,
        organization_id: None,
    })
}

/// The staff queue's order: green channel first, then the earliest due date (`sort_queue`).
fn in_queue_order(items: Vec<MatterSummary>) -> Vec<MatterSummary> {
    let mut entries: Vec<QueueEntry<i64>> = items
        .iter()
        .map(|m| QueueEntry {
            id: m.id,
            channel: m.channel,
            due: m.due_on.filter(|_| m.state.is_timed()),
        })
        .collect();
    sort_queue(&mut entries);
    let mut by_id: HashMap<i64, MatterSummary> = items.into_iter().map(|m| (m.id, m)).collect();
    entries.iter().filter_map(|e| by_id.remove(&e.id)).collect()
}

/// Staff: the queue in scope — green channel first, then the earliest due date — with overdue and near-due
/// matters marked. Organization users: their own matters, newest first.
#[utoipa::path(get, path = "/matters", tag = "matters", params(MatterQuery),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = Page<MatterSummary>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_matters(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppQuery(query): AppQuery<MatterQuery>,
) -> Result<AppJson<Page<MatterSummary>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = matter_filter(&query)?;
    let rows = state.store.list_matters(&auth.visibility(), &filter).await?;
    let today = today();
    let mut items: Vec<MatterSummary> = rows
        .iter()
        .map(|r| matter_summary(&state, r, today, auth.user.user_id))
        .collect();
    if auth.user.role.is_staff() {
        items = in_queue_order(items);
    }
    let total = items.len() as u64;
    let items = items
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .collect();
    Ok(AppJson(Page {
        items,
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

/// One matter: where it stands, by when it must be decided, its history and its decision.
#[utoipa::path(get, path = "/matters/{id}", tag = "matters", params(("id" = i64, Path)),
    security(("session" = ["StaffOrOrg"])),
    responses((status = 200, body = MatterDetail), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_matter(
    State(state): State<AppState>,
    auth: Auth<StaffOrOrg>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<MatterDetail>> {
    Ok(AppJson(
        matter_detail(&state, &auth.visibility(), auth.user.user_id, id).await?,
    ))
}
