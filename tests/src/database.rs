//! Test databases: a fresh one per test on either backend, removed when dropped; and a direct connection
//! to one, outside the application.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sheguan::store::Store;
use sqlx::{Connection, PgConnection, PgPool, SqlitePool};

use crate::Backend;

/// A fresh database that is removed when dropped.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Database { server_url: String, name: String },
}

impl TestDatabase {
    /// An empty database.
    pub async fn create(backend: &Backend) -> TestDatabase {
        Self::create_from(backend, None).await
    }

    /// A database for a server to start on. On PostgreSQL it is copied from a template that already has
    /// the migrations and the reference data (built once per version of them), which takes a fraction of
    /// the time that loading the villages does; the server then finds nothing to load. SQLite loads
    /// quickly enough: its database starts empty.
    pub async fn with_reference_data(backend: &Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => Self::create(backend).await,
            Backend::Postgres(server_url) => {
                let template = reference_template(server_url).await;
                Self::create_from(backend, Some(template)).await
            }
        }
    }

    async fn create_from(backend: &Backend, template: Option<&str>) -> TestDatabase {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("sheguan-test-{id}.db"));
                TestDatabase {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres(server_url) => {
                let name = format!("sheguan_test_{id}");
                let mut conn = PgConnection::connect(server_url)
                    .await
                    .expect("connect to PostgreSQL");
                let create = match template {
                    Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
                    None => format!("CREATE DATABASE {name}"),
                };
                sqlx::query(&create)
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                TestDatabase {
                    url: database_url(server_url, &name),
                    cleanup: Cleanup::Database {
                        server_url: server_url.clone(),
                        name,
                    },
                }
            }
        }
    }
}

/// The URL of the database `name` on the cluster `server_url` names.
fn database_url(server_url: &str, name: &str) -> String {
    let base = server_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .unwrap_or(server_url);
    format!("{base}/{name}")
}

/// The name of the PostgreSQL template holding the migrated schema and the reference data, building it
/// if this version of them has none yet.
async fn reference_template(server_url: &str) -> &'static str {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    if let Some(name) = TEMPLATE.get() {
        return name;
    }
    let name = format!("sheguan_template_{:016x}", template_fingerprint());
    let mut conn = PgConnection::connect(server_url)
        .await
        .expect("connect to PostgreSQL");
    // Test threads, test binaries and other checkouts may all get here at once: one builds, the rest
    // wait. The lock goes with the connection, should this panic.
    const LOCK: i64 = 0x0053_4845_4755_414e; // "SHEGUAN" in ASCII
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(LOCK)
        .execute(&mut conn)
        .await
        .expect("lock");
    let ready: Option<(bool,)> = sqlx::query_as("SELECT datistemplate FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await
        .expect("look for the template");
    if ready != Some((true,)) {
        // Marked a template only once complete: an unmarked one is left from a failed build.
        for statement in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(&statement)
                .execute(&mut conn)
                .await
                .expect(&statement);
        }
        let store = Store::connect(&database_url(server_url, &name))
            .await
            .expect("connect to the template");
        store.migrate().await.expect("migrate the template");
        sheguan::seed::load_reference_data(&store)
            .await
            .expect("load the reference data into the template");
        store.close().await;
        let mark = format!("ALTER DATABASE {name} IS_TEMPLATE true");
        sqlx::query(&mark).execute(&mut conn).await.expect(&mark);
    }
    let _ = conn.close().await;
    TEMPLATE.get_or_init(|| name)
}

/// A hash of everything that decides the template's content: the PostgreSQL migrations, the reference
/// data and the code that loads it. A change to any of them builds a new template.
fn template_fingerprint() -> u64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let migrations = root.join("server/migrations/postgres");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&migrations)
        .expect("the PostgreSQL migrations")
        .map(|entry| entry.expect("a migration").path())
        .collect();
    files.sort();
    files.extend(
        [
            "data/anhui/divisions.csv",
            "data/anhui/villages.csv",
            "server/src/seed/mod.rs",
            "server/src/store/reference.rs",
        ]
        .map(|file| root.join(file)),
    );
    let mut hasher = DefaultHasher::new();
    for file in files {
        let content = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        file.file_name().hash(&mut hasher);
        content.hash(&mut hasher);
    }
    hasher.finish()
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.as_os_str().to_owned();
                    file.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(file));
                }
            }
            Cleanup::Database { server_url, name } => {
                // Drop runs outside any runtime we may block: use a thread with its own.
                let (server_url, name) = (server_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(runtime) = runtime {
                        runtime.block_on(async {
                            if let Ok(mut conn) = PgConnection::connect(&server_url).await {
                                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                                let _ = sqlx::query(&drop).execute(&mut conn).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// A pool on a test database, outside the application.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the backend's pool (as the server's `on_pool!`).
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            Db::Sqlite($pool) => $body,
            Db::Postgres($pool) => $body,
        }
    };
}

impl Db {
    pub async fn connect(url: &str) -> Db {
        if url.starts_with("sqlite:") {
            Db::Sqlite(SqlitePool::connect(url).await.expect("connect to SQLite"))
        } else {
            Db::Postgres(PgPool::connect(url).await.expect("connect to PostgreSQL"))
        }
    }

    /// Runs one statement (`$1`-style placeholders work on both backends); the rows it touched.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        on_db!(self, pool => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()))
    }

    /// Runs one statement with a timestamp bound to `$1`; the rows it touched.
    pub async fn execute_at(&self, sql: &str, at: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        on_db!(self, pool => sqlx::query(sql).bind(at).execute(pool).await.map(|r| r.rows_affected()))
    }

    /// The single number a query answers (`SELECT COUNT(*) …`).
    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = on_db!(self, pool => sqlx::query_as(sql).fetch_one(pool).await.expect(sql));
        n
    }

    /// The two timestamps each row of a query answers (`SELECT created_at, expires_at …`).
    pub async fn timestamps(&self, sql: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        on_db!(self, pool => sqlx::query_as(sql).fetch_all(pool).await.expect(sql))
    }
}
