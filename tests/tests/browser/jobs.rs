//! Exports on a phone, through the UI only: a search of the registry is small and saved at once; the
//! bureau administrator's export of the ledger from the review queue is too large to answer at once, so it
//! runs as a job whose progress shows under the button until its file can be downloaded; after a reload
//! the jobs page lists the finished job with the same download, and the daily jobs can be run from there.
//! A large registry import likewise runs as a job: its progress shows until its report does.

use serde_json::json;
use tests::browser::{Browser, Viewport};

use super::sign_in;

/// Notes whether a job's progress bar ever shows under an export button: a small job may finish within
/// the second between two looks, so the test cannot count on catching it on screen.
const WATCH_PROGRESS: &str = "window.sawProgress = false;
    new MutationObserver(() => {
        if (document.querySelector('[data-testid=export-job] [data-testid=job-progress] progress')) {
            window.sawProgress = true;
        }
    }).observe(document.body, { childList: true, subtree: true });";

/// Fetches a URL with the page's session: status, content type and the first two bytes.
const FETCH_HEAD: &str = "return fetch(arguments[0]).then(async r => [
        r.status, r.headers.get('content-type') || '',
        [...new Uint8Array(await r.arrayBuffer()).slice(0, 2)].map(b => String.fromCharCode(b)).join('')
    ]);";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_export_runs_as_a_job_on_a_phone_and_is_found_again_on_the_jobs_page() {
    // Exports of more than 100 rows run as jobs: the demo ledger (5,000 entries) is one.
    let browser = Browser::open_demo_with(Viewport::Phone, |c| {
        c.jobs.inline_export_rows = 100;
        c.jobs.inline_import_rows = 100;
    })
    .await;
    sign_in(&browser, "demo-admin").await;

    // A small export (the registry searched for one society) comes at once: the browser saves it.
    browser
        .goto("/organizations?q=%E5%AE%89%E5%BE%BD%E7%9C%81%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4%E4%BF%83%E8%BF%9B%E4%BC%9A")
        .await;
    browser.find("[data-testid=registry-table]").await;
    browser
        .find("[data-testid=registry-export]")
        .await
        .click()
        .await
        .expect("export the search");
    browser
        .find_text("[data-testid=export-saved]", "organizations-")
        .await;
    browser.checkpoint("jobs-export-small").await;

    // The export from the review queue starts a job; its progress shows, then its download.
    browser.goto("/contributions").await;
    let button = browser.find("[data-testid=contributions-export]").await;
    browser.execute(WATCH_PROGRESS, Vec::new()).await;
    button.click().await.expect("export the ledger");
    browser.find("[data-testid=export-job]").await;
    browser.screenshot("jobs-export-started").await;
    let download = browser.find("[data-testid=export-download]").await;
    assert_eq!(
        browser.execute("return window.sawProgress", Vec::new()).await,
        json!(true),
        "the job's progress bar showed while it ran"
    );
    browser
        .find_text("[data-testid=export-job]", "贡献台账导出 · 已完成")
        .await;
    browser.find("[data-testid=export-jobs-link]").await;
    let href = download.attr("href").await.unwrap().expect("a download link");
    assert!(
        href.starts_with("/api/v1/jobs/") && href.ends_with("/download"),
        "{href}"
    );
    browser.checkpoint("jobs-export-done").await;

    // The link gives the workbook to the user who asked.
    let fetched = browser.execute(FETCH_HEAD, vec![json!(href)]).await;
    assert_eq!(fetched[0], json!(200), "{fetched}");
    assert!(
        fetched[1].as_str().unwrap_or_default().contains("spreadsheetml"),
        "{fetched}"
    );
    assert_eq!(fetched[2], json!("PK"), "an .xlsx is a zip: {fetched}");

    // After a reload, the menu leads to the jobs page, which lists the finished job with its download.
    browser.reload().await;
    browser
        .find("[data-testid=nav-jobs]")
        .await
        .click()
        .await
        .expect("open the jobs page");
    browser.find_text("main h1", "我的任务").await;
    browser.reload().await;
    let job = "[data-testid=jobs-list] [data-testid=job]";
    browser.find_text(job, "贡献台账导出").await;
    browser.find_text(job, "已完成").await;
    browser.find_text(job, ".xlsx").await;
    browser.find_text(job, "保留至").await;
    let again = browser.find(&format!("{job} [data-testid=job-download]")).await;
    assert_eq!(again.attr("href").await.unwrap().as_deref(), Some(href.as_str()));
    browser.checkpoint("jobs-page").await;

    // The bureau's daily jobs: one runs now and reports what it did; every job, its runs included, lists.
    browser.find("[data-testid=schedule-list]").await;
    browser
        .find("[data-testid=run-purge_sessions]")
        .await
        .click()
        .await
        .expect("run the purge now");
    browser
        .find_text("[data-testid=schedules] .notice--ok", "清理过期会话")
        .await;
    browser
        .wait_until(
            "the purge's run to be done",
            "const card = [...document.querySelectorAll('[data-testid=schedule]')]
                .find(c => c.textContent.includes('清理过期会话'));
             return !!card && card.querySelector('.badge').textContent.includes('已完成')
                && card.textContent.includes('上次运行');",
            Vec::new(),
        )
        .await;
    browser
        .execute(
            "document.querySelector('[data-testid=schedules]').scrollIntoView()",
            Vec::new(),
        )
        .await;
    browser.checkpoint("jobs-daily").await;
    browser
        .find("[data-testid=jobs-all]")
        .await
        .click()
        .await
        .expect("show every job");
    browser.find_text("main h1", "全部任务").await;
    assert_eq!(browser.query_param("all").await.as_deref(), Some("true"));
    browser.find_text(job, "发起人 demo-admin").await;
    browser.checkpoint("jobs-all").await;

    // A file of 150 organizations is checked, then imported, by jobs; the page shows each one's report.
    let file = std::env::temp_dir().join(format!("sheguan-导入-{}.csv", std::process::id()));
    std::fs::write(&file, import_file(150)).expect("write the import file");
    browser.goto("/organizations/import").await;
    let input = browser.find("[data-testid=import-file]").await;
    input
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    browser
        .find("[data-testid=import-check]")
        .await
        .click()
        .await
        .expect("check the file");
    browser.find_text("[data-testid=import-summary]", "150").await;
    browser.checkpoint("jobs-import-checked").await;
    browser
        .find("[data-testid=import-commit]")
        .await
        .click()
        .await
        .expect("import the file");
    browser.find_text("[data-testid=import-done]", "150").await;
    browser.checkpoint("jobs-import-done").await;
    let _ = std::fs::remove_file(&file);
}

/// An import file of `rows` new organizations in Hefei, as the template's CSV.
fn import_file(rows: u64) -> String {
    use domain::registry::credit_code::{CreditCategory, CreditCode};
    use domain::registry::import::COLUMNS;
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    let mut text = header.join(",");
    for serial in 0..rows {
        let code = CreditCode::generate(CreditCategory::SocialGroup, "340100", 990_000 + serial);
        let mut cells = vec![String::new(); COLUMNS.len()];
        cells[0] = format!("合肥市浏览器导入第{serial}协会");
        cells[1] = code.as_str().to_owned();
        cells[2] = "社会团体".to_owned();
        cells[3] = "其他".to_owned();
        cells[5] = "340100".to_owned();
        text.push_str("\r\n");
        text.push_str(&cells.join(","));
    }
    text.push_str("\r\n");
    text
}
