//! Tests of the working-day calendar against the State Council notices for 2021–2026.
//!
//! The expectations below are typed again from the notices' wording, not read from the JSON tables, so a
//! slip in either shows up as a failure.

use chrono::{Datelike, NaiveDate, Weekday};

use super::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// One holiday as a person experiences it: the whole run of consecutive days off, weekends joined to it
/// included (2024's 元旦 is "1月1日放假，与周末连休", so its run is 2023-12-30 to 2024-01-01), and the length
/// the notice states (共N天).
struct Run {
    name: &'static str,
    first: NaiveDate,
    last: NaiveDate,
    days_off: i64,
}

fn run(name: &'static str, first: NaiveDate, last: NaiveDate, days_off: i64) -> Run {
    Run {
        name,
        first,
        last,
        days_off,
    }
}

/// Dates written as the notices list them, ISO and space-separated.
fn dates(list: &str) -> Vec<NaiveDate> {
    list.split_whitespace()
        .map(|date| date.parse().unwrap())
        .collect()
}

struct Notice {
    runs: Vec<Run>,
    working_weekends: Vec<NaiveDate>,
}

fn notice(year: i32) -> Notice {
    let y = year;
    match year {
        2021 => Notice {
            runs: vec![
                run("元旦", d(y, 1, 1), d(y, 1, 3), 3),
                run("春节", d(y, 2, 11), d(y, 2, 17), 7),
                run("清明节", d(y, 4, 3), d(y, 4, 5), 3),
                run("劳动节", d(y, 5, 1), d(y, 5, 5), 5),
                run("端午节", d(y, 6, 12), d(y, 6, 14), 3),
                run("中秋节", d(y, 9, 19), d(y, 9, 21), 3),
                run("国庆节", d(y, 10, 1), d(y, 10, 7), 7),
            ],
            working_weekends: dates(
                "2021-02-07 2021-02-20 2021-04-25 2021-05-08 2021-09-18 2021-09-26 2021-10-09",
            ),
        },
        2022 => Notice {
            runs: vec![
                run("元旦", d(y, 1, 1), d(y, 1, 3), 3),
                run("春节", d(y, 1, 31), d(y, 2, 6), 7),
                run("清明节", d(y, 4, 3), d(y, 4, 5), 3),
                run("劳动节", d(y, 4, 30), d(y, 5, 4), 5),
                run("端午节", d(y, 6, 3), d(y, 6, 5), 3),
                run("中秋节", d(y, 9, 10), d(y, 9, 12), 3),
                run("国庆节", d(y, 10, 1), d(y, 10, 7), 7),
            ],
            working_weekends: dates(
                "2022-01-29 2022-01-30 2022-04-02 2022-04-24 2022-05-07 2022-10-08 2022-10-09",
            ),
        },
        2023 => Notice {
            runs: vec![
                run("元旦", d(2022, 12, 31), d(y, 1, 2), 3),
                run("春节", d(y, 1, 21), d(y, 1, 27), 7),
                run("清明节", d(y, 4, 5), d(y, 4, 5), 1),
                run("劳动节", d(y, 4, 29), d(y, 5, 3), 5),
                run("端午节", d(y, 6, 22), d(y, 6, 24), 3),
                run("中秋节、国庆节", d(y, 9, 29), d(y, 10, 6), 8),
            ],
            working_weekends: dates(
                "2023-01-28 2023-01-29 2023-04-23 2023-05-06 2023-06-25 2023-10-07 2023-10-08",
            ),
        },
        2024 => Notice {
            runs: vec![
                run("元旦", d(2023, 12, 30), d(y, 1, 1), 3),
                run("春节", d(y, 2, 10), d(y, 2, 17), 8),
                run("清明节", d(y, 4, 4), d(y, 4, 6), 3),
                run("劳动节", d(y, 5, 1), d(y, 5, 5), 5),
                run("端午节", d(y, 6, 8), d(y, 6, 10), 3),
                run("中秋节", d(y, 9, 15), d(y, 9, 17), 3),
                run("国庆节", d(y, 10, 1), d(y, 10, 7), 7),
            ],
            working_weekends: dates(
                "2024-02-04 2024-02-18 2024-04-07 2024-04-28 \
                 2024-05-11 2024-09-14 2024-09-29 2024-10-12",
            ),
        },
        2025 => Notice {
            runs: vec![
                run("元旦", d(y, 1, 1), d(y, 1, 1), 1),
                run("春节", d(y, 1, 28), d(y, 2, 4), 8),
                run("清明节", d(y, 4, 4), d(y, 4, 6), 3),
                run("劳动节", d(y, 5, 1), d(y, 5, 5), 5),
                run("端午节", d(y, 5, 31), d(y, 6, 2), 3),
                run("国庆节、中秋节", d(y, 10, 1), d(y, 10, 8), 8),
            ],
            working_weekends: dates("2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11"),
        },
        2026 => Notice {
            runs: vec![
                run("元旦", d(y, 1, 1), d(y, 1, 3), 3),
                run("春节", d(y, 2, 15), d(y, 2, 23), 9),
                run("清明节", d(y, 4, 4), d(y, 4, 6), 3),
                run("劳动节", d(y, 5, 1), d(y, 5, 5), 5),
                run("端午节", d(y, 6, 19), d(y, 6, 21), 3),
                run("中秋节", d(y, 9, 25), d(y, 9, 27), 3),
                run("国庆节", d(y, 10, 1), d(y, 10, 7), 7),
            ],
            working_weekends: dates("2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10"),
        },
        _ => unreachable!("no notice transcribed for {year}"),
    }
}

/// Checks one year: every day of a run is off and the days either side are working days (so the run has
/// exactly the notice's length), every 调休 day is on, and no other day of the year differs from a plain
/// Monday-to-Friday week.
fn assert_matches_notice(year: i32) {
    let calendar = WorkCalendar::mainland_china();
    let notice = notice(year);
    assert!(calendar.covers(year));
    for run in &notice.runs {
        let days = run
            .first
            .iter_days()
            .take_while(|day| *day <= run.last)
            .collect::<Vec<_>>();
        assert_eq!(
            days.len() as i64,
            run.days_off,
            "{year} {}: the run should be 共{}天",
            run.name,
            run.days_off
        );
        for day in &days {
            assert!(
                !calendar.is_working_day(*day),
                "{year} {}: {day} should be off",
                run.name
            );
        }
        let before = run.first.pred_opt().unwrap();
        let after = run.last.succ_opt().unwrap();
        assert!(
            calendar.is_working_day(before),
            "{year} {}: {before} should be a working day",
            run.name
        );
        assert!(
            calendar.is_working_day(after),
            "{year} {}: {after} should be a working day",
            run.name
        );
        let named = days
            .iter()
            .filter_map(|day| calendar.holiday_name(*day))
            .collect::<Vec<_>>();
        assert!(
            !named.is_empty() && named.iter().all(|name| *name == run.name),
            "{year} {}: {named:?}",
            run.name
        );
    }
    for day in &notice.working_weekends {
        assert!(
            matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
            "{day} is a weekend day"
        );
        assert!(calendar.is_working_day(*day), "{year}: {day} is 调休上班");
        assert_eq!(calendar.day_kind(*day), DayKind::WorkingWeekend);
    }
    let first = d(year, 1, 1);
    for day in first.iter_days().take_while(|day| day.year() == year) {
        let in_run = notice
            .runs
            .iter()
            .any(|run| (run.first..=run.last).contains(&day));
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let expected_working = !in_run && (!weekend || notice.working_weekends.contains(&day));
        assert_eq!(calendar.is_working_day(day), expected_working, "{year}: {day}");
    }
}

#[test]
fn the_2021_arrangement_matches_the_state_council_notice() {
    assert_matches_notice(2021);
}

#[test]
fn the_2022_arrangement_matches_the_state_council_notice() {
    assert_matches_notice(2022);
}

#[test]
fn the_2023_arrangement_matches_the_state_council_notice() {
    assert_matches_notice(2023);
}

#[test]
fn the_2024_arrangement_matches_the_state_council_notice() {
    assert_matches_notice(2024);
}

#[test]
fn the_2025_arrangement_matches_the_state_council_notice() {
    assert_matches_notice(2025);
}

#[test]
fn the_2026_arrangement_matches_the_state_council_notice() {
    assert_matches_notice(2026);
}

#[test]
fn the_built_in_tables_cover_2021_through_2026_and_are_valid() {
    let tables = built_in_tables();
    assert_eq!(
        tables.iter().map(|t| t.year).collect::<Vec<_>>(),
        (2021..=2026).collect::<Vec<_>>()
    );
    for table in &tables {
        table.validate().unwrap();
        assert!(
            table
                .notice
                .as_deref()
                .unwrap()
                .contains(&format!("{}年部分节假日安排", table.year))
        );
    }
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(
        calendar.covered_years().collect::<Vec<_>>(),
        (2021..=2026).collect::<Vec<_>>()
    );
    assert!(!calendar.covers(2020) && !calendar.covers(2027));
}

#[test]
fn the_new_year_eve_saturday_of_2022_belongs_to_the_2023_new_year_holiday() {
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(calendar.day_kind(d(2022, 12, 31)), DayKind::Holiday);
    assert_eq!(calendar.holiday_name(d(2022, 12, 31)), Some("元旦"));
}

#[test]
fn the_eve_of_the_2024_spring_festival_is_a_working_day() {
    // The notice only "encourages" giving staff 除夕 (2月9日) off; it is not a holiday.
    let calendar = WorkCalendar::mainland_china();
    assert!(calendar.is_working_day(d(2024, 2, 9)));
}

#[test]
fn counting_working_days_across_the_spring_festival_skips_the_holiday_and_counts_the_adjusted_weekends() {
    let calendar = WorkCalendar::mainland_china();
    let cases = [
        (d(2021, 2, 5), 10, d(2021, 2, 24)),
        (d(2022, 1, 27), 5, d(2022, 2, 8)),
        (d(2023, 1, 19), 5, d(2023, 1, 31)),
        // Fri 2月9日 (1), 2月10日–17日 off, Sun 2月18日 on (2), then 19, 20, 21.
        (d(2024, 2, 8), 5, d(2024, 2, 21)),
        (d(2025, 1, 24), 10, d(2025, 2, 13)),
        // Fri 13 (1), Sat 14 on (2), 15–23 off, 24–27 (3–6), Sat 28 on (7), Mon 2, Tue 3, Wed 4 March.
        (d(2026, 2, 12), 10, d(2026, 3, 4)),
    ];
    for (from, n, expected) in cases {
        assert_eq!(
            calendar.add_working_days(from, n),
            expected,
            "{n} working days after {from}"
        );
        assert_eq!(calendar.working_days_between(from, expected), i64::from(n));
    }
}

#[test]
fn twenty_working_days_from_a_date_before_national_day_end_late_in_october() {
    let calendar = WorkCalendar::mainland_china();
    let cases = [
        // Sun 9月26日 on (1), 27–30 (2–5), 10月1日–7日 off, Fri 8 (6), Sat 9 on (7), … Wed 27 (20).
        (d(2021, 9, 24), d(2021, 10, 27)),
        (d(2022, 9, 29), d(2022, 11, 1)),
        (d(2023, 9, 25), d(2023, 10, 27)),
        (d(2024, 9, 27), d(2024, 10, 30)),
        (d(2025, 9, 26), d(2025, 10, 30)),
        (d(2026, 9, 18), d(2026, 10, 22)),
    ];
    for (from, expected) in cases {
        assert_eq!(
            calendar.add_working_days(from, 20),
            expected,
            "20 working days after {from}"
        );
    }
}
