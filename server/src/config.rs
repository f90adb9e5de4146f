//! Configuration: flags of the `sheguan` binary, each also settable from the environment.

use std::path::PathBuf;

use clap::Args;

use crate::cli::LogFormat;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/sheguan.db";
/// The demo ledger of `cargo xtask run`: about a million entries over ten years.
pub const DEFAULT_DEMO_LEDGER_ENTRIES: usize = 1_000_000;
/// The demo ledger of the test suite: enough for every list, total and page, quick to load.
pub const TEST_DEMO_LEDGER_ENTRIES: usize = 5_000;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (tests do).
    #[arg(long, env = "SHEGUAN_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// `sqlite://path/to/file.db` (embedded, the default) or `postgres://user@host/db`.
    #[arg(long, env = "SHEGUAN_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// The built browser app (index.html and assets/); `cargo xtask run` builds it into `dist/`.
    #[arg(long, env = "SHEGUAN_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Seed the demo data set into an empty database.
    #[arg(long, env = "SHEGUAN_DEMO", default_value_t = false)]
    pub demo: bool,
    /// How many ledger entries the demo data set generates over ten years (with `--demo`, once).
    #[arg(long, env = "SHEGUAN_DEMO_LEDGER_ENTRIES", default_value_t = DEFAULT_DEMO_LEDGER_ENTRIES)]
    pub demo_ledger_entries: usize,
    /// Mark the session cookie `Secure`. Turn off only for plain-HTTP use on this machine
    /// (`cargo xtask run` does, for http://127.0.0.1:8080).
    #[arg(long, env = "SHEGUAN_SECURE_COOKIES", default_value_t = true, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,
    /// Staff (bureau administrators, local staff) must turn on two-step verification (TOTP) before they
    /// can do anything else; demo accounts in demo mode are exempt. Organization users and instructors
    /// may turn it on.
    #[arg(long, env = "SHEGUAN_REQUIRE_STAFF_SECOND_FACTOR", default_value_t = true, action = clap::ArgAction::Set)]
    pub require_staff_second_factor: bool,
    /// Where evidence files (receipt photos, PDFs) are stored, under random names.
    #[arg(long, env = "SHEGUAN_EVIDENCE_DIR", default_value = "data/evidence")]
    pub evidence_dir: PathBuf,
    /// Reverse proxies (IP addresses, comma-separated) whose `X-Forwarded-For` names the client: its
    /// address then goes into the audit log and the sign-in limits. Without one, the peer's address.
    #[arg(long, env = "SHEGUAN_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The provincial credit platform's push address for 双公示 (JSON over HTTP, the decision's number as
    /// `Idempotency-Key`). Unset: manual mode — items are exported, uploaded and marked published by hand.
    #[arg(long, env = "SHEGUAN_PUBLICATION_ENDPOINT")]
    pub publication_endpoint: Option<String>,
    /// The bearer token Prometheus presents to scrape `GET /metrics`; unset, the endpoint answers 404.
    #[arg(long, env = "SHEGUAN_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// Seconds one push to the credit platform may take.
    #[arg(long, env = "SHEGUAN_PUBLICATION_TIMEOUT_SECONDS", default_value_t = 10)]
    pub publication_timeout_seconds: u64,
    #[command(flatten)]
    pub keys: Keys,
    #[command(flatten)]
    pub jobs: JobFlags,
    /// Log format.
    #[arg(long, env = "SHEGUAN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty)]
    pub log_format: LogFormat,
}

/// The job runner (`jobs/`).
#[derive(Debug, Clone, Args)]
pub struct JobFlags {
    /// Job workers on this server; 0 leaves the jobs to other servers.
    #[arg(long = "job-workers", env = "SHEGUAN_JOB_WORKERS", default_value_t = 2)]
    pub workers: usize,
    /// Seconds a job's claim holds without renewal (a dead server's job is taken over after this).
    #[arg(
        long = "job-lease-seconds",
        env = "SHEGUAN_JOB_LEASE_SECONDS",
        default_value_t = 30
    )]
    pub lease_seconds: u64,
    /// Whether this server queues the daily jobs (any number of servers may; each runs once a day).
    #[arg(long = "job-schedules", env = "SHEGUAN_JOB_SCHEDULES", default_value_t = true, action = clap::ArgAction::Set)]
    pub schedules: bool,
    /// Hours an export's file is kept for the user who asked.
    #[arg(
        long = "export-keep-hours",
        env = "SHEGUAN_EXPORT_KEEP_HOURS",
        default_value_t = 24
    )]
    pub keep_hours: i64,
    /// Exports of at most this many rows are answered at once; larger ones run as a job.
    #[arg(
        long = "inline-export-rows",
        env = "SHEGUAN_INLINE_EXPORT_ROWS",
        default_value_t = 5_000
    )]
    pub inline_export_rows: u64,
    /// Import files of at most this many rows are checked and stored at once; larger ones run as a job.
    #[arg(
        long = "inline-import-rows",
        env = "SHEGUAN_INLINE_IMPORT_ROWS",
        default_value_t = 2_000
    )]
    pub inline_import_rows: u64,
    /// Milliseconds an idle worker waits before looking for work again.
    #[arg(long = "job-poll-ms", env = "SHEGUAN_JOB_POLL_MS", default_value_t = 1_000)]
    pub poll_ms: u64,
}

impl JobFlags {
    pub fn settings(&self) -> crate::jobs::JobSettings {
        crate::jobs::JobSettings {
            workers: self.workers,
            lease: std::time::Duration::from_secs(self.lease_seconds.max(1)),
            poll: std::time::Duration::from_millis(self.poll_ms.max(10)),
            schedules: self.schedules,
            keep_files: chrono::Duration::hours(self.keep_hours.max(1)),
            inline_export_rows: self.inline_export_rows,
            inline_import_rows: self.inline_import_rows,
        }
    }
}

/// The keys of personal data: the server's and `sheguan keys reseal`'s.
#[derive(Debug, Clone, Default, PartialEq, Eq, Args)]
pub struct Keys {
    /// The key that encrypts personal information at rest: `[key-id:]base64 of 32 bytes`. Required
    /// unless `--demo` (see `crypto.rs` for rotation).
    #[arg(long, env = "SHEGUAN_DATA_KEY", hide_env_values = true)]
    pub data_key: Option<String>,
    /// Retired data keys that still open older rows: `id:base64,id:base64`.
    #[arg(long, env = "SHEGUAN_DATA_KEYS_RETIRED", hide_env_values = true)]
    pub data_keys_retired: Option<String>,
    /// The separate key of the keyed hash that matches ID numbers across organizations (base64 of
    /// 32 bytes). Required unless `--demo`; checked, never changed, by `keys reseal`.
    #[arg(long, env = "SHEGUAN_MATCH_KEY", hide_env_values = true)]
    pub match_key: Option<String>,
}

impl Config {
    /// A configuration for tests and tools: a free port on loopback, the given database, no static app.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Self {
            addr: "127.0.0.1:0".to_owned(),
            database_url: database_url.into(),
            static_dir: PathBuf::from("dist"),
            demo: false,
            demo_ledger_entries: TEST_DEMO_LEDGER_ENTRIES,
            secure_cookies: false,
            // Tests sign staff in with a password; the second factor's own tests turn this on.
            require_staff_second_factor: false,
            evidence_dir: std::env::temp_dir()
                .join(format!("sheguan-evidence-{}", uuid::Uuid::new_v4().simple())),
            keys: Keys {
                data_key: Some(random_key()),
                data_keys_retired: None,
                match_key: Some(random_key()),
            },
            log_format: LogFormat::Pretty,
            trusted_proxies: Vec::new(),
            publication_endpoint: None,
            metrics_token: None,
            publication_timeout_seconds: 10,
            // Tests wait for jobs: quick to notice work, and no daily runs unless a test asks. The lease is
            // long enough that a busy test machine never lets a live job's lapse (the test of a dead
            // server's job sets its own short one).
            jobs: JobFlags {
                workers: 2,
                lease_seconds: 10,
                schedules: false,
                keep_hours: 24,
                // Exports answer at once in tests unless a test asks for jobs (`tests/tests/api/jobs.rs`).
                inline_export_rows: 1_000_000,
                // Likewise imports, unless a test asks for jobs (`tests/tests/api/registry.rs`).
                inline_import_rows: 1_000_000,
                poll_ms: 200,
            },
        }
    }
}

/// A fresh random key in the configuration's form (base64 of 32 bytes).
fn random_key() -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
}
