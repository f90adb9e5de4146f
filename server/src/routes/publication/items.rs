//! The outbox: items in the caller's scope, one item with its pushes, and the bureau's moves — push the
//! due items now, retry an item now, mark an item published by upload.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::api::{Job, MarkPublishedRequest, Page, PublicationDetail, PublicationItem, PublicationQuery};
use domain::paging::PageRequest;
use serde_json::json;

use super::push;
use crate::auth::{Auth, BureauOnly, Staff};
use crate::error::{AppJson, AppPath, AppQuery, Error, Result};
use crate::state::{AppState, today};
use crate::store::publication::{ItemRow, PublicationFilter};
use crate::store::{AuditEntry, Visibility};

/// The longest note of a manual publication.
const NOTE_MAX_CHARS: usize = 200;

/// Items in the caller's scope, latest decisions first, by status, kind, period, division and lateness.
#[utoipa::path(get, path = "/publication/items", tag = "publication", params(PublicationQuery),
    security(("session" = ["Staff"])),
    responses((status = 200, body = Page<PublicationItem>), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn list_publications(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppQuery(query): AppQuery<PublicationQuery>,
) -> Result<AppJson<Page<PublicationItem>>> {
    let page = PageRequest::new(query.page, query.per_page)?;
    let filter = PublicationFilter::try_from(&query)?;
    let (rows, total) = state
        .store
        .list_publications(&auth.visibility(), &filter, page)
        .await?;
    let (today, calendar) = (today(), &state.registry.calendar);
    Ok(AppJson(Page {
        items: rows.iter().map(|r| r.to_api(today, calendar)).collect(),
        total,
        page: page.page(),
        per_page: page.per_page(),
    }))
}

async fn visible(state: &AppState, visibility: &Visibility, id: i64) -> Result<ItemRow> {
    state
        .store
        .find_publication(id, visibility)
        .await?
        .ok_or_else(|| Error::not_found("公示事项"))
}

async fn detail(state: &AppState, row: &ItemRow) -> Result<PublicationDetail> {
    Ok(PublicationDetail {
        item: row.to_api(today(), &state.registry.calendar),
        attempts: state.store.publication_attempts(row.id).await?,
        push_configured: state.settings.publication.endpoint.is_some(),
    })
}

/// One item with its pushes, newest first.
#[utoipa::path(get, path = "/publication/items/{id}", tag = "publication", params(("id" = i64, Path)),
    security(("session" = ["Staff"])),
    responses((status = 200, body = PublicationDetail), (status = 404, body = domain::api::ApiError)))]
pub(super) async fn find_publication(
    State(state): State<AppState>,
    auth: Auth<Staff>,
    AppPath(id): AppPath<i64>,
) -> Result<AppJson<PublicationDetail>> {
    let row = visible(&state, &auth.visibility(), id).await?;
    Ok(AppJson(detail(&state, &row).await?))
}

/// 立即重试: makes an unpublished item due now (also after its attempts ran out) and queues a push run;
/// the run's job. Without a platform to push to, 409.
#[utoipa::path(post, path = "/publication/items/{id}/retry", tag = "publication", params(("id" = i64, Path)),
    security(("session" = ["BureauOnly"])),
    responses((status = 202, body = Job), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError)))]
pub(super) async fn retry_publication(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
) -> Result<Response> {
    let row = visible(&state, &auth.visibility(), id).await?;
    push::configured(&state)?;
    if row.status().is_published() {
        return Err(Error::conflict("该事项已公示，不能重试推送"));
    }
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "publication_item",
        entity_id: id.to_string(),
        action: "retry",
        before: Some(json!({ "status": row.status(), "attempts": row.attempts })),
        after: None,
        reason: None,
    };
    if !state.store.retry_publication(&row, Utc::now(), &audit).await? {
        return Err(Error::conflict("该事项正在推送或已公示，请刷新后再试"));
    }
    job_answer(&state, push::queue(&state, Some(auth.user.user_id)).await?).await
}

/// 推送到期事项: queues a push run of every due item now; the run's job. Without a platform, 409.
#[utoipa::path(post, path = "/publication/push", tag = "publication",
    security(("session" = ["BureauOnly"])),
    responses((status = 202, body = Job), (status = 409, body = domain::api::ApiError)))]
pub(super) async fn push_now(State(state): State<AppState>, auth: Auth<BureauOnly>) -> Result<Response> {
    push::configured(&state)?;
    let id = push::queue(&state, Some(auth.user.user_id)).await?;
    state
        .store
        .record_audit(&AuditEntry {
            actor: &auth.actor(),
            entity_type: "job",
            entity_id: id.to_string(),
            action: "run",
            before: None,
            after: Some(json!({ "kind": domain::jobs::JobKind::PublicationPush })),
            reason: None,
        })
        .await?;
    job_answer(&state, id).await
}

/// `202 Accepted` with the job and its address.
async fn job_answer(state: &AppState, id: i64) -> Result<Response> {
    let job = state
        .store
        .job(id)
        .await?
        .ok_or_else(|| Error::not_found("任务"))?;
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, format!("/api/v1/jobs/{id}"))],
        AppJson(job.into_api(Utc::now())),
    )
        .into_response())
}

/// 标记已公示: an item published by upload on a day (not before the decision, not in the future).
#[utoipa::path(post, path = "/publication/items/{id}/published", tag = "publication",
    params(("id" = i64, Path)), request_body = MarkPublishedRequest,
    security(("session" = ["BureauOnly"])),
    responses((status = 200, body = PublicationDetail), (status = 404, body = domain::api::ApiError),
              (status = 409, body = domain::api::ApiError), (status = 422, body = domain::api::ApiError)))]
pub(super) async fn mark_published(
    State(state): State<AppState>,
    auth: Auth<BureauOnly>,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<MarkPublishedRequest>,
) -> Result<AppJson<PublicationDetail>> {
    let visibility = auth.visibility();
    let row = visible(&state, &visibility, id).await?;
    if body.published_on > today() {
        return Err(Error::invalid(
            "published_on",
            "公示日期（published_on）不能晚于今天",
        ));
    }
    if body.published_on < row.decided_on {
        return Err(Error::invalid(
            "published_on",
            format!("公示日期（published_on）不能早于决定日期 {}", row.decided_on),
        ));
    }
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS) {
        return Err(Error::invalid(
            "note",
            format!("备注（note）不超过 {NOTE_MAX_CHARS} 个字"),
        ));
    }
    if row.status().is_published() {
        return Err(Error::conflict("该事项已公示"));
    }
    let actor = auth.actor();
    let audit = AuditEntry {
        actor: &actor,
        entity_type: "publication_item",
        entity_id: id.to_string(),
        action: "mark_published",
        before: Some(json!({ "status": row.status() })),
        after: None,
        reason: None,
    };
    let marked = state
        .store
        .mark_published(&row, body.published_on, note, Utc::now(), &audit)
        .await?;
    if !marked {
        return Err(Error::conflict("该事项正在推送或已公示，请刷新后再试"));
    }
    let row = visible(&state, &visibility, id).await?;
    Ok(AppJson(detail(&state, &row).await?))
}
