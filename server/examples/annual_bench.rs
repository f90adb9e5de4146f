//! `cargo xtask bench annual`: the annual cycle's lists under load. Starts the release server
//! (`SHEGUAN_BENCH_BIN`, default `target/release/sheguan`) on a fresh SQLite demo database (about 35,000
//! organizations with ten years of reports, their listings and the dormant cases), signs in as the bureau
//! administrator, and runs `ANNUAL_BENCH_CLIENTS` (default 20) concurrent clients for
//! `ANNUAL_BENCH_SECONDS` (default 20) seconds, each repeating one of three lists in turn:
//!
//! - a year's reports: `/inspection/reports?year=` with a result, stage, level or division filter;
//! - the credit listings: current, by list, reason, year or city;
//! - the dormant cases: by stage, year or city.
//!
//! Prints p50, p99 and throughput per kind and fails when a p99 is over the target (50 ms); then runs the
//! daily `dormant_scan` once (`POST /jobs/schedules/dormant_scan/run`) and prints how long it took.

mod common;

use common::{Rng, env_number};

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Datelike;

const P99_TARGET: Duration = Duration::from_millis(50);
const KINDS: [&str; 3] = ["reports of a year", "credit listings", "dormant cases"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let clients = env_number("ANNUAL_BENCH_CLIENTS", 20) as usize;
    let seconds = env_number("ANNUAL_BENCH_SECONDS", 20);
    let server = common::DemoServer::start("annual", clients).await?;
    let (client, base) = (server.client.clone(), server.base.clone());

    let year = chrono::Utc::now().year() - 1;
    let places: Vec<String> = [
        "", "340000", "340100", "340200", "340300", "341100", "340104", "340122",
    ]
    .iter()
    .map(|c| {
        if c.is_empty() {
            String::new()
        } else {
            format!("&division={c}")
        }
    })
    .collect();
    let reports = [
        "result=qualified",
        "result=unqualified",
        "result=not_inspected",
        "stage=submitted",
        "stage=not_filed&level=provincial",
        "level=county",
        "result=basically_qualified&level=city",
    ];
    let listings = [
        "",
        "list=abnormal",
        "list=serious",
        "reason=annual_report_missing",
        "state=all&year=2021",
        "state=ended",
        "pending=true",
    ];
    let cases = [
        "",
        "stage=candidate",
        "stage=observation",
        "stage=rectifying",
        "year=2021",
        "stage=revoked&year=2021",
    ];
    let queries = Arc::new((places, reports, listings, cases));

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for n in 0..clients {
        let client = client.clone();
        let base = base.clone();
        let queries = queries.clone();
        tasks.push(tokio::spawn(async move {
            let (places, reports, listings, cases) = &*queries;
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
            let mut times: [Vec<Duration>; 3] = Default::default();
            let mut errors = 0u64;
            let mut i = n;
            while Instant::now() < deadline {
                let kind = i % 3;
                i += 1;
                let place = rng.pick(places).clone();
                let page = 1 + rng.next() % 3;
                let path = match kind {
                    0 => format!(
                        "/api/v1/inspection/reports?year={}&{}{place}&page={page}",
                        year - (rng.next() % 3) as i32,
                        rng.pick(reports)
                    ),
                    1 => format!(
                        "/api/v1/credit-listings?{}{place}&page={page}",
                        rng.pick(listings)
                    ),
                    _ => format!("/api/v1/dormant/cases?{}{place}&page={page}", rng.pick(cases)),
                };
                let t = Instant::now();
                match client.get(format!("{base}{path}")).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        times[kind].push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (times, errors)
        }));
    }
    let mut all: [Vec<Duration>; 3] = Default::default();
    let mut errors = 0;
    for task in tasks {
        let (times, e) = task.await?;
        for (kind, t) in times.into_iter().enumerate() {
            all[kind].extend(t);
        }
        errors += e;
    }
    println!("\n{clients} clients for {seconds} s as demo-admin on SQLite");
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>10}",
        "query", "requests", "p50", "p99", "per second"
    );
    let mut failures = Vec::new();
    for (kind, mut times) in all.into_iter().enumerate() {
        times.sort();
        let at = |q: f64| {
            times
                .get(((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        let (p50, p99) = (at(0.50), at(0.99));
        println!(
            "{:<24} {:>9} {:>9.1?} {:>9.1?} {:>10.0}",
            KINDS[kind],
            times.len(),
            p50,
            p99,
            times.len() as f64 / seconds as f64
        );
        if p99 > P99_TARGET {
            failures.push(format!("{}: p99 {p99:.1?} > {P99_TARGET:?}", KINDS[kind]));
        }
    }
    println!("errors: {errors}");
    let scan = dormant_scan(&client, &base).await?;
    println!("one dormant_scan run: {scan:.1?}");
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("all within target (p99 ≤ {P99_TARGET:?})");
    Ok(())
}

/// Runs the daily dormant scan once and waits for it: its duration.
async fn dormant_scan(client: &reqwest::Client, base: &str) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let job: serde_json::Value = client
        .post(format!("{base}/api/v1/jobs/schedules/dormant_scan/run"))
        .json(&serde_json::json!({}))
        .send()
        .await?
        .json()
        .await?;
    let id = job["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("no job: {job}"))?;
    loop {
        let job: serde_json::Value = client
            .get(format!("{base}/api/v1/jobs/{id}"))
            .send()
            .await?
            .json()
            .await?;
        match job["status"].as_str() {
            Some("done") => {
                println!("dormant_scan: {}", job["summary"].as_str().unwrap_or_default());
                return Ok(t.elapsed());
            }
            Some("failed") => anyhow::bail!("the scan failed: {}", job["error"]),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
        anyhow::ensure!(
            t.elapsed() < Duration::from_secs(600),
            "the scan did not finish in 10 minutes"
        );
    }
}
