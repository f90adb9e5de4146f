//! `cargo xtask bench national`: Sheguan at national scale on PostgreSQL (issue #19).
//!
//! 1. **The data set** (`dataset.rs`), generated once on the PostgreSQL server `NATIONAL_BENCH_POSTGRES`
//!    (default `postgres://postgres@127.0.0.1:5432/postgres`) in the database `NATIONAL_BENCH_DB` (default
//!    `sheguan_national`) and reused while its record (the database's comment) matches: the server's
//!    migrations and Anhui's real reference data; a synthetic nation beside it (`nation.rs`: the other
//!    thirty provinces, their cities and counties, `NATIONAL_BENCH_VILLAGES` villages, default 500,000);
//!    `NATIONAL_BENCH_ORGS` organizations (default 900,000; `organizations.rs`, `names.rs`) with their
//!    timelines and credit listings; `NATIONAL_BENCH_ENTRIES` ledger entries over ten years (default
//!    50,000,000; `ledger.rs`) with the rollup; two bureau administrators. All of it reproducible from
//!    `NATIONAL_BENCH_SEED` (default 19), loaded with COPY around dropped indexes (`bulk.rs`).
//! 2. **The load** (`load.rs`, `writer.rs`) on two release servers (`SHEGUAN_BENCH_BIN`) on that database:
//!    `NATIONAL_BENCH_CLIENTS` (50) clerks reading the registry — a piece of a name, a full credit code, a
//!    filtered listing — and `NATIONAL_BENCH_LEDGER_CLIENTS` (10) reading the ledger — an organization's
//!    summary, the province totals — each waiting `NATIONAL_BENCH_THINK_MS` (1,000, ±50%) between
//!    requests (and a random part of it before the first: clerks are not all about to ask at the same
//!    instant), spread over both servers; meanwhile `NATIONAL_BENCH_WRITES` (10) approved changes a second
//!    through the two servers in turn, each read back through the other. `NATIONAL_BENCH_SECONDS` (60).
//!    Then ten seconds without think time, for the throughput (information only).
//! 3. **The report** (`report.rs`): p50/p99/count per kind, errors, freshness failures, each server's
//!    memory; fails when a target of issue #19 is missed.

#[path = "../common/mod.rs"]
mod common;

mod bulk;
mod dataset;
mod ledger;
mod load;
mod names;
mod nation;
mod organizations;
mod random;
mod report;
mod writer;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{ServerProcess, env_number};
use dataset::Settings;
use load::{Kind, Plan, Stats};
use writer::Desk;

/// The throughput phase: no think time, information only.
const BURST_SECONDS: u64 = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::from_env();
    let seconds = env_number("NATIONAL_BENCH_SECONDS", 60);
    let think = Duration::from_millis(env_number("NATIONAL_BENCH_THINK_MS", 1_000));
    let clients = env_number("NATIONAL_BENCH_CLIENTS", 50) as usize;
    let ledger_clients = env_number("NATIONAL_BENCH_LEDGER_CLIENTS", 10) as usize;
    let writes = env_number("NATIONAL_BENCH_WRITES", 10).max(1) as f64;

    let parts = dataset::prepare(&settings).await?;
    dataset::print_parts(&parts);
    println!("database size: {}", dataset::size(&settings).await?);
    let renames = (writes * (seconds + BURST_SECONDS + 2) as f64) as usize;
    let plan = Arc::new(Plan::draw(&settings, renames).await?);

    let (data_key, match_key) = settings.keys();
    let env = [
        ("SHEGUAN_DATABASE_URL", settings.url()),
        ("SHEGUAN_DATA_KEY", data_key),
        ("SHEGUAN_MATCH_KEY", match_key),
        // Staff sign in with a password here; the bench is not about the second factor.
        ("SHEGUAN_REQUIRE_STAFF_SECOND_FACTOR", "false".to_owned()),
        // The daily jobs would catch up at start and run beside the load; they are not what is measured.
        ("SHEGUAN_JOB_SCHEDULES", "false".to_owned()),
    ];
    let mut started = Vec::new();
    for name in ["national-1", "national-2"] {
        let server = ServerProcess::start(name, &env).await?;
        println!(
            "{name} ready in {:.1?} at {} ({} MiB)",
            server.ready_in,
            server.base,
            server.memory().rss_kib / 1024
        );
        started.push(server);
    }
    let servers: Arc<[ServerProcess; 2]> =
        Arc::new(started.try_into().map_err(|_| anyhow::anyhow!("two servers"))?);
    let bases = [servers[0].base.clone(), servers[1].base.clone()];

    // Each server's first answers: the registry's index is built then (if the server keeps one).
    for base in &bases {
        let client = load::sign_in(base, dataset::CLERK).await?;
        for (what, path) in [
            ("first registry list", "/api/v1/organizations?status=normal"),
            (
                "first province totals",
                "/api/v1/contributions/totals?by=kind,city",
            ),
        ] {
            let t = Instant::now();
            load::get(&client, &format!("{base}{path}"))
                .await
                .map_err(|e| anyhow::anyhow!("{what}: {e}"))?;
            println!("{base}: {what} in {:.1?}", t.elapsed());
        }
    }

    let mut desks = Vec::new();
    for base in &bases {
        desks.push(Desk {
            base: base.clone(),
            clerk: load::sign_in(base, dataset::CLERK).await?,
            approver: load::sign_in(base, dataset::APPROVER).await?,
            reader: load::sign_in(base, dataset::CLERK).await?,
        });
    }
    let desks: Arc<[Desk; 2]> = Arc::new(desks.try_into().map_err(|_| anyhow::anyhow!("two desks"))?);
    let t = Instant::now();
    let mut prepared = writer::prepare(&desks, &plan).await?.into_iter();
    println!(
        "{} change matters filed and under review in {:.1?}",
        prepared.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let mut sessions = Vec::new();
    for n in 0..clients + ledger_clients {
        sessions.push(load::sign_in(&bases[n % 2], dataset::CLERK).await?);
    }
    println!("{} clerks signed in in {:.1?}", sessions.len(), t.elapsed());

    let stop = Arc::new(AtomicBool::new(false));
    let sampler = tokio::spawn(load::sample_memory(Arc::clone(&servers), Arc::clone(&stop)));
    println!(
        "\n{clients} registry clerks and {ledger_clients} ledger clerks (think {think:?} ±50%) on two \
         servers, {writes} approved changes a second, for {seconds} s"
    );
    let crowd = Crowd {
        sessions,
        bases,
        plan,
        registry_clerks: clients,
        desks,
        writes_per_second: writes,
    };
    let mut measured = crowd.run(think, seconds, &mut prepared).await?;
    stop.store(true, Ordering::Relaxed);
    let highest = sampler.await?;
    let memory = [
        (servers[0].memory(), highest[0]),
        (servers[1].memory(), highest[1]),
    ];
    report::table(
        &format!("measured: {seconds} s with think time"),
        &mut measured,
        seconds as f64,
    );
    let failures = report::verdict(&measured, &memory, seconds as f64, writes);

    let mut burst = crowd.run(Duration::ZERO, BURST_SECONDS, &mut prepared).await?;
    report::table(
        &format!("throughput, information only: {BURST_SECONDS} s without think time"),
        &mut burst,
        BURST_SECONDS as f64,
    );
    let reads: usize = [Kind::NameSearch, Kind::CodeSearch, Kind::Listing]
        .iter()
        .map(|k| burst.times[*k as usize].len() - burst.errors[*k as usize] as usize)
        .sum();
    println!(
        "registry reads answered a second without think time: {:.0}",
        reads as f64 / BURST_SECONDS as f64
    );

    anyhow::ensure!(failures.is_empty(), "over target: {}", failures.join("; "));
    println!("\nall within target");
    Ok(())
}

/// Everyone who takes part in the load.
struct Crowd {
    /// The clerks' sessions: registry clerks first, then ledger clerks; clerk n on server n % 2.
    sessions: Vec<reqwest::Client>,
    bases: [String; 2],
    plan: Arc<Plan>,
    registry_clerks: usize,
    desks: Arc<[Desk; 2]>,
    writes_per_second: f64,
}

impl Crowd {
    /// One phase: every clerk and the writer until `seconds` have passed.
    async fn run(
        &self,
        think: Duration,
        seconds: u64,
        prepared: &mut std::vec::IntoIter<writer::Prepared>,
    ) -> anyhow::Result<Stats> {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for (n, session) in self.sessions.iter().enumerate() {
            tasks.push(tokio::spawn(load::clerk(
                n,
                session.clone(),
                self.bases[n % 2].clone(),
                Arc::clone(&self.plan),
                n >= self.registry_clerks,
                think,
                deadline,
            )));
        }
        let mut stats = writer::run(
            Arc::clone(&self.desks),
            prepared,
            self.writes_per_second,
            deadline,
        )
        .await;
        for task in tasks {
            stats.merge(task.await?);
        }
        Ok(stats)
    }
}
