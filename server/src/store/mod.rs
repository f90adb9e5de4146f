//! The store: every query the server makes, on SQLite (embedded, the default) or PostgreSQL.
//!
//! One `Store` value wraps the pool of whichever backend the database URL names. Each query is written
//! once, in `$1`-style SQL that both backends accept, and compiled for both pools by [`on_pool!`]; where
//! the dialects differ, the backend modules (`sqlite.rs`, `postgres.rs`) say so. The schemas live in two
//! migration folders because their DDL differs (identity columns, types), not their shape.
//! The store test suite (`tests/tests/store/`) runs every method on both backends.

pub mod accounts;
pub(crate) mod audit;
pub mod contributions;
mod counts;
pub mod credit;
pub mod dashboard;
pub mod dormant;
pub mod evidence;
pub mod fees;
pub mod gauges;
pub mod illegal;
pub mod inspection;
pub mod jobs;
pub mod pairing;
pub mod party;
pub mod penalties;
pub mod petitions;
pub mod phones;
mod postgres;
pub mod publication;
pub(crate) mod reference;
pub mod registry;
mod sqlite;
mod villages;
pub mod visibility;

pub(crate) use audit::audited;
pub use audit::{Actor, AuditEntry, AuditFilter};
pub use reference::ReferenceCounts;
pub use villages::VillageFilter;
pub use visibility::Visibility;
pub(crate) use visibility::{push_division_prefix, push_visibility};

use std::sync::Arc;

use sqlx::{PgPool, SqlitePool};

/// Runs `$body` with `$pool` bound to the backend's pool: the same code, compiled for each backend.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::store::Backend::Sqlite($pool) => $body,
            $crate::store::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

#[derive(Debug, Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The database, behind a connection pool. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) backend: Backend,
    /// The registry's in-memory search index, kept in step with the database (`registry/index.rs`).
    registry_index: Arc<registry::index::RegistryIndex>,
    /// The dashboard's figures already counted, by year and place, with the state of the data they were
    /// counted from (`dashboard/cache.rs`).
    dashboard_cache: Arc<dashboard::cache::FigureCache>,
    /// List totals already counted, by the state of the data (`counts.rs`).
    count_memo: Arc<counts::CountMemo>,
    /// The data keys, to seal the personal data the store writes itself (organizations' and accounts'
    /// phones, `phones.rs`; a matter's phone, `registry/matter_phones.rs`); a store without them (one-off
    /// tools) leaves phones to the start-up pass.
    keys: Option<Arc<crate::crypto::DataKeys>>,
}

impl Store {
    /// Connects to the database the URL names: `sqlite:` or `postgres:`/`postgresql:`.
    pub async fn connect(database_url: &str) -> anyhow::Result<Self> {
        let backend = if database_url.starts_with("sqlite:") {
            Backend::Sqlite(sqlite::connect(database_url).await?)
        } else if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
            Backend::Postgres(postgres::connect(database_url).await?)
        } else {
            anyhow::bail!("数据库地址须以 sqlite: 或 postgres: 开头，收到 {database_url}");
        };
        Ok(Self {
            backend,
            registry_index: Arc::default(),
            dashboard_cache: Arc::default(),
            count_memo: Arc::default(),
            keys: None,
        })
    }

    /// This store, sealing the personal data it writes under `keys`.
    pub fn with_keys(mut self, keys: crate::crypto::DataKeys) -> Self {
        self.keys = Some(Arc::new(keys));
        self
    }

    /// Applies the pending migrations of this backend. Safe to run from several servers at once.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Backend::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    /// Writes a consistent copy of an SQLite database to `path` while it serves (`VACUUM INTO`: one read
    /// transaction, so the copy is the database as of one instant; a new file, compacted). PostgreSQL is
    /// backed up with its own tools (`pg_dump`), and this says so.
    pub async fn backup_to(&self, path: &std::path::Path) -> anyhow::Result<()> {
        anyhow::ensure!(
            !path.exists(),
            "{} 已存在：请指定一个新文件，备份不会覆盖已有文件",
            path.display()
        );
        match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query("VACUUM INTO $1")
                    .bind(path.to_string_lossy().into_owned())
                    .execute(pool)
                    .await?;
                Ok(())
            }
            Backend::Postgres(_) => {
                anyhow::bail!("PostgreSQL 数据库请用 pg_dump 备份（见 README 的「备份与恢复」）")
            }
        }
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// A pause between the transactions of a long job (the daily scans) that gives other writers their
/// turn: SQLite's busy handler retries every 100 ms once a writer has waited a while, so back-to-back
/// batches would starve a sign-in until its busy timeout and answer it 500.
pub(crate) async fn other_writers_turn() {
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
}

/// Escapes `%`, `_` and `\` so user text matches literally inside `LIKE '%' || $1 || '%' ESCAPE '\'`.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(like_pattern("店_村"), "%店\\_村%");
        assert_eq!(like_pattern("100%"), "%100\\%%");
    }
}
