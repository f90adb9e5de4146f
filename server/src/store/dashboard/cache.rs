//! The figures already counted, kept per year and place while the data they were counted from has not
//! changed. Every write that matters appends to the audit log in its own transaction, so the audit chain's
//! length says whether anything changed; the publication outbox records its pushes without an audit row,
//! so its latest change is part of the state too. A dashboard asked again after no write answers from
//! memory; the first after a write counts again. Each server keeps its own cache, so several servers on
//! one database stay right.

use std::collections::HashMap;
use std::sync::Mutex;

use domain::dashboard::FigureKey;

use super::{Period, Value};
use crate::store::{Store, on_pool};

/// The state of the data: the audit chain's length and the outbox's latest push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DataState {
    audited: i64,
    outbox: i64,
}

/// How many (year, place) entries are kept at most; past it the cache starts again.
const MAX_ENTRIES: usize = 512;

type Figures = Vec<(FigureKey, Value)>;

#[derive(Debug, Default)]
pub(crate) struct FigureCache {
    entries: Mutex<HashMap<(i32, String), (DataState, Figures)>>,
}

impl FigureCache {
    /// The figures of `period` if they were counted from data in `state`.
    pub(crate) fn get(&self, period: &Period, state: DataState) -> Option<Figures> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&(period.year, period.division.clone()))
            .filter(|(counted_in, _)| *counted_in == state)
            .map(|(_, figures)| figures.clone())
    }

    pub(crate) fn put(&self, period: &Period, state: DataState, figures: Figures) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((period.year, period.division.clone()), (state, figures));
    }
}

impl Store {
    /// The state of the data the figures are counted from (two one-row reads).
    pub(crate) async fn data_state(&self) -> Result<DataState, sqlx::Error> {
        on_pool!(self, pool => {
            let (audited,): (i64,) = sqlx::query_as("SELECT chained FROM audit_chain WHERE id = 1")
                .fetch_one(pool).await?;
            let (outbox,): (i64,) = sqlx::query_as(
                "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM publication_attempts",
            )
            .fetch_one(pool).await?;
            Ok(DataState { audited, outbox })
        })
    }
}
