//! Browser end-to-end support: the real application serving the built app from `dist/`, a chromedriver of
//! the test's own, and headless Chromium at a phone (375×812) or desktop (1280×800) viewport.
//!
//! Every `checkpoint` takes a screenshot into `target/screenshots/` and fails the test on any console entry
//! of level SEVERE (`console.error`, a failed request, a CSP violation) and, on the phone, on horizontal
//! overflow. Waits poll with a deadline; nothing sleeps for a fixed time.

mod driver;
mod relay;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{Backend, TestApp, dist_dir, spawn_app};
use driver::{BrowserLog, Cdp, ChromeDriver, NetworkConditions};
use relay::Relay;

pub use driver::{chrome_bin, chromedriver_bin};

/// The longest any wait may take: generous, because the machine may be busy building.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// The screen a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    /// 375×812 CSS pixels at a device pixel ratio of 2, with touch: a common phone.
    Phone,
    /// A 1280×800 window.
    Desktop,
}

impl Viewport {
    pub fn name(self) -> &'static str {
        match self {
            Viewport::Phone => "phone",
            Viewport::Desktop => "desktop",
        }
    }

    /// The width of the viewport in CSS pixels.
    pub fn width(self) -> u32 {
        match self {
            Viewport::Phone => 375,
            Viewport::Desktop => 1280,
        }
    }
}

/// A headless Chromium on the running application.
pub struct Browser {
    pub viewport: Viewport,
    pub app: TestApp,
    client: Client,
    /// Between the browser and the application when the test takes the signal away (`open_demo_with_signal`).
    relay: Option<Relay>,
    /// Dropped after the client: it ends the browser session and stops chromedriver.
    _driver: ChromeDriver,
}

impl Browser {
    /// Starts the application over a fresh SQLite database, chromedriver and Chromium at `viewport`.
    pub async fn open(viewport: Viewport) -> Browser {
        Browser::start(viewport, spawn_app(Backend::Sqlite).await).await
    }

    /// As `open`, with the demo data set and its accounts.
    pub async fn open_demo(viewport: Viewport) -> Browser {
        Browser::start(viewport, crate::spawn_demo_app(Backend::Sqlite).await).await
    }

    /// As `open_demo`, with the browser reaching the application through a relay that `lose_signal` cuts.
    pub async fn open_demo_with_signal(viewport: Viewport) -> Browser {
        let mut browser = Browser::open_demo(viewport).await;
        browser.relay = Some(Relay::start(browser.app.port).await);
        browser
    }

    /// As `open_demo`, with the server's configuration adjusted first (e.g. a small inline export limit).
    pub async fn open_demo_with(viewport: Viewport, adjust: impl FnOnce(&mut sheguan::Config)) -> Browser {
        let app = crate::spawn_app_with(Backend::Sqlite, |config| {
            config.demo = true;
            adjust(config);
        })
        .await;
        Browser::start(viewport, app).await
    }

    async fn start(viewport: Viewport, app: TestApp) -> Browser {
        let index = dist_dir().join("index.html");
        assert!(
            index.is_file(),
            "{} is missing: build the browser app first with `cargo xtask dist` (`cargo xtask test` does it)",
            index.display()
        );
        let mut driver = ChromeDriver::start().await;
        let client = driver.connect(viewport).await;
        Browser {
            viewport,
            app,
            client,
            relay: None,
            _driver: driver,
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The address of `path` as the browser reaches it (through the relay, if there is one).
    pub fn url(&self, path: &str) -> String {
        match &self.relay {
            Some(relay) => format!("http://{}{path}", relay.address),
            None => self.app.url(path),
        }
    }

    /// Opens a path of the application, once the app runs on it (a visitor's page is drawn in its HTML
    /// before the app starts, and what is drawn there does nothing yet).
    pub async fn goto(&self, path: &str) {
        let url = self.url(path);
        if let Err(e) = self.client.goto(&url).await {
            panic!("{}", self.failure(&format!("cannot open {url}: {e}")).await);
        }
        if !path.starts_with("/api/") {
            self.wait_for_the_app().await;
        }
    }

    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload");
        self.wait_for_the_app().await;
    }

    /// Waits until the app has started on the page (`lib.rs::start` marks `<html data-app>`).
    pub async fn wait_for_the_app(&self) {
        self.wait_until(
            "the app to start",
            "return document.documentElement.dataset.app === 'started'",
            Vec::new(),
        )
        .await
    }

    pub async fn back(&self) {
        self.client.back().await.expect("history back");
    }

    pub async fn forward(&self) {
        self.client.forward().await.expect("history forward");
    }

    /// The element `css` selects, once it is there.
    pub async fn find(&self, css: &str) -> Element {
        self.find_by(Locator::Css(css), css).await
    }

    /// The element `xpath` selects, once it is there.
    pub async fn find_xpath(&self, xpath: &str) -> Element {
        self.find_by(Locator::XPath(xpath), xpath).await
    }

    async fn find_by(&self, locator: Locator<'_>, what: &str) -> Element {
        // A page that is navigating (sign-in loads its target in full) answers "aborted by navigation"
        // rather than "no such element": both mean "not yet", until the timeout.
        let deadline = Instant::now() + TIMEOUT;
        let found = loop {
            match self.client.find(locator).await {
                Ok(element) => break Ok(element),
                Err(e) if Instant::now() < deadline && not_there_yet(&e) => tokio::time::sleep(POLL).await,
                Err(e) => break Err(e),
            }
        };
        match found {
            Ok(element) => element,
            Err(e) => panic!(
                "{}",
                self.failure(&format!("`{what}` did not appear within {TIMEOUT:?}: {e}"))
                    .await
            ),
        }
    }

    /// Waits for an element `css` whose text contains `text`.
    pub async fn find_text(&self, css: &str, text: &str) -> Element {
        let what = format!("`{css}` containing {text:?}");
        let script = "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]))";
        self.wait_until(&what, script, vec![json!(css), json!(text)])
            .await;
        self.find(css).await
    }

    /// Picks the option labelled `label` in `select[name=…]`, once the select is enabled and offers it.
    pub async fn choose(&self, select_name: &str, label: &str) {
        let xpath =
            format!("//select[@name='{select_name}' and not(@disabled)]/option[normalize-space()='{label}']");
        let option = self.find_xpath(&xpath).await;
        option.click().await.expect("choose an option");
    }

    /// Types `text` into the field `css` after clearing it.
    pub async fn type_into(&self, css: &str, text: &str) -> Element {
        let field = self.find(css).await;
        field.clear().await.expect("clear the field");
        field.send_keys(text).await.expect("type");
        field
    }

    /// Presses Enter in `field`.
    pub async fn press_enter(&self, field: &Element) {
        field.send_keys(&Key::Enter).await.expect("press Enter");
    }

    /// Runs `script` (a function body that `return`s) in the page.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        match self.client.execute(script, args).await {
            Ok(value) => value,
            Err(e) => panic!("{}", self.failure(&format!("script failed: {e}\n{script}")).await),
        }
    }

    /// Waits until `script` returns true.
    pub async fn wait_until(&self, what: &str, script: &str, args: Vec<Value>) {
        self.eventually(what, async || {
            let value = self.client.execute(script, args.clone()).await.ok()?;
            (value == Value::Bool(true)).then_some(())
        })
        .await
    }

    /// Polls `check` until it gives a value, failing with `what` after the timeout.
    pub async fn eventually<T>(&self, what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(value) = check().await {
                return value;
            }
            if Instant::now() > deadline {
                panic!(
                    "{}",
                    self.failure(&format!("waited {TIMEOUT:?} for {what}")).await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Cuts the page's network (`true`), as a phone without signal, or gives it back (`false`).
    pub async fn set_offline(&self, offline: bool) {
        if let Err(e) = self.client.issue_cmd(NetworkConditions { offline }).await {
            panic!(
                "{}",
                self.failure(&format!("cannot set the network conditions: {e}"))
                    .await
            );
        }
    }

    /// Holds every request the page makes to the API (`true`) without an answer, as a slow network does:
    /// the page shows what it draws while its data is on its way. `false` lets new requests through; the
    /// held ones stay held until the page is left.
    pub async fn hold_api_requests(&self, hold: bool) {
        let command = if hold {
            Cdp {
                command: "Fetch.enable",
                params: json!({ "patterns": [{ "urlPattern": "*/api/*" }] }),
            }
        } else {
            Cdp {
                command: "Fetch.disable",
                params: json!({}),
            }
        };
        if let Err(e) = self.client.issue_cmd(command).await {
            panic!(
                "{}",
                self.failure(&format!("cannot hold the API's requests: {e}"))
                    .await
            );
        }
    }

    /// The phone loses its signal (`true`): the page is offline (`set_offline`) and nothing reaches the
    /// application, not even the service worker's requests (the relay of `open_demo_with_signal` is cut).
    /// `false` gives both back, the application on the same address.
    pub async fn lose_signal(&self, lost: bool) {
        let relay = self
            .relay
            .as_ref()
            .expect("lose_signal needs a browser from open_demo_with_signal");
        relay.set_cut(lost);
        self.set_offline(lost).await;
    }

    /// Waits until the page's service worker is installed and active (it has kept the app for offline use).
    pub async fn wait_for_service_worker(&self) {
        let script = "const done = arguments[arguments.length - 1]; \
            navigator.serviceWorker.getRegistration().then(r => done(r && r.active ? r.active.state : null), () => done(null));";
        self.eventually("the service worker to be active", async || {
            let state = self.client.execute_async(script, Vec::new()).await.ok()?;
            (state == json!("activated")).then_some(())
        })
        .await
    }

    /// Whether a service worker answers the current page's requests (it served the page).
    pub async fn served_by_service_worker(&self) -> bool {
        self.execute("return navigator.serviceWorker.controller !== null", Vec::new())
            .await
            == Value::Bool(true)
    }

    /// Takes the console entries since the last look, failing on any SEVERE one that `allowed` does not
    /// accept (e.g. the failed requests of a page that is offline on purpose).
    pub async fn drain_console_allowing(&self, when: &str, allowed: impl Fn(&str) -> bool) {
        let entries = self.console().await;
        for entry in &entries {
            eprintln!(
                "[{} console {}] {}",
                self.viewport.name(),
                entry.level,
                entry.message
            );
        }
        let errors: Vec<&str> = entries
            .iter()
            .filter(|e| e.level == "SEVERE" && !allowed(&e.message))
            .map(|e| e.message.as_str())
            .collect();
        assert!(
            errors.is_empty(),
            "{when}: the browser console has errors:\n{}",
            errors.join("\n")
        );
    }

    /// The query string of the current URL, as pairs.
    pub async fn query(&self) -> Vec<(String, String)> {
        let url = self.client.current_url().await.expect("current URL");
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// One parameter of the current URL's query string.
    pub async fn query_param(&self, name: &str) -> Option<String> {
        self.query()
            .await
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A DOM property of the element `css` (e.g. a field's `value`).
    pub async fn property(&self, css: &str, name: &str) -> String {
        let element = self.find(css).await;
        element
            .prop(name)
            .await
            .expect("read a property")
            .unwrap_or_default()
    }

    /// Saves a screenshot, checks that the page fits a phone's width and that the console has no error.
    pub async fn checkpoint(&self, name: &str) {
        self.screenshot(name).await;
        self.assert_fits_the_screen(name).await;
        self.assert_no_console_errors(name).await;
    }

    /// Writes `target/screenshots/{viewport}-{name}.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        self.try_screenshot(name)
            .await
            .unwrap_or_else(|e| panic!("screenshot {name}: {e}"))
    }

    async fn try_screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{}-{name}.png", self.viewport.name()));
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    /// How wide the page is in CSS pixels: the document's width, or the window's when a phone zoomed out
    /// to show a page wider than its screen.
    pub async fn page_width(&self) -> u64 {
        let measured = self.execute(MEASURE_WIDTH, Vec::new()).await;
        let width = |name: &str| measured[name].as_u64().unwrap_or_default();
        width("scrollWidth").max(width("innerWidth"))
    }

    /// The viewport is the one asked for and, on the phone, nothing makes the page scroll sideways.
    pub async fn assert_fits_the_screen(&self, when: &str) {
        let measured = self.execute(MEASURE_WIDTH, Vec::new()).await;
        let width = |name: &str| measured[name].as_u64().unwrap_or_default();
        let expected = u64::from(self.viewport.width());
        match self.viewport {
            Viewport::Phone => {
                assert_eq!(
                    width("clientWidth"),
                    expected,
                    "{when}: the layout viewport is not a phone's"
                );
                let page = width("scrollWidth").max(width("innerWidth"));
                assert!(
                    page <= expected,
                    "{when}: the page is {page} px wide on a {expected} px phone; past the edge: {}",
                    measured["tooWide"]
                );
            }
            Viewport::Desktop => {
                assert_eq!(
                    width("innerWidth"),
                    expected,
                    "{when}: the window is not the one asked for"
                );
            }
        }
    }

    /// Fails on any console entry of level SEVERE since the last look; prints the others.
    pub async fn assert_no_console_errors(&self, when: &str) {
        self.drain_console_allowing(when, |_| false).await;
    }

    /// The browser console's entries since the last call (chromedriver hands each out once).
    pub async fn console(&self) -> Vec<ConsoleEntry> {
        let value = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("read the browser console");
        serde_json::from_value(value).expect("console entries")
    }

    /// Why a test fails: `message`, the page's URL, its console and a screenshot.
    async fn failure(&self, message: &str) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let console = self.client.issue_cmd(BrowserLog).await.unwrap_or_default();
        let shot = match self.try_screenshot("failure").await {
            Ok(path) => path.display().to_string(),
            Err(e) => format!("none ({e})"),
        };
        format!("{message}\n  at {url}\n  console: {console}\n  screenshot: {shot}")
    }
}

/// The widths of the window, the layout viewport and the document, and the first elements that reach past
/// the right edge.
const MEASURE_WIDTH: &str = r#"
const root = document.documentElement;
const tooWide = [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > root.clientWidth + 0.5)
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''));
return { innerWidth: window.innerWidth, clientWidth: root.clientWidth, scrollWidth: root.scrollWidth, tooWide };
"#;

fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("screenshots")
}

/// One entry of the browser console as chromedriver reports it.
#[derive(Debug, Deserialize)]
pub struct ConsoleEntry {
    /// `SEVERE`, `WARNING`, `INFO` or `DEBUG`.
    pub level: String,
    pub message: String,
}

/// Whether a failed lookup may succeed if asked again: the element is not there yet, or the page was
/// between documents when asked.
fn not_there_yet(error: &fantoccini::error::CmdError) -> bool {
    use fantoccini::error::{CmdError, ErrorStatus};
    match error {
        CmdError::Standard(e) => matches!(
            e.error,
            ErrorStatus::NoSuchElement | ErrorStatus::StaleElementReference | ErrorStatus::UnknownError
        ),
        CmdError::NotW3C(_) => true,
        _ => false,
    }
}
