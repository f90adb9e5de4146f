//! What the benchmarks that measure the release server from outside share: the server as a process (its
//! memory read from `/proc`), on a fresh SQLite demo database signed in as the bureau administrator; the
//! environment's numbers; percentiles; a small deterministic generator. (A folder, not a file, so that
//! cargo does not take it for an example.)

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A number from the environment, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A release server process (`SHEGUAN_BENCH_BIN`, default `target/release/sheguan`) with a temporary folder
/// of its own (`dir`: its evidence, and whatever the caller keeps there); stopped, and the folder removed,
/// when dropped.
pub struct ServerProcess {
    child: Child,
    dir: PathBuf,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// How long it took to answer `/readyz`.
    pub ready_in: Duration,
}

/// A process's resident memory, in KiB (Linux's `VmRSS` and its peak so far, `VmHWM`; 0 elsewhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memory {
    pub rss_kib: u64,
    pub peak_kib: u64,
}

/// The folder a benchmark's server named `name` keeps its files in.
pub fn bench_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("sheguan-{name}-bench-{}", std::process::id()))
}

impl ServerProcess {
    /// Starts the server with `env` (at least `SHEGUAN_DATABASE_URL`) on a free port and waits until it is
    /// ready.
    pub async fn start(name: &str, env: &[(&str, String)]) -> anyhow::Result<ServerProcess> {
        let binary =
            std::env::var("SHEGUAN_BENCH_BIN").unwrap_or_else(|_| "target/release/sheguan".to_owned());
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let dir = bench_dir(name);
        std::fs::create_dir_all(&dir)?;
        let started = Instant::now();
        let child = Command::new(&binary)
            .env("SHEGUAN_ADDR", format!("127.0.0.1:{port}"))
            .env("SHEGUAN_SECURE_COOKIES", "false")
            .env("SHEGUAN_LOG_FORMAT", "json")
            .env("SHEGUAN_EVIDENCE_DIR", dir.join("evidence"))
            .env("RUST_LOG", "warn")
            .envs(env.iter().cloned())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!("cannot start {binary}: {e} (build it with cargo build --release)")
            })?;
        let mut server = ServerProcess {
            child,
            dir,
            base: format!("http://127.0.0.1:{port}"),
            ready_in: Duration::ZERO,
        };
        let probe = reqwest::Client::new();
        loop {
            if let Ok(r) = probe.get(server.url("/readyz")).send().await
                && r.status().is_success()
            {
                break;
            }
            if let Some(status) = server.child.try_wait()? {
                anyhow::bail!("the server {name} exited before it was ready: {status}");
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(1200),
                "the server did not get ready"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        server.ready_in = started.elapsed();
        Ok(server)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The process's resident memory now and at its peak so far.
    pub fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
                .unwrap_or(0)
        };
        Memory {
            rss_kib: field("VmRSS:"),
            peak_kib: field("VmHWM:"),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The release server on a fresh SQLite demo database in its temporary folder.
pub struct DemoServer {
    process: ServerProcess,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// A client signed in as `demo-admin`, keeping up to `clients` connections.
    pub client: reqwest::Client,
}

impl DemoServer {
    /// Starts the server, waits until it is ready (the demo set loads first) and signs in.
    pub async fn start(name: &str, clients: usize) -> anyhow::Result<DemoServer> {
        DemoServer::start_with(name, clients, &[]).await
    }

    /// As `start`, with more of the server's environment (e.g. `SHEGUAN_DEMO_LEDGER_ENTRIES`).
    pub async fn start_with(
        name: &str,
        clients: usize,
        env: &[(&str, String)],
    ) -> anyhow::Result<DemoServer> {
        let database = format!("sqlite://{}", bench_dir(name).join("bench.db").display());
        let mut all = vec![
            ("SHEGUAN_DATABASE_URL", database.clone()),
            ("SHEGUAN_DEMO", "true".to_owned()),
        ];
        all.extend(env.iter().cloned());
        let process = ServerProcess::start(name, &all).await?;
        println!(
            "server ready with the demo data in {:.1?} (SQLite, {database})",
            process.ready_in
        );
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .pool_max_idle_per_host(clients)
            .build()?;
        let server = DemoServer {
            base: process.base.clone(),
            process,
            client,
        };
        let login = server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&serde_json::json!({
                "username": "demo-admin",
                "password": sheguan::seed::demo::demo_password(),
            }))
            .send()
            .await?;
        anyhow::ensure!(login.status().is_success(), "sign-in failed: {}", login.status());
        Ok(server)
    }

    pub fn url(&self, path: &str) -> String {
        self.process.url(path)
    }

    /// The server process's peak resident memory so far, in KiB (Linux's `VmHWM`; 0 elsewhere).
    pub fn peak_kib(&self) -> u64 {
        self.process.memory().peak_kib
    }
}

/// The `q` quantile of sorted `times` (zero when there are none).
pub fn percentile(times: &[Duration], q: f64) -> Duration {
    times
        .get(((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// A small deterministic generator (xorshift), so every run asks the same mix.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}
