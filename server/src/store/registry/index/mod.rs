//! The registry's search index: the fields that the registry filters, searches and sorts on, for every
//! organization, held in memory in each sort order. A search or filtered listing, with its total, is one
//! pass over a few bytes per organization instead of a table scan per request and another for the count
//! (`cargo xtask bench registry`, and `cargo xtask bench national` at 900,000 organizations).
//!
//! The database stays the truth, and each server's index follows it by the changed rows alone:
//!
//! - Triggers (migration 0027) log each changed organization in `registry_changes` under a new
//!   generation, in the transaction of the change: an insert, update or delete on `organizations`, or a
//!   change of its credit listings. On PostgreSQL every writer takes the generation's row lock until it
//!   commits, so generations become visible in order and no committed change can hide below one seen.
//! - Each read asks for the generation (one primary-key read). When it moved, the server reads the
//!   organizations logged since its own generation and patches its index with them
//!   ([`Snapshot::apply`]): a change is in the very next answer, on this server and every other.
//! - The log keeps the last 100,000 generations (`kept_from`); a server further behind, a
//!   database restored to an earlier generation, or a change too large to patch rebuilds from a table
//!   scan instead.
//!
//! Names sort with ASCII letters in lower case, as they are searched.

mod grams;
mod positions;
mod snapshot;
mod texts;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use futures_util::TryStreamExt;

use self::snapshot::{Row, Snapshot};
use super::{OrgFilter, OrgSort};
use crate::store::{Store, Visibility, on_pool};

/// How many generations `registry_changes` keeps: the triggers of migration 0027 spell it out, and a test
/// holds them to this.
#[cfg(test)]
const KEPT_GENERATIONS: i64 = 100_000;

/// The index, shared by every clone of a [`Store`].
#[derive(Debug)]
pub(crate) struct RegistryIndex {
    /// Read by every search for the length of one pass; written by a patch for a few milliseconds, on a
    /// blocking thread (the writer waits there for the passes under way, and so do new readers: never a
    /// runtime thread, which would hold up the requests that do not touch the index).
    snapshot: RwLock<Snapshot>,
    /// The snapshot's generation (`UNBUILT` before the first build), read without the lock: every request
    /// asks whether the index is current, and none waits on a patch for the answer.
    generation: AtomicI64,
    /// One update at a time; the others wait for it and use its result.
    updating: tokio::sync::Mutex<()>,
    /// Reads at once: one a core. A pass over every organization takes milliseconds of a core; more at
    /// once would only share the cores (each answer later than in turn) and give each its own thread, and
    /// with it the allocator's memory for that thread.
    readers: tokio::sync::Semaphore,
    rebuilds: AtomicU64,
    patches: AtomicU64,
}

const UNBUILT: i64 = i64::MIN;

impl Default for RegistryIndex {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        RegistryIndex {
            snapshot: RwLock::default(),
            generation: AtomicI64::new(UNBUILT),
            updating: tokio::sync::Mutex::default(),
            readers: tokio::sync::Semaphore::new(cores),
            rebuilds: AtomicU64::default(),
            patches: AtomicU64::default(),
        }
    }
}

/// How this server's index has followed the database: whole rebuilds and patches by changed rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexUpdates {
    pub rebuilds: u64,
    pub patches: u64,
}

const COLUMNS: &str = "o.id, o.name, o.credit_code, o.kind, o.level, o.status, o.division_code, o.categories,
    o.emerging_industry, o.founded_on";

impl RegistryIndex {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    fn generation(&self) -> Option<i64> {
        Some(self.generation.load(Ordering::Acquire)).filter(|&g| g != UNBUILT)
    }

    /// Runs `change` on the snapshot under the write lock, on a blocking thread; then publishes the
    /// snapshot's generation.
    async fn change<T: Send + 'static>(
        self: &Arc<Self>,
        change: impl FnOnce(&mut Snapshot) -> T + Send + 'static,
    ) -> Result<T, sqlx::Error> {
        let index = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut snapshot = index.snapshot.write().unwrap_or_else(|e| e.into_inner());
            let changed = change(&mut snapshot);
            let generation = snapshot.generation.unwrap_or(UNBUILT);
            index.generation.store(generation, Ordering::Release);
            changed
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("changing the registry index: {e}")))
    }

    /// Indexes the names' pairs again: builds them under the read lock (searches go on meanwhile, 100–200
    /// ms at 900,000 names) and installs them under the write lock (a moment). The caller holds
    /// `updating`: no name is added between the two.
    async fn index_name_pairs(self: &Arc<Self>) -> Result<(), sqlx::Error> {
        let index = Arc::clone(self);
        let pairs = tokio::task::spawn_blocking(move || index.read().build_name_pairs())
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("indexing the names' pairs: {e}")))?;
        self.change(move |snapshot| snapshot.install_name_pairs(pairs))
            .await?;
        Ok(())
    }
}

impl Store {
    /// Brings the index to the database's current generation.
    async fn refresh_registry_index(&self) -> Result<(), sqlx::Error> {
        let index = &self.registry_index;
        let (current, _) = self.registry_generation().await?;
        if index.generation() == Some(current) {
            return Ok(());
        }
        let _one_at_a_time = index.updating.lock().await;
        // Asked again: whoever held the lock may have brought it there already. Equality, not order: a
        // database restored from a backup can go back to an earlier generation.
        let (current, kept_from) = self.registry_generation().await?;
        let at = index.generation();
        if at == Some(current) {
            return Ok(());
        }
        if let Some(at) = at.filter(|&at| at >= kept_from && at < current) {
            // The generation is read before the changes: a change committed meanwhile is read now and
            // again at the next request, which is harmless, and never missed. Only this update writes the
            // snapshot, so a read lock here waits for nothing.
            let changed = self.registry_changed_since(at).await?;
            if changed.len() <= index.read().len() / 2 + 1_000 {
                let rows = self.registry_rows_changed_since(at).await?;
                let pairs_due = index
                    .change(move |snapshot| {
                        snapshot.apply(current, &changed, rows);
                        snapshot.name_pairs_stale()
                    })
                    .await?;
                index.patches.fetch_add(1, Ordering::Relaxed);
                metrics::counter!("sheguan_registry_index_patches_total").increment(1);
                if pairs_due {
                    index.index_name_pairs().await?;
                }
                return Ok(());
            }
        }
        let built = self.build_registry_snapshot(current).await?;
        let old = index
            .change(move |snapshot| std::mem::replace(snapshot, built))
            .await?;
        // Freed after the lock is released, off the runtime: readers wait for no deallocation.
        tokio::task::spawn_blocking(move || drop(old));
        index.rebuilds.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("sheguan_registry_index_rebuilds_total").increment(1);
        Ok(())
    }

    /// The index from a scan of the table, streamed (the rows are never all held at once).
    async fn build_registry_snapshot(&self, generation: i64) -> Result<Snapshot, sqlx::Error> {
        let mut snapshot = Snapshot::default();
        let sql = format!(
            // The credit list is the current listing's, read from the records (`store/credit/`).
            "SELECT {COLUMNS}, c.list AS credit_list
             FROM organizations o
             LEFT JOIN (SELECT organization_id, MAX(list) AS list FROM credit_listings
                        WHERE ended_on IS NULL GROUP BY organization_id) c ON c.organization_id = o.id
             ORDER BY o.id"
        );
        on_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, Row>(&sql).fetch(pool);
            while let Some(row) = rows.try_next().await? {
                snapshot.push(row);
            }
        });
        tokio::task::spawn_blocking(move || {
            snapshot.seal(generation);
            snapshot
        })
        .await
        .map_err(|e| sqlx::Error::Protocol(format!("building the registry index: {e}")))
    }

    /// The organizations logged as changed after generation `at`.
    async fn registry_changed_since(&self, at: i64) -> Result<Vec<i64>, sqlx::Error> {
        let ids: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT DISTINCT organization_id FROM registry_changes WHERE generation > $1")
                .bind(at)
                .fetch_all(pool)
                .await?
        });
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Those of them that still exist, as they are now.
    async fn registry_rows_changed_since(&self, at: i64) -> Result<Vec<Row>, sqlx::Error> {
        let sql = format!(
            "SELECT {COLUMNS},
                    (SELECT MAX(l.list) FROM credit_listings l
                     WHERE l.organization_id = o.id AND l.ended_on IS NULL) AS credit_list
             FROM organizations o
             WHERE o.id IN (SELECT organization_id FROM registry_changes WHERE generation > $1)"
        );
        Ok(on_pool!(self, pool => {
            sqlx::query_as::<_, Row>(&sql).bind(at).fetch_all(pool).await?
        }))
    }

    /// The current generation, and the first from which every change is still in the log.
    async fn registry_generation(&self) -> Result<(i64, i64), sqlx::Error> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as("SELECT generation, kept_from FROM registry_generation WHERE id = 1")
                .fetch_one(pool)
                .await?
        }))
    }

    /// How this server's index has followed the database since it started.
    pub fn registry_index_updates(&self) -> IndexUpdates {
        IndexUpdates {
            rebuilds: self.registry_index.rebuilds.load(Ordering::Relaxed),
            patches: self.registry_index.patches.load(Ordering::Relaxed),
        }
    }

    /// The ids of the organizations in `visibility` that match `filter`, in order, `limit` from `offset`,
    /// and how many match in all.
    pub(crate) async fn registry_select(
        &self,
        visibility: &Visibility,
        filter: &OrgFilter,
        sort: OrgSort,
        descending: bool,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<i64>, u64), sqlx::Error> {
        self.refresh_registry_index().await?;
        let (offset, limit) = (offset.max(0) as usize, limit.max(0) as usize);
        let (visibility, filter) = (visibility.clone(), filter.clone());
        self.off_the_runtime(move |snapshot| {
            snapshot.select(&visibility, &filter, sort, descending, offset, limit)
        })
        .await
    }

    /// The ids of the public lookup's answer, by name.
    pub(crate) async fn registry_lookup(&self, q: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
        self.refresh_registry_index().await?;
        let (q, limit) = (q.to_owned(), limit.max(0) as usize);
        self.off_the_runtime(move |snapshot| snapshot.lookup(&q, limit))
            .await
    }

    /// `read` run on the index on a blocking thread, one a core at a time: a pass over every organization
    /// takes milliseconds of a core at national volume, and the runtime's threads (one a core) must go on
    /// meanwhile with the requests that only wait on the database.
    async fn off_the_runtime<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Snapshot) -> T + Send + 'static,
    ) -> Result<T, sqlx::Error> {
        let failed =
            |e: &dyn std::fmt::Display| sqlx::Error::Protocol(format!("reading the registry index: {e}"));
        // Held until the read is done (or its request is gone): the semaphore is never closed.
        let _turn = self
            .registry_index
            .readers
            .acquire()
            .await
            .map_err(|e| failed(&e))?;
        let index = Arc::clone(&self.registry_index);
        tokio::task::spawn_blocking(move || read(&index.read()))
            .await
            .map_err(|e| failed(&e))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_backends_keep_the_same_generations_in_the_log() {
        let kept = super::KEPT_GENERATIONS.to_string();
        for triggers in [
            include_str!("../../../../migrations/sqlite/0027_registry_changes.sql"),
            include_str!("../../../../migrations/postgres/0027_registry_changes.sql"),
        ] {
            let spelled = triggers.matches(&kept).count();
            assert!(spelled >= 1, "the triggers keep {kept} generations");
            assert_eq!(
                triggers.matches("100000").count(),
                spelled,
                "every bound in the triggers is KEPT_GENERATIONS"
            );
        }
    }
}
