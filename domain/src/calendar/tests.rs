//! Tests of the calendar's API and of the checks on year tables.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}
#[test]
fn adding_zero_working_days_gives_the_same_date_even_on_a_holiday() {
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(calendar.add_working_days(d(2025, 10, 3), 0), d(2025, 10, 3));
    assert_eq!(calendar.add_working_days(d(2025, 10, 3), 1), d(2025, 10, 9));
}

#[test]
fn the_count_of_working_days_is_half_open_and_negative_when_reversed() {
    let calendar = WorkCalendar::mainland_china();
    // (Mon 2025-03-03, Fri 2025-03-07]: Tue to Fri.
    assert_eq!(calendar.working_days_between(d(2025, 3, 3), d(2025, 3, 7)), 4);
    assert_eq!(calendar.working_days_between(d(2025, 3, 7), d(2025, 3, 3)), -4);
    assert_eq!(calendar.working_days_between(d(2025, 3, 3), d(2025, 3, 3)), 0);
    // The whole 2025 国庆 block adds nothing.
    assert_eq!(calendar.working_days_between(d(2025, 9, 30), d(2025, 10, 8)), 0);
}

#[test]
fn a_year_of_2026_has_the_expected_number_of_working_days() {
    // 261 weekdays − 19 of them off (元旦 2, 春节 6, 清明 1, 劳动节 3, 端午 1, 中秋 1, 国庆 5) + 6 调休 = 248.
    let calendar = WorkCalendar::mainland_china();
    assert_eq!(
        calendar.working_days_between(d(2025, 12, 31), d(2026, 12, 31)),
        248
    );
}

#[test]
fn outside_the_covered_years_only_weekends_are_off() {
    let calendar = WorkCalendar::mainland_china();
    // 2020 and 2027 have no table: 2027-10-01 (a Friday) counts as a working day until a table is added.
    assert!(calendar.is_working_day(d(2027, 10, 1)));
    assert!(!calendar.is_working_day(d(2027, 10, 2)));
    assert!(calendar.is_working_day(d(2020, 12, 31)));
    assert_eq!(calendar.add_working_days(d(2026, 12, 31), 1), d(2027, 1, 1));
}

#[test]
fn a_calendar_without_tables_is_monday_to_friday() {
    let calendar = WorkCalendar::from_tables(Vec::new()).unwrap();
    assert!(calendar.is_working_day(d(2025, 10, 1)));
    assert_eq!(calendar.day_kind(d(2025, 10, 4)), DayKind::Weekend);
    assert_eq!(calendar.add_working_days(d(2025, 10, 3), 1), d(2025, 10, 6));
}

fn table_2027(holidays: Vec<HolidayBlock>, working_weekends: Vec<NaiveDate>) -> YearTable {
    YearTable {
        year: 2027,
        notice: None,
        holidays,
        working_weekends,
    }
}

fn block(name: &str, dates: Vec<NaiveDate>) -> HolidayBlock {
    HolidayBlock {
        name: name.to_owned(),
        dates,
    }
}

#[test]
fn staff_can_add_next_years_table_at_run_time() {
    // A made-up arrangement: only the shape matters here, not the real 2027 notice.
    let table = table_2027(
        vec![block("测试假日", vec![d(2027, 3, 1), d(2027, 3, 2)])],
        vec![d(2027, 3, 6)],
    );
    let calendar = WorkCalendar::mainland_china().with_table(table).unwrap();
    assert!(calendar.covers(2027));
    assert!(!calendar.is_working_day(d(2027, 3, 1)));
    assert!(calendar.is_working_day(d(2027, 3, 6)));
    assert_eq!(calendar.holiday_name(d(2027, 3, 2)), Some("测试假日"));
    // The built-in years are untouched.
    assert!(!calendar.is_working_day(d(2026, 10, 1)));
}

#[test]
fn a_table_for_a_covered_year_replaces_the_old_one() {
    let replacement = YearTable {
        year: 2026,
        notice: None,
        holidays: vec![block("国庆节", vec![d(2026, 10, 1), d(2026, 10, 2)])],
        working_weekends: Vec::new(),
    };
    let calendar = WorkCalendar::mainland_china().with_table(replacement).unwrap();
    assert!(
        calendar.is_working_day(d(2026, 2, 16)),
        "the old 春节 dates are gone"
    );
    assert!(!calendar.is_working_day(d(2026, 10, 2)));
    assert!(calendar.is_working_day(d(2026, 10, 5)));
}

#[test]
fn two_tables_for_one_year_are_refused() {
    let tables = vec![
        table_2027(Vec::new(), Vec::new()),
        table_2027(Vec::new(), Vec::new()),
    ];
    assert_eq!(
        WorkCalendar::from_tables(tables),
        Err(CalendarError::DuplicateYear { year: 2027 })
    );
}

#[test]
fn a_date_of_another_year_is_refused() {
    let table = table_2027(vec![block("国庆节", vec![d(2026, 10, 1)])], Vec::new());
    let error = table.validate().unwrap_err();
    assert_eq!(
        error,
        CalendarError::OutsideYear {
            year: 2027,
            date: d(2026, 10, 1)
        }
    );
    assert!(error.to_string().contains("不属于 2027 年"));
    let late = table_2027(Vec::new(), vec![d(2028, 1, 1)]);
    assert_eq!(
        late.validate(),
        Err(CalendarError::OutsideYear {
            year: 2027,
            date: d(2028, 1, 1)
        })
    );
}

#[test]
fn a_new_year_holiday_may_start_in_the_last_days_of_the_old_year() {
    let table = table_2027(
        vec![block("元旦", vec![d(2026, 12, 31), d(2027, 1, 1)])],
        Vec::new(),
    );
    assert_eq!(table.validate(), Ok(()));
}

#[test]
fn a_working_weekend_must_be_a_saturday_or_sunday() {
    // 2027-03-03 is a Wednesday.
    let table = table_2027(Vec::new(), vec![d(2027, 3, 3)]);
    let error = table.validate().unwrap_err();
    assert_eq!(error, CalendarError::NotAWeekend { date: d(2027, 3, 3) });
    assert_eq!(error.to_string(), "调休上班日 2027-03-03 不是周六或周日");
}

#[test]
fn a_date_cannot_be_both_a_holiday_and_a_working_weekend() {
    let table = table_2027(vec![block("测试假日", vec![d(2027, 3, 6)])], vec![d(2027, 3, 6)]);
    assert_eq!(
        table.validate(),
        Err(CalendarError::HolidayAndWorkingDay { date: d(2027, 3, 6) })
    );
}

#[test]
fn a_date_listed_twice_is_refused() {
    let twice_off = table_2027(
        vec![block("甲", vec![d(2027, 3, 1)]), block("乙", vec![d(2027, 3, 1)])],
        Vec::new(),
    );
    assert_eq!(
        twice_off.validate(),
        Err(CalendarError::DuplicateDate { date: d(2027, 3, 1) })
    );
    let twice_on = table_2027(Vec::new(), vec![d(2027, 3, 6), d(2027, 3, 6)]);
    assert_eq!(
        twice_on.validate(),
        Err(CalendarError::DuplicateDate { date: d(2027, 3, 6) })
    );
}

#[test]
fn a_holiday_needs_a_name_and_dates() {
    let unnamed = table_2027(vec![block(" ", vec![d(2027, 3, 1)])], Vec::new());
    assert_eq!(
        unnamed.validate(),
        Err(CalendarError::UnnamedHoliday { year: 2027 })
    );
    let empty = table_2027(vec![block("测试假日", Vec::new())], Vec::new());
    assert_eq!(
        empty.validate(),
        Err(CalendarError::EmptyHoliday {
            year: 2027,
            name: "测试假日".to_owned()
        })
    );
}

#[test]
fn a_date_claimed_by_two_years_is_refused() {
    // 2026-12-31 is inside the 2027 table's reach into the old year, and the 2026 table may list it too.
    let mut table_2026 = built_in_tables().pop().unwrap();
    table_2026.holidays.push(block("测试假日", vec![d(2026, 12, 31)]));
    let table = table_2027(
        vec![block("元旦", vec![d(2026, 12, 31), d(2027, 1, 1)])],
        Vec::new(),
    );
    let error = WorkCalendar::from_tables(vec![table_2026, table]).unwrap_err();
    assert_eq!(
        error,
        CalendarError::ClaimedByTwoYears {
            date: d(2026, 12, 31),
            first: 2026,
            second: 2027
        }
    );
}

#[test]
fn a_table_reads_and_writes_the_documented_json() {
    let json = concat!(
        r#"{"year":2027,"holidays":[{"name":"元旦","dates":["2027-01-01"]}],"#,
        r#""working_weekends":["2027-01-09"]}"#
    );
    let table: YearTable = serde_json::from_str(json).unwrap();
    assert_eq!(
        table,
        table_2027(vec![block("元旦", vec![d(2027, 1, 1)])], vec![d(2027, 1, 9)])
    );
    assert_eq!(serde_json::to_string(&table).unwrap(), json);
}

proptest! {
    #[test]
    fn counting_is_the_inverse_of_adding(offset in 0u64..(365 * 7), n in 0u32..80) {
        let calendar = WorkCalendar::mainland_china();
        let from = d(2020, 6, 1) + chrono::Days::new(offset);
        let due = calendar.add_working_days(from, n);
        prop_assert_eq!(calendar.working_days_between(from, due), i64::from(n));
        prop_assert_eq!(calendar.working_days_between(due, from), -i64::from(n));
        if n > 0 {
            prop_assert!(calendar.is_working_day(due));
        }
    }
}
