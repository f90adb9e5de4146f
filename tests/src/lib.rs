//! Test support: `spawn_app` starts the real application on port 0 over a fresh database of either
//! backend, and `TestApp` has one method per endpoint returning the shared `domain::api` types, in one
//! file per module: `accounts.rs`, `registry.rs`, `villages.rs`, `pairing.rs`, `contributions.rs`, `jobs.rs`.
//!
//! Each method answers `ApiResult<T>`: the body it expects, or the status and error envelope of a
//! refusal. Where a test must see the answer as it is on the wire (headers, bytes, the JSON text), a
//! `…_response` twin answers the raw `reqwest::Response`.

mod accounts;
#[cfg(feature = "e2e")]
pub mod browser;
mod contributions;
mod credit;
pub mod dashboard;
mod database;
mod dormant;
mod fees;
mod illegal;
mod inspection;
mod jobs;
mod pairing;
mod party;
mod penalties;
mod petitions;
pub mod publication;
mod registry;
mod villages;

use std::path::PathBuf;
use std::sync::Arc;

use domain::api::{ApiError, DivisionTree};
use reqwest::StatusCode;
use reqwest::cookie::Jar;
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

pub use accounts::demo_account;
pub use database::{Db, TestDatabase};
/// The password of every demo account (`sheguan-demo` unless `SHEGUAN_DEMO_PASSWORD` says otherwise).
pub use sheguan::seed::demo::demo_password;

/// A running application and a client with its own cookie jar.
#[derive(Debug)]
pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub client: reqwest::Client,
    /// The client's cookies, to read the session cookie.
    pub cookies: Arc<Jar>,
    pub store: Store,
    /// Dropped last: the server stops using the database before it is removed. Shared by the clients
    /// and the servers of one test.
    database: Arc<TestDatabase>,
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

/// As `spawn_app`, letting the test adjust the configuration first. A demo server with the test
/// configuration's demo set and no keys of the test's own starts on a copy of the process's demo
/// template (`TestDatabase::with_demo_data`), under the template's keys: seeding takes seconds, a copy a
/// few milliseconds.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_database("");
    config.static_dir = dist_dir();
    let defaults = (config.demo_ledger_entries, config.keys.clone());
    adjust(&mut config);
    let seeded_as_the_template =
        config.demo && (config.demo_ledger_entries, &config.keys) == (defaults.0, &defaults.1);
    let database = if !config.database_url.is_empty() {
        // The test's own database (a restored backup): the test removes it.
        TestDatabase::existing(&config.database_url)
    } else if seeded_as_the_template {
        let (database, keys) = TestDatabase::with_demo_data(&backend).await;
        config.keys = keys;
        database
    } else {
        TestDatabase::with_reference_data(&backend).await
    };
    config.database_url = database.url.clone();
    serve(Arc::new(database), config).await
}

/// Starts the application with the demo data set and its accounts (`demo: true`).
pub async fn spawn_demo_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |c| c.demo = true).await
}

async fn start(database: Arc<TestDatabase>, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_database(&database.url);
    config.static_dir = dist_dir();
    adjust(&mut config);
    serve(database, config).await
}

async fn serve(database: Arc<TestDatabase>, config: Config) -> TestApp {
    let app = Application::build(config).await.expect("build the application");
    let port = app.port();
    let store = app.store().clone();
    tokio::spawn(app.run_until_stopped());
    let (client, cookies) = new_client();
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        client,
        cookies,
        store,
        database,
    }
}

fn new_client() -> (reqwest::Client, Arc<Jar>) {
    let cookies = Arc::new(Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(cookies.clone())
        .build()
        .expect("client");
    (client, cookies)
}

/// A response whose body is either the expected type or the error envelope.
pub type ApiResult<T> = Result<T, (StatusCode, ApiError)>;

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The same server with a new client: its own cookie jar, signed in as nobody.
    pub fn another_client(&self) -> TestApp {
        let (client, cookies) = new_client();
        TestApp {
            address: self.address.clone(),
            port: self.port,
            client,
            cookies,
            store: self.store.clone(),
            database: self.database.clone(),
        }
    }

    /// A second server on this one's database, configured by `adjust` (both keep running).
    pub async fn another_server_with(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        start(self.database.clone(), adjust).await
    }

    /// The database URL, to reach the database directly.
    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// A direct connection to the database: to arrange what the API cannot, and to prove what the
    /// database itself refuses.
    pub async fn db(&self) -> Db {
        Db::connect(&self.database.url).await
    }

    /// POSTs `body` as JSON, as the browser app does (same origin, `application/json`).
    pub async fn post_json(&self, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// PUTs `body` as JSON.
    pub async fn put_json(&self, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// Uploads files as `multipart/form-data`, one part per `(field, file name, bytes)`, with the `Origin`
    /// a browser sends on a form post (the CSRF guard accepts multipart only with it).
    pub async fn upload(&self, path: &str, parts: Vec<(&str, &str, Vec<u8>)>) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (field, name, bytes) in parts {
            form = form.part(
                field.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        }
        self.client
            .post(self.url(path))
            .header("Origin", &self.address)
            .multipart(form)
            .send()
            .await
            .expect("request")
    }

    /// GETs `path` and decodes the body as `T`, or as the error envelope.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> ApiResult<T> {
        decode(self.get(path).await).await
    }

    /// `GET /api/v1/divisions`
    pub async fn list_divisions(&self) -> ApiResult<DivisionTree> {
        self.get_json("/api/v1/divisions").await
    }
}

/// Decodes a response as `T` when it succeeded, as the error envelope otherwise.
pub async fn decode<T: DeserializeOwned>(response: reqwest::Response) -> ApiResult<T> {
    let status = response.status();
    let bytes = response.bytes().await.expect("body");
    if status == StatusCode::NO_CONTENT {
        // `()` and friends: a 204 has no body to read.
        return Ok(serde_json::from_slice(b"null").expect("a 204 decodes into a unit type"));
    }
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
