//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure: formatting, the house
//! rules (`house.rs`), then one build of every test with clippy's lints as errors beside the browser app's
//! build (which compiles the domain crate for wasm32), then ONE `cargo test` over the workspace with the
//! browser tests on (unit, API, store on SQLite and PostgreSQL, browser end-to-end against the built app).
//!
//! PostgreSQL: `TEST_POSTGRES_URL` when set (set but empty means SQLite only), else the local cluster when
//! 127.0.0.1:5432 answers. The browser tests use `chromium` and `chromedriver` from the `PATH`, or
//! `CHROME_BIN` and `CHROMEDRIVER`; they are required, never skipped.

use std::cell::Cell;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::{cargo, dist, house, run_checked, step, workspace_root};

/// The local cluster of a development machine or CI (trust authentication).
const LOCAL_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn test() -> anyhow::Result<()> {
    let mut report = Report::new();
    let result = run_every_step(&mut report);
    report.print();
    result
}

fn run_every_step(report: &mut Report) -> anyhow::Result<()> {
    let root = workspace_root();
    report.step("formatting (cargo fmt --check)", || {
        run_checked(
            cargo().args(["fmt", "--all", "--", "--check"]),
            "checking the formatting (cargo fmt)",
        )
    })?;
    report.step("house rules (module layout, file sizes)", || house::check(&root))?;
    // The test build and the browser app's build run side by side: the bundles' last steps use one core.
    // The test build is also the lint: clippy's driver compiles the workspace's own crates (cargo's
    // `RUSTC_WORKSPACE_WRAPPER`, which is all `cargo clippy` does), so nothing is compiled twice. The
    // bundles are built for testing (`dist::Finish::Tested`); `cargo xtask bench size` measures the
    // shipped ones. The bundle build compiles the domain crate for wasm32, so it is that check too.
    let lint = clippy_driver()?;
    let dist_dir = report.step("build: tests linted by clippy, browser app", || {
        let app = std::thread::spawn({
            let root = root.clone();
            move || dist::build_finished(&root, dist::Finish::Tested)
        });
        let tests = run_checked(
            linted(&mut cargo(), &lint).args(["test", "--workspace", "--features", "tests/e2e", "--no-run"]),
            "building every test with clippy's lints as errors (cargo test --no-run)",
        );
        let app = app
            .join()
            .map_err(|_| anyhow::anyhow!("the browser app build panicked"))?
            .context("building the browser app (dist/, wasm32)");
        tests?;
        Ok(app?.dir)
    })?;

    let postgres = postgres_url();
    report.backends = backends_line(postgres.is_some());
    banner(&report.backends);
    let browser = report.step("browser tools (chromium, chromedriver)", Browser::find)?;

    let mut command = cargo();
    linted(&mut command, &lint)
        .args(["test", "--workspace", "--features", "tests/e2e"])
        .env("SHEGUAN_DIST_DIR", &dist_dir);
    command
        .env("CHROME_BIN", &browser.chrome)
        .env("CHROMEDRIVER", &browser.chromedriver);
    if let Some(url) = &postgres {
        command.env("TEST_POSTGRES_URL", url);
    }
    // A failed browser test leaves a screenshot there: start without old ones.
    let _ = std::fs::remove_dir_all(root.join("target").join("screenshots"));
    let counts = Cell::new(None);
    let result = report.step("tests (unit, API, store, browser)", || {
        let (tally, status) = run_counting_tests(&mut command)?;
        counts.set(Some(tally));
        anyhow::ensure!(
            status.success(),
            "cargo test failed ({status}); {} of the tests that ran failed",
            tally.failed
        );
        Ok(())
    });
    report.counts = counts.get();
    result
}

/// Clippy's driver, installing the component when the toolchain lacks it.
fn clippy_driver() -> anyhow::Result<PathBuf> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("cannot run rustc --print sysroot")?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    let driver = sysroot.join("bin").join("clippy-driver");
    if !is_file(&driver) {
        run_checked(
            Command::new("rustup").args(["component", "add", "clippy"]),
            "installing clippy (rustup component add clippy)",
        )?;
    }
    anyhow::ensure!(is_file(&driver), "clippy is not installed: {}", driver.display());
    Ok(driver)
}

/// `command` with the workspace's crates compiled by clippy's driver, every warning an error — what
/// `cargo clippy -- -Dwarnings` sets, on a build that also produces the test binaries.
fn linted<'c>(command: &'c mut Command, driver: &Path) -> &'c mut Command {
    command
        .env("RUSTC_WORKSPACE_WRAPPER", driver)
        .env("CLIPPY_ARGS", "-Dwarnings__CLIPPY_HACKERY__")
}

/// `TEST_POSTGRES_URL` (empty: none), else the local cluster if it answers within a second.
fn postgres_url() -> Option<String> {
    if let Some(url) = std::env::var_os("TEST_POSTGRES_URL") {
        return Some(url.to_string_lossy().into_owned()).filter(|u| !u.is_empty());
    }
    let local = SocketAddr::from(([127, 0, 0, 1], 5432));
    TcpStream::connect_timeout(&local, Duration::from_secs(1))
        .ok()
        .map(|_| LOCAL_POSTGRES_URL.to_owned())
}

fn backends_line(postgres: bool) -> String {
    let from_env = std::env::var_os("TEST_POSTGRES_URL").is_some();
    match (postgres, from_env) {
        (true, true) => "store backends: SQLite + PostgreSQL (TEST_POSTGRES_URL)".to_owned(),
        (true, false) => "store backends: SQLite + PostgreSQL (127.0.0.1:5432)".to_owned(),
        (false, true) => "store backends: SQLite only — TEST_POSTGRES_URL is set empty".to_owned(),
        (false, false) => "store backends: SQLite only — PostgreSQL not reachable \
                           (no TEST_POSTGRES_URL, nothing answers on 127.0.0.1:5432)"
            .to_owned(),
    }
}

fn banner(line: &str) {
    let rule = "=".repeat(line.chars().count() + 4);
    eprintln!("\n{rule}\n  {line}\n{rule}");
}

/// The browser and its driver, both required by the browser tests.
#[derive(Debug)]
struct Browser {
    chrome: PathBuf,
    chromedriver: PathBuf,
}

impl Browser {
    fn find() -> anyhow::Result<Browser> {
        step("looking for Chromium and chromedriver");
        let browser = Browser {
            chrome: program("CHROME_BIN", "chromium")?,
            chromedriver: program("CHROMEDRIVER", "chromedriver")?,
        };
        let version = Command::new(&browser.chromedriver).arg("--version").output();
        let version = version
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        eprintln!(
            "chromium: {}\nchromedriver: {} ({version})",
            browser.chrome.display(),
            browser.chromedriver.display()
        );
        Ok(browser)
    }
}

/// `$variable`, else `name` on the `PATH`; an error saying how to install it otherwise.
fn program(variable: &str, name: &str) -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os(variable)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
    {
        anyhow::ensure!(path.is_file(), "{variable}={} is not a file", path.display());
        return Ok(path);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| is_file(p))
    });
    on_path.with_context(|| {
        format!(
            "{name} is not installed, and the browser tests need it: \
             `apt-get install chromium chromium-driver fonts-noto-cjk` (`.ci/run` does it), or set {variable}"
        )
    })
}

fn is_file(path: &Path) -> bool {
    path.metadata().map(|m| m.is_file()).unwrap_or(false)
}

/// What the `test result:` lines of a `cargo test` run add up to.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
    binaries: u64,
}

/// Runs `cargo test`, passing its output through while adding up the `test result:` lines.
fn run_counting_tests(command: &mut Command) -> anyhow::Result<(Counts, ExitStatus)> {
    step("running every test (cargo test --workspace --features tests/e2e)");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start cargo test")?;
    let mut counts = Counts::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if let Some(result) = line.strip_prefix("test result: ") {
                counts.binaries += 1;
                counts.passed += count(result, "passed");
                counts.failed += count(result, "failed");
                counts.ignored += count(result, "ignored");
            }
        }
    }
    Ok((counts, child.wait()?))
}

/// The number before `what` in `ok. 18 passed; 0 failed; 0 ignored; …`.
fn count(result: &str, what: &str) -> u64 {
    let words: Vec<&str> = result.split([' ', ';', '.']).filter(|w| !w.is_empty()).collect();
    words
        .windows(2)
        .find(|w| w[1] == what)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or(0)
}

/// The steps run so far and what they found, for the summary.
struct Report {
    started: Instant,
    steps: Vec<(String, Duration, bool)>,
    backends: String,
    counts: Option<Counts>,
}

impl Report {
    fn new() -> Report {
        Report {
            started: Instant::now(),
            steps: Vec::new(),
            backends: String::new(),
            counts: None,
        }
    }

    /// Runs and times one step.
    fn step<T>(&mut self, name: &str, body: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
        let start = Instant::now();
        let result = body();
        self.steps
            .push((name.to_owned(), start.elapsed(), result.is_ok()));
        result.with_context(|| format!("step failed: {name}"))
    }

    fn print(&self) {
        eprintln!("\n==> summary");
        for (name, took, ok) in &self.steps {
            let outcome = if *ok { "ok" } else { "FAILED" };
            eprintln!("  {outcome:<6} {name:<40} {:>7.1} s", took.as_secs_f64());
        }
        if !self.backends.is_empty() {
            banner(&self.backends);
        }
        if let Some(counts) = self.counts {
            eprintln!(
                "  {} test binaries; {} tests ignored",
                counts.binaries, counts.ignored
            );
        }
        eprintln!("  total {:.0} s", self.started.elapsed().as_secs_f64());
        if let Some(counts) = self.counts {
            // The plain closing line, alone on a line: what ran, all binaries together.
            println!("tests: {} passed, {} failed", counts.passed, counts.failed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn a_test_result_line_is_read_into_its_counts() {
        let line = "ok. 18 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.39s";

        assert_eq!(count(line, "passed"), 18);
        assert_eq!(count(line, "failed"), 2);
        assert_eq!(count(line, "ignored"), 1);
    }
}
