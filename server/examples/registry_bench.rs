//! `cargo xtask bench registry`: the registry under load. Starts the release server (`SHEGUAN_BENCH_BIN`,
//! default `target/release/sheguan`) on a fresh SQLite demo database (about 35,000 organizations), signs
//! in as the bureau administrator, and runs `REGISTRY_BENCH_CLIENTS` (default 50) concurrent clients for
//! `REGISTRY_BENCH_SECONDS` (default 30) seconds, each repeating one of three queries in turn:
//!
//! - search by name: `q=` a two- to four-character piece of a registered name;
//! - search by credit code: `q=` a registered organization's full credit code;
//! - filtered listing: city or county, kind, level, status, category, in some combination, a random page.
//!
//! Prints p50, p99 and throughput per kind and fails when a p99 is over the target (50 ms).

mod common;

use common::{Rng, env_number};

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::api::{OrganizationSummary, Page};

const P99_TARGET: Duration = Duration::from_millis(50);
const KINDS: [&str; 3] = ["search by name", "search by credit code", "filtered listing"];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let clients = env_number("REGISTRY_BENCH_CLIENTS", 50) as usize;
    let seconds = env_number("REGISTRY_BENCH_SECONDS", 30);
    let server = common::DemoServer::start("registry", clients).await?;
    let (client, base) = (server.client.clone(), server.base.clone());

    // What to ask for: names and codes of real organizations, spread over the registry.
    let mut names = Vec::new();
    let mut codes = Vec::new();
    let mut registered = 0;
    for page in [1, 35, 70, 105, 140, 175, 210, 245, 280, 315] {
        let listed: Page<OrganizationSummary> = client
            .get(format!(
                "{base}/api/v1/organizations?sort=credit_code&per_page=100&page={page}"
            ))
            .send()
            .await?
            .json()
            .await?;
        registered = listed.total;
        for o in listed.items {
            codes.push(o.credit_code);
            let chars: Vec<char> = o.name.chars().collect();
            // A piece from the middle of the name: 合肥市[蜀山区养老]服务协会.
            let start = 3.min(chars.len().saturating_sub(2));
            let len = 2 + names.len() % 3;
            names.push(
                chars[start..(start + len).min(chars.len())]
                    .iter()
                    .collect::<String>(),
            );
        }
    }
    let divisions: serde_json::Value = client
        .get(format!("{base}/api/v1/divisions"))
        .send()
        .await?
        .json()
        .await?;
    let mut places = Vec::new();
    for city in divisions["cities"].as_array().into_iter().flatten() {
        places.push(format!("city={}", city["code"].as_str().unwrap_or_default()));
        for county in city["counties"].as_array().into_iter().flatten().take(3) {
            places.push(format!("county={}", county["code"].as_str().unwrap_or_default()));
        }
    }
    let filters = [
        "kind=social_group",
        "kind=social_service&status=normal",
        "level=county&category=community_service",
        "category=charity&sort=-founded_on",
        "status=normal&credit_list=none",
        "kind=foundation&level=city",
        "category=industry_association&sort=credit_code",
        "status=deregistered",
    ];
    let queries = Arc::new((names, codes, places, filters));

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for n in 0..clients {
        let client = client.clone();
        let base = base.clone();
        let queries = queries.clone();
        tasks.push(tokio::spawn(async move {
            let (names, codes, places, filters) = &*queries;
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
            let mut times: [Vec<Duration>; 3] = Default::default();
            let mut errors = 0u64;
            let mut i = n;
            while Instant::now() < deadline {
                let kind = i % 3;
                i += 1;
                let path = match kind {
                    0 => format!("/api/v1/organizations?q={}", rng.pick(names)),
                    1 => format!("/api/v1/organizations?q={}", rng.pick(codes)),
                    _ => format!(
                        "/api/v1/organizations?{}&{}&page={}",
                        rng.pick(places),
                        rng.pick(filters),
                        1 + rng.next() % 3
                    ),
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
    println!("\n{clients} clients for {seconds} s as demo-admin on SQLite ({registered} organizations)");
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
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("all within target (p99 ≤ {P99_TARGET:?})");
    Ok(())
}
