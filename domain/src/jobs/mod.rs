//! 后台任务 — work that runs outside a request: large exports, daily scans, purges and retries.
//!
//! The rules every server applies the same way: which kinds of job exist and who may start them, the
//! states a job passes through, how long a failed attempt waits before the next one, and when a daily
//! job is due — in China Standard Time, whatever the server's clock zone.

pub mod api;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

use crate::label::labelled_enum;

labelled_enum! {
    /// 任务类型 — what a job does.
    pub enum JobKind ("任务类型") keys_only {
        /// 贡献台账导出 — the ledger as a workbook.
        ContributionsExport => "contributions_export", "贡献台账导出", "Ledger export";
        /// 登记名录导出 — the registry as a workbook.
        OrganizationsExport => "organizations_export", "登记名录导出", "Registry export";
        /// 审计日志导出 — the audit log as a file.
        AuditExport => "audit_export", "审计日志导出", "Audit log export";
        /// 年检报告导出 — a year's annual reports as a workbook.
        InspectionExport => "inspection_export", "年检报告导出", "Annual report export";
        /// 名录导入预检 — checks a large import file row by row, storing nothing.
        OrganizationsImportCheck => "organizations_import_check", "名录导入预检", "Registry import check";
        /// 名录导入 — checks a large import file again and stores every row or none.
        OrganizationsImport => "organizations_import", "名录导入", "Registry import";
        /// 涉企收费检查结果导出 — a fee-inspection campaign's results and items as a workbook.
        FeesExport => "fees_export", "涉企收费检查导出", "Fee inspection export";
        /// 清理过期会话 — removes sessions past their limits.
        PurgeSessions => "purge_sessions", "清理过期会话", "Purge expired sessions";
        /// 清理过期下载 — removes export files past their keeping time.
        PurgeDownloads => "purge_downloads", "清理过期下载文件", "Purge expired downloads";
        /// 信用名单规则 — closes annual cycles past their deadline, lists missing reports and overdue
        /// rectifications on the abnormal list, moves two-year abnormal listings to the serious list.
        CreditRules => "credit_rules", "信用名单规则", "Credit-list rules";
        /// 僵尸型社会组织排查 — proposes dormant candidates from their signals (staff confirm).
        DormantScan => "dormant_scan", "僵尸型社会组织排查", "Dormant organization scan";
        /// 双公示推送 — pushes the due publication items to the credit platform.
        PublicationPush => "publication_push", "双公示推送", "Publication push";
        /// 双公示导出 — the publication items in the platform's item list.
        PublicationExport => "publication_export", "双公示导出", "Publication export";
    }
}

labelled_enum! {
    /// 任务状态 — where a job stands.
    pub enum JobStatus ("任务状态") keys_only {
        /// 排队中 — waiting for a worker (also between attempts).
        Queued => "queued", "排队中", "Queued";
        /// 进行中 — a worker holds it.
        Running => "running", "进行中", "Running";
        /// 已完成 — finished; an export's file can be downloaded until it expires.
        Done => "done", "已完成", "Done";
        /// 失败 — every attempt failed.
        Failed => "failed", "失败", "Failed";
    }
}

impl JobKind {
    /// Whether the job writes a file its owner downloads.
    pub fn is_export(self) -> bool {
        matches!(
            self,
            JobKind::ContributionsExport
                | JobKind::OrganizationsExport
                | JobKind::AuditExport
                | JobKind::InspectionExport
                | JobKind::FeesExport
                | JobKind::PublicationExport
        )
    }

    /// Whether the job works on a file its owner uploaded (kept with the job until it ends).
    pub fn has_input(self) -> bool {
        matches!(
            self,
            JobKind::OrganizationsImportCheck | JobKind::OrganizationsImport
        )
    }

    /// How many attempts a job of this kind gets before it is failed.
    pub fn max_attempts(self) -> u32 {
        if self.is_export() || self.has_input() {
            3
        } else {
            5
        }
    }
}

impl JobStatus {
    /// Whether the job will not change again.
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::Failed)
    }
}

/// How long a job waits after its `attempt`-th failed attempt: 30 s, doubling, at most an hour.
pub fn retry_delay(attempt: u32) -> Duration {
    let seconds = 30_i64.saturating_mul(1_i64 << attempt.saturating_sub(1).min(20));
    Duration::seconds(seconds.min(3600))
}

/// A job that runs once a day, at a time of day in China Standard Time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub kind: JobKind,
    /// The time of day, China Standard Time (UTC+8).
    pub at: NaiveTime,
}

/// The daily jobs, in the order the schedules page lists them.
pub const SCHEDULES: [Schedule; 4] = [
    // Just after midnight: an annual report missing at yesterday's deadline is listed "the day after".
    Schedule {
        kind: JobKind::CreditRules,
        at: time(0, 30),
    },
    Schedule {
        kind: JobKind::DormantScan,
        at: time(2, 0),
    },
    Schedule {
        kind: JobKind::PurgeSessions,
        at: time(3, 0),
    },
    Schedule {
        kind: JobKind::PurgeDownloads,
        at: time(3, 10),
    },
];

const fn time(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(t) => t,
        None => panic!("a valid time of day"),
    }
}

/// China Standard Time, UTC+8 all year.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

impl Schedule {
    /// The day (in China) of the latest run that is due at `now`: today once `at` has passed, else
    /// yesterday. A server that was down at `at` catches up as soon as it starts; the run's key makes it
    /// one run per day however many servers ask.
    pub fn due_day(&self, now: DateTime<Utc>) -> NaiveDate {
        let local = now.with_timezone(&china());
        let today = local.date_naive();
        if local.time() >= self.at {
            today
        } else {
            today.pred_opt().unwrap_or(today)
        }
    }

    /// When the next run after `now` starts, in UTC.
    pub fn next_run(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let next_day = self.due_day(now).succ_opt().unwrap_or(NaiveDate::MAX);
        next_day
            .and_time(self.at)
            .and_local_timezone(china())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    }

    /// The key that makes the run of `day` one row in the jobs table, across all servers.
    pub fn run_key(&self, day: NaiveDate) -> String {
        format!("daily:{}:{day}", self.kind.key())
    }

    /// The schedule of a kind, if it runs daily.
    pub fn of(kind: JobKind) -> Option<Schedule> {
        SCHEDULES.into_iter().find(|s| s.kind == kind)
    }
}

/// Progress as the API reports it: a fraction in 0–1 from a count done of a total (an empty total is done).
pub fn fraction(done: u64, total: u64) -> f64 {
    if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).clamp(0.0, 1.0)
    }
}

/// The file name of a download's `Content-Disposition: attachment; filename="…"`.
pub fn attachment_name(disposition: &str) -> Option<String> {
    let (_, rest) = disposition.split_once("filename=")?;
    let name = rest.split(';').next()?.trim().trim_matches('"');
    (!name.is_empty()).then(|| name.to_owned())
}

/// A file's size as people read it: `812 B`, `35.2 KB`, `4.7 MB` (units of 1,024).
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit + 1 < UNITS.len() {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn a_daily_run_is_due_in_china_time_not_the_servers() {
        let purge = Schedule::of(JobKind::PurgeSessions).unwrap();
        // 18:59 UTC on 5 Dec is 02:59 on 6 Dec in China: the 6th's run is not due yet.
        assert_eq!(
            purge.due_day(utc(2026, 12, 5, 18, 59)),
            NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
        );
        // 19:00 UTC is 03:00 in China: due.
        assert_eq!(
            purge.due_day(utc(2026, 12, 5, 19, 0)),
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
        );
        assert_eq!(purge.next_run(utc(2026, 12, 5, 19, 0)), utc(2026, 12, 6, 19, 0));
        assert_eq!(
            purge.run_key(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()),
            "daily:purge_sessions:2026-12-06"
        );
    }

    #[test]
    fn retries_back_off_and_stop_growing_at_an_hour() {
        assert_eq!(retry_delay(1), Duration::seconds(30));
        assert_eq!(retry_delay(2), Duration::seconds(60));
        assert_eq!(retry_delay(4), Duration::seconds(240));
        assert_eq!(retry_delay(40), Duration::seconds(3600));
    }

    #[test]
    fn only_exports_have_files_and_progress_is_a_fraction() {
        assert!(JobKind::ContributionsExport.is_export());
        assert!(!JobKind::PurgeSessions.is_export());
        assert_eq!(fraction(0, 0), 1.0);
        assert_eq!(fraction(5, 10), 0.5);
        assert_eq!(fraction(12, 10), 1.0);
    }

    #[test]
    fn the_file_name_is_read_from_the_disposition() {
        assert_eq!(
            attachment_name("attachment; filename=\"audit-20261205.csv\"").as_deref(),
            Some("audit-20261205.csv")
        );
        assert_eq!(attachment_name("attachment"), None);
    }

    #[test]
    fn sizes_read_in_the_largest_whole_unit() {
        assert_eq!(format_bytes(812), "812 B");
        assert_eq!(format_bytes(36_045), "35.2 KB");
        assert_eq!(format_bytes(4_928_307), "4.7 MB");
    }
}
