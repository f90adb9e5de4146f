//! Nothing acknowledged is lost: the server runs as a process of its own and is killed (SIGKILL: no
//! graceful stop, transactions cut wherever they are) three times while phones report ledger entries
//! with idempotency keys and, as the phone's outbox does, send again whatever got no answer. After the
//! last restart every entry the server acknowledged is there exactly once, under its key, with the id
//! it was acknowledged with.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use domain::api::{ContributionInput, CreateContributionRequest};
use domain::contributions::ContributionKind;
use reqwest::StatusCode;
use tests::{Backend, Db, TestDatabase, demo_password, on_both_backends};

const PHONES: usize = 4;
const ENTRIES_PER_PHONE: usize = 25;
/// The server is killed when this many entries have been acknowledged, each time.
const KILL_AFTER: [usize; 3] = [10, 40, 70];

on_both_backends!(a_server_killed_while_phones_report_loses_no_acknowledged_entry);

async fn a_server_killed_while_phones_report_loses_no_acknowledged_entry(backend: Backend) {
    let (database, keys) = TestDatabase::with_demo_data(&backend).await;
    let mut server = ServerProcess::new(&database.url, &keys);
    server.start().await;
    let base = server.base.clone();

    let acknowledged = Arc::new(AtomicUsize::new(0));
    let phones: Vec<_> = (0..PHONES)
        .map(|phone| tokio::spawn(report(base.clone(), phone, acknowledged.clone())))
        .collect();
    for threshold in KILL_AFTER {
        while acknowledged.load(Ordering::SeqCst) < threshold {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill();
        server.start().await;
    }
    let mut receipts = Vec::new();
    let mut retries = 0;
    for phone in phones {
        let (acks, retried) = phone.await.expect("a phone's task");
        receipts.extend(acks);
        retries += retried;
    }

    assert_eq!(
        receipts.len(),
        PHONES * ENTRIES_PER_PHONE,
        "every entry was acknowledged in the end"
    );
    assert!(
        retries >= KILL_AFTER.len(),
        "the kills cut requests short: {retries} retries"
    );
    let db = Db::connect(&database.url).await;
    let stored = db
        .count("SELECT COUNT(*) FROM contributions WHERE idempotency_key LIKE 'chaos-%'")
        .await;
    assert_eq!(
        stored,
        receipts.len() as i64,
        "each acknowledged entry once, none twice"
    );
    for (key, id) in &receipts {
        let sql = format!("SELECT COUNT(*) FROM contributions WHERE idempotency_key = '{key}' AND id = {id}");
        assert_eq!(db.count(&sql).await, 1, "{key} is entry {id}");
    }
    server.kill();
}

/// One phone: signs in as the demo organization user and reports its entries in turn, each under its own
/// key, sending it again after a failure or no answer until the server acknowledges it (201, or 200
/// for a key it already recorded). Its receipts (key, entry id) and how many sends failed.
async fn report(base: String, phone: usize, acknowledged: Arc<AtomicUsize>) -> (Vec<(String, i64)>, usize) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let mut receipts = Vec::new();
    let mut retries = 0;
    let mut signed_in = false;
    for n in 0..ENTRIES_PER_PHONE {
        let key = format!("chaos-{phone}-{n}");
        let body = entry(phone, n);
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            assert!(Instant::now() < deadline, "{key} was never acknowledged");
            if !signed_in {
                signed_in = sign_in(&client, &base).await;
                if !signed_in {
                    retries += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
            let sent = client
                .post(format!("{base}/api/v1/contributions"))
                .header("Idempotency-Key", &key)
                .json(&body)
                .send()
                .await;
            match sent {
                Ok(response) if matches!(response.status(), StatusCode::OK | StatusCode::CREATED) => {
                    let entry: serde_json::Value = match response.json().await {
                        Ok(entry) => entry,
                        // The answer was cut off by a kill: not acknowledged, so send it again.
                        Err(_) => {
                            retries += 1;
                            continue;
                        }
                    };
                    receipts.push((key, entry["id"].as_i64().expect("the entry's id")));
                    acknowledged.fetch_add(1, Ordering::SeqCst);
                    break;
                }
                Ok(response) if response.status() == StatusCode::UNAUTHORIZED => signed_in = false,
                Ok(response) => assert!(
                    response.status().is_server_error(),
                    "{key}: {} {}",
                    response.status(),
                    response.text().await.unwrap_or_default()
                ),
                Err(_) => {}
            }
            retries += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    (receipts, retries)
}

async fn sign_in(client: &reqwest::Client, base: &str) -> bool {
    let login = serde_json::json!({ "username": "demo-org", "password": demo_password() });
    client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
}

/// Phone `phone`'s `n`th entry: rural aid of a distinct amount, dated today.
fn entry(phone: usize, n: usize) -> CreateContributionRequest {
    CreateContributionRequest {
        entry: ContributionInput {
            kind: ContributionKind::RuralFunds,
            date: sheguan::state::today(),
            amount_fen: 100_000 + (phone * 1_000 + n) as i64,
            people: None,
            expo_role: None,
            village_code: None,
            description: format!("断电演练 {phone}-{n}"),
            corrects_id: None,
            recipients: Vec::new(),
        },
        draft: false,
    }
}

/// The server binary built with these tests (`src/bin/sheguan-under-test.rs`) on one database and one
/// port, started again after each kill.
struct ServerProcess {
    base: String,
    port: u16,
    database_url: String,
    keys: sheguan::config::Keys,
    evidence: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

impl ServerProcess {
    fn new(database_url: &str, keys: &sheguan::config::Keys) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let id = uuid::Uuid::new_v4().simple();
        ServerProcess {
            base: format!("http://127.0.0.1:{port}"),
            port,
            database_url: database_url.to_owned(),
            keys: keys.clone(),
            evidence: std::env::temp_dir().join(format!("sheguan-chaos-evidence-{id}")),
            log: std::env::temp_dir().join(format!("sheguan-chaos-{id}.log")),
            child: None,
        }
    }

    /// Starts the server and waits until it answers `/readyz`.
    async fn start(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("the server's log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_sheguan-under-test"));
        command
            .env_clear()
            .env("SHEGUAN_ADDR", format!("127.0.0.1:{}", self.port))
            .env("SHEGUAN_DATABASE_URL", &self.database_url)
            .env("SHEGUAN_DEMO", "true")
            .env(
                "SHEGUAN_DEMO_LEDGER_ENTRIES",
                sheguan::config::TEST_DEMO_LEDGER_ENTRIES.to_string(),
            )
            .env("SHEGUAN_SECURE_COOKIES", "false")
            .env("SHEGUAN_EVIDENCE_DIR", &self.evidence)
            .env("SHEGUAN_STATIC_DIR", tests::dist_dir())
            .env("SHEGUAN_JOB_SCHEDULES", "false")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        for (name, value) in [
            ("SHEGUAN_DATA_KEY", &self.keys.data_key),
            ("SHEGUAN_DATA_KEYS_RETIRED", &self.keys.data_keys_retired),
            ("SHEGUAN_MATCH_KEY", &self.keys.match_key),
        ] {
            if let Some(value) = value {
                command.env(name, value);
            }
        }
        if let Ok(password) = std::env::var("SHEGUAN_DEMO_PASSWORD") {
            command.env("SHEGUAN_DEMO_PASSWORD", password);
        }
        self.child = Some(command.spawn().expect("start the server"));
        let ready = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let answered = ready.get(format!("{}/readyz", self.base)).send().await;
            if answered.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                panic!("the server stopped ({status}): {}", self.log_text());
            }
            assert!(
                Instant::now() < deadline,
                "the server did not start: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// SIGKILL, and waits for the process to be gone.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(&self.log);
        let _ = std::fs::remove_dir_all(&self.evidence);
    }
}
