//! Starting the browser: a chromedriver of one test's own on a free port, Chromium with a fresh profile at
//! the test's viewport, and the chromedriver commands fantoccini lacks (reading the console, the network's
//! conditions, DevTools commands).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use super::{POLL, TIMEOUT, Viewport};

/// The flags for Chromium in a container: no sandbox, no GPU, nothing that reaches the network.
const CHROME_ARGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
];

/// `CHROME_BIN`, else `chromium` on the `PATH`.
pub fn chrome_bin() -> PathBuf {
    program("CHROME_BIN", "chromium")
}

/// `CHROMEDRIVER`, else `chromedriver` on the `PATH`.
pub fn chromedriver_bin() -> PathBuf {
    program("CHROMEDRIVER", "chromedriver")
}

fn program(variable: &str, name: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(variable).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| {
            panic!("{name} is not on the PATH: `apt-get install chromium chromium-driver`, or set {variable}")
        })
}

/// chromedriver's `POST /session/{id}/se/log` for the browser console, which fantoccini has no method for.
#[derive(Debug)]
pub(super) struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

/// chromedriver's `POST /session/{id}/chromium/network_conditions`: offline, the network is cut for the
/// page (as on a phone without signal, `navigator.onLine` false); online again, it is back.
#[derive(Debug)]
pub(super) struct NetworkConditions {
    pub offline: bool,
}

impl WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        // Throughput -1: no throttling; only `offline` changes.
        let conditions = json!({ "offline": self.offline, "latency": 0, "download_throughput": -1,
                                 "upload_throughput": -1 });
        (
            http::Method::POST,
            Some(json!({ "network_conditions": conditions }).to_string()),
        )
    }
}

/// A Chrome DevTools Protocol command on the page (chromedriver's `goog/cdp/execute`).
#[derive(Debug)]
pub(super) struct Cdp {
    pub command: &'static str,
    pub params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

fn capabilities(viewport: Viewport, profile: &Path) -> Capabilities {
    let mut args: Vec<String> = CHROME_ARGS.iter().map(|a| a.to_string()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut options = json!({ "binary": chrome_bin(), "args": args });
    match viewport {
        Viewport::Phone => {
            let metrics =
                json!({ "width": 375, "height": 812, "pixelRatio": 2, "mobile": true, "touch": true });
            options["mobileEmulation"] = json!({ "deviceMetrics": metrics });
        }
        Viewport::Desktop => {
            options["args"]
                .as_array_mut()
                .expect("args")
                .push(json!("--window-size=1280,800"));
        }
    }
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": options,
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    match capabilities {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object"),
    }
}

/// A chromedriver of one test's own, with a fresh Chromium profile. On drop it ends the browser session
/// (a killed chromedriver leaves its Chromium running), stops, and removes the profile.
pub(super) struct ChromeDriver {
    url: String,
    child: Child,
    session: Option<String>,
    profile: PathBuf,
}

impl ChromeDriver {
    pub(super) async fn start() -> ChromeDriver {
        let port = free_port();
        let binary = chromedriver_bin();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let profile =
            std::env::temp_dir().join(format!("sheguan-chromium-{}", uuid::Uuid::new_v4().simple()));
        let mut driver = ChromeDriver {
            url: format!("http://127.0.0.1:{port}"),
            child,
            session: None,
            profile,
        };
        driver.wait_until_ready().await;
        driver
    }

    /// Opens the browser session, Chromium at `viewport` on this driver's fresh profile.
    pub(super) async fn connect(&mut self, viewport: Viewport) -> Client {
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(viewport, &self.profile))
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("cannot open a Chromium session through {}: {e}", self.url));
        self.session = client.session_id().await.ok().flatten();
        client
    }

    /// Polls `/status` until chromedriver says it is ready.
    async fn wait_until_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver stopped as it started ({status})");
            }
            let status = client.get(format!("{}/status", self.url)).send().await;
            if let Ok(response) = status {
                let body: Value = response.json().await.unwrap_or_default();
                if body["value"]["ready"] == Value::Bool(true) {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {} within {TIMEOUT:?}",
                self.url
            );
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            // Drop may run inside the test's runtime, which cannot be blocked on: use a thread with its own.
            let url = format!("{}/session/{id}", self.url);
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        let _ = reqwest::Client::new().delete(&url).timeout(TIMEOUT).send().await;
                    });
                }
            })
            .join();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A port that was free a moment ago (chromedriver binds it right after).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}
