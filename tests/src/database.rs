//! Test databases: a fresh one per test on either backend, removed when dropped; and a direct connection
//! to one, outside the application.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use sheguan::config::Keys;
use sheguan::store::Store;
use sheguan::{Application, Config};
use sqlx::{Connection, PgConnection, PgPool, SqlitePool};
use tokio::sync::OnceCell;

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
    Database {
        server_url: String,
        name: String,
    },
    /// A template: it stays until the test process has ended (`remove_stale_templates`).
    Kept,
}

/// The demo data set as a demo server seeds it, seeded once per test process and backend; every demo
/// test starts from a copy. `keys` are the ones its personal data is sealed under.
#[derive(Debug)]
struct DemoTemplate {
    source: Template,
    keys: Keys,
}

/// Where a template is: a SQLite file, or a PostgreSQL database on the test cluster.
#[derive(Debug)]
enum Template {
    File(PathBuf),
    Database(String),
}

impl TestDatabase {
    /// A database the test made itself and removes itself.
    pub fn existing(url: &str) -> TestDatabase {
        TestDatabase {
            url: url.to_owned(),
            cleanup: Cleanup::Kept,
        }
    }

    /// An empty database.
    pub async fn create(backend: &Backend) -> TestDatabase {
        Self::create_from(backend, None).await
    }

    /// A database for a server to start on, copied from a template that already has the migrations and
    /// the reference data, which takes a fraction of the time that loading the villages does; the server
    /// then finds nothing to load. On PostgreSQL the template is built once per version of them; on
    /// SQLite once per test process, and copied as a file.
    pub async fn with_reference_data(backend: &Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => copy_file(sqlite_reference_template().await).await,
            Backend::Postgres(server_url) => {
                let template = reference_template(server_url).await;
                Self::create_from(backend, Some(template)).await
            }
        }
    }

    /// A database holding the demo data set of a test demo server (`Config::for_database` with
    /// `demo = true`), copied from the process's demo template; its data is sealed under the template's
    /// keys, which the server must be given.
    pub async fn with_demo_data(backend: &Backend) -> (TestDatabase, Keys) {
        let template = demo_template(backend).await;
        let database = match &template.source {
            Template::File(path) => copy_file(path).await,
            Template::Database(name) => Self::create_from(backend, Some(name)).await,
        };
        (database, template.keys.clone())
    }

    async fn create_from(backend: &Backend, template: Option<&str>) -> TestDatabase {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("sheguan-test-{id}.db"));
                TestDatabase {
                    url: sqlite_url(&path),
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres(server_url) => {
                create_postgres(server_url, &format!("sheguan_test_{id}"), template).await
            }
        }
    }

    /// Keeps the database after the value is dropped, as a template of this process (a later run
    /// removes it once the process has ended).
    fn into_template(mut self) -> Template {
        match std::mem::replace(&mut self.cleanup, Cleanup::Kept) {
            Cleanup::File(path) => Template::File(path),
            Cleanup::Database { name, .. } => Template::Database(name),
            Cleanup::Kept => unreachable!("a template is made once"),
        }
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn create_postgres(server_url: &str, name: &str, template: Option<&str>) -> TestDatabase {
    let mut conn = PgConnection::connect(server_url)
        .await
        .expect("connect to PostgreSQL");
    let create = match template {
        Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
        None => format!("CREATE DATABASE {name}"),
    };
    sqlx::query(&create).execute(&mut conn).await.expect(&create);
    let _ = conn.close().await;
    TestDatabase {
        url: database_url(server_url, name),
        cleanup: Cleanup::Database {
            server_url: server_url.to_owned(),
            name: name.to_owned(),
        },
    }
}

/// A new SQLite test database copied from `template` (a closed database: no write-ahead log is left).
async fn copy_file(template: &Path) -> TestDatabase {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let path = std::env::temp_dir().join(format!("sheguan-test-{id}.db"));
    tokio::fs::copy(template, &path)
        .await
        .unwrap_or_else(|e| panic!("copy {} to {}: {e}", template.display(), path.display()));
    TestDatabase {
        url: sqlite_url(&path),
        cleanup: Cleanup::File(path),
    }
}

/// Templates are named after the process that made them, so that a later run can remove those whose
/// process has ended.
const TEMPLATE_PREFIX_FILE: &str = "sheguan-template-";
const TEMPLATE_PREFIX_DATABASE: &str = "sheguan_demo_";

/// The SQLite database with the migrations and the reference data, built once per test process.
async fn sqlite_reference_template() -> &'static Path {
    static FILE: OnceCell<PathBuf> = OnceCell::const_new();
    FILE.get_or_init(|| async {
        remove_stale_template_files();
        let path = std::env::temp_dir().join(format!(
            "{TEMPLATE_PREFIX_FILE}{}-reference.db",
            std::process::id()
        ));
        remove_sqlite_files(&path);
        let store = Store::connect(&sqlite_url(&path))
            .await
            .expect("create the SQLite template");
        store.migrate().await.expect("migrate the SQLite template");
        sheguan::seed::load_reference_data(&store)
            .await
            .expect("load the reference data into the SQLite template");
        // Closing the last connection checkpoints the write-ahead log into the file and removes it.
        store.close().await;
        path
    })
    .await
}

/// The demo template of `backend`, seeding it on first use: a server is built (migrations, reference
/// and demo data, exactly as a demo test server would) and closed without serving.
async fn demo_template(backend: &Backend) -> &'static DemoTemplate {
    static SQLITE: OnceCell<DemoTemplate> = OnceCell::const_new();
    static POSTGRES: OnceCell<DemoTemplate> = OnceCell::const_new();
    let cell = match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres(_) => &POSTGRES,
    };
    cell.get_or_init(|| async {
        let database = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir()
                    .join(format!("{TEMPLATE_PREFIX_FILE}{}-demo.db", std::process::id()));
                remove_sqlite_files(&path);
                tokio::fs::copy(sqlite_reference_template().await, &path)
                    .await
                    .expect("copy the SQLite reference template");
                TestDatabase {
                    url: sqlite_url(&path),
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres(server_url) => {
                remove_stale_template_databases(server_url).await;
                let reference = reference_template(server_url).await;
                let name = format!(
                    "{TEMPLATE_PREFIX_DATABASE}{}_{}",
                    std::process::id(),
                    uuid::Uuid::new_v4().simple()
                );
                create_postgres(server_url, &name, Some(reference)).await
            }
        };
        let mut config = Config::for_database(&database.url);
        config.demo = true;
        let app = Application::build(config.clone())
            .await
            .expect("seed the demo template");
        app.store().close().await;
        drop(app);
        DemoTemplate {
            source: database.into_template(),
            keys: config.keys,
        }
    })
    .await
}

/// Whether the process `pid` is still running (Linux: its `/proc` entry).
fn is_running(pid: u32) -> bool {
    pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes the SQLite templates (and their logs) of test processes that have ended.
fn remove_stale_template_files() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix(TEMPLATE_PREFIX_FILE)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !is_running(pid)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Drops the demo templates on PostgreSQL of test processes that have ended.
async fn remove_stale_template_databases(server_url: &str) {
    let Ok(mut conn) = PgConnection::connect(server_url).await else {
        return;
    };
    let pattern = format!("{TEMPLATE_PREFIX_DATABASE}%");
    let names: Vec<(String,)> = sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE $1")
        .bind(&pattern)
        .fetch_all(&mut conn)
        .await
        .unwrap_or_default();
    for (name,) in names {
        let pid = name
            .strip_prefix(TEMPLATE_PREFIX_DATABASE)
            .and_then(|rest| rest.split('_').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if pid.is_some_and(|pid| !is_running(pid)) {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .await;
        }
    }
    let _ = conn.close().await;
}

/// Removes a SQLite database file with its write-ahead log and shared-memory index.
fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(file));
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
            Cleanup::Kept => {}
            Cleanup::File(path) => remove_sqlite_files(path),
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

    /// The single text a query answers (`SELECT name FROM … WHERE id = …`).
    pub async fn text(&self, sql: &str) -> String {
        let (text,): (String,) = on_db!(self, pool => sqlx::query_as(sql).fetch_one(pool).await.expect(sql));
        text
    }

    /// The two timestamps each row of a query answers (`SELECT created_at, expires_at …`).
    pub async fn timestamps(&self, sql: &str) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        on_db!(self, pool => sqlx::query_as(sql).fetch_all(pool).await.expect(sql))
    }
}
