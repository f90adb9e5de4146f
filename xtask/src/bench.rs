//! `cargo xtask bench …`: measurements with targets, run on demand (never as timed tests).

use crate::{cargo, dist, run_checked, workspace_root};

/// What each audience may download, brotli-compressed, by the targets of issue #17: a visitor's first
/// visit (HTML, JS, wasm, CSS, manifest), and what an organization user's sign-in adds (the reporting
/// path). Staff have a Lighthouse target rather than a byte one: their bundle's size is only printed.
const BUDGETS_BROTLI: [(&str, usize); 2] = [
    ("a visitor's first visit (public bundle)", 150_000),
    (
        "an organization user's sign-in to the report form (organization bundle)",
        300_000,
    ),
];

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

/// The bytes each audience downloads, raw and brotli: a first visit (the public bundle), an organization
/// user's sign-in (the organization bundle), staff's sign-in (the workspace bundle); each against its
/// budget.
fn size() -> anyhow::Result<()> {
    let built = dist::build(&workspace_root())?;
    let first_visit = print_sizes(&built.dir, "first visit (public bundle)", &built.first_visit)?;
    let organization = print_sizes(
        &built.dir,
        "after an organization user signs in (organization bundle)",
        &built.organization,
    )?;
    print_sizes(
        &built.dir,
        "after staff sign in, before the chunk of the page they open (workspace bundle)",
        &built.workspace,
    )?;
    for (bundle, chunks) in ["public", "organization", "workspace"].iter().zip(&built.chunks) {
        print_sizes(
            &built.dir,
            &format!("the {bundle} bundle's page chunks, each fetched when its page opens"),
            chunks,
        )?;
    }
    println!();
    let mut over = Vec::new();
    for ((what, budget), bytes) in BUDGETS_BROTLI.into_iter().zip([first_visit, organization]) {
        let verdict = if bytes <= budget { "within" } else { "OVER" };
        println!("{what}: {bytes} bytes brotli, budget {budget}: {verdict}");
        if bytes > budget {
            over.push(what);
        }
    }
    anyhow::ensure!(over.is_empty(), "over the budget: {}", over.join("; "));
    Ok(())
}

/// Prints a table of files with their raw and brotli sizes; returns the brotli total.
fn print_sizes(dir: &std::path::Path, title: &str, files: &[(String, usize)]) -> anyhow::Result<usize> {
    let (mut raw_total, mut br_total) = (0, 0);
    println!("\n{title}\n{:<46} {:>10} {:>10}", "file", "raw", "brotli");
    for (name, raw) in files {
        // The copy `dist` wrote beside the file, at brotli's best: what the server sends.
        let br = std::fs::metadata(dir.join(format!("{name}.br")))?.len() as usize;
        println!("{name:<46} {raw:>10} {br:>10}");
        raw_total += raw;
        br_total += br;
    }
    println!("{:<46} {raw_total:>10} {br_total:>10}", "total");
    Ok(br_total)
}
