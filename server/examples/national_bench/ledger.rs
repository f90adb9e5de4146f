//! The ledger over ten years: entries day by day (more each year, fewer at weekends), each from an
//! organization drawn by how much it reports (a log-normal spread: a few report hundreds of times, most a
//! few dozen) among those founded by then — so an organization's entries lie scattered through the table
//! as they do when years of reports arrive — with the demo set's mix of kinds, amounts and review states,
//! a few corrections, and the rollup (`contribution_rollup`, migration 0007) summed from the same rows.
//!
//! One thread writes COPY text while the connection sends the previous chunk; the table is emptied in
//! the COPY's transaction so that its rows are written frozen.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use domain::contributions::ContributionKind;
use sqlx::{Connection, PgConnection};

use crate::bulk::{self, Copy, Deferred, Row};
use crate::nation::Places;
use crate::organizations::{OrgFacts, last_day};
use crate::random::{Cumulative, Dice, share_out};

/// Ten years of entries, the last day included.
fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 1, 1).expect("a valid date")
}

/// Shares of the kinds in `ContributionKind::ALL`'s order, in percent (as the demo set's).
const KIND_SHARES: [f64; 8] = [30.0, 15.0, 10.0, 15.0, 12.0, 6.0, 6.0, 6.0];

/// A rollup cell's key: (division's position, year, kind's position); its sums: entries, fen, people.
type Cells = HashMap<(u32, i32, u8), [i64; 3]>;

/// What was loaded.
pub struct Loaded {
    pub entries: u64,
    pub corrections: u64,
    pub rollup_cells: u64,
    /// The indexes and foreign keys to put back (timed as a part of their own).
    pub deferred: Deferred,
}

/// Generates and stores `entries` ledger entries (corrections included) and their rollup.
pub async fn generate(
    conn: &mut PgConnection,
    places: Arc<Places>,
    facts: Arc<Vec<OrgFacts>>,
    seed: u64,
    entries: u64,
) -> anyhow::Result<Loaded> {
    let deferred = bulk::defer(conn, "contributions").await?;
    let (chunks, mut receive) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let writer = {
        let places = Arc::clone(&places);
        tokio::task::spawn_blocking(move || write_entries(&places, &facts, seed, entries, &chunks))
    };
    let mut tx = conn.begin().await?;
    sqlx::query("TRUNCATE contributions CASCADE")
        .execute(&mut *tx)
        .await?;
    let mut copy = Copy::start_with(
        &mut tx,
        "contributions (id, organization_id, division_code, city_code, kind, date, year, amount_fen,
            people, expo_role, village_code, description, status, return_reason, corrects_id, superseded_by,
            created_at, updated_at, submitted_at, reviewed_at)",
        "(FREEZE)",
    )
    .await?;
    let started = Instant::now();
    let (mut sent, mut shown) = (0_usize, 0_usize);
    while let Some(chunk) = receive.recv().await {
        sent += memchr::memchr_iter(b'\n', &chunk).count();
        copy.send(chunk).await?;
        if sent >= shown + entries as usize / 10 {
            shown = sent;
            let rate = sent as f64 / started.elapsed().as_secs_f64();
            println!("    {sent} entries sent ({rate:.0} a second)");
        }
    }
    let (cells, corrections) = writer.await??;
    let stored = copy.finish().await?;
    tx.commit().await?;
    sqlx::query("SELECT setval(pg_get_serial_sequence('contributions', 'id'), $1)")
        .bind(stored as i64)
        .execute(&mut *conn)
        .await?;
    let rollup_cells = store_rollup(conn, &places, &cells).await?;
    Ok(Loaded {
        entries: stored,
        corrections,
        rollup_cells,
        deferred,
    })
}

/// Entries per day: 12% more each year, a third on Saturdays and Sundays.
fn day_counts(entries: u64) -> Vec<(NaiveDate, usize)> {
    let days: Vec<NaiveDate> = first_day().iter_days().take_while(|d| *d <= last_day()).collect();
    let weights: Vec<f64> = days
        .iter()
        .map(|d| {
            let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
            1.12_f64.powi(d.year() - first_day().year()) * if weekend { 0.35 } else { 1.0 }
        })
        .collect();
    days.into_iter()
        .zip(share_out(entries as usize, &weights))
        .collect()
}

/// An entry's review state by its age: recent ones are still waiting; old ones nearly all verified.
fn status(dice: &mut Dice, age_days: i64) -> &'static str {
    let roll = dice.unit();
    let (verified, submitted, returned) = if age_days <= 30 {
        (0.40, 0.90, 0.95)
    } else {
        (0.96, 0.965, 0.99)
    };
    if roll < verified {
        "verified"
    } else if roll < submitted {
        "submitted"
    } else if roll < returned {
        "returned"
    } else {
        "draft"
    }
}

/// An entry's amount in fen, people and expo role by its kind (as the demo set draws them).
fn amounts(dice: &mut Dice, kind: ContributionKind) -> (i64, Option<i64>, Option<&'static str>) {
    let between = |dice: &mut Dice, low: i64, high: i64| low + (dice.next() % (high - low) as u64) as i64;
    match kind {
        ContributionKind::Scholarship => {
            let people = between(dice, 1, 4);
            (people * between(dice, 2_000, 10_000) * 100, Some(people), None)
        }
        ContributionKind::Employment => (between(dice, 0, 5_000_000), Some(between(dice, 5, 300)), None),
        ContributionKind::Expo => {
            let role = if dice.chance(0.3) { "hosted" } else { "joined" };
            (between(dice, 0, 20_000_000), None, Some(role))
        }
        ContributionKind::Investment => (between(dice, 1_000_000, 5_000_000_000), None, None),
        _ => (between(dice, 100_000, 50_000_000), None, None),
    }
}

/// One entry as written.
struct Entry<'a> {
    id: i64,
    organization: i64,
    division: &'a str,
    city: &'a str,
    kind: ContributionKind,
    date: &'a str,
    year: i32,
    amount: i64,
    people: Option<i64>,
    expo_role: Option<&'static str>,
    village: Option<&'a str>,
    status: &'static str,
    corrects: Option<i64>,
    superseded_by: Option<i64>,
    /// Times of day: created (and submitted), and the day and time reviewed.
    created: &'a str,
    reviewed: Option<&'a str>,
}

impl Entry<'_> {
    fn write(&self, buf: &mut Vec<u8>) {
        let mut r = Row::start(buf);
        let submitted = (self.status != "draft").then_some(self.created);
        let reviewed = self
            .reviewed
            .filter(|_| matches!(self.status, "verified" | "returned"));
        r.plain(self.id)
            .plain(self.organization)
            .text(self.division)
            .text(self.city)
            .text(self.kind.key())
            .text(self.date)
            .plain(self.year)
            .plain(self.amount)
            .opt_plain(self.people)
            .opt(self.expo_role)
            .opt(self.village)
            .plain(format_args!("{}年度{}", self.year, self.kind.label_zh()))
            .text(self.status)
            .opt((self.status == "returned").then_some("凭证不全，请补充后重新提交"))
            .opt_plain(self.corrects)
            .opt_plain(self.superseded_by)
            .text(self.created)
            .text(reviewed.unwrap_or(self.created))
            .opt(submitted)
            .opt(reviewed);
        r.end();
    }
}

/// Writes every entry as COPY text into `chunks`; returns the rollup's cells and how many corrections.
fn write_entries(
    places: &Places,
    facts: &[OrgFacts],
    seed: u64,
    entries: u64,
    chunks: &tokio::sync::mpsc::Sender<Vec<u8>>,
) -> anyhow::Result<(Cells, u64)> {
    const CHUNK: usize = 4 << 20;
    let mut dice = Dice::new(seed, "ledger");
    let reporters = Cumulative::new(facts.iter().map(|f| f64::from(f.weight)));
    let mut cells: Cells = HashMap::new();
    let (mut id, mut corrections) = (0_i64, 0_u64);
    let mut buf = Vec::with_capacity(CHUNK + 4096);
    for (date, count) in day_counts(entries) {
        let day = date.to_string();
        let age = (last_day() - date).num_days();
        let mut made = 0;
        while made < count {
            let organization = loop {
                let drawn = reporters.draw(&mut dice);
                if facts[drawn].founded <= date {
                    break drawn;
                }
            };
            let place = &places.all[facts[organization].place as usize];
            let kind_at = dice.weighted(&KIND_SHARES);
            let kind = ContributionKind::ALL[kind_at];
            let (amount, people, expo_role) = amounts(&mut dice, kind);
            let rural = matches!(
                kind,
                ContributionKind::RuralFunds | ContributionKind::RuralGoods | ContributionKind::Project
            );
            let village = if rural && !place.counties.is_empty() && dice.chance(0.6) {
                let county = *dice.pick(&place.counties);
                places.villages.get(&county).map(|v| dice.pick(v).as_str())
            } else {
                None
            };
            let created = format!("{day} {:02}:{:02}:00+08", 8 + dice.below(13), dice.below(60));
            let reviewed_on = (date + Days::new(1 + dice.below(10) as u64)).min(last_day());
            let reviewed = format!(
                "{reviewed_on} {:02}:{:02}:00+08",
                9 + dice.below(8),
                dice.below(60)
            );
            let status = status(&mut dice, age);
            // Now and then a verified entry is corrected: the correction counts, the original no longer.
            let corrected = status == "verified" && made + 1 < count && dice.chance(0.002);
            id += 1;
            let mut entry = Entry {
                id,
                organization: organization as i64 + 1,
                division: &place.code,
                city: &place.city_code,
                kind,
                date: &day,
                year: date.year(),
                amount,
                people,
                expo_role,
                village,
                status,
                corrects: None,
                superseded_by: corrected.then_some(id + 1),
                created: &created,
                reviewed: Some(&reviewed),
            };
            entry.write(&mut buf);
            made += 1;
            if corrected {
                id += 1;
                corrections += 1;
                entry.id = id;
                entry.amount = amount * (80 + dice.below(41) as i64) / 100;
                entry.corrects = Some(id - 1);
                entry.superseded_by = None;
                entry.write(&mut buf);
                made += 1;
            }
            let cell = cells
                .entry((facts[organization].place, date.year(), kind_at as u8))
                .or_default();
            if entry.status == "verified" {
                cell[0] += 1;
                cell[1] += entry.amount;
                cell[2] += entry.people.unwrap_or(0);
            }
            if buf.len() >= CHUNK {
                let full = std::mem::replace(&mut buf, Vec::with_capacity(CHUNK + 4096));
                chunks.blocking_send(full)?;
            }
        }
    }
    if !buf.is_empty() {
        chunks.blocking_send(buf)?;
    }
    cells.retain(|_, sums| sums[0] > 0);
    Ok((cells, corrections))
}

/// The rollup: counted entries by registering division, year and kind, as the store keeps it.
async fn store_rollup(conn: &mut PgConnection, places: &Places, cells: &Cells) -> anyhow::Result<u64> {
    let mut sorted: Vec<_> = cells.iter().collect();
    sorted.sort_by_key(|(key, _)| **key);
    let mut copy = Copy::start(
        conn,
        "contribution_rollup (division_code, city_code, year, kind, entries, amount_fen, people)",
    )
    .await?;
    for ((place, year, kind), [entries, amount, people]) in sorted {
        let place = &places.all[*place as usize];
        copy.row(|r| {
            r.text(&place.code)
                .text(&place.city_code)
                .plain(year)
                .text(ContributionKind::ALL[*kind as usize].key())
                .plain(entries)
                .plain(amount)
                .plain(people);
        })
        .await?;
    }
    copy.finish().await
}

/// Compares the rollup with the ledger summed row by row for `divisions` (after the indexes are back), and
/// the rollup by city (kept by triggers, migration 0030) with the rollup summed by city; fails on any
/// difference.
pub async fn check(conn: &mut PgConnection, divisions: &[String]) -> anyhow::Result<()> {
    let (differing,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM (
             SELECT city_code, year, kind, SUM(entries) AS entries, SUM(amount_fen) AS amount_fen,
                    SUM(people) AS people
             FROM contribution_rollup GROUP BY city_code, year, kind) r
         FULL JOIN contribution_city_rollup c USING (city_code, year, kind)
         WHERE r.entries IS DISTINCT FROM c.entries OR r.amount_fen IS DISTINCT FROM c.amount_fen
            OR r.people IS DISTINCT FROM c.people",
    )
    .fetch_one(&mut *conn)
    .await?;
    anyhow::ensure!(
        differing == 0,
        "the rollup by city differs from the rollup in {differing} cells"
    );
    for division in divisions {
        let sql = |table: &str, counted: &str, sums: &str| {
            format!(
                "SELECT year, kind, {sums} FROM {table} WHERE division_code = $1 {counted}
                 GROUP BY year, kind ORDER BY year, kind"
            )
        };
        let ledger: Vec<(i32, String, i64, i64, i64)> = sqlx::query_as(&sql(
            "contributions",
            "AND status = 'verified' AND superseded_by IS NULL",
            "COUNT(*), CAST(SUM(amount_fen) AS BIGINT), CAST(COALESCE(SUM(people), 0) AS BIGINT)",
        ))
        .bind(division)
        .fetch_all(&mut *conn)
        .await?;
        let rollup: Vec<(i32, String, i64, i64, i64)> = sqlx::query_as(&sql(
            "contribution_rollup",
            "",
            "CAST(SUM(entries) AS BIGINT), CAST(SUM(amount_fen) AS BIGINT), CAST(SUM(people) AS BIGINT)",
        ))
        .bind(division)
        .fetch_all(&mut *conn)
        .await?;
        anyhow::ensure!(
            ledger == rollup,
            "the rollup of {division} differs from its ledger ({} and {} cells)",
            rollup.len(),
            ledger.len()
        );
    }
    Ok(())
}
