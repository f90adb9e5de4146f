//! What the on-time rate is computed from: each item's division, due day and publication day, and the
//! late items themselves. The rate and the delays are counted in working days by the domain
//! (`domain::publication::Timeliness`), so the figures are the outbox's own.

use chrono::NaiveDate;
use sqlx::QueryBuilder;

use super::{ITEM_COLUMNS, ItemRow, PublicationFilter, push_item_where};
use crate::store::{Store, Visibility, on_pool, push_visibility};

/// An item as the on-time rate counts it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TimelinessRow {
    pub division_code: String,
    pub due_on: NaiveDate,
    pub published_on: Option<NaiveDate>,
}

impl Store {
    /// The items in `visibility` that pass `filter` (a period and a division), as the rate counts them.
    pub async fn publication_timeliness(
        &self,
        visibility: &Visibility,
        filter: &PublicationFilter,
    ) -> Result<Vec<TimelinessRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new("SELECT division_code, due_on, published_on FROM publication_items");
            push_item_where!(query, visibility, filter);
            query.build_query_as().fetch_all(pool).await
        })
    }

    /// Up to `limit` late items (as of `filter.late_on`) that pass `filter`, the earliest due first.
    pub async fn late_publications(
        &self,
        visibility: &Visibility,
        filter: &PublicationFilter,
        limit: i64,
    ) -> Result<Vec<ItemRow>, sqlx::Error> {
        on_pool!(self, pool => {
            let mut query = QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM publication_items"));
            push_item_where!(query, visibility, filter);
            query.push(" ORDER BY due_on, id LIMIT ").push_bind(limit);
            query.build_query_as().fetch_all(pool).await
        })
    }
}
