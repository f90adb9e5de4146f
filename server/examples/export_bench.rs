//! `cargo xtask bench export`: the province's whole ledger as one export job. Starts the release server
//! (`SHEGUAN_BENCH_BIN`, default `target/release/sheguan`) on a fresh SQLite demo database with
//! `EXPORT_BENCH_ENTRIES` (default 1,000,000) ledger entries, signs in as the bureau administrator, asks
//! for the unfiltered ledger export, follows the job's progress to the end and downloads the workbook.
//!
//! Prints the job's time, the server's peak memory (VmHWM) and the file's size, and fails when the job
//! takes longer than the target (120 s), when the server's peak memory passes 1 GiB, or when the file
//! does not hold every entry.

mod common;

use std::time::{Duration, Instant};

use domain::api::{Job, Page};
use domain::jobs::JobStatus;

const JOB_TARGET: Duration = Duration::from_secs(120);
const MEMORY_TARGET_KIB: u64 = 1024 * 1024;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let entries = common::env_number("EXPORT_BENCH_ENTRIES", 1_000_000);
    let server = common::DemoServer::start_with(
        "export",
        1,
        &[("SHEGUAN_DEMO_LEDGER_ENTRIES", entries.to_string())],
    )
    .await?;
    let (client, base) = (server.client.clone(), server.base.clone());
    let seeded_peak = server.peak_kib();
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
    let peak = server.peak_kib();

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
