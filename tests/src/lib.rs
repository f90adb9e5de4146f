//! Test support: `spawn_app` starts the real application on port 0 over a fresh database of either
//! backend, and `TestApp` has one method per endpoint returning the shared `domain::api` types.

#[cfg(feature = "e2e")]
pub mod browser;

use std::path::PathBuf;

use domain::api::{ApiError, DivisionTree, Page, Village};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use sheguan::store::Store;
use sheguan::{Application, Config};

/// Which database a test runs on.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    /// The server URL of a PostgreSQL cluster where test databases may be created.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL when `TEST_POSTGRES_URL` names one (`cargo xtask test` sets it when 127.0.0.1:5432 answers).
    pub fn postgres() -> Option<Backend> {
        std::env::var("TEST_POSTGRES_URL")
            .ok()
            .filter(|u| !u.is_empty())
            .map(Backend::Postgres)
    }
}

/// Declares each listed `async fn name(backend: Backend)` as a test on SQLite (`sqlite::name`) and on
/// PostgreSQL (`postgres::name`). Without `TEST_POSTGRES_URL` the PostgreSQL twins return at once;
/// `cargo xtask test` says loudly which backends ran.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(backend) = $crate::Backend::postgres() {
                        super::$name(backend).await
                    }
                }
            )*
        }
    };
}

/// A fresh, empty database that is removed when dropped.
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
    pub async fn create(backend: &Backend) -> TestDatabase {
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
                use sqlx::Connection;
                let name = format!("sheguan_test_{id}");
                let mut conn = sqlx::PgConnection::connect(server_url)
                    .await
                    .expect("connect to PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                let base = server_url
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(server_url);
                TestDatabase {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::Database {
                        server_url: server_url.clone(),
                        name,
                    },
                }
            }
        }
    }
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
                            use sqlx::Connection;
                            if let Ok(mut conn) = sqlx::PgConnection::connect(&server_url).await {
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

/// A running application and a client with its own cookie jar.
#[derive(Debug)]
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    pub store: Store,
    /// Dropped last: the server stops using the database before it is removed.
    _database: TestDatabase,
}

/// Where the built browser app is: `SHEGUAN_DIST_DIR`, else `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("SHEGUAN_DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("dist"))
}

/// Starts the application on port 0 over a fresh database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// As `spawn_app`, letting the test adjust the configuration first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let database = TestDatabase::create(&backend).await;
    let mut config = Config::for_database(&database.url);
    config.static_dir = dist_dir();
    adjust(&mut config);
    let app = Application::build(config).await.expect("build the application");
    let port = app.port();
    let store = app.store().clone();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client,
        store,
        _database: database,
    }
}

/// A response whose body is either the expected type or the error envelope.
pub type ApiResult<T> = Result<T, (StatusCode, ApiError)>;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// GETs `path` and decodes the body as `T`, or as the error envelope.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        decode(self.get(path).await).await
    }

    pub async fn list_divisions(&self) -> ApiResult<DivisionTree> {
        self.get_json("/api/v1/divisions").await
    }

    pub async fn list_villages(&self, query: &str) -> ApiResult<Page<Village>> {
        self.get_json(&format!("/api/v1/villages?{query}")).await
    }
}

/// Decodes a response as `T` when it succeeded, as the error envelope otherwise.
pub async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> ApiResult<T> {
    let status = response.status();
    let bytes = response.bytes().await.expect("body");
    if status.is_success() {
        Ok(serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{status}: unexpected body {e}: {}",
                String::from_utf8_lossy(&bytes)
            )
        }))
    } else {
        let error = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{status}: not the error envelope ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        });
        Err((status, error))
    }
}
