//! Putting an organization on a list, or recording a new event on the listing it is on — the one write
//! behind the staff's hand-made listings and every rule — and reading listings back.

use chrono::NaiveDate;
use domain::credit::{CreditList, EventKind, ListingReason, TransitionError};
use domain::paging::PageRequest;
use sqlx::QueryBuilder;

use super::{ListingRow, SELECT_LISTING};
use crate::store::{Actor, Store, Visibility, on_pool, push_visibility};

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
            crate::store::push_division_prefix!($qb, "l.division_code", prefix);
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

/// Records `$new` (a `&NewListing`) by `$actor` on the open transaction `$tx` — the body of
/// [`Store::record_listing`], usable inside another module's transaction (a penalty decision lists the
/// organization in the decision's own transaction). Yields `Ok(Some(listing id))`, `Ok(None)` when the same
/// event was recorded before, or `Err(TransitionError)` when the lists' rules refuse it (nothing written);
/// database errors leave through `?`.
macro_rules! record_listing_on {
    ($tx:ident, $new:expr, $actor:expr) => {
        'listing: {
            let new: &$crate::store::credit::NewListing = $new;
            let actor: &$crate::store::Actor = $actor;
            let now = chrono::Utc::now();
            let seen: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM credit_listing_events WHERE event_kind = $1 AND event_id = $2 AND reason = $3",
            )
            .bind(new.event_kind.key()).bind(new.event_id).bind(new.reason.key())
            .fetch_optional(&mut *$tx).await?;
            if seen.is_some() && new.event_id.is_some() {
                break 'listing Ok(None);
            }
            let mut current = sqlx::QueryBuilder::new($crate::store::credit::SELECT_LISTING);
            current.push(" WHERE l.organization_id = ").push_bind(new.organization_id).push(" AND l.ended_on IS NULL");
            let current: Option<$crate::store::credit::ListingRow> =
                current.build_query_as().fetch_optional(&mut *$tx).await?;
            let standing = current.as_ref().map_or(
                domain::credit::CreditStanding::Clear,
                $crate::store::credit::ListingRow::standing,
            );
            let after = match standing.clone().record(new.reason, new.on) {
                Ok(after) => after,
                Err(refused) => break 'listing Err(refused),
            };
            let restart = match &current {
                Some(row) if standing.list() == after.list() => Some(row.id),
                _ => None,
            };
            let listing_id = match restart {
                Some(id) => {
                    sqlx::query("UPDATE credit_listings SET period_start = $2, updated_at = $3 WHERE id = $1")
                        .bind(id).bind(new.on).bind(now).execute(&mut *$tx).await?;
                    id
                }
                None => {
                    if let Some(ended) = current.as_ref().map(|r| r.id) {
                        sqlx::query(
                            "UPDATE credit_listings SET ended_on = $2, end_kind = 'moved_to_serious', updated_at = $3
                             WHERE id = $1",
                        )
                        .bind(ended).bind(new.on).bind(now).execute(&mut *$tx).await?;
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
                    .fetch_one(&mut *$tx).await?;
                    id
                }
            };
            sqlx::query(
                "INSERT INTO credit_listing_events (listing_id, reason, event_kind, event_id, on_date, summary)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(listing_id).bind(new.reason.key()).bind(new.event_kind.key()).bind(new.event_id)
            .bind(new.on).bind(&new.summary)
            .execute(&mut *$tx).await?;
            let line = format!("列入{}：{}", new.reason.list().label_zh(), new.reason.label_zh());
            $crate::store::credit::timeline!(&mut *$tx, new.organization_id, "credit_listing", &line, actor);
            let audit = $crate::store::AuditEntry {
                actor,
                entity_type: "credit_listing",
                entity_id: listing_id.to_string(),
                action: "list",
                before: current.as_ref().map(|r| serde_json::json!({ "list": r.list(), "listing_id": r.id })),
                after: Some(serde_json::json!({
                    "organization_id": new.organization_id, "list": new.reason.list(), "reason": new.reason,
                    "event_kind": new.event_kind, "event_id": new.event_id, "on": new.on,
                })),
                reason: Some(new.summary.clone()),
            };
            $crate::store::audit::record_audit!(&mut *$tx, &audit)?;
            Ok(Some(listing_id))
        }
    };
}
pub(crate) use record_listing_on;

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
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let recorded = record_listing_on!(tx, new, actor).map_err(ListingError::Domain)?;
            if recorded.is_some() {
                tx.commit().await?;
            }
            Ok(recorded)
        })
    }

    /// Records each event of `batch` as [`Store::record_listing`] does, in order, in one transaction: what
    /// each did (`Ok(Some(id))`, `Ok(None)` seen before, `Err(refusal)`). The daily rules list thousands at
    /// a time on a large registry; one transaction each would hold the writer for minutes.
    pub async fn record_listings(
        &self,
        batch: &[NewListing],
        actor: &Actor,
    ) -> Result<Vec<Result<Option<i64>, TransitionError>>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut done = Vec::with_capacity(batch.len());
            for new in batch {
                done.push(record_listing_on!(tx, new, actor));
            }
            tx.commit().await?;
            Ok(done)
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
            // The page's ids from the listings alone, then their rows with their organizations: sorting
            // every matching listing joined to its organization to keep 20 cost more than the rest.
            let mut list = QueryBuilder::new(SELECT_LISTING);
            list.push(" WHERE l.id IN (SELECT l.id FROM credit_listings l");
            push_listing_where!(list, visibility, filter);
            list.push(" ORDER BY l.decided_on DESC, l.id DESC LIMIT ").push_bind(page.limit())
                .push(" OFFSET ").push_bind(page.offset());
            list.push(") ORDER BY l.decided_on DESC, l.id DESC");
            let rows: Vec<ListingRow> = list.build_query_as().fetch_all(pool).await?;
            let total = self.memo_count(format!("listings {visibility:?} {filter:?}"), async {
                let mut count = QueryBuilder::new("SELECT COUNT(*) FROM credit_listings l");
                push_listing_where!(count, visibility, filter);
                let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
                Ok(total as u64)
            }).await?;
            Ok((rows, total))
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
