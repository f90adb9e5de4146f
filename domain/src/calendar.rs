//! 工作日历 — the mainland-China working-day calendar, through which every time limit in working days is counted.
//!
//! Weekends and statutory holidays (法定节假日, 放假) are off; the weekend days that the State Council moves to
//! make a holiday longer (调休上班) are on. Each year's arrangement is published by the State Council General
//! Office (国务院办公厅关于某年部分节假日安排的通知) late in the year before, so the calendar is data, not code:
//! one [`YearTable`] per year. The tables for 2021–2026 are built in from `domain/data/calendar/<year>.json`;
//! a later year's table is added at run time with [`WorkCalendar::with_table`] (the server keeps such tables
//! in its database), so no release is needed when a new notice comes out.
//!
//! Outside the years that have a table only Saturdays and Sundays are off: the calendar cannot know holidays
//! that have not been published, and counting them as working days is the visible, correctable mistake
//! ([`WorkCalendar::covers`] tells the caller whether a year is covered).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::label::labelled_enum;

/// The built-in tables, one JSON document per year, transcribed from the State Council notices.
const BUILT_IN_TABLES: [&str; 6] = [
    include_str!("../data/calendar/2021.json"),
    include_str!("../data/calendar/2022.json"),
    include_str!("../data/calendar/2023.json"),
    include_str!("../data/calendar/2024.json"),
    include_str!("../data/calendar/2025.json"),
    include_str!("../data/calendar/2026.json"),
];

/// How far a year's table may reach back into the old year. A holiday around 元旦 can start in the last days
/// of December: the 2023 notice gives 元旦 as 2022-12-31 to 2023-01-02.
const DAYS_BEFORE_THE_YEAR: u64 = 7;

/// 年度节假日安排 — one year's arrangement as the State Council notice gives it.
///
/// Dates are ISO strings in JSON: `{"year":2024,"holidays":[{"name":"元旦","dates":["2024-01-01"]}],
/// "working_weekends":["2024-02-04"]}`. A table is checked by [`YearTable::validate`] before a calendar
/// accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearTable {
    pub year: i32,
    /// The notice the table was transcribed from (title and date), kept so a reader can check it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// 放假安排 — the holiday blocks, each with every date the notice gives as off (放假 or 放假调休).
    pub holidays: Vec<HolidayBlock>,
    /// 调休上班日 — Saturdays and Sundays that are working days.
    #[serde(default)]
    pub working_weekends: Vec<NaiveDate>,
}

/// 放假安排 — one holiday block of a notice, e.g. 春节 with its eight dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HolidayBlock {
    /// The name as the notice writes it: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or a merged
    /// block such as 中秋节、国庆节.
    pub name: String,
    pub dates: Vec<NaiveDate>,
}

/// Why a year table, or a set of them, was refused. Messages are for bureau staff entering a new year.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("年份 {year} 超出可处理的范围")]
    YearOutOfRange { year: i32 },
    #[error("{date} 不属于 {year} 年的安排（只能是本年的日期，或元旦假期延伸到的上一年最后几天）")]
    OutsideYear { year: i32, date: NaiveDate },
    #[error("{year} 年有一项放假安排没有填写节日名称")]
    UnnamedHoliday { year: i32 },
    #[error("{year} 年的「{name}」没有列出放假日期")]
    EmptyHoliday { year: i32, name: String },
    #[error("{date} 在安排中重复出现")]
    DuplicateDate { date: NaiveDate },
    #[error("调休上班日 {date} 不是周六或周日")]
    NotAWeekend { date: NaiveDate },
    #[error("{date} 既列为放假日又列为调休上班日")]
    HolidayAndWorkingDay { date: NaiveDate },
    #[error("{year} 年的节假日安排出现了两次")]
    DuplicateYear { year: i32 },
    #[error("{date} 同时出现在 {first} 年和 {second} 年的安排中")]
    ClaimedByTwoYears {
        date: NaiveDate,
        first: i32,
        second: i32,
    },
}

labelled_enum! {
    /// 日期类型 — what kind of day a date is, for counting and for showing a calendar.
    pub enum DayKind ("日期类型") keys_only {
        /// 工作日 — Monday to Friday with nothing published for it.
        Workday => "workday", "工作日", "Working day";
        /// 周末 — Saturday or Sunday with nothing published for it.
        Weekend => "weekend", "周末", "Weekend";
        /// 法定节假日 — a date of a published holiday block (放假).
        Holiday => "holiday", "法定节假日", "Public holiday";
        /// 调休上班 — a Saturday or Sunday published as a working day.
        WorkingWeekend => "working_weekend", "调休上班", "Adjusted working day";
    }
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::WorkingWeekend)
    }
}

/// What a table says about one date.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Published {
    Holiday { year: i32, name: String },
    WorkingWeekend { year: i32 },
}

impl Published {
    fn year(&self) -> i32 {
        match self {
            Published::Holiday { year, .. } | Published::WorkingWeekend { year } => *year,
        }
    }
}

/// 工作日历 — the working-day calendar: weekends, plus the published tables of holidays and 调休.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    tables: BTreeMap<i32, YearTable>,
    published: BTreeMap<NaiveDate, Published>,
}

impl YearTable {
    /// Checks the table on its own: every date belongs to the year, working weekends are Saturdays or
    /// Sundays, no date is both off and on, and no date appears twice.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let year = self.year;
        let mut holidays = BTreeSet::new();
        for block in &self.holidays {
            if block.name.trim().is_empty() {
                return Err(CalendarError::UnnamedHoliday { year });
            }
            if block.dates.is_empty() {
                return Err(CalendarError::EmptyHoliday {
                    year,
                    name: block.name.clone(),
                });
            }
            for &date in &block.dates {
                self.check_belongs(date)?;
                if !holidays.insert(date) {
                    return Err(CalendarError::DuplicateDate { date });
                }
            }
        }
        let mut working = BTreeSet::new();
        for &date in &self.working_weekends {
            self.check_belongs(date)?;
            if !is_weekend(date) {
                return Err(CalendarError::NotAWeekend { date });
            }
            if holidays.contains(&date) {
                return Err(CalendarError::HolidayAndWorkingDay { date });
            }
            if !working.insert(date) {
                return Err(CalendarError::DuplicateDate { date });
            }
        }
        Ok(())
    }

    fn check_belongs(&self, date: NaiveDate) -> Result<(), CalendarError> {
        let year = self.year;
        let first = NaiveDate::from_ymd_opt(year, 1, 1);
        let earliest = first.and_then(|first| first.checked_sub_days(Days::new(DAYS_BEFORE_THE_YEAR)));
        let (Some(earliest), Some(last)) = (earliest, NaiveDate::from_ymd_opt(year, 12, 31)) else {
            return Err(CalendarError::YearOutOfRange { year });
        };
        if (earliest..=last).contains(&date) {
            Ok(())
        } else {
            Err(CalendarError::OutsideYear { year, date })
        }
    }
}

impl WorkCalendar {
    /// The mainland-China calendar with the built-in tables for 2021 through 2026.
    pub fn mainland_china() -> WorkCalendar {
        // The built-in tables are checked by this module's tests, so a failure here is a build mistake.
        WorkCalendar::from_tables(built_in_tables()).expect("the built-in holiday tables are valid")
    }

    /// A calendar from the given tables; at most one table per year.
    ///
    /// With no tables at all this is a plain Monday-to-Friday calendar.
    pub fn from_tables(tables: Vec<YearTable>) -> Result<WorkCalendar, CalendarError> {
        let mut by_year = BTreeMap::new();
        for table in tables {
            let year = table.year;
            if by_year.insert(year, table).is_some() {
                return Err(CalendarError::DuplicateYear { year });
            }
        }
        Self::index(by_year)
    }

    /// This calendar with one more year's table, e.g. next year's once the notice is out.
    ///
    /// A table for a year the calendar already has replaces it: that is how a stored table corrects a
    /// built-in one, should the State Council change an arrangement after publishing it.
    pub fn with_table(self, table: YearTable) -> Result<WorkCalendar, CalendarError> {
        let mut tables = self.tables;
        tables.insert(table.year, table);
        Self::index(tables)
    }

    fn index(tables: BTreeMap<i32, YearTable>) -> Result<WorkCalendar, CalendarError> {
        let mut published: BTreeMap<NaiveDate, Published> = BTreeMap::new();
        for table in tables.values() {
            table.validate()?;
            let year = table.year;
            let holidays = table.holidays.iter().flat_map(|block| {
                block.dates.iter().map(|&date| {
                    (
                        date,
                        Published::Holiday {
                            year,
                            name: block.name.clone(),
                        },
                    )
                })
            });
            let working = table
                .working_weekends
                .iter()
                .map(|&date| (date, Published::WorkingWeekend { year }));
            for (date, what) in holidays.chain(working) {
                // A date can only be claimed twice by two different tables: `validate` refused it within one.
                if let Some(earlier) = published.insert(date, what) {
                    return Err(CalendarError::ClaimedByTwoYears {
                        date,
                        first: earlier.year(),
                        second: year,
                    });
                }
            }
        }
        Ok(WorkCalendar { tables, published })
    }

    /// Whether `year` has a published table. Outside covered years only weekends are off.
    pub fn covers(&self, year: i32) -> bool {
        self.tables.contains_key(&year)
    }

    /// The years with a table, in order.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.tables.keys().copied()
    }

    /// The tables this calendar was built from, in year order.
    pub fn tables(&self) -> impl Iterator<Item = &YearTable> {
        self.tables.values()
    }

    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        match self.published.get(&date) {
            Some(Published::Holiday { .. }) => DayKind::Holiday,
            Some(Published::WorkingWeekend { .. }) => DayKind::WorkingWeekend,
            None if is_weekend(date) => DayKind::Weekend,
            None => DayKind::Workday,
        }
    }

    /// The holiday a date belongs to, as the notice names it (e.g. `春节`).
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        match self.published.get(&date) {
            Some(Published::Holiday { name, .. }) => Some(name),
            _ => None,
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date).is_working()
    }

    /// The `n`-th working day after `date`, not counting `date` itself; `n = 0` gives `date` unchanged,
    /// whatever kind of day it is.
    ///
    /// "Within 20 working days of acceptance" (受理之日起20个工作日内) ends on
    /// `add_working_days(accepted_on, 20)`: the day of acceptance is not counted.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = day
                .succ_opt()
                .expect("a time limit runs past the end of the calendar");
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The number of working days in the half-open interval (`from`, `to`]: `from` is not counted, `to` is.
    ///
    /// It is the inverse of [`add_working_days`](Self::add_working_days):
    /// `working_days_between(d, add_working_days(d, n)) == n`. When `to` is before `from` the count is of
    /// (`to`, `from`] and negative, so "days left until the due date" becomes "days overdue" by its sign.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let count = from
            .iter_days()
            .skip(1)
            .take_while(|day| *day <= to)
            .filter(|day| self.is_working_day(*day))
            .count();
        i64::try_from(count).expect("a day count fits in i64")
    }
}

/// The built-in tables for 2021–2026, parsed from the embedded JSON.
pub fn built_in_tables() -> Vec<YearTable> {
    BUILT_IN_TABLES
        .iter()
        .map(|json| serde_json::from_str(json).expect("a built-in holiday table is well-formed JSON"))
        .collect()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod notice_tests;
#[cfg(test)]
mod tests;
