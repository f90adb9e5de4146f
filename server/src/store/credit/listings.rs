//! Putting an organization on a list, or recording a new event on the listing it is on — the one write
//! behind the staff's hand-made listings and every rule — and reading listings back.

use chrono::{NaiveDate, Utc};
use domain::credit::{CreditList, CreditStanding, EventKind, ListingReason, TransitionError};
use domain::paging::PageRequest;
use serde_json::json;
use sqlx::QueryBuilder;

use super::{ListingRow, SELECT_LISTING, timeline};
use crate::store::audit::record_audit;
use crate::store::{Actor, AuditEntry, Store, Visibility, on_pool, push_visibility};

/// An event that lists an organization: its reason, the record behind it and the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewListing {
    pub organization_id: i64,
    pub reason: ListingReason,
    pub event_kind: EventKind,
    /// The record's id; rule-made events always have one, which makes them idempotent.
    pub event_id: Option<i64>,
    pub summary: String,
    pub on: NaiveDate,
}

/// Which listings a list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListingState {
    #[default]
    Current,
    Ended,
    All,
}

/// A validated filter on `GET /credit-listings`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListingFilter {
    pub list: Option<CreditList>,
    pub reason: Option<ListingReason>,
    pub state: ListingState,
    pub year: Option<i32>,
    /// A division code prefix (`3401`).
    pub division_prefix: Option<String>,
    pub organization_id: Option<i64>,
    /// Only those with an objection or a removal application waiting for staff.
    pub pending: bool,
}

macro_rules! push_listing_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "l.organization_id", "l.division_code");
        match $f.state {
            ListingState::Current => {
                $qb.push(" AND l.ended_on IS NULL");
            }
            ListingState::Ended => {
                $qb.push(" AND l.ended_on IS NOT NULL");
            }
            ListingState::All => {}
        }
        if let Some(list) = $f.list {
            $qb.push(" AND l.list = ").push_bind(list.key());
        }
        if let Some(reason) = $f.reason {
            $qb.push(" AND l.reason = ").push_bind(reason.key());
        }
        if let Some(year) = $f.year {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
            let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default();
            $qb.push(" AND l.decided_on >= ").push_bind(first).push(" AND l.decided_on < ").push_bind(next);
        }
        if let Some(prefix) = &$f.division_prefix {
            $qb.push(" AND l.division_code LIKE ").push_bind(format!("{prefix}%"));
        }
        if let Some(id) = $f.organization_id {
            $qb.push(" AND l.organization_id = ").push_bind(id);
        }
        if $f.pending {
            $qb.push(
                " AND (l.objection_status = 'pending' OR (l.removal_applied_on IS NOT NULL AND l.removal_decision IS NULL))",
            );
        }
    }};
}

/// What recording an event does to the organization's current listing.
enum Effect {
    /// A new listing (and, when moving lists, the current one ended).
    New { ends: Option<i64> },
    /// The event restarts the period of the current listing.
    Restart(i64),
}

impl Store {
    /// Records `new` on the organization's credit standing, with its audit row and a timeline line, in one
    /// transaction: a new listing, a restarted period, or a move to the serious list. `Ok(None)` when the
    /// same event was recorded before (so every rule can run again and change nothing); the domain's
    /// refusal (e.g. an abnormal reason while on the serious list) is `Err(Ok(e))`.
    pub async fn record_listing(
        &self,
        new: &NewListing,
        actor: &Actor,
    ) -> Result<Option<i64>, Result<TransitionError, sqlx::Error>> {
        self.record_listing_inner(new, actor).await.map_err(|e| match e {
            ListingError::Domain(e) => Ok(e),
            ListingError::Database(e) => Err(e),
        })
    }

    async fn record_listing_inner(
        &self,
        new: &NewListing,
        actor: &Actor,
    ) -> Result<Option<i64>, ListingError> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let seen: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM credit_listing_events WHERE event_kind = $1 AND event_id = $2 AND reason = $3",
            )
            .bind(new.event_kind.key()).bind(new.event_id).bind(new.reason.key())
            .fetch_optional(&mut *tx).await?;
            if seen.is_some() && new.event_id.is_some() {
                return Ok(None);
            }
            let mut current = QueryBuilder::new(SELECT_LISTING);
            current.push(" WHERE l.organization_id = ").push_bind(new.organization_id).push(" AND l.ended_on IS NULL");
            let current: Option<ListingRow> = current.build_query_as().fetch_optional(&mut *tx).await?;
            let standing = current.as_ref().map_or(CreditStanding::Clear, ListingRow::standing);
            let after = standing.clone().record(new.reason, new.on).map_err(ListingError::Domain)?;
            let effect = match &current {
                Some(row) if standing.list() == after.list() => Effect::Restart(row.id),
                row => Effect::New { ends: row.as_ref().map(|r| r.id) },
            };
            let listing_id = match effect {
                Effect::Restart(id) => {
                    sqlx::query("UPDATE credit_listings SET period_start = $2, updated_at = $3 WHERE id = $1")
                        .bind(id).bind(new.on).bind(now).execute(&mut *tx).await?;
                    id
                }
                Effect::New { ends } => {
                    if let Some(ended) = ends {
                        sqlx::query(
                            "UPDATE credit_listings SET ended_on = $2, end_kind = 'moved_to_serious', updated_at = $3
                             WHERE id = $1",
                        )
                        .bind(ended).bind(new.on).bind(now).execute(&mut *tx).await?;
                    }
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO credit_listings (organization_id, division_code, list, reason, event_kind, event_id,
                             event_summary, decided_on, period_start, decided_by, created_at, updated_at)
                         SELECT id, division_code, $2, $3, $4, $5, $6, $7, $7, $8, $9, $9 FROM organizations WHERE id = $1
                         RETURNING id",
                    )
                    .bind(new.organization_id).bind(new.reason.list().key()).bind(new.reason.key())
                    .bind(new.event_kind.key()).bind(new.event_id).bind(&new.summary).bind(new.on)
                    .bind(&actor.name).bind(now)
                    .fetch_one(&mut *tx).await?;
                    id
                }
            };
            sqlx::query(
                "INSERT INTO credit_listing_events (listing_id, reason, event_kind, event_id, on_date, summary)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(listing_id).bind(new.reason.key()).bind(new.event_kind.key()).bind(new.event_id)
            .bind(new.on).bind(&new.summary)
            .execute(&mut *tx).await?;
            let line = format!("列入{}：{}", new.reason.list().label_zh(), new.reason.label_zh());
            timeline!(&mut *tx, new.organization_id, "credit_listing", &line, actor);
            let audit = AuditEntry {
                actor,
                entity_type: "credit_listing",
                entity_id: listing_id.to_string(),
                action: "list",
                before: current.as_ref().map(|r| json!({ "list": r.list(), "listing_id": r.id })),
                after: Some(json!({
                    "organization_id": new.organization_id, "list": new.reason.list(), "reason": new.reason,
                    "event_kind": new.event_kind, "event_id": new.event_id, "on": new.on,
                })),
                reason: Some(new.summary.clone()),
            };
            record_audit!(&mut *tx, &audit)?;
            tx.commit().await?;
            Ok(Some(listing_id))
        })
    }

    /// Every current listing on `list`: (listing, organization, decided on), by id.
    pub async fn current_listing_ids(
        &self,
        list: CreditList,
    ) -> Result<Vec<(i64, i64, NaiveDate)>, sqlx::Error> {
        on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT id, organization_id, decided_on FROM credit_listings WHERE ended_on IS NULL AND list = $1
                 ORDER BY id",
            )
            .bind(list.key()).fetch_all(pool).await
        })
    }

    /// One listing, if `visibility` covers it.
    pub async fn find_listing(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<ListingRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(SELECT_LISTING);
            query.push(" WHERE l.id = ").push_bind(id);
            push_visibility!(query, visibility, "l.organization_id", "l.division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// A page of the listings `visibility` covers that pass `filter`, newest first, and how many pass.
    pub async fn list_listings(
        &self,
        visibility: &Visibility,
        filter: &ListingFilter,
        page: PageRequest,
    ) -> Result<(Vec<ListingRow>, u64), sqlx::Error> {
        on_pool!(self, pool => {
            let mut list = QueryBuilder::new(SELECT_LISTING);
            push_listing_where!(list, visibility, filter);
            list.push(" ORDER BY l.decided_on DESC, l.id DESC LIMIT ").push_bind(page.limit())
                .push(" OFFSET ").push_bind(page.offset());
            let rows: Vec<ListingRow> = list.build_query_as().fetch_all(pool).await?;
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM credit_listings l");
            push_listing_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok((rows, total as u64))
        })
    }
}

/// Why recording a listing failed: the domain's rule, or the database.
enum ListingError {
    Domain(TransitionError),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for ListingError {
    fn from(e: sqlx::Error) -> Self {
        ListingError::Database(e)
    }
}
