//! The load: clerks reading the registry and the ledger through two servers, each asking, waiting a think
//! time and asking again; what they ask for is drawn from the data set itself (`Plan`); and each server's
//! memory sampled from `/proc` while they do.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};

use crate::common::{Memory, ServerProcess};
use crate::dataset::{self, Settings};
use crate::random::Dice;

/// What is measured, each with its own times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NameSearch,
    CodeSearch,
    Listing,
    OrgSummary,
    ProvinceTotals,
    Write,
    FreshRead,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::NameSearch,
        Kind::CodeSearch,
        Kind::Listing,
        Kind::OrgSummary,
        Kind::ProvinceTotals,
        Kind::Write,
        Kind::FreshRead,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::NameSearch => "registry: search by name",
            Kind::CodeSearch => "registry: search by credit code",
            Kind::Listing => "registry: filtered listing",
            Kind::OrgSummary => "ledger: organization summary",
            Kind::ProvinceTotals => "ledger: province totals",
            Kind::Write => "write: approved change (更名)",
            Kind::FreshRead => "read after write, other server",
        }
    }
}

/// Times (of every request, failed or not) and failures per kind.
#[derive(Debug, Default)]
pub struct Stats {
    pub times: [Vec<Duration>; 7],
    pub errors: [u64; 7],
    /// The first failure of each kind, to say what went wrong.
    pub examples: Vec<(Kind, String)>,
    pub stale: u64,
    pub stale_examples: Vec<String>,
    /// Writes the pacer could not start (too many still waiting for their servers).
    pub writes_skipped: u64,
}

impl Stats {
    /// A request's time, failed or not: a clerk waited for a timeout as long as for an answer.
    pub fn record(&mut self, kind: Kind, took: Duration, outcome: Result<(), String>) {
        let at = kind as usize;
        self.times[at].push(took);
        if let Err(e) = outcome {
            // The first failure of each kind.
            if self.errors[at] == 0 {
                self.examples.push((kind, e));
            }
            self.errors[at] += 1;
        }
    }

    pub fn merge(&mut self, other: Stats) {
        for (mine, theirs) in self.times.iter_mut().zip(other.times) {
            mine.extend(theirs);
        }
        for (mine, theirs) in self.errors.iter_mut().zip(other.errors) {
            *mine += theirs;
        }
        for (kind, example) in other.examples {
            if !self.examples.iter().any(|(k, _)| *k == kind) {
                self.examples.push((kind, example));
            }
        }
        self.stale += other.stale;
        self.stale_examples.extend(other.stale_examples);
        self.stale_examples.truncate(5);
        self.writes_skipped += other.writes_skipped;
    }
}

/// What the clerks ask for, drawn from the data set.
pub struct Plan {
    pub name_pieces: Vec<String>,
    pub codes: Vec<String>,
    /// `city=…`, `county=…`, or nothing (the whole nation).
    pub places: Vec<String>,
    pub ledger_orgs: Vec<i64>,
    /// Organizations in normal status with no open matter: (id, name, credit code).
    pub to_rename: Vec<(i64, String, String)>,
}

/// The other filters of a listing, combined with a place and a page.
pub const FILTERS: [&str; 10] = [
    "kind=social_group",
    "kind=social_service&status=normal",
    "level=county&category=community_service",
    "category=charity&sort=-founded_on",
    "status=normal&credit_list=none",
    "kind=foundation&level=city",
    "category=industry_association&sort=credit_code",
    "status=deregistered",
    "credit_list=abnormal",
    "level=provincial&kind=social_group&sort=-founded_on",
];

impl Plan {
    pub async fn draw(settings: &Settings, renames: usize) -> anyhow::Result<Plan> {
        let mut conn = PgConnection::connect(&settings.url()).await?;
        let mut dice = Dice::new(settings.spec.seed, "plan");
        let (max,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) FROM organizations")
            .fetch_one(&mut conn)
            .await?;
        anyhow::ensure!(max > 0, "the data set has no organizations");
        let mut ids =
            |n: usize| -> Vec<i64> { (0..n).map(|_| 1 + (dice.next() % max as u64) as i64).collect() };
        let sample: Vec<(String, String)> =
            sqlx::query_as("SELECT name, credit_code FROM organizations WHERE id = ANY($1)")
                .bind(ids(400))
                .fetch_all(&mut conn)
                .await?;
        let ledger_orgs = ids(1_000);
        // The same organizations on every run, in an order of their own, less those with a matter still
        // open (a run that ended early leaves some under review).
        let to_rename: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT o.id, o.name, o.credit_code FROM organizations o
             WHERE o.status = 'normal'
               AND NOT EXISTS (SELECT 1 FROM matters m WHERE m.organization_id = o.id
                               AND m.state NOT IN ('approved', 'rejected'))
             ORDER BY md5(o.id::text || $1) LIMIT $2",
        )
        .bind(settings.spec.seed.to_string())
        .bind(renames as i64)
        .fetch_all(&mut conn)
        .await?;
        anyhow::ensure!(to_rename.len() == renames, "too few organizations to rename");
        let divisions: Vec<(String, String)> = sqlx::query_as(
            "SELECT code, level FROM divisions WHERE level IN ('city', 'county') ORDER BY code",
        )
        .fetch_all(&mut conn)
        .await?;
        let mut dice = Dice::new(settings.spec.seed, "places");
        let mut places = vec![String::new(); 10];
        for _ in 0..200 {
            let (code, level) = dice.pick(&divisions);
            places.push(format!("{level}={code}"));
        }
        let name_pieces = sample
            .iter()
            .map(|(name, _)| {
                let chars: Vec<char> = name.chars().collect();
                // A piece after the place: …[养老服务]中心, …[慈善]协会.
                let from = chars.len() * 2 / 5;
                let start = from + dice.below((chars.len() - from).saturating_sub(2).max(1));
                let len = 2 + dice.below(3);
                chars[start..(start + len).min(chars.len())].iter().collect()
            })
            .collect();
        Ok(Plan {
            name_pieces,
            codes: sample.into_iter().map(|(_, code)| code).collect(),
            places,
            ledger_orgs,
            to_rename,
        })
    }
}

/// A client signed in to `base` as `username` (its own session and connections).
pub async fn sign_in(base: &str, username: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(120))
        .build()?;
    let answer = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": dataset::PASSWORD }))
        .send()
        .await?;
    anyhow::ensure!(
        answer.status().is_success(),
        "{username} could not sign in to {base}: {} {}",
        answer.status(),
        answer.text().await.unwrap_or_default()
    );
    Ok(client)
}

/// A GET whose answer must be a success; the body, read whole.
pub async fn get(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, String> {
    let answer = client.get(url).send().await.map_err(|e| e.to_string())?;
    let status = answer.status();
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(body.to_vec())
    } else {
        Err(format!("{status} {}", String::from_utf8_lossy(&body)))
    }
}

/// How long a clerk thinks: `think` uniformly jittered by half of it either way.
fn think_time(dice: &mut Dice, think: Duration) -> Duration {
    think.mul_f64(0.5 + dice.unit())
}

/// One clerk: registry reads (`ledger` false) or ledger reads, in turn, until `deadline`.
pub async fn clerk(
    n: usize,
    client: reqwest::Client,
    base: String,
    plan: Arc<Plan>,
    ledger: bool,
    think: Duration,
    deadline: Instant,
) -> Stats {
    let mut dice = Dice::new(
        n as u64 + 1,
        if ledger { "ledger clerk" } else { "registry clerk" },
    );
    let mut stats = Stats::default();
    let mut turn = n;
    // Clerks are found at every point of their thinking when the minute starts, not all about to ask at
    // once: sixty requests in the same millisecond are a burst no office sends, and on two cores they were
    // every read over 90 ms of the measured minute (the first second's 49, none after).
    if !think.is_zero() {
        tokio::time::sleep(think.mul_f64(dice.unit())).await;
    }
    while Instant::now() < deadline {
        turn += 1;
        let (kind, path) = if ledger {
            if turn.is_multiple_of(2) {
                let id = *dice.pick(&plan.ledger_orgs);
                (
                    Kind::OrgSummary,
                    format!("/api/v1/contributions/totals?organization_id={id}&by=kind,year"),
                )
            } else {
                (
                    Kind::ProvinceTotals,
                    "/api/v1/contributions/totals?by=kind,city".to_owned(),
                )
            }
        } else {
            match turn % 3 {
                0 => (
                    Kind::NameSearch,
                    format!("/api/v1/organizations?q={}", dice.pick(&plan.name_pieces)),
                ),
                1 => (
                    Kind::CodeSearch,
                    format!("/api/v1/organizations?q={}", dice.pick(&plan.codes)),
                ),
                _ => {
                    let place = dice.pick(&plan.places);
                    let filter = dice.pick(&FILTERS);
                    let page = format!("page={}", 1 + dice.below(5));
                    let query: Vec<&str> = [place.as_str(), filter, &page]
                        .into_iter()
                        .filter(|part| !part.is_empty())
                        .collect();
                    (
                        Kind::Listing,
                        format!("/api/v1/organizations?{}", query.join("&")),
                    )
                }
            }
        };
        let started = Instant::now();
        let outcome = get(&client, &format!("{base}{path}")).await.map(|_| ());
        stats.record(kind, started.elapsed(), outcome);
        if !think.is_zero() {
            tokio::time::sleep(think_time(&mut dice, think)).await;
        }
    }
    stats
}

/// Samples each server's memory every quarter second until `stop`; the highest resident set seen.
pub async fn sample_memory(servers: Arc<[ServerProcess; 2]>, stop: Arc<AtomicBool>) -> [u64; 2] {
    let mut highest = [0_u64; 2];
    while !stop.load(Ordering::Relaxed) {
        for (high, server) in highest.iter_mut().zip(servers.iter()) {
            let Memory { rss_kib, .. } = server.memory();
            *high = (*high).max(rss_kib);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    highest
}
