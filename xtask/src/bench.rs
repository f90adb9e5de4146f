//! `cargo xtask bench …`: measurements with targets, run on demand (never as timed tests).

use crate::{cargo, dist, dist::brotli_compress, run_checked, workspace_root};

/// The most a first visit may download, brotli-compressed (HTML, JS, wasm, CSS).
const FIRST_VISIT_BUDGET_BROTLI: usize = 250 * 1024;

pub fn bench(args: &[String]) -> anyhow::Result<()> {
    match args.first().map(String::as_str) {
        Some("size") => size(),
        Some("pairing") => run_checked(
            cargo().args(["run", "--release", "-p", "domain", "--example", "pairing_bench"]),
            "benchmark: the pairing engine on every Anhui village",
        ),
        Some("ledger") => run_checked(
            cargo().args(["run", "--release", "-p", "sheguan", "--example", "ledger_bench"]),
            "benchmark: ledger summaries at volume on SQLite and PostgreSQL",
        ),
        Some("registry") => against_the_release_server(
            "registry_bench",
            "benchmark: registry search and listings, 50 clients on the SQLite demo set",
        ),
        Some("export") => against_the_release_server(
            "export_bench",
            "benchmark: the whole million-entry ledger as one export job",
        ),
        Some("annual") => against_the_release_server(
            "annual_bench",
            "benchmark: a year's reports, the credit listings and the dormant cases on the SQLite demo set",
        ),
        Some("dashboard") => against_the_release_server(
            "dashboard_bench",
            "benchmark: the year's figures and their records on the SQLite demo set",
        ),
        Some("national") => against_the_release_server(
            "national_bench",
            "benchmark: two servers on the national data set in PostgreSQL, reads while writes arrive",
        ),
        _ => anyhow::bail!(
            "usage: cargo xtask bench <size|pairing|ledger|registry|export|annual|dashboard|national>"
        ),
    }
}

/// Builds the release server, then runs the server crate's `example`, which starts that binary (on a fresh
/// demo database, or the national data set) and measures it from outside, as its users would.
fn against_the_release_server(example: &str, title: &str) -> anyhow::Result<()> {
    // The server and the example in one build: alone, the server would be built with other features of
    // its dependencies than the example's (its dev-dependencies'), and the library compiled twice.
    run_checked(
        cargo().args([
            "build",
            "--release",
            "-p",
            "sheguan",
            "--bin",
            "sheguan",
            "--example",
            example,
        ]),
        "building the server and the benchmark (release)",
    )?;
    let binary = workspace_root().join("target/release/sheguan");
    run_checked(
        cargo()
            .args(["run", "--release", "-p", "sheguan", "--example", example])
            .env("SHEGUAN_BENCH_BIN", binary),
        title,
    )
}

/// The bytes a first visit downloads (the public bundle), raw and brotli, against the budget; and what the
/// workspace bundle adds once a user signs in.
fn size() -> anyhow::Result<()> {
    let built = dist::build(&workspace_root())?;
    let first_visit = print_sizes(&built.dir, "first visit (public bundle)", &built.first_visit)?;
    print_sizes(
        &built.dir,
        "after signing in (workspace bundle)",
        &built.workspace,
    )?;
    println!("budget for a first visit (brotli): {FIRST_VISIT_BUDGET_BROTLI} bytes");
    anyhow::ensure!(
        first_visit <= FIRST_VISIT_BUDGET_BROTLI,
        "a first visit downloads {first_visit} bytes brotli, over the budget of {FIRST_VISIT_BUDGET_BROTLI}"
    );
    println!("within budget");
    Ok(())
}

/// Prints a table of files with their raw and brotli sizes; returns the brotli total.
fn print_sizes(dir: &std::path::Path, title: &str, files: &[(String, usize)]) -> anyhow::Result<usize> {
    let (mut raw_total, mut br_total) = (0, 0);
    println!("\n{title}\n{:<46} {:>10} {:>10}", "file", "raw", "brotli");
    for (name, raw) in files {
        let br = brotli_compress(&std::fs::read(dir.join(name))?)?.len();
        println!("{name:<46} {raw:>10} {br:>10}");
        raw_total += raw;
        br_total += br;
    }
    println!("{:<46} {raw_total:>10} {br_total:>10}", "total");
    Ok(br_total)
}
