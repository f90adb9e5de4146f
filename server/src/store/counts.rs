//! List totals already counted, kept while the data they were counted from has not changed — the state
//! the dashboard's figures are kept under (`dashboard/cache.rs`: the audit chain's length, which every
//! write that matters moves in its own transaction, and the outbox's latest push).
//!
//! A list page answers with its total. The page itself reads 20 entries from an index and stops; the
//! total reads every matching entry (a year's qualified reports province-wide are 25,000), and clerks
//! page, filter back and forth and reload far more often than anyone writes. So the first page of a
//! filter counts, and the pages after it — on this server, until the next write — do not. The state is
//! read before the count: a write that lands during the count moves it, and the next request counts again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

use super::Store;
use super::dashboard::cache::DataState;

/// How many totals are kept at most; past it the memo starts again.
const MAX_ENTRIES: usize = 4_096;

#[derive(Debug, Default)]
pub(crate) struct CountMemo {
    totals: Mutex<HashMap<String, (DataState, u64)>>,
}

impl CountMemo {
    fn get(&self, key: &str, state: DataState) -> Option<u64> {
        let totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        totals
            .get(key)
            .filter(|(counted_in, _)| *counted_in == state)
            .map(|&(_, total)| total)
    }

    fn put(&self, key: String, state: DataState, total: u64) {
        let mut totals = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        if totals.len() >= MAX_ENTRIES {
            totals.clear();
        }
        totals.insert(key, (state, total));
    }
}

impl Store {
    /// The total under `key` (a list, its visibility and its filter, spelled out), counted by `count`
    /// unless it was counted from data in the current state.
    pub(crate) async fn memo_count(
        &self,
        key: String,
        count: impl Future<Output = Result<u64, sqlx::Error>>,
    ) -> Result<u64, sqlx::Error> {
        let state = self.data_state().await?;
        if let Some(total) = self.count_memo.get(&key, state) {
            return Ok(total);
        }
        let total = count.await?;
        self.count_memo.put(key, state, total);
        Ok(total)
    }
}
