//! The writer: organizations changed through the API as the bureau changes them — a change matter (更名)
//! filed, accepted and taken into review by one clerk beforehand, then approved by another at a steady rate
//! during the run, on the two servers in turn — and after each approval a search by the organization's
//! credit code through the OTHER server, which must already show the new name (else a freshness failure).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use domain::api::{FileMatterRequest, MatterDetail, OrganizationSummary, Page, ProfileChanges};
use domain::registry::matter::{MatterAction, MatterKind};

use crate::load::{Kind, Plan, Stats, get};
use crate::names;

/// Approvals waiting for their servers beyond which the pacer skips a beat rather than pile more on (the
/// reads after them do not count: a slow read must not hold the writes back).
const MOST_IN_FLIGHT: usize = 32;

/// A change matter under review, ready to approve.
pub struct Prepared {
    matter: i64,
    server: usize,
    credit_code: String,
    new_name: String,
}

/// Clients of one server for the writer: the clerk who files and reviews, the approver, and a reader.
#[derive(Clone)]
pub struct Desk {
    pub base: String,
    pub clerk: reqwest::Client,
    pub approver: reqwest::Client,
    pub reader: reqwest::Client,
}

async fn post<T: serde::Serialize>(client: &reqwest::Client, url: &str, body: &T) -> Result<Vec<u8>, String> {
    let answer = client
        .post(url)
        .json(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = answer.status();
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(body.to_vec())
    } else {
        Err(format!("{status} {}", String::from_utf8_lossy(&body)))
    }
}

/// Files, accepts and starts reviewing a rename of each organization of `plan.to_rename`, the two servers
/// in turn, eight at a time.
pub async fn prepare(desks: &[Desk; 2], plan: &Plan) -> anyhow::Result<Vec<Prepared>> {
    let mut workers = tokio::task::JoinSet::new();
    let jobs: Vec<(usize, (i64, String, String))> = plan.to_rename.iter().cloned().enumerate().collect();
    for part in jobs.chunks(jobs.len().div_ceil(8).max(1)) {
        let part = part.to_vec();
        let desks = desks.clone();
        workers.spawn(async move {
            let mut prepared = Vec::new();
            for (n, (id, name, credit_code)) in part {
                let server = n % 2;
                let desk = &desks[server];
                let new_name = names::renamed(&name);
                let request = FileMatterRequest {
                    kind: MatterKind::Change,
                    organization_id: Some(id),
                    changes: ProfileChanges {
                        name: Some(new_name.clone()),
                        ..ProfileChanges::default()
                    },
                    establishment: None,
                    note: "更名".to_owned(),
                };
                let filed = post(&desk.clerk, &format!("{}/api/v1/matters", desk.base), &request)
                    .await
                    .map_err(|e| anyhow::anyhow!("filing a change of {name}: {e}"))?;
                let detail: MatterDetail = serde_json::from_slice(&filed)?;
                let matter = detail.matter.id;
                for action in [MatterAction::Accept, MatterAction::StartReview] {
                    let url = format!("{}/api/v1/matters/{matter}/actions", desk.base);
                    post(&desk.clerk, &url, &action)
                        .await
                        .map_err(|e| anyhow::anyhow!("{action:?} on matter {matter}: {e}"))?;
                }
                prepared.push((
                    n,
                    Prepared {
                        matter,
                        server,
                        credit_code,
                        new_name,
                    },
                ));
            }
            anyhow::Ok(prepared)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = workers.join_next().await {
        all.extend(done??);
    }
    all.sort_by_key(|(n, _)| *n);
    Ok(all.into_iter().map(|(_, p)| p).collect())
}

/// Approves `prepared` matters at `per_second` until `deadline`, each followed by the read through the
/// other server.
pub async fn run(
    desks: Arc<[Desk; 2]>,
    prepared: &mut std::vec::IntoIter<Prepared>,
    per_second: f64,
    deadline: Instant,
) -> Stats {
    let mut stats = Stats::default();
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / per_second));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        ticker.tick().await;
        if Instant::now() >= deadline {
            break;
        }
        if in_flight.load(Ordering::Relaxed) >= MOST_IN_FLIGHT {
            stats.writes_skipped += 1;
            continue;
        }
        let Some(write) = prepared.next() else {
            break;
        };
        in_flight.fetch_add(1, Ordering::Relaxed);
        let (desks, in_flight) = (Arc::clone(&desks), Arc::clone(&in_flight));
        tasks.spawn(async move { approve_and_read(&desks, write, &in_flight).await });
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok(done) = done {
            stats.merge(done);
        }
    }
    stats
}

/// Approves one matter (counted in `in_flight` until it is answered), then reads it back through the other
/// server.
async fn approve_and_read(desks: &[Desk; 2], write: Prepared, in_flight: &AtomicUsize) -> Stats {
    let mut stats = Stats::default();
    let (here, there) = (&desks[write.server], &desks[1 - write.server]);
    let started = Instant::now();
    let url = format!("{}/api/v1/matters/{}/actions", here.base, write.matter);
    let approved = post(&here.approver, &url, &MatterAction::Approve)
        .await
        .map(|_| ());
    in_flight.fetch_sub(1, Ordering::Relaxed);
    let ok = approved.is_ok();
    stats.record(Kind::Write, started.elapsed(), approved);
    if !ok {
        return stats;
    }
    let started = Instant::now();
    let url = format!("{}/api/v1/organizations?q={}", there.base, write.credit_code);
    let read = get(&there.reader, &url).await;
    let took = started.elapsed();
    match read.and_then(|body| {
        serde_json::from_slice::<Page<OrganizationSummary>>(&body).map_err(|e| e.to_string())
    }) {
        Ok(page) => {
            stats.record(Kind::FreshRead, took, Ok(()));
            let shown: Vec<&str> = page.items.iter().map(|o| o.name.as_str()).collect();
            if shown != [write.new_name.as_str()] {
                stats.stale += 1;
                stats.stale_examples.push(format!(
                    "{} approved on server {}, server {} shows {shown:?}",
                    write.new_name,
                    write.server + 1,
                    2 - write.server
                ));
            }
        }
        Err(e) => stats.record(Kind::FreshRead, took, Err(e)),
    }
    stats
}
