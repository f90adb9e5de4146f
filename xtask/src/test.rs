//! `cargo xtask test`: everything CI checks, in order, stopping at the first failure: formatting, the house
//! rules (`house.rs`), then one build of every test with clippy's lints as errors beside the browser app's
//! build (the browser crate is built for wasm32 only, linted there too), then every test executable that
//! build produced (unit, API, store on SQLite and PostgreSQL, browser end-to-end against the built app).
//!
//! The browser tests run beside the others (they mostly wait on the browser), each binary with what
//! `cargo test` would give it: its package's folder as working directory and the same environment.
//!
//! PostgreSQL: `TEST_POSTGRES_URL` when set (set but empty means SQLite only), else the local cluster when
//! 127.0.0.1:5432 answers. The browser tests use `chromium` and `chromedriver` from the `PATH`, or
//! `CHROME_BIN` and `CHROMEDRIVER`; they are required, never skipped.

use std::cell::Cell;
use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::{cargo, dist, house, run_checked, step, tools, workspace_root};

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
    let lint = tools::clippy_driver()?;
    let (dist_dir, executables) = report.step("build: tests linted by clippy, browser app", || {
        let app = std::thread::spawn({
            let root = root.clone();
            move || dist::build_finished(&root, dist::Finish::Tested)
        });
        let tests = build_tests(&lint);
        let app = app
            .join()
            .map_err(|_| anyhow::anyhow!("the browser app build panicked"))?
            .context("building the browser app (dist/, wasm32)");
        let tests = tests?;
        Ok((app?.dir, tests))
    })?;

    let postgres = postgres_url();
    report.backends = backends_line(postgres.is_some());
    banner(&report.backends);
    let browser = report.step("browser tools (chromium, chromedriver)", Browser::find)?;

    let mut env: Vec<(String, OsString)> = vec![
        ("SHEGUAN_DIST_DIR".to_owned(), dist_dir.into_os_string()),
        ("CHROME_BIN".to_owned(), browser.chrome.into_os_string()),
        ("CHROMEDRIVER".to_owned(), browser.chromedriver.into_os_string()),
    ];
    if let Some(url) = postgres {
        env.push(("TEST_POSTGRES_URL".to_owned(), url.into()));
    }
    // A failed browser test leaves a screenshot there: start without old ones.
    let _ = std::fs::remove_dir_all(root.join("target").join("screenshots"));
    let counts = Cell::new(None);
    let browser_log = root.join("target").join("browser-tests.log");
    let result = report.step("tests (unit, API, store, browser)", || {
        let (tally, failed) = run_tests(executables, env, &browser_log)?;
        counts.set(Some(tally));
        anyhow::ensure!(
            failed.is_empty(),
            "{} failed ({} of the tests that ran failed)",
            failed.join(", "),
            tally.failed
        );
        Ok(())
    });
    report.counts = counts.get();
    result
}

/// A test executable of the workspace, as `cargo test --no-run` reports it.
#[derive(Debug, Clone)]
struct TestExecutable {
    /// `package/target` (`tests/api`), for the summary.
    name: String,
    path: PathBuf,
    /// The package's folder: `cargo test` runs a package's tests there.
    package_dir: PathBuf,
}

/// Builds every test of the workspace but the browser crate's (built for wasm32 only, by the bundle
/// build) with clippy's lints as errors; the executables they are.
fn build_tests(lint: &Path) -> anyhow::Result<Vec<TestExecutable>> {
    let mut executables = test_executables(
        lint,
        "building every test with clippy's lints as errors (cargo test --no-run)",
        &[
            "--workspace",
            "--exclude",
            "frontend",
            "--exclude",
            "xtask",
            "--features",
            "tests/e2e",
        ],
    )?;
    // This tool's own tests, built alone: with the workspace, its dependencies (wasm-bindgen's library and
    // what it needs) would be compiled again under the workspace's features.
    executables.extend(test_executables(
        lint,
        "building xtask's tests (cargo test -p xtask --no-run)",
        &["-p", "xtask"],
    )?);
    Ok(executables)
}

/// Runs `cargo test --no-run` with `packages`: the executables it produced.
fn test_executables(lint: &Path, what: &str, packages: &[&str]) -> anyhow::Result<Vec<TestExecutable>> {
    step(what);
    let mut command = cargo();
    tools::linted(&mut command, lint)
        .arg("test")
        .args(packages)
        .args(["--no-run", "--message-format", "json-render-diagnostics"]);
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("{what}: cannot start cargo"))?;
    let mut executables = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            executables.extend(test_executable(&line?));
        }
    }
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "{what} failed ({status})");
    anyhow::ensure!(
        !executables.is_empty(),
        "{what}: cargo reported no test executable"
    );
    Ok(executables)
}

/// The test executable a line of cargo's JSON output announces, if it announces one.
fn test_executable(line: &str) -> Option<TestExecutable> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message["reason"] != "compiler-artifact" || message["profile"]["test"] != true {
        return None;
    }
    let path = PathBuf::from(message["executable"].as_str()?);
    let package_dir = Path::new(message["manifest_path"].as_str()?)
        .parent()?
        .to_path_buf();
    let package = package_dir.file_name()?.to_string_lossy().into_owned();
    let target = message["target"]["name"].as_str()?;
    Some(TestExecutable {
        name: format!("{package}/{target}"),
        path,
        package_dir,
    })
}

/// Runs the browser tests in a thread of their own, their output kept in `browser_log` and printed once
/// they end, while the other executables run one after another with their output passed through. The
/// tests' counts, and the executables that failed.
fn run_tests(
    executables: Vec<TestExecutable>,
    env: Vec<(String, OsString)>,
    browser_log: &Path,
) -> anyhow::Result<(Counts, Vec<String>)> {
    step("running every test executable (the browser tests beside the others)");
    let (mut browser, others): (Vec<TestExecutable>, Vec<TestExecutable>) =
        executables.into_iter().partition(|e| e.name == "tests/browser");
    let browser = browser.pop().context("the browser tests were not built")?;
    let browser_run = std::thread::spawn({
        let (env, log) = (env.clone(), browser_log.to_path_buf());
        move || -> anyhow::Result<(Counts, bool)> {
            let file = std::fs::File::create(&log)?;
            let status = test_command(&browser, &env)
                .stdout(file.try_clone()?)
                .stderr(file)
                .status()
                .context("cannot start the browser tests")?;
            let mut counts = Counts::default();
            for line in std::fs::read_to_string(&log).unwrap_or_default().lines() {
                counts.add(line);
            }
            Ok((counts, status.success()))
        }
    });
    let mut counts = Counts::default();
    let mut failed = Vec::new();
    for executable in &others {
        eprintln!(
            "\n     Running {} ({})",
            executable.name,
            executable.path.display()
        );
        let mut child = test_command(executable, &env)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", executable.path.display()))?;
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                let line = line?;
                println!("{line}");
                counts.add(&line);
            }
        }
        if !child.wait()?.success() {
            failed.push(executable.name.clone());
        }
    }
    let (browser_counts, browser_ok) = browser_run
        .join()
        .map_err(|_| anyhow::anyhow!("the browser tests' thread panicked"))??;
    eprintln!(
        "\n     Ran tests/browser (its output, kept in {}):",
        browser_log.display()
    );
    println!("{}", std::fs::read_to_string(browser_log).unwrap_or_default());
    counts.merge(browser_counts);
    if !browser_ok {
        failed.push("tests/browser".to_owned());
    }
    Ok((counts, failed))
}

/// The command `cargo test` would run for `executable`.
fn test_command(executable: &TestExecutable, env: &[(String, OsString)]) -> Command {
    let mut command = Command::new(&executable.path);
    command
        .current_dir(&executable.package_dir)
        .env("CARGO_MANIFEST_DIR", &executable.package_dir)
        .envs(env.iter().map(|(k, v)| (k, v)));
    command
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

impl Counts {
    /// Adds a `test result: ok. 18 passed; …` line; other lines change nothing.
    fn add(&mut self, line: &str) {
        if let Some(result) = line.strip_prefix("test result: ") {
            self.binaries += 1;
            self.passed += count(result, "passed");
            self.failed += count(result, "failed");
            self.ignored += count(result, "ignored");
        }
    }

    fn merge(&mut self, other: Counts) {
        self.binaries += other.binaries;
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
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
