//! 双公示 — the publication of administrative decisions (`DOMAIN.md` §7.5): every licensing decision
//! (行政许可, 皖社许〔YYYY〕N号) and every penalty decision (行政处罚, 皖社罚〔YYYY〕N号) is published on the
//! provincial credit platform within seven working days of the decision.
//!
//! The rules the server and the browser share: when an item is due ([`due_on`], on the working-day
//! calendar), how an outbox item's push is retried ([`retry_after`]), whether it was on time and by how
//! many working days it was late ([`Timeliness`]), the on-time rate of a set of items ([`Tally`]), and the
//! period a report covers ([`Period`]).

pub mod api;

use chrono::{Datelike, Duration, NaiveDate};

use crate::calendar::WorkCalendar;
use crate::label::labelled_enum;

/// 7 个工作日: the time limit of publication, counted from the day after the decision.
pub const PUBLICATION_WORKING_DAYS: u32 = 7;
/// Pushes an item gets on its own before it waits for staff (retry now, or published by hand).
pub const MAX_PUSH_ATTEMPTS: u32 = 8;

labelled_enum! {
    /// 决定类别 — which kind of decision an item publishes.
    pub enum DecisionKind ("决定类别") keys_only {
        /// 行政许可 — the registry's approvals and refusals.
        Licensing => "licensing", "行政许可", "Licensing decision";
        /// 行政处罚 — penalty decisions.
        Penalty => "penalty", "行政处罚", "Penalty decision";
    }
}

labelled_enum! {
    /// 公示状态 — where an item of the outbox stands.
    pub enum PublicationStatus ("公示状态") keys_only {
        /// 待推送 — not sent yet (or the platform is reached by upload and it is not marked yet).
        Pending => "pending", "待推送", "Pending";
        /// 已推送 — the platform accepted it; the day it was sent counts as its publication.
        Sent => "sent", "已推送", "Sent";
        /// 平台已确认 — the platform confirmed the publication and its date.
        Acknowledged => "acknowledged", "平台已确认", "Acknowledged";
        /// 推送失败 — the last push failed (the reason is kept); retried with backoff.
        Failed => "failed", "推送失败", "Failed";
        /// 已手工公示 — published by upload, marked by staff with its date.
        Manual => "manual", "已手工公示", "Published manually";
    }
}

impl PublicationStatus {
    /// Whether the item is on the platform (nothing more is sent).
    pub fn is_published(self) -> bool {
        matches!(
            self,
            PublicationStatus::Sent | PublicationStatus::Acknowledged | PublicationStatus::Manual
        )
    }
}

/// The last day an item decided on `decided_on` may be published: the seventh working day after it.
pub fn due_on(decided_on: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
    calendar.add_working_days(decided_on, PUBLICATION_WORKING_DAYS)
}

/// The `Idempotency-Key` a push carries: the decision's number, percent-encoded as UTF-8 (a header value
/// is ASCII), so the platform publishes one decision once however often it is sent.
pub fn idempotency_key(document_number: &str) -> String {
    document_number
        .bytes()
        .map(|b| match b {
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b'-' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How long an item waits after its `attempt`-th failed push — the job runner's policy (30 s doubling,
/// at most an hour) — or `None` once it has had [`MAX_PUSH_ATTEMPTS`] and waits for staff.
pub fn retry_after(attempt: u32) -> Option<Duration> {
    (attempt < MAX_PUSH_ATTEMPTS).then(|| crate::jobs::retry_delay(attempt.max(1)))
}

/// Whether an item was (or is being) published in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Published by its due day.
    OnTime,
    /// Published after its due day, or still unpublished past it: by how many working days (at least 1).
    Late { working_days: i64 },
    /// Not published, and its due day has not passed.
    NotDue,
}

impl Timeliness {
    /// An item due on `due_on`, published on `published_on` (if it is), as seen on `today`.
    pub fn of(
        due_on: NaiveDate,
        published_on: Option<NaiveDate>,
        today: NaiveDate,
        calendar: &WorkCalendar,
    ) -> Timeliness {
        let until = match published_on {
            Some(day) if day <= due_on => return Timeliness::OnTime,
            Some(day) => day,
            None if today <= due_on => return Timeliness::NotDue,
            None => today,
        };
        // A late day on a weekend or holiday still counts as one day late.
        let working_days = calendar.working_days_between(due_on, until).max(1);
        Timeliness::Late { working_days }
    }

    pub fn late_days(self) -> Option<i64> {
        match self {
            Timeliness::Late { working_days } => Some(working_days),
            _ => None,
        }
    }
}

/// Items counted by their timeliness: the on-time rate is on time over those whose outcome is known
/// (on time or late); items not yet due are counted apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub decided: u64,
    pub on_time: u64,
    pub late: u64,
    pub not_due: u64,
}

impl Tally {
    pub fn add(&mut self, timeliness: Timeliness) {
        self.decided += 1;
        match timeliness {
            Timeliness::OnTime => self.on_time += 1,
            Timeliness::Late { .. } => self.late += 1,
            Timeliness::NotDue => self.not_due += 1,
        }
    }

    /// On time as a share of on time and late (0–1); `None` while no item's outcome is known.
    pub fn rate(&self) -> Option<f64> {
        let known = self.on_time + self.late;
        (known > 0).then(|| self.on_time as f64 / known as f64)
    }
}

/// The decisions a report covers: a year (`2021`) or a month (`2021-03`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub month: Option<u32>,
}

impl Period {
    /// Reads `2021` or `2021-03`; the error names the field in Chinese.
    pub fn parse(raw: &str) -> Result<Period, String> {
        let refused = || format!("期间（period）应为年份（如 2021）或年月（如 2021-03），收到「{raw}」");
        let raw = raw.trim();
        let (year, month) = match raw.split_once('-') {
            Some((y, m)) => (y, Some(m)),
            None => (raw, None),
        };
        let year: i32 = year.parse().map_err(|_| refused())?;
        if !(2000..=2100).contains(&year) {
            return Err(refused());
        }
        let month = match month {
            Some(m) => match m.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) && raw.len() == 7 => Some(m),
                _ => return Err(refused()),
            },
            None => None,
        };
        Ok(Period { year, month })
    }

    /// The first and the last day of the period.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let first = NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), 1).expect("a valid month");
        let next = match self.month {
            Some(12) | None => NaiveDate::from_ymd_opt(self.year + 1, 1, 1),
            Some(m) => NaiveDate::from_ymd_opt(self.year, m + 1, 1),
        }
        .expect("a valid month");
        (first, next.pred_opt().expect("a day before"))
    }

    /// The period containing `day`, by year.
    pub fn year_of(day: NaiveDate) -> Period {
        Period {
            year: day.year(),
            month: None,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.month {
            Some(m) => write!(f, "{}-{m:02}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

#[cfg(test)]
mod tests;
