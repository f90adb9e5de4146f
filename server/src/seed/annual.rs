//! The annual cycle's demo history: ten years of cycles and reports for the demo registry, follow-ups of
//! those who did not report, and what follows from them through the application's own code — the daily
//! credit rules run at each deadline and each quarter's end (so every listing is one the rules made), the
//! nightly scan of 2021 proposes the dormant candidates that staff then take through the pipeline. The
//! generator only decides what organizations and staff did: who reported and when, the verdicts, the
//! follow-ups, removals and objections, and each 2021 case's outcome, aimed at the case study's figures
//! (3,491 identified, 2,627 remediated, 864 in rectification; 200+ provincial non-participants
//! interviewed, 102 ordered to rectify or referred for a penalty, 80 audited). The application counts
//! them from the records. Deterministic; loaded once.
//!
//! A small demo set (the tests' ledger of 5,000 entries) gets only last year's cycle of the provincial
//! organizations, so that the pages have data without seconds per test.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use domain::calendar::WorkCalendar;
use domain::dormant::CaseStage;

use super::annual_records;
use crate::state::today;
use crate::store::Store;
use crate::store::inspection::SeedOrganization;

/// A demo ledger of at least this many entries gets the ten-year history; a smaller one last year only.
pub const FULL_HISTORY_LEDGER: usize = 100_000;

/// The year of the case study's figures.
pub const CASE_STUDY_YEAR: i32 = 2021;

/// Loads the history unless a cycle exists already. `ledger_entries` is `--demo-ledger-entries`.
pub async fn load(store: &Store, ledger_entries: usize) -> anyhow::Result<()> {
    if store.has_inspection_cycles().await? {
        return Ok(());
    }
    let started = Instant::now();
    let mut spent = Spent::default();
    let today = today();
    let full = ledger_entries >= FULL_HISTORY_LEDGER;
    let last = today.year() - 1;
    let first = if full { last - 9 } else { last };
    let levels = if full {
        "provincial,city,county"
    } else {
        "provincial"
    };
    let calendar = WorkCalendar::mainland_china();
    let mut organizations = store.seed_organizations().await?;
    if !full {
        organizations.retain(|o| o.level == "provincial");
    }
    let fates = if full {
        annual_records::fates(&organizations)
    } else {
        HashMap::new()
    };
    tracing::info!(
        years = last - first + 1,
        organizations = organizations.len(),
        "loading the demo annual cycles"
    );
    for year in first..=last {
        let deadline = NaiveDate::from_ymd_opt(year + 1, 5, 31).unwrap_or(today);
        let opened_at = Utc
            .with_ymd_and_hms(year + 1, 1, 5, 1, 0, 0)
            .single()
            .unwrap_or_else(Utc::now);
        let cycle = store.seed_cycle(year, deadline, levels, opened_at).await?;
        let t = Instant::now();
        let reports = annual_records::reports(year, &organizations, &fates, deadline, today);
        store.insert_seed_reports(cycle, year, &reports).await?;
        spent.reports += t.elapsed();
        if deadline >= today {
            break;
        }
        let t = Instant::now();
        if full {
            annual_records::remove_listings(store, year, &calendar, deadline).await?;
        }
        spent.requests += t.elapsed();
        let t = Instant::now();
        let close = deadline + Days::new(1);
        store.apply_credit_rules(close).await?;
        spent.rules += t.elapsed();
        let t = Instant::now();
        let follow_ups = annual_records::follow_ups(store, year, &calendar, today).await?;
        store.insert_seed_follow_ups(&follow_ups).await?;
        spent.follow_ups += t.elapsed();
        if full && close.year() == CASE_STUDY_YEAR {
            let t = Instant::now();
            let outcomes = annual_records::dormant_pipeline(store, close, &organizations, &fates).await?;
            let ended: HashMap<i64, CaseStage> = outcomes
                .into_iter()
                .filter(|(_, stage)| matches!(stage, CaseStage::Deregistered | CaseStage::Revoked))
                .collect();
            for o in &mut organizations {
                if let Some(stage) = ended.get(&o.id) {
                    o.status = stage.key().to_owned();
                }
            }
            spent.dormant += t.elapsed();
        }
        // The rules as the daily job ran them, at each quarter's end until the next deadline has passed:
        // every event is dated by its record, not by the run that finds it.
        let next_close = NaiveDate::from_ymd_opt(year + 2, 6, 1)
            .unwrap_or(today)
            .min(today);
        let t = Instant::now();
        let mut quarter_end = end_of_quarter(close);
        while quarter_end < next_close {
            store.apply_credit_rules(quarter_end).await?;
            quarter_end = end_of_quarter(quarter_end + Days::new(1));
        }
        spent.rules += t.elapsed();
    }
    let t = Instant::now();
    store.apply_credit_rules(today).await?;
    spent.rules += t.elapsed();
    let t = Instant::now();
    if full {
        annual_records::objections(store, today).await?;
    }
    spent.requests += t.elapsed();
    store.analyze().await?;
    let ms = |d: Duration| d.as_millis() as u64;
    tracing::info!(
        elapsed_ms = ms(started.elapsed()),
        reports_ms = ms(spent.reports),
        rules_ms = ms(spent.rules),
        follow_ups_ms = ms(spent.follow_ups),
        dormant_ms = ms(spent.dormant),
        removals_and_objections_ms = ms(spent.requests),
        "demo annual cycles loaded"
    );
    Ok(())
}

/// Where the loading time went (logged: the seed's time budget is a few seconds).
#[derive(Debug, Default)]
struct Spent {
    reports: Duration,
    rules: Duration,
    follow_ups: Duration,
    dormant: Duration,
    requests: Duration,
}

fn end_of_quarter(day: NaiveDate) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1).unwrap_or(day);
    (first + Months::new(3)).pred_opt().unwrap_or(day)
}

/// Whether an organization reports on `year`: in normal status and registered by the year's end.
pub(super) fn takes_part(o: &SeedOrganization, year: i32) -> bool {
    o.status == "normal"
        && o.founded_on
            .is_none_or(|f| f <= NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(f))
}
