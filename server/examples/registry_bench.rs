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

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::api::{OrganizationSummary, Page};

const P99_TARGET: Duration = Duration::from_millis(50);
const KINDS: [&str; 3] = ["search by name", "search by credit code", "filtered listing"];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server process; stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A small deterministic generator (xorshift), so every run asks the same mix.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let clients = env_number("REGISTRY_BENCH_CLIENTS", 50) as usize;
    let seconds = env_number("REGISTRY_BENCH_SECONDS", 30);
    let binary = std::env::var("SHEGUAN_BENCH_BIN").unwrap_or_else(|_| "target/release/sheguan".to_owned());
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let dir = std::env::temp_dir().join(format!("sheguan-registry-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let database = format!("sqlite://{}", dir.join("bench.db").display());
    let started = Instant::now();
    let _server = Server(
        Command::new(&binary)
            .env("SHEGUAN_ADDR", format!("127.0.0.1:{port}"))
            .env("SHEGUAN_DATABASE_URL", &database)
            .env("SHEGUAN_DEMO", "true")
            .env("SHEGUAN_SECURE_COOKIES", "false")
            .env("SHEGUAN_LOG_FORMAT", "json")
            .env("SHEGUAN_EVIDENCE_DIR", dir.join("evidence"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| {
                anyhow::anyhow!("cannot start {binary}: {e} (build it with cargo build --release)")
            })?,
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(clients)
        .build()?;
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status().is_success()
        {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the server did not get ready"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    println!(
        "server ready with the demo data in {:.1?} (SQLite, {database})",
        started.elapsed()
    );
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({
            "username": "demo-admin",
            "password": sheguan::seed::demo::demo_password(),
        }))
        .send()
        .await?;
    anyhow::ensure!(login.status().is_success(), "sign-in failed: {}", login.status());

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
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("all within target (p99 ≤ {P99_TARGET:?})");
    Ok(())
}
