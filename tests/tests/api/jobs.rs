//! Background jobs: a large export runs as a job with progress and is downloaded by its owner alone; a job
//! whose server died is finished once by another; servers sharing a database run each job once and each
//! daily job once a day.

use std::time::Duration;

use chrono::Utc;
use domain::jobs::{JobKind, JobStatus, Schedule};
use reqwest::StatusCode;
use serde_json::json;
use sheguan::store::jobs::{JobOutcome, NewJob};
use tests::{Backend, TestApp, on_both_backends, spawn_app_with};

on_both_backends!(
    a_large_export_runs_as_a_job_and_only_its_owner_downloads_the_file,
    a_job_whose_server_died_is_finished_once_by_another,
    servers_sharing_a_database_run_each_job_once,
    a_daily_job_runs_once_a_day_however_many_servers_queue_it,
    an_expired_file_is_gone_and_bad_job_requests_are_refused,
    a_large_import_is_checked_and_stored_by_a_job_all_or_nothing,
    an_import_stored_under_a_lapsed_claim_is_rolled_back,
);

/// A demo server whose exports above 100 rows run as jobs.
async fn demo_app(backend: Backend, workers: usize) -> TestApp {
    spawn_app_with(backend, |c| {
        c.demo = true;
        c.jobs.inline_export_rows = 100;
        c.jobs.workers = workers;
    })
    .await
}

fn sheet_rows(bytes: &[u8]) -> Vec<(String, usize)> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let rows = book.worksheet_range(&name).unwrap().rows().count();
            (name, rows)
        })
        .collect()
}

async fn a_large_export_runs_as_a_job_and_only_its_owner_downloads_the_file(backend: Backend) {
    let app = demo_app(backend, 2).await;
    let admin = app.signed_in_as("demo-admin").await;
    let hefei = app.signed_in_as("demo-hefei").await;
    let entries = admin.list_contributions("per_page=1").await.unwrap().total;
    assert!(entries > 100, "the demo ledger is larger than the inline limit");

    let answer = admin.export_contributions("").await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let location = answer.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(answer.headers()["cache-control"], "no-store");
    let queued: domain::api::Job = answer.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/jobs/{}", queued.id));
    assert_eq!(queued.kind, JobKind::ContributionsExport);
    assert!(queued.download.is_none());

    let done = admin.wait_for_job(queued.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.error);
    assert_eq!(done.progress, 1.0);
    assert_eq!(done.attempts, 1);
    assert_eq!(done.summary.as_deref(), Some(format!("共 {entries} 行").as_str()));
    let link = done.download.clone().expect("a download link");
    assert!(done.expires_at.is_some_and(|at| at > Utc::now()));

    let file = admin.get(&link).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["cache-control"], "private, no-store");
    let bytes = file.bytes().await.unwrap();
    assert_eq!(Some(bytes.len() as u64), done.file_bytes);
    let sheets = sheet_rows(&bytes);
    assert_eq!(sheets[0].0, "贡献记录");
    assert_eq!(sheets[0].1 as u64, entries + 2, "caption, header and every entry");

    // Someone else's job does not exist for them; the bureau sees it, without the download.
    assert_eq!(hefei.job(done.id).await.unwrap_err().0, StatusCode::NOT_FOUND);
    assert_eq!(hefei.download_job(done.id).await.status(), StatusCode::NOT_FOUND);
    assert!(hefei.list_jobs("").await.unwrap().items.is_empty());
    assert_eq!(
        hefei.list_jobs("all=true").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    let mine = admin.list_jobs("").await.unwrap();
    assert_eq!(mine.items[0].id, done.id);

    // Hefei's own export holds only Hefei's entries and is hers alone; the bureau cannot download it.
    let hefei_total = hefei.list_contributions("per_page=1").await.unwrap().total;
    let theirs: domain::api::Job = hefei.export_contributions("").await.json().await.unwrap();
    let theirs = hefei.wait_for_job(theirs.id).await;
    assert_eq!(
        theirs.summary.as_deref(),
        Some(format!("共 {hefei_total} 行").as_str())
    );
    let seen = admin.job(theirs.id).await.unwrap();
    assert_eq!(seen.owner.as_deref(), Some("demo-hefei"));
    assert!(seen.download.is_none());
    assert_eq!(
        admin.download_job(theirs.id).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(admin.list_jobs("all=true").await.unwrap().total >= 2);

    // The export and the download are in the audit log.
    let exports = admin.list_audit("entity_type=export").await.unwrap();
    assert!(
        exports
            .items
            .iter()
            .any(|r| r.actor_name == "demo-admin" && r.action == "export")
    );
    let downloads = admin.list_audit("entity_type=job&action=download").await.unwrap();
    assert_eq!(downloads.total, 1);
    assert_eq!(downloads.items[0].entity_id, done.id.to_string());
}

async fn a_job_whose_server_died_is_finished_once_by_another(backend: Backend) {
    // The first server takes no jobs itself; a worker that "dies" is played by a claim made directly.
    let first = demo_app(backend, 0).await;
    let admin = first.signed_in_as("demo-admin").await;
    let queued: domain::api::Job = admin.export_organizations("").await.json().await.unwrap();
    let now = Utc::now();
    let dead = first
        .store
        .claim_job("a-server-that-dies", now, now + chrono::Duration::seconds(2))
        .await
        .unwrap()
        .expect("the queued export");
    assert_eq!((dead.id, dead.attempt), (queued.id, 1));
    assert_eq!(admin.job(queued.id).await.unwrap().status, JobStatus::Running);

    // A second server on the same database takes the job over once the dead claim's lease lapses.
    let second = first.another_server_with(|c| c.jobs.workers = 1).await;
    let done = admin.wait_for_job(queued.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.error);
    assert_eq!(done.attempts, 2);

    // The dead worker, were it to wake, can neither report nor store a second result.
    assert!(
        !first
            .store
            .job_heartbeat(&dead, 0.5, None, Utc::now())
            .await
            .unwrap()
    );
    let file = tempfile_with(b"not the export");
    let late = JobOutcome {
        summary: Some("late".to_owned()),
        file: Some((
            "late.xlsx".to_owned(),
            file,
            Utc::now() + chrono::Duration::hours(1),
        )),
        result: None,
    };
    assert!(!first.store.finish_job(&dead, &late, Utc::now()).await.unwrap());
    let after = admin.job(queued.id).await.unwrap();
    assert_eq!((after.summary, after.file_bytes), (done.summary, done.file_bytes));
    let bytes = admin.download_job(queued.id).await.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"), "the real workbook");
    let organizations = admin.list_organizations("per_page=1").await.unwrap().total;
    assert_eq!(sheet_rows(&bytes)[0].1 as u64, organizations + 2);
    drop(second);
}

fn tempfile_with(bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("sheguan-late-{}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, bytes).unwrap();
    path
}

async fn servers_sharing_a_database_run_each_job_once(backend: Backend) {
    let first = spawn_app_with(backend, |c| c.jobs.workers = 2).await;
    let second = first.another_server_with(|c| c.jobs.workers = 2).await;
    let mut ids = Vec::new();
    for _ in 0..24 {
        let job = NewJob {
            kind: JobKind::PurgeDownloads,
            params: json!({}),
            owner_id: None,
            run_key: None,
        };
        ids.push(first.store.enqueue_job(&job, Utc::now()).await.unwrap().unwrap());
    }
    let db = first.db().await;
    for _ in 0..300 {
        let open = db
            .count("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')")
            .await;
        if open == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let claimed_twice = db.count("SELECT COUNT(*) FROM jobs WHERE attempts <> 1").await;
    let done = db.count("SELECT COUNT(*) FROM jobs WHERE status = 'done'").await;
    assert_eq!(
        (done, claimed_twice),
        (24, 0),
        "every job run once, by one worker"
    );
    let servers = db.count("SELECT COUNT(DISTINCT locked_by) FROM jobs").await;
    assert_eq!(servers, 0, "no job is left locked");
    drop(second);
}

async fn a_daily_job_runs_once_a_day_however_many_servers_queue_it(backend: Backend) {
    let first = spawn_app_with(backend, |c| {
        c.demo = true;
        c.jobs.schedules = true;
    })
    .await;
    let second = first.another_server_with(|c| c.jobs.schedules = true).await;
    let admin = first.signed_in_as("demo-admin").await;
    let purge = Schedule::of(JobKind::PurgeSessions).unwrap();
    let key = purge.run_key(purge.due_day(Utc::now()));
    let db = first.db().await;
    let mut runs = 0;
    for _ in 0..100 {
        runs = db
            .count(&format!(
                "SELECT COUNT(*) FROM jobs WHERE run_key = '{key}' AND status = 'done'"
            ))
            .await;
        if runs > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both schedulers asked at start; the day's key let one run in.
    let queued = db
        .count("SELECT COUNT(*) FROM jobs WHERE kind = 'purge_sessions'")
        .await;
    assert_eq!((runs, queued), (1, 1));

    let schedules = admin.job_schedules().await.unwrap();
    let status = schedules
        .iter()
        .find(|s| s.kind == JobKind::PurgeSessions)
        .unwrap();
    let last = status.last_run.as_ref().expect("the day's run");
    assert_eq!(last.status, JobStatus::Done);
    assert!(last.summary.as_deref().unwrap().starts_with("删除过期会话"));
    assert!(status.next_run > Utc::now());
    assert!(status.last_duration_ms.is_some());

    // The bureau may run it again at once; others may not see the schedules at all.
    let again = admin.run_schedule("purge_sessions").await.unwrap();
    assert_eq!(admin.wait_for_job(again.id).await.status, JobStatus::Done);
    assert_eq!(
        admin.run_schedule("contributions_export").await.unwrap_err().0,
        StatusCode::NOT_FOUND
    );
    // The annual cycle's daily jobs run on the same runner, and say what they did.
    // (The dormant scan's own tests run it on a registry of their making: on the demo set every one of
    // 35,000 organizations is a first-run candidate.)
    assert!(schedules.iter().any(|s| s.kind == JobKind::DormantScan));
    for (kind, said) in [("credit_rules", "关闭年检周期")] {
        assert!(
            schedules.iter().any(|s| s.kind.key() == kind),
            "{kind} is scheduled"
        );
        let run = admin.run_schedule(kind).await.unwrap();
        let run = admin.wait_for_job(run.id).await;
        assert_eq!(run.status, JobStatus::Done, "{kind}: {:?}", run.error);
        assert!(
            run.summary.as_deref().unwrap().starts_with(said),
            "{:?}",
            run.summary
        );
    }
    let hefei = first.signed_in_as("demo-hefei").await;
    assert_eq!(hefei.job_schedules().await.unwrap_err().0, StatusCode::FORBIDDEN);
    assert_eq!(
        hefei.run_schedule("purge_sessions").await.unwrap_err().0,
        StatusCode::FORBIDDEN
    );
    drop(second);
}

async fn an_expired_file_is_gone_and_bad_job_requests_are_refused(backend: Backend) {
    let app = demo_app(backend, 1).await;
    let admin = app.signed_in_as("demo-admin").await;
    let job: domain::api::Job = admin.export_audit("").await.json().await.unwrap();
    let done = admin.wait_for_job(job.id).await;
    assert!(done.file_name.as_deref() == Some("sheguan-audit.csv"));
    let text = admin.download_job(job.id).await.text().await.unwrap();
    assert!(text.trim_start_matches('\u{feff}').starts_with("审计日志：共 "));

    let db = app.db().await;
    db.execute(&format!(
        "UPDATE jobs SET expires_at = created_at WHERE id = {}",
        job.id
    ))
    .await
    .unwrap();
    let expired = admin.job(job.id).await.unwrap();
    assert!(expired.download.is_none() && expired.file_name.is_none());
    let refused = admin.download_job(job.id).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let purge = admin.run_schedule("purge_downloads").await.unwrap();
    let purged = admin.wait_for_job(purge.id).await;
    assert_eq!(purged.summary.as_deref(), Some("删除过期下载文件 1 个"));
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM job_files WHERE job_id = {}",
            job.id
        ))
        .await,
        0
    );

    let (status, error) = admin.list_jobs("kind=galaxy").await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.field_message("kind").is_some());
    assert_eq!(admin.job(987_654).await.unwrap_err().0, StatusCode::NOT_FOUND);
    assert_eq!(
        admin.list_jobs("per_page=0").await.unwrap_err().0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// A registry import file of `rows` new organizations (Hefei, 社会团体), as CSV.
fn import_file(rows: u64, first_serial: u64) -> Vec<u8> {
    use domain::registry::credit_code::{CreditCategory, CreditCode};
    use domain::registry::import::COLUMNS;
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    let mut text = header.join(",");
    for i in 0..rows {
        let serial = first_serial + i;
        let code = CreditCode::generate(CreditCategory::SocialGroup, "340100", serial);
        let mut cells = vec![String::new(); COLUMNS.len()];
        cells[0] = format!("合肥市导入测试第{serial}协会");
        cells[1] = code.as_str().to_owned();
        cells[2] = "社会团体".to_owned();
        cells[3] = "其他".to_owned();
        cells[5] = "340100".to_owned();
        text.push_str("\r\n");
        text.push_str(&cells.join(","));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

async fn a_large_import_is_checked_and_stored_by_a_job_all_or_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.demo = true;
        c.jobs.inline_import_rows = 100;
    })
    .await;
    let admin = app.signed_in_as("demo-admin").await;
    let hefei = app.signed_in_as("demo-hefei").await;
    let before = app.store.count_organizations().await.unwrap();
    let file = import_file(1_200, 900_000);

    // A small file still answers at once.
    let small = admin
        .import_response(false, "small.csv", import_file(3, 950_000))
        .await;
    assert_eq!(small.status(), StatusCode::OK);

    // The dry run of a large file is a job; its result is the report, and nothing is stored.
    let answer = admin.import_response(false, "大文件.csv", file.clone()).await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let queued: domain::api::Job = answer.json().await.unwrap();
    assert_eq!(queued.kind, JobKind::OrganizationsImportCheck);
    let checked = admin.wait_for_job(queued.id).await;
    assert_eq!(checked.status, JobStatus::Done, "{:?}", checked.error);
    let report: domain::api::ImportReport = serde_json::from_value(checked.result.unwrap()).unwrap();
    assert_eq!((report.rows, report.valid, report.imported), (1_200, 1_200, 0));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(app.store.count_organizations().await.unwrap(), before);
    assert_eq!(hefei.job(queued.id).await.unwrap_err().0, StatusCode::NOT_FOUND);

    // The import stores every row, once, with one audit row for the file; its upload is gone after.
    let answer = admin.import_response(true, "大文件.csv", file.clone()).await;
    assert_eq!(answer.status(), StatusCode::ACCEPTED);
    let queued: domain::api::Job = answer.json().await.unwrap();
    assert_eq!(queued.kind, JobKind::OrganizationsImport);
    let done = admin.wait_for_job(queued.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.error);
    assert_eq!(done.summary.as_deref(), Some("已导入 1200 个社会组织"));
    let report: domain::api::ImportReport = serde_json::from_value(done.result.unwrap()).unwrap();
    assert_eq!(report.imported, 1_200);
    assert_eq!(app.store.count_organizations().await.unwrap(), before + 1_200);
    let found = admin.list_organizations("q=导入测试第900777").await.unwrap();
    assert_eq!(found.total, 1);
    let files = admin
        .list_audit("entity_type=organization_import&action=import")
        .await
        .unwrap();
    assert_eq!(files.total, 1);
    let db = app.db().await;
    assert_eq!(db.count("SELECT COUNT(*) FROM job_inputs").await, 0);

    // The same file again: every row is a duplicate now; the job reports them and stores nothing.
    let again: domain::api::Job = admin
        .import_response(true, "大文件.csv", file)
        .await
        .json()
        .await
        .unwrap();
    let refused = admin.wait_for_job(again.id).await;
    assert_eq!(refused.status, JobStatus::Done);
    let report: domain::api::ImportReport = serde_json::from_value(refused.result.unwrap()).unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(report.problems.len(), 2_400, "each row's code and name");
    assert!(refused.summary.unwrap().starts_with("导入未执行"));
    assert_eq!(app.store.count_organizations().await.unwrap(), before + 1_200);

    // Hefei's staff import only in Hefei: a row elsewhere is a problem of that row, in the job as at once.
    let mut wuhu = String::from_utf8(import_file(150, 960_000)).unwrap();
    wuhu = wuhu.replacen(",340100,", ",340200,", 1);
    let theirs: domain::api::Job = hefei
        .import_response(true, "芜湖.csv", wuhu.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    let theirs = hefei.wait_for_job(theirs.id).await;
    let report: domain::api::ImportReport = serde_json::from_value(theirs.result.unwrap()).unwrap();
    assert_eq!(report.imported, 0);
    assert!(
        report.problems.iter().any(|p| p.column == "登记管理机关代码"),
        "{:?}",
        report.problems
    );
}

async fn an_import_stored_under_a_lapsed_claim_is_rolled_back(backend: Backend) {
    // This server runs no jobs; the "dead" worker is a claim made directly, the live one a second server.
    let app = spawn_app_with(backend, |c| {
        c.demo = true;
        c.jobs.workers = 0;
        c.jobs.inline_import_rows = 10;
    })
    .await;
    let admin = app.signed_in_as("demo-admin").await;
    let before = app.store.count_organizations().await.unwrap();
    let queued: domain::api::Job = admin
        .import_response(true, "续做.csv", import_file(40, 970_000))
        .await
        .json()
        .await
        .unwrap();
    let now = Utc::now();
    let stale = app
        .store
        .claim_job("dead-server", now, now + chrono::Duration::milliseconds(300))
        .await
        .unwrap()
        .expect("the import job is ready");
    assert_eq!(stale.id, queued.id);
    tokio::time::sleep(Duration::from_millis(400)).await;

    let live = app.another_server_with(|c| c.jobs.workers = 1).await;
    let done = admin.wait_for_job(queued.id).await;
    assert_eq!(done.status, JobStatus::Done, "{:?}", done.error);
    assert_eq!(done.attempts, 2);
    assert_eq!(app.store.count_organizations().await.unwrap(), before + 40);

    // The dead worker wakes and stores its rows: its claim no longer holds, so nothing is kept.
    let row = sheguan::store::registry::import::ImportRow {
        organization: sheguan::store::registry::organizations::OrganizationSeed {
            credit_code: domain::registry::credit_code::CreditCode::generate(
                domain::registry::credit_code::CreditCategory::SocialGroup,
                "340100",
                980_000,
            )
            .as_str()
            .to_owned(),
            name: "合肥市迟到的协会".to_owned(),
            kind: "social_group".to_owned(),
            level: "city".to_owned(),
            division_code: "340100".to_owned(),
            ..Default::default()
        },
        audit_after: json!({}),
    };
    let actor = sheguan::store::Actor {
        user_id: None,
        name: "dead-server".to_owned(),
        role: None,
        client_addr: String::new(),
    };
    let outcome = |_: &[i64]| ("late".to_owned(), json!({}));
    let stored = app
        .store
        .import_organizations_for_job(&[row], "续做.csv", &actor, &stale, &outcome, &|_| {})
        .await
        .unwrap();
    assert_eq!(stored, None, "a lapsed claim stores nothing");
    assert_eq!(app.store.count_organizations().await.unwrap(), before + 40);
    let job = admin.job(queued.id).await.unwrap();
    assert_eq!(job.summary.as_deref(), Some("已导入 40 个社会组织"));
    drop(live);
}
