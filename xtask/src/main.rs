//! `cargo xtask`: the project's two commands and its benchmarks.
//!
//! - `cargo xtask run`   installs what is missing, builds the app and serves it at http://127.0.0.1:8080
//! - `cargo xtask test`  formatting, lints, the wasm build and every test (unit, API, store on SQLite and
//!   PostgreSQL, browser end-to-end); exits non-zero on any failure
//! - `cargo xtask dist`  only builds the browser app into `dist/` (`--tested`: as `test` builds it, quicker)
//! - `cargo xtask house` only checks the house rules: the module layout and file sizes (`house.rs`)
//! - `cargo xtask bench size|pairing|ledger` measurements with targets

mod bench;
mod dist;
mod house;
mod prerender;
mod run;
mod split;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str =
    "usage: cargo xtask <run | test | dist [--tested] | house | bench <size|pairing|ledger|registry>>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(),
        Some("dist") if args.get(1).is_some_and(|a| a == "--tested") => {
            dist::build_finished(&workspace_root(), dist::Finish::Tested).map(|_| ())
        }
        Some("dist") => dist::build(&workspace_root()).map(|_| ()),
        Some("house") => house::check(&workspace_root()),
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `cargo` as the one that runs this xtask.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.current_dir(workspace_root());
    command
}

/// Runs a command, failing with its description if it does not succeed.
pub fn run_checked(command: &mut Command, what: &str) -> anyhow::Result<()> {
    step(what);
    let status = command
        .status()
        .map_err(|e| anyhow::anyhow!("{what}: cannot start: {e}"))?;
    anyhow::ensure!(status.success(), "{what} failed ({status})");
    Ok(())
}

/// Prints a step heading.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}
