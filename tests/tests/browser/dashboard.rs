//! The dashboard and the annual work report as the "done when" tries them, on a phone over the demo
//! set: a visitor reads the year's headlines from the home page; the bureau administrator opens the 2021
//! dashboard, sees the figures the API counts, taps a figure and gets the list whose total is that figure,
//! switches to 合肥 and to 2025, reads the report and downloads it as a Word file whose sentences carry the
//! same figures.

use std::io::Read;

use domain::api::Dashboard;
use domain::dashboard::FigureKey;
use tests::browser::{Browser, Viewport};
use tests::dashboard::figure;

use super::{click, sign_in};

/// The figure's value as the page shows it (`3,491`).
fn grouped(n: i64) -> String {
    domain::money::group_thousands(n.unsigned_abs())
}

async fn shown_value(browser: &Browser, key: FigureKey) -> String {
    let css = format!("[data-testid='figure-{}'] [data-testid=figure-value]", key.key());
    browser.find(&css).await.text().await.expect("the figure's value")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_reads_the_year_drills_into_a_figure_and_downloads_the_report() {
    let browser = Browser::open_demo(Viewport::Phone).await;
    let admin = browser.app.signed_in_as("demo-admin").await;
    let expected: Dashboard = admin.dashboard("year=2021").await.expect("the 2021 dashboard");
    // "Dormant organizations identified", as the issue says, when the demo has them (the full demo set of
    // `cargo xtask run` does; the test suite's smaller one has no 2021 dormant pipeline), else the first of
    // the case study's figures it has.
    let drilled = [
        FigureKey::DormantIdentified,
        FigureKey::ProvincialMattersCompleted,
        FigureKey::FunctionalBranchesApproved,
        FigureKey::FeeInspected,
    ]
    .into_iter()
    .find(|key| figure(&expected, *key).value > 0)
    .expect("the demo has 2021 figures");
    let count = figure(&expected, drilled).value;

    // A visitor follows the home page's link to the year's results.
    browser.goto("/").await;
    click(&browser, "[data-testid=home-public-services] a[href='/results']").await;
    browser.choose("year", "2021").await;
    browser.find_text("[data-testid=dashboard-heading]", "2021").await;
    assert_eq!(shown_value(&browser, drilled).await, grouped(count));
    browser.checkpoint("public-results-2021").await;

    // The administrator opens the dashboard from the menu and picks 2021: the page shows the API's figures.
    sign_in(&browser, "demo-admin").await;
    // Signing in on the public bundle loads the home page again; the menu is used once it has.
    browser.goto("/").await;
    click(&browser, "[data-testid=nav-dashboard]").await;
    browser.choose("year", "2021").await;
    browser.find_text("[data-testid=dashboard-heading]", "2021").await;
    for key in [
        FigureKey::DormantIdentified,
        FigureKey::ProvincialMattersCompleted,
        FigureKey::FunctionalBranchesApproved,
        FigureKey::FeeInspected,
        FigureKey::RuralAidProvincial,
    ] {
        let shown = shown_value(&browser, key).await;
        let value = figure(&expected, key).value;
        if key == FigureKey::RuralAidProvincial {
            assert!(shown.ends_with("元"), "{key:?}: {shown}");
        } else {
            assert_eq!(shown, grouped(value), "{key:?}");
        }
    }
    browser.checkpoint("dashboard-2021").await;

    // A tap on the figure lists the records behind it; their total is the figure.
    click(&browser, &format!("[data-testid='figure-{}'] a", drilled.key())).await;
    browser
        .find_text("[data-testid=records-total]", &format!(" {count} "))
        .await;
    browser.find("[data-testid=records-list] li a").await;
    browser.checkpoint("dashboard-records").await;

    // Back to the dashboard, then 合肥, then 2025.
    browser.back().await;
    browser.find_text("[data-testid=dashboard-heading]", "2021").await;
    browser.choose("city", "合肥市").await;
    browser
        .find_text("[data-testid=dashboard-heading]", "合肥市")
        .await;
    let hefei = admin.dashboard("year=2021&city=340100").await.unwrap();
    assert_eq!(
        shown_value(&browser, FigureKey::NewIndustryAssociations).await,
        grouped(figure(&hefei, FigureKey::NewIndustryAssociations).value)
    );
    browser.choose("year", "2025").await;
    browser.find_text("[data-testid=dashboard-heading]", "2025").await;
    browser.checkpoint("dashboard-hefei-2025").await;

    // The 2021 report for the province, as a page and as a Word file with the same sentences.
    browser.goto("/reports/annual?year=2021").await;
    let report = admin.annual_work_report(2021, "").await.unwrap();
    for section in &report.sections {
        browser
            .find_text("[data-testid=work-report]", &section.sentences[0])
            .await;
    }
    browser.checkpoint("annual-report-2021").await;
    let href = browser.property("[data-testid=report-document]", "href").await;
    let response = admin.client.get(&href).send().await.expect("download the report");
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.contains("wordprocessingml"), "{content_type}");
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a .docx is a zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("the document part")
        .read_to_string(&mut xml)
        .unwrap();
    for sentence in report.sections.iter().flat_map(|s| &s.sentences) {
        assert!(xml.contains(sentence.as_str()), "the Word file lacks: {sentence}");
    }
    assert!(
        xml.contains(&count.to_string()),
        "the Word file carries the figure {count}"
    );
}
