//! The national data set on the PostgreSQL server it is given: generated once for a (version, seed, sizes)
//! and recorded on the database itself (its comment, with how long each part took), then reused by every
//! run that asks for the same — a second `cargo xtask bench national` starts the servers at once.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sheguan::crypto::DataKeys;
use sheguan::store::accounts::{NewUser, ScopeIds};
use sheguan::store::{Actor, AuditEntry, Store};
use sqlx::{Connection, PgConnection};

use crate::common::env_number;
use crate::{ledger, nation, organizations};

/// Bumped whenever the generators change what they make: a recorded data set of another version is
/// generated again.
const VERSION: u32 = 1;

/// The accounts the load signs in with: one clerk files and reviews, the other approves (whoever filed or
/// reviewed a matter may not decide it).
pub const CLERK: &str = "national-clerk";
pub const APPROVER: &str = "national-approver";
pub const PASSWORD: &str = "national-bench-passphrase";

/// What a data set is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub version: u32,
    pub seed: u64,
    pub organizations: u64,
    pub entries: u64,
    pub villages: u64,
}

/// What is recorded on the database.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    spec: Spec,
    complete: bool,
    /// Each part of the generation and its seconds.
    parts: Vec<(String, f64)>,
}

/// Where the data set lives and what it holds (`NATIONAL_BENCH_*`).
pub struct Settings {
    pub server: String,
    pub database: String,
    pub spec: Spec,
}

impl Settings {
    pub fn from_env() -> Settings {
        let text = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
        Settings {
            server: text(
                "NATIONAL_BENCH_POSTGRES",
                "postgres://postgres@127.0.0.1:5432/postgres",
            ),
            database: text("NATIONAL_BENCH_DB", "sheguan_national"),
            spec: Spec {
                version: VERSION,
                seed: env_number("NATIONAL_BENCH_SEED", 19),
                organizations: env_number("NATIONAL_BENCH_ORGS", 900_000),
                entries: env_number("NATIONAL_BENCH_ENTRIES", 50_000_000),
                villages: env_number("NATIONAL_BENCH_VILLAGES", 500_000),
            },
        }
    }

    /// The data set's database on the same server.
    pub fn url(&self) -> String {
        let base = self
            .server
            .rsplit_once('/')
            .map_or(self.server.as_str(), |(base, _)| base);
        format!("{base}/{}", self.database)
    }

    /// The data key and the match key the organizations' phones are sealed under, from the seed: the servers
    /// are started with the same.
    pub fn keys(&self) -> (String, String) {
        use base64::Engine;
        use sha2::Digest;
        let key = |purpose: &str| {
            let digest = sha2::Sha256::digest(format!("sheguan national bench {purpose} {}", self.spec.seed));
            base64::engine::general_purpose::STANDARD.encode(digest)
        };
        (format!("nb:{}", key("data key")), key("match key"))
    }
}

/// Generates the data set unless the database already holds the one asked for; the parts and their times.
pub async fn prepare(settings: &Settings) -> anyhow::Result<Vec<(String, f64)>> {
    anyhow::ensure!(
        settings
            .database
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "NATIONAL_BENCH_DB must be lower-case letters, digits and _"
    );
    let mut admin = PgConnection::connect(&settings.server).await?;
    let comment: Option<(Option<String>,)> =
        sqlx::query_as("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1")
            .bind(&settings.database)
            .fetch_optional(&mut admin)
            .await?;
    let recorded = comment
        .and_then(|(c,)| c)
        .and_then(|c| serde_json::from_str::<Record>(&c).ok());
    if let Some(record) = recorded.filter(|r| r.complete && r.spec == settings.spec) {
        println!(
            "reusing the national data set in {} ({:?})",
            settings.database, record.spec
        );
        return Ok(record.parts);
    }
    println!(
        "generating the national data set in {} ({:?})",
        settings.database, settings.spec
    );
    check_disk(&mut admin, &settings.spec).await?;
    let database = &settings.database;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        .execute(&mut admin)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {database}"))
        .execute(&mut admin)
        .await?;
    let parts = generate(settings).await?;
    let record = Record {
        spec: settings.spec.clone(),
        complete: true,
        parts: parts.clone(),
    };
    let comment = serde_json::to_string(&record)?.replace('\'', "''");
    sqlx::query(&format!("COMMENT ON DATABASE {database} IS '{comment}'"))
        .execute(&mut admin)
        .await?;
    Ok(parts)
}

/// Fails before generating when the database's disk cannot hold the data set (about 420 bytes an entry
/// with its indexes); says so and goes on when the disk cannot be read (a remote server).
async fn check_disk(admin: &mut PgConnection, spec: &Spec) -> anyhow::Result<()> {
    let (directory,): (String,) = sqlx::query_as("SELECT current_setting('data_directory')")
        .fetch_one(&mut *admin)
        .await?;
    let needed_kib = (spec.entries * 420 + spec.organizations * 3_000 + spec.villages * 300) / 1024;
    let df = std::process::Command::new("df")
        .args(["-Pk", &directory])
        .output();
    let available_kib = df.ok().and_then(|out| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .nth(1)
            .and_then(|l| l.split_whitespace().nth(3).and_then(|n| n.parse::<u64>().ok()))
    });
    match available_kib {
        Some(available) => {
            println!(
                "disk: {} GiB free where PostgreSQL keeps its data ({directory}), about {} GiB needed",
                available / (1 << 20),
                needed_kib / (1 << 20)
            );
            anyhow::ensure!(
                available > needed_kib + needed_kib / 5,
                "not enough disk for the data set: {} GiB free, about {} GiB needed (lower NATIONAL_BENCH_ENTRIES)",
                available / (1 << 20),
                needed_kib / (1 << 20)
            );
        }
        None => println!("disk: cannot read the free space of {directory} here (a remote server?)"),
    }
    Ok(())
}

/// Each part's time, printed as it ends.
struct Parts(Vec<(String, f64)>, Instant);

impl Parts {
    fn done(&mut self, what: &str) {
        let took = self.1.elapsed();
        println!("  {what}: {took:.1?}");
        self.0.push((what.to_owned(), took.as_secs_f64()));
        self.1 = Instant::now();
    }
}

async fn generate(settings: &Settings) -> anyhow::Result<Vec<(String, f64)>> {
    let spec = &settings.spec;
    let url = settings.url();
    let all = Instant::now();
    let mut parts = Parts(Vec::new(), Instant::now());
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    sheguan::seed::load_reference_data(&store).await?;
    parts.done("migrations and Anhui's reference data");

    let mut conn = PgConnection::connect(&url).await?;
    // A lost commit on a crash only means generating again.
    sqlx::query("SET synchronous_commit = off")
        .execute(&mut conn)
        .await?;
    let nation = nation::generate(&mut conn, spec.seed, spec.villages).await?;
    println!(
        "    {} divisions and {} villages beside Anhui's",
        nation.divisions, nation.villages
    );
    parts.done("the nation's divisions and villages");

    let places = std::sync::Arc::new(nation::Places::read(&mut conn).await?);
    let (data_key, match_key) = settings.keys();
    let keys = DataKeys::from_config(Some(&data_key), None, Some(&match_key), false)?;
    let facts =
        organizations::generate(&mut conn, &places, spec.seed, spec.organizations as usize, &keys).await?;
    parts.done("organizations, their timelines and credit listings");

    let loaded = ledger::generate(
        &mut conn,
        places.clone(),
        std::sync::Arc::new(facts),
        spec.seed,
        spec.entries,
    )
    .await?;
    println!(
        "    {} entries ({} corrections), {} rollup cells",
        loaded.entries, loaded.corrections, loaded.rollup_cells
    );
    parts.done("ledger entries and rollup (COPY)");
    loaded.deferred.restore(&mut conn).await?;
    parts.done("ledger indexes and foreign keys");

    accounts(&store).await?;
    store.close().await;
    parts.done("accounts");
    sqlx::query("ANALYZE").execute(&mut conn).await?;
    parts.done("ANALYZE");
    let sample: Vec<(String,)> = sqlx::query_as(
        "SELECT division_code FROM contribution_rollup GROUP BY division_code ORDER BY SUM(entries) DESC LIMIT 3",
    )
    .fetch_all(&mut conn)
    .await?;
    let sample: Vec<String> = sample.into_iter().map(|(d,)| d).collect();
    ledger::check(&mut conn, &sample).await?;
    parts.done("rollup checked against the ledger (three divisions)");
    println!("generated in {:.1?}", all.elapsed());
    Ok(parts.0)
}

/// The bureau's two administrators the load signs in as, created through the store as an operator would.
async fn accounts(store: &Store) -> anyhow::Result<()> {
    let hash = sheguan::auth::password::hash(PASSWORD.to_owned()).await?;
    let system = Actor {
        user_id: None,
        name: "system".to_owned(),
        role: None,
        client_addr: "national-bench".to_owned(),
    };
    for (username, display_name) in [
        (CLERK, "省局办事员（基准测试）"),
        (APPROVER, "省局审批人（基准测试）"),
    ] {
        let user = NewUser {
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            phone: None,
            password_hash: hash.clone(),
            role: domain::policy::Role::BureauAdmin,
            scope: ScopeIds::default(),
            must_change_password: false,
            is_demo: false,
        };
        store
            .create_user(&user, |id| AuditEntry {
                actor: &system,
                entity_type: "user",
                entity_id: id.to_string(),
                action: "create",
                before: None,
                after: Some(serde_json::json!({ "username": username, "role": "bureau_admin" })),
                reason: Some("全国规模基准测试".to_owned()),
            })
            .await?;
    }
    Ok(())
}

/// The database's size, for the report.
pub async fn size(settings: &Settings) -> anyhow::Result<String> {
    let mut conn = PgConnection::connect(&settings.url()).await?;
    let (size,): (String,) = sqlx::query_as("SELECT pg_size_pretty(pg_database_size(current_database()))")
        .fetch_one(&mut conn)
        .await?;
    Ok(size)
}

/// How long the parts took, as recorded.
pub fn print_parts(parts: &[(String, f64)]) {
    let total: f64 = parts.iter().map(|(_, s)| s).sum();
    println!("generation (as recorded):");
    for (what, seconds) in parts {
        println!("  {what:<52} {:>8.1?}", Duration::from_secs_f64(*seconds));
    }
    println!("  {:<52} {:>8.1?}", "in all", Duration::from_secs_f64(total));
}
