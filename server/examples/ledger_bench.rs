//! `cargo xtask bench ledger`: the ledger's two hot reads at volume, on SQLite and (when it answers)
//! PostgreSQL — an organization's own summary (target p99 ≤ 50 ms) and the province totals by kind and
//! city (target p99 ≤ 200 ms).
//!
//! `LEDGER_BENCH_ENTRIES` (default 1,000,000) entries over `LEDGER_BENCH_ORGS` (default 35,000)
//! organizations; `LEDGER_BENCH_POSTGRES` names the PostgreSQL server (default the local one).

use std::time::{Duration, Instant};

use domain::registry::credit_code::{CreditCategory, CreditCode};
use sheguan::crypto::DataKeys;
use sheguan::seed::demo::generate_contributions;
use sheguan::store::contributions::{LedgerFilter, TotalsBy};
use sheguan::store::registry::organizations::OrganizationSeed;
use sheguan::store::{Store, Visibility};

const ORG_SUMMARY_TARGET: Duration = Duration::from_millis(50);
const PROVINCE_TOTALS_TARGET: Duration = Duration::from_millis(200);

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let entries = env_number("LEDGER_BENCH_ENTRIES", 1_000_000);
    let orgs = env_number("LEDGER_BENCH_ORGS", 35_000);
    let mut failures = Vec::new();

    let path = std::env::temp_dir().join(format!("sheguan-ledger-bench-{}.db", std::process::id()));
    let sqlite = format!("sqlite://{}", path.display());
    failures.extend(run("sqlite", &sqlite, entries, orgs).await?);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }

    let server = std::env::var("LEDGER_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("sheguan_ledger_bench_{}", std::process::id());
    match admin(&server, &format!("CREATE DATABASE {name}")).await {
        Ok(()) => {
            let url = format!(
                "{}/{name}",
                server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b)
            );
            let result = run("postgres", &url, entries, orgs).await;
            admin(&server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
            failures.extend(result?);
        }
        Err(e) => println!("postgres: skipped ({e})"),
    }
    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("all within target");
    Ok(())
}

async fn admin(server: &str, sql: &str) -> anyhow::Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(server).await?;
    sqlx::query(sql).execute(&mut conn).await?;
    Ok(())
}

async fn run(backend: &str, url: &str, entries: usize, orgs: usize) -> anyhow::Result<Vec<String>> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    sheguan::seed::load_reference_data(&store).await?;
    let counties: Vec<String> = store
        .list_divisions()
        .await?
        .into_iter()
        .filter(|d| d.level == "county")
        .map(|d| d.code)
        .collect();
    let seeds: Vec<OrganizationSeed> = (0..orgs)
        .map(|i| {
            let division = if i % 10 == 0 {
                "340000".to_owned()
            } else {
                counties[i % counties.len()].clone()
            };
            OrganizationSeed {
                credit_code: CreditCode::generate(CreditCategory::SocialGroup, &division, 100_000 + i as u64)
                    .as_str()
                    .to_owned(),
                name: format!("基准测试社会组织{i}"),
                kind: "social_group".to_owned(),
                level: if i % 10 == 0 { "provincial" } else { "county" }.to_owned(),
                division_code: division,
                ..Default::default()
            }
        })
        .collect();
    store.insert_organizations(&seeds).await?;
    let organizations = store.organization_divisions().await?;
    let keys = DataKeys::random();
    let started = Instant::now();
    let batch = 50_000;
    for first in (0..entries).step_by(batch) {
        let generated = generate_contributions(&organizations, &keys, batch.min(entries - first), first);
        store.insert_seed_contributions(&generated).await?;
    }
    if backend == "postgres" {
        admin_analyze(&store).await?;
    }
    println!(
        "{backend}: loaded {entries} entries over {} organizations in {:.1?}",
        organizations.len(),
        started.elapsed()
    );

    let mut own = Vec::new();
    for i in 0..200 {
        let (id, _) = organizations[(i * 7919) % organizations.len()];
        let scope = Visibility::Organizations(vec![id]);
        let by = TotalsBy {
            kind: true,
            year: true,
            ..Default::default()
        };
        let t = Instant::now();
        store
            .contribution_totals(&scope, &LedgerFilter::default(), by)
            .await?;
        own.push(t.elapsed());
    }
    let mut province = Vec::new();
    for _ in 0..30 {
        let by = TotalsBy {
            kind: true,
            city: true,
            ..Default::default()
        };
        let t = Instant::now();
        store
            .contribution_totals(&Visibility::All, &LedgerFilter::default(), by)
            .await?;
        province.push(t.elapsed());
    }
    store.close().await;
    let mut failures = Vec::new();
    for (what, mut times, target) in [
        ("organization summary (kind × year)", own, ORG_SUMMARY_TARGET),
        ("province totals (kind × city)", province, PROVINCE_TOTALS_TARGET),
    ] {
        times.sort();
        let p50 = times[times.len() / 2];
        let p99 = times[(times.len() * 99 / 100).min(times.len() - 1)];
        let verdict = if p99 <= target { "ok" } else { "OVER" };
        println!("{backend}: {what}: p50 {p50:.1?}, p99 {p99:.1?} (target {target:?}) {verdict}");
        if p99 > target {
            failures.push(format!("{backend} {what} p99 {p99:.1?}"));
        }
    }
    Ok(failures)
}

async fn admin_analyze(store: &Store) -> anyhow::Result<()> {
    store.analyze().await?;
    Ok(())
}
