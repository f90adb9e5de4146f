//! `cargo xtask bench export`: the province's whole ledger as one export job. Starts the release server
//! (`SHEGUAN_BENCH_BIN`, default `target/release/sheguan`) on a fresh SQLite demo database with
//! `EXPORT_BENCH_ENTRIES` (default 1,000,000) ledger entries, signs in as the bureau administrator, asks
//! for the unfiltered ledger export, follows the job's progress to the end and downloads the workbook.
//!
//! Prints the job's time, the server's peak memory (VmHWM) and the file's size, and fails when the job
//! takes longer than the target (120 s), when the server's peak memory passes 1 GiB, or when the file
//! does not hold every entry.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use domain::api::{Job, Page};
use domain::jobs::JobStatus;

const JOB_TARGET: Duration = Duration::from_secs(120);
const MEMORY_TARGET_KIB: u64 = 1024 * 1024;

/// The server process; stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The process's peak resident memory, in KiB (Linux).
fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let entries: u64 = std::env::var("EXPORT_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let binary = std::env::var("SHEGUAN_BENCH_BIN").unwrap_or_else(|_| "target/release/sheguan".to_owned());
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let dir = std::env::temp_dir().join(format!("sheguan-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database = format!("sqlite://{}", dir.join("bench.db").display());
    let started = Instant::now();
    let child = Command::new(&binary)
        .env("SHEGUAN_ADDR", format!("127.0.0.1:{port}"))
        .env("SHEGUAN_DATABASE_URL", &database)
        .env("SHEGUAN_DEMO", "true")
        .env("SHEGUAN_DEMO_LEDGER_ENTRIES", entries.to_string())
        .env("SHEGUAN_SECURE_COOKIES", "false")
        .env("SHEGUAN_LOG_FORMAT", "json")
        .env("SHEGUAN_EVIDENCE_DIR", dir.join("evidence"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start {binary}: {e} (build it with cargo build --release)"))?;
    let pid = child.id();
    let _server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(1200),
            "the server did not get ready"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!("server ready with the demo data in {:.1?}", started.elapsed());
    let seeded_peak = peak_kib(pid);
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({
            "username": "demo-admin",
            "password": sheguan::seed::demo::demo_password(),
        }))
        .send()
        .await?;
    anyhow::ensure!(login.status().is_success(), "sign-in failed: {}", login.status());
    let total = client
        .get(format!("{base}/api/v1/contributions?per_page=1"))
        .send()
        .await?
        .json::<Page<serde_json::Value>>()
        .await?
        .total;

    let asked = Instant::now();
    let answer = client
        .get(format!("{base}/api/v1/contributions/export"))
        .send()
        .await?;
    anyhow::ensure!(
        answer.status() == 202,
        "expected 202 Accepted, got {}",
        answer.status()
    );
    let mut job: Job = answer.json().await?;
    let mut last_note = String::new();
    while !job.status.is_final() {
        tokio::time::sleep(Duration::from_secs(1)).await;
        job = client
            .get(format!("{base}/api/v1/jobs/{}", job.id))
            .send()
            .await?
            .json()
            .await?;
        let note = job.progress_note.clone().unwrap_or_default();
        if note != last_note {
            println!(
                "  {:>5.1?}  {:>5.1}%  {note}",
                asked.elapsed(),
                job.progress * 100.0
            );
            last_note = note;
        }
    }
    let took = asked.elapsed();
    anyhow::ensure!(job.status == JobStatus::Done, "the job failed: {:?}", job.error);
    let download = job.download.clone().expect("a download link");
    let fetched = Instant::now();
    let bytes = client
        .get(format!("{base}{download}"))
        .send()
        .await?
        .bytes()
        .await?;
    let peak = peak_kib(pid);
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "ledger export of {total} entries: job {took:.1?}, download {:.1?} of {:.1} MiB; server peak memory {} MiB (after seeding {} MiB)",
        fetched.elapsed(),
        bytes.len() as f64 / 1_048_576.0,
        peak / 1024,
        seeded_peak / 1024,
    );
    let mut failures = Vec::new();
    if job.summary.as_deref() != Some(format!("共 {total} 行").as_str()) {
        failures.push(format!("the file holds {:?}, not {total} entries", job.summary));
    }
    if Some(bytes.len() as u64) != job.file_bytes {
        failures.push("the download is not the stored file".to_owned());
    }
    if took > JOB_TARGET {
        failures.push(format!("the job took {took:.1?} (target {JOB_TARGET:?})"));
    }
    if peak > MEMORY_TARGET_KIB {
        failures.push(format!("peak memory {} MiB (target 1024)", peak / 1024));
    }
    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("all within target");
    Ok(())
}
