//! `cargo xtask bench dashboard`: the year's figures under load. Starts the release server
//! (`SHEGUAN_BENCH_BIN`, default `target/release/sheguan`) on a fresh SQLite demo database (ten years of
//! every module, a million ledger entries), signs in as the bureau administrator, times the first
//! dashboard of each year (nothing counted yet: every figure and the year before's), asks every year and
//! city once more (untimed), then runs `DASHBOARD_BENCH_CLIENTS` (default 10) concurrent clients for
//! `DASHBOARD_BENCH_SECONDS` (default 20) seconds, each asking a year's dashboard for the province or a
//! city, and the records behind a figure (never kept: counted and listed each time).
//!
//! Prints the first dashboards' times, p50 and p99 per kind, and fails when a p99 or a first dashboard is
//! over the target (200 ms).

mod common;

use common::{env_number, percentile};

use std::time::{Duration, Instant};

use chrono::Datelike;

const P99_TARGET: Duration = Duration::from_millis(200);
const KINDS: [&str; 2] = ["dashboard of a year", "records of a figure"];
const CITIES: [&str; 6] = ["", "340100", "340200", "340300", "341100", "341500"];
const FIGURES: [&str; 6] = [
    "supervision.dormant_identified",
    "registration.provincial_matters_completed",
    "party.functional_branches_approved",
    "impact.rural_aid_provincial",
    "supervision.fee_inspected",
    "impact.scholarship_students",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let clients = env_number("DASHBOARD_BENCH_CLIENTS", 10) as usize;
    let seconds = env_number("DASHBOARD_BENCH_SECONDS", 20);
    let server = common::DemoServer::start("dashboard", clients).await?;
    let (client, base) = (server.client.clone(), server.base.clone());

    let last = chrono::Utc::now().year() - 1;
    let years: Vec<i32> = (last - 9..=last).collect();
    println!("\nfirst dashboard of each year (province):");
    let mut failures = Vec::new();
    for &year in &years {
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/v1/dashboard?year={year}"))
            .send()
            .await?;
        anyhow::ensure!(r.status().is_success(), "dashboard {year}: {}", r.status());
        let _ = r.bytes().await?;
        let took = t.elapsed();
        println!("  {year}: {took:.1?}");
        if took > P99_TARGET {
            failures.push(format!(
                "the first dashboard of {year}: {took:.1?} > {P99_TARGET:?}"
            ));
        }
    }

    // Every (year, city) once, untimed: the figures are then counted and kept until the next write, as
    // they are after a day's first visits; the clients below measure what users wait for from then on.
    for &year in &years {
        for city in CITIES {
            let city = if city.is_empty() {
                String::new()
            } else {
                format!("&city={city}")
            };
            let r = client
                .get(format!("{base}/api/v1/dashboard?year={year}{city}"))
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success(), "dashboard {year}{city}: {}", r.status());
        }
    }

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for n in 0..clients {
        let (client, base, years) = (client.clone(), base.clone(), years.clone());
        tasks.push(tokio::spawn(async move {
            let mut times: [Vec<Duration>; 2] = Default::default();
            let mut errors = 0u64;
            let mut i = n;
            while Instant::now() < deadline {
                let kind = usize::from(i % 4 == 3);
                let year = years[i % years.len()];
                let city = CITIES[(i / 3) % CITIES.len()];
                let city = if city.is_empty() {
                    String::new()
                } else {
                    format!("&city={city}")
                };
                let path = match kind {
                    0 => format!("/api/v1/dashboard?year={year}{city}"),
                    _ => format!(
                        "/api/v1/dashboard/records?key={}&year={year}{city}&page={}",
                        FIGURES[i % FIGURES.len()],
                        1 + i % 3
                    ),
                };
                i += 1;
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
    let mut all: [Vec<Duration>; 2] = Default::default();
    let mut errors = 0;
    for task in tasks {
        let (times, e) = task.await?;
        for (kind, t) in times.into_iter().enumerate() {
            all[kind].extend(t);
        }
        errors += e;
    }
    println!("\n{clients} clients for {seconds} s as demo-admin on SQLite");
    println!("{:<22} {:>9} {:>9} {:>9}", "query", "requests", "p50", "p99");
    for (kind, mut times) in all.into_iter().enumerate() {
        times.sort();
        let (p50, p99) = (percentile(&times, 0.50), percentile(&times, 0.99));
        println!(
            "{:<22} {:>9} {:>9.1?} {:>9.1?}",
            KINDS[kind],
            times.len(),
            p50,
            p99
        );
        if p99 > P99_TARGET {
            failures.push(format!("{}: p99 {p99:.1?} > {P99_TARGET:?}", KINDS[kind]));
        }
    }
    println!("errors: {errors}");
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("all within target (p99 ≤ {P99_TARGET:?})");
    Ok(())
}
