//! The publication outbox's store (双公示): items written in their decision's transaction
//! ([`enqueue_on!`]), lists and lookups in the caller's scope (here), the pushes' claims and outcomes,
//! staff's retry and manual publication (`outbox.rs`), the figures of the on-time rate (`timeliness.rs`)
//! and the demo history (`seed.rs`). An item belongs to the organization decided about (none for a refused
//! establishment) and the division of the deciding authority, which scope applies to.

mod outbox;
pub mod seed;
mod timeliness;

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::PublicationItem;
use domain::calendar::WorkCalendar;
use domain::paging::PageRequest;
use domain::publication::{DecisionKind, Period, PublicationStatus, Timeliness};
use sqlx::QueryBuilder;

use crate::store::{Store, Visibility, on_pool, push_visibility};

pub use outbox::PushOutcome;
pub use timeliness::TimelinessRow;

/// A decision's publication item, as its decision's transaction writes it.
#[derive(Debug, Clone)]
pub struct NewPublication<'a> {
    pub kind: DecisionKind,
    /// `licensing_decisions.id` or `penalty_cases.id`.
    pub decision_id: i64,
    pub document_number: &'a str,
    pub organization_id: Option<i64>,
    pub organization_name: &'a str,
    pub credit_code: Option<&'a str>,
    pub division_code: &'a str,
    pub category: String,
    pub content: &'a str,
    pub decided_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    /// `domain::publication::due_on` of the decision, on the server's calendar.
    pub due_on: NaiveDate,
}

/// Writes `$new` (a `&NewPublication`) on the open transaction `$tx`, due for a push at once — in the
/// decision's own transaction, so a decision is never on record without its publication item. Written
/// once per decision (`ON CONFLICT DO NOTHING` on the decision and on its number): a retried write adds
/// nothing. Database errors leave through `?`.
macro_rules! enqueue_on {
    ($tx:ident, $new:expr) => {{
        let new: &$crate::store::publication::NewPublication<'_> = $new;
        let now = chrono::Utc::now();
        sqlx::query(
            "INSERT INTO publication_items (kind, decision_id, document_number, organization_id,
                 organization_name, credit_code, division_code, category, content, decided_on, valid_until,
                 due_on, status, attempts, next_attempt_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending', 0, $13, $13, $13)
             ON CONFLICT DO NOTHING",
        )
        .bind(new.kind.key())
        .bind(new.decision_id)
        .bind(new.document_number)
        .bind(new.organization_id)
        .bind(new.organization_name)
        .bind(new.credit_code)
        .bind(new.division_code)
        .bind(&new.category)
        .bind(new.content)
        .bind(new.decided_on)
        .bind(new.valid_until)
        .bind(new.due_on)
        .bind(now)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use enqueue_on;

/// A validated item filter. `late_on` keeps the items late as seen on that day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicationFilter {
    pub status: Option<PublicationStatus>,
    pub kind: Option<DecisionKind>,
    pub period: Option<Period>,
    pub division_prefix: Option<String>,
    pub late_on: Option<NaiveDate>,
}

pub(crate) const ITEM_COLUMNS: &str =
    "id, kind, decision_id, document_number, organization_id, organization_name,
    credit_code, division_code, category, content, decided_on, valid_until, due_on, status, attempts,
    next_attempt_at, last_error, sent_at, published_on, receipt";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    kind: String,
    pub decision_id: i64,
    pub document_number: String,
    pub organization_id: Option<i64>,
    pub organization_name: String,
    pub credit_code: Option<String>,
    pub division_code: String,
    pub category: String,
    pub content: String,
    pub decided_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub due_on: NaiveDate,
    status: String,
    pub attempts: i32,
    next_attempt_at: Option<DateTime<Utc>>,
    last_error: Option<String>,
    sent_at: Option<DateTime<Utc>>,
    pub published_on: Option<NaiveDate>,
    receipt: Option<String>,
}

impl ItemRow {
    // The columns have CHECK constraints on exactly these values.
    pub fn kind(&self) -> DecisionKind {
        DecisionKind::parse(&self.kind).unwrap_or(DecisionKind::Licensing)
    }

    pub fn status(&self) -> PublicationStatus {
        PublicationStatus::parse(&self.status).unwrap_or(PublicationStatus::Pending)
    }

    /// Whether it is late, on time or not yet due, seen on `today`.
    pub fn timeliness(&self, today: NaiveDate, calendar: &WorkCalendar) -> Timeliness {
        Timeliness::of(self.due_on, self.published_on, today, calendar)
    }

    pub fn to_api(&self, today: NaiveDate, calendar: &WorkCalendar) -> PublicationItem {
        PublicationItem {
            id: self.id,
            kind: self.kind(),
            document_number: self.document_number.clone(),
            organization_name: self.organization_name.clone(),
            organization_id: self.organization_id,
            credit_code: self.credit_code.clone(),
            division_code: self.division_code.clone(),
            category: self.category.clone(),
            content: self.content.clone(),
            decided_on: self.decided_on,
            valid_until: self.valid_until,
            due_on: self.due_on,
            status: self.status(),
            attempts: self.attempts.max(0) as u32,
            next_attempt_at: self.next_attempt_at,
            last_error: self.last_error.clone(),
            sent_at: self.sent_at,
            published_on: self.published_on,
            receipt: self.receipt.clone(),
            late_days: self.timeliness(today, calendar).late_days(),
        }
    }
}

macro_rules! push_item_where {
    ($qb:expr, $visibility:expr, $f:expr) => {{
        let f: &PublicationFilter = $f;
        $qb.push(" WHERE 1 = 1");
        push_visibility!($qb, $visibility, "organization_id", "division_code");
        if let Some(status) = f.status {
            $qb.push(" AND status = ").push_bind(status.key());
        }
        if let Some(kind) = f.kind {
            $qb.push(" AND kind = ").push_bind(kind.key());
        }
        if let Some(period) = f.period {
            let (first, last) = period.days();
            $qb.push(" AND decided_on >= ").push_bind(first);
            $qb.push(" AND decided_on <= ").push_bind(last);
        }
        if let Some(prefix) = &f.division_prefix {
            crate::store::push_division_prefix!($qb, "division_code", prefix);
        }
        if let Some(today) = f.late_on {
            $qb.push(" AND (published_on > due_on OR (published_on IS NULL AND due_on < ")
                .push_bind(today)
                .push("))");
        }
    }};
}
pub(crate) use push_item_where;

impl Store {
    /// One item, if `visibility` covers it.
    pub async fn find_publication(
        &self,
        id: i64,
        visibility: &Visibility,
    ) -> Result<Option<ItemRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM publication_items WHERE id = "));
            query.push_bind(id);
            push_visibility!(query, visibility, "organization_id", "division_code");
            query.build_query_as().fetch_optional(pool).await
        })
    }

    /// The item of a decision (kind and id), whatever the scope: the decision's own page links it.
    pub async fn publication_of(
        &self,
        kind: DecisionKind,
        decision_id: i64,
    ) -> Result<Option<ItemRow>, sqlx::Error> {
        let sql =
            format!("SELECT {ITEM_COLUMNS} FROM publication_items WHERE kind = $1 AND decision_id = $2");
        on_pool!(self, pool => {
            sqlx::query_as(&sql).bind(kind.key()).bind(decision_id).fetch_optional(pool).await
        })
    }

    /// A page of the items in `visibility` that pass `filter`, latest decisions first, and how many pass.
    pub async fn list_publications(
        &self,
        visibility: &Visibility,
        filter: &PublicationFilter,
        page: PageRequest,
    ) -> Result<(Vec<ItemRow>, u64), sqlx::Error> {
        let rows: Vec<ItemRow> = on_pool!(self, pool => {
            let mut list = QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM publication_items"));
            push_item_where!(list, visibility, filter);
            list.push(" ORDER BY decided_on DESC, id DESC LIMIT ").push_bind(page.limit())
                .push(" OFFSET ").push_bind(page.offset());
            list.build_query_as().fetch_all(pool).await?
        });
        Ok((rows, self.count_publications(visibility, filter).await?))
    }

    /// How many items in `visibility` pass `filter`.
    pub async fn count_publications(
        &self,
        visibility: &Visibility,
        filter: &PublicationFilter,
    ) -> Result<u64, sqlx::Error> {
        on_pool!(self, pool => {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM publication_items");
            push_item_where!(count, visibility, filter);
            let (total,): (i64,) = count.build_query_as().fetch_one(pool).await?;
            Ok(total as u64)
        })
    }

    /// Up to `limit` items passing `filter` with ids above `after`, in id order (the export's slices).
    pub async fn publications_after(
        &self,
        visibility: &Visibility,
        filter: &PublicationFilter,
        after: i64,
        limit: i64,
    ) -> Result<Vec<ItemRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM publication_items"));
            push_item_where!(query, visibility, filter);
            query.push(" AND id > ").push_bind(after).push(" ORDER BY id LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(pool).await
        })
    }
}
