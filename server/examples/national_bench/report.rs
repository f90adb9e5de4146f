//! What the run prints: each kind's count, errors, p50, p99 and rate, the freshness failures, each server's
//! memory; and the verdict against the targets of issue #19.

use std::time::Duration;

use crate::common::{Memory, percentile};
use crate::load::{Kind, Stats};

const REGISTRY_P99: Duration = Duration::from_millis(100);
const ORG_SUMMARY_P99: Duration = Duration::from_millis(20);
const PROVINCE_TOTALS_P99: Duration = Duration::from_millis(200);
const MEMORY_KIB: u64 = 256 * 1024;

/// The p99 target of a kind, if it has one.
fn target(kind: Kind) -> Option<Duration> {
    match kind {
        Kind::NameSearch | Kind::CodeSearch | Kind::Listing => Some(REGISTRY_P99),
        Kind::OrgSummary => Some(ORG_SUMMARY_P99),
        Kind::ProvinceTotals => Some(PROVINCE_TOTALS_P99),
        Kind::Write | Kind::FreshRead => None,
    }
}

/// Prints a phase's table.
pub fn table(title: &str, stats: &mut Stats, seconds: f64) {
    println!("\n{title}");
    println!(
        "{:<34} {:>8} {:>7} {:>9} {:>9} {:>9} {:>8}",
        "", "requests", "errors", "p50", "p99", "max", "per s"
    );
    for kind in Kind::ALL {
        let times = &mut stats.times[kind as usize];
        times.sort();
        println!(
            "{:<34} {:>8} {:>7} {:>9.1?} {:>9.1?} {:>9.1?} {:>8.1}",
            kind.label(),
            times.len(),
            stats.errors[kind as usize],
            percentile(times, 0.50),
            percentile(times, 0.99),
            times.last().copied().unwrap_or_default(),
            times.len() as f64 / seconds
        );
    }
    if stats.writes_skipped > 0 {
        println!(
            "writes not started on time (more than 32 approvals still waiting): {}",
            stats.writes_skipped
        );
    }
    println!("freshness failures: {}", stats.stale);
    for example in &stats.stale_examples {
        println!("  {example}");
    }
    for (kind, example) in &stats.examples {
        println!("  first error of {}: {example}", kind.label());
    }
}

/// Prints each server's memory and judges the measured phase (`seconds` long, `writes` a second asked
/// for); the failures, empty when all targets hold.
pub fn verdict(stats: &Stats, memory: &[(Memory, u64); 2], seconds: f64, writes: f64) -> Vec<String> {
    let mut failures = Vec::new();
    println!();
    // The targets hold while writes arrive at the rate asked for: a run whose writes fell behind it did
    // not measure them.
    let made = stats.times[Kind::Write as usize].len();
    let rate = made as f64 / seconds;
    println!("writes arrived at {rate:.1} a second ({writes} asked for)");
    if rate < 0.9 * writes {
        failures.push(format!("writes arrived at {rate:.1} a second, not {writes}"));
    }
    for (n, (now, highest_rss)) in memory.iter().enumerate() {
        println!(
            "server {}: memory VmRSS highest {} MiB during the run, VmHWM {} MiB (peak since start)",
            n + 1,
            highest_rss / 1024,
            now.peak_kib / 1024
        );
        let peak = now.peak_kib.max(*highest_rss);
        if peak > MEMORY_KIB {
            failures.push(format!(
                "server {} memory {} MiB > {} MiB",
                n + 1,
                peak / 1024,
                MEMORY_KIB / 1024
            ));
        }
    }
    for kind in Kind::ALL {
        let times = &stats.times[kind as usize];
        let p99 = percentile(times, 0.99);
        if let Some(limit) = target(kind) {
            let verdict = if p99 <= limit { "ok" } else { "OVER" };
            println!(
                "{:<34} p99 {p99:>9.1?} (target {limit:?}) {verdict}",
                kind.label()
            );
            if p99 > limit {
                failures.push(format!("{} p99 {p99:.1?} > {limit:?}", kind.label()));
            }
        }
        if stats.errors[kind as usize] > 0 {
            failures.push(format!(
                "{}: {} errors",
                kind.label(),
                stats.errors[kind as usize]
            ));
        }
    }
    println!("freshness failures {} (target 0)", stats.stale);
    if stats.stale > 0 {
        failures.push(format!("{} freshness failures", stats.stale));
    }
    failures
}
